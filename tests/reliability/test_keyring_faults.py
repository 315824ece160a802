"""The keyring goes away or locks mid-session: work continues in the unlocked session, and the
next unlock explains what is missing and what to do, never "wrong passphrase". Each scenario
runs in a child with its own D-Bus session and GNOME Keyring, so the fault touches nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO

SESSION = """
set -e
eval "$(printf test-unlock | gnome-keyring-daemon --unlock --daemonize --components=secrets)"
export GNOME_KEYRING_CONTROL
bash .ci/wait-for-secret-service
exec "$@"
"""


def _in_own_keyring(tmp_path: Path, request: pytest.FixtureRequest, scenario: str) -> list[str]:
    tools = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon")
             if shutil.which(tool) is None]
    if tools:
        reason = f"{', '.join(tools)} missing; .ci/run installs dbus and gnome-keyring"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # The daemon's control socket lives under XDG_CACHE_HOME, and a socket's path must fit in
    # 107 bytes: pytest's tmp_path under a worker (…/pytest-193/popen-gw1/test_…/) does not.
    home = Path(tempfile.mkdtemp(prefix="fk-keyring-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(home, ignore_errors=True))
    (home / "data" / "keyrings").mkdir(parents=True)
    (home / "cache").mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DBUS_", "GNOME_KEYRING", "FIELDKIT_", "XDG_"))}
    # Everything under the test's folder, also for a keyring D-Bus starts again on demand.
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"))
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SESSION, "session",
         sys.executable, "-m", "tests.reliability.keyring_child", scenario,
         str(tmp_path / "store")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=180,
    )
    lines = [line.removeprefix("fact: ") for line in done.stdout.splitlines()
             if line.startswith("fact: ")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    assert lines[0] == "device secret True", lines
    return lines


def test_a_keyring_locked_mid_session_lets_work_continue_and_unlock_explains(
    tmp_path: Path, request: pytest.FixtureRequest,
) -> None:
    lines = _in_own_keyring(tmp_path, request, "locked")
    assert lines[1] == "saved 2"
    assert lines[2].startswith("unlock refused KeyringLocked: The system keyring is locked")
    assert "Wrong passphrase" not in lines[2]


def test_a_keyring_gone_mid_session_lets_work_continue_and_unlock_explains(
    tmp_path: Path, request: pytest.FixtureRequest,
) -> None:
    lines = _in_own_keyring(tmp_path, request, "gone")
    assert lines[1] == "saved 2"
    # Stopped, the Secret Service is either unreachable or (started again on demand by D-Bus)
    # back with its keyring locked; either way the officer is told which, never "wrong".
    assert lines[2].startswith(("unlock refused KeyringUnavailable", "unlock refused KeyringLocked",
                                "unlock refused DeviceSecretMissing")), lines[2]
    assert "Wrong passphrase" not in lines[2]
