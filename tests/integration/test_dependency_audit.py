"""Issue 10, item 15: the runtime dependencies are locked with hashes, and `make audit` runs the
real pip-audit over that lock against a vulnerability database file, on loopback only."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
ADVISORY = {
    "id": "FIELDKIT-TEST-0001", "summary": "An invented advisory for this test",
    "details": "Invented.", "modified": "2026-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "PyYAML"},
                  "ranges": [{"type": "ECOSYSTEM",
                              "events": [{"introduced": "0"}, {"fixed": "999.0"}]}]}],
}


def _audit(database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tools" / "dependency_audit.py"),
                           str(database)], capture_output=True, text=True, cwd=REPO,
                          timeout=300, env={k: v for k, v in os.environ.items()
                                            if k != "FIELDKIT_AUDIT_ONLINE"})


def test_every_runtime_dependency_is_locked_with_a_hash() -> None:
    text = LOCK.read_text()
    pinned = re.findall(r"^([a-z0-9-]+)==(\S+) \\$", text, flags=re.MULTILINE)
    names = {name for name, _ in pinned}
    for needed in ("sqlcipher3", "cryptography", "keyring", "pydantic", "reportlab", "pyrage",
                   "httpx", "uvicorn", "starlette", "pyside6-essentials", "platformdirs"):
        assert needed in names, needed
    blocks = re.split(r"^(?=[a-z0-9-]+==)", text, flags=re.MULTILINE)[1:]
    assert all("--hash=sha256:" in block for block in blocks)
    assert "file://" not in text and "index-url" not in text  # nothing of one machine


def test_a_locked_package_with_a_known_advisory_fails_the_audit(tmp_path: Path) -> None:
    (tmp_path / "FIELDKIT-TEST-0001.json").write_text(json.dumps(ADVISORY))
    done = _audit(tmp_path)
    assert done.returncode == 1, done.stderr
    assert "FIELDKIT-TEST-0001" in done.stdout and "pyyaml" in done.stdout.lower()


def test_an_advisory_fixed_before_the_locked_version_passes(tmp_path: Path) -> None:
    fixed = json.loads(json.dumps(ADVISORY))
    fixed["affected"][0]["ranges"][0]["events"][1]["fixed"] = "5.4"
    (tmp_path / "old.json").write_text(json.dumps(fixed))
    done = _audit(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No known vulnerabilities found" in done.stdout + done.stderr


def test_without_a_database_the_audit_says_it_was_skipped(tmp_path: Path) -> None:
    done = _audit(tmp_path / "none")
    assert done.returncode == 0
    assert "SKIPPED" in done.stdout and "nothing was audited" in done.stdout
