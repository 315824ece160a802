"""The house rules hold on every commit: ruff clean, mypy clean (strict on forms, fieldkit and
sync; the ui layer checked too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_ruff_is_clean() -> None:
    done = subprocess.run([str(BIN / "ruff"), "check", "."], capture_output=True, text=True,
                          cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean() -> None:
    done = subprocess.run([str(BIN / "mypy")], capture_output=True, text=True, cwd=REPO,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr
