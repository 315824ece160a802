"""The private Secret Service every test process runs in (.ci/with-secret-service): a keyring
daemon that goes away is started again on demand with the same keyring, and nothing the bus
starts writes to the command's standard output. Under `make test` that output is pytest-xdist's
channel: a keyring daemon started again by the standard session bus once wrote its
"GNOME_KEYRING_CONTROL=..." there, and the whole run waited until CI gave up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

CHILD = """
import os, signal, time
import keyring
from tests.reliability.keyring_child import secret_service_pid

keyring.set_password("fieldkit-harness-test", "device", "kept-before")
first = secret_service_pid()
os.kill(first, signal.SIGKILL)  # the keyring daemon goes away
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        os.kill(first, 0)
        time.sleep(0.05)
    except ProcessLookupError:
        break
print("read again:", keyring.get_password("fieldkit-harness-test", "device"))
print("another daemon:", secret_service_pid() != first)
"""


@pytest.mark.keyring
def test_a_keyring_daemon_that_goes_away_comes_back_and_writes_nothing_to_stdout() -> None:
    tools = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(tool) is None]
    if tools:
        message = f"{', '.join(tools)} missing; .ci/run installs dbus and gnome-keyring"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DBUS_", "GNOME_KEYRING", "FIELDKIT_IN_SECRET_SERVICE"))}
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "with-secret-service"), sys.executable, "-c", CHILD],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
        stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    # Exactly the child's two lines: no daemon's settings among them.
    assert done.stdout.splitlines() == ["read again: kept-before", "another daemon: True"], (
        done.stdout)
