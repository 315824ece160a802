"""``fieldkit --version`` and ``fieldkit self-test`` through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fieldkit.about import fieldkit_version
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, REPO


def _fieldkit(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    return subprocess.run([sys.executable, "-m", "fieldkit.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def test_version_names_fieldkit_sqlcipher_qt_and_the_keyring() -> None:
    done = _fieldkit("--version")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"fieldkit {fieldkit_version()}"
    assert lines[1].startswith("SQLCipher 4.")
    assert lines[2].startswith("Qt 6.")
    assert lines[3].startswith("Keyring: ")


def test_self_test_unlocks_offscreen_from_standard_input_and_exits_0(settings: Settings) -> None:
    Store.create(settings, PASSPHRASE, officer="Officer Test").lock()
    done = _fieldkit("--data-dir", str(settings.data_dir), "self-test", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "self-test: unlock screen shown", "self-test: unlocked; cases list shown (cases: 0)",
        "self-test: window closed and records locked"]


def test_self_test_with_a_wrong_passphrase_exits_1_saying_why(settings: Settings) -> None:
    Store.create(settings, PASSPHRASE, officer="Officer Test").lock()
    done = _fieldkit("--data-dir", str(settings.data_dir), "self-test", stdin="wrong words\n")
    assert done.returncode == 1
    assert "FAILED: unlocking was refused" in done.stdout


def test_self_test_with_nothing_on_standard_input_asks_for_the_passphrase(
    tmp_path: Path,
) -> None:
    done = _fieldkit("--data-dir", str(tmp_path), "self-test")
    assert done.returncode == 1
    assert "reads the passphrase from standard input" in done.stderr
