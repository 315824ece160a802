"""A draft survives the app being killed: type into the note box in a real app process, wait
for the autosave, SIGKILL it, start it again and find the text back in the note box. And what
was typed in the last second, before the autosave, survives the system asking the app to stop
(SIGTERM at shutdown, SIGHUP at logout)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, REPO

TYPED = "10:58 W4 pointed at the locked door behind the office"


def _start(data_dir: Path, hook: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.update(QT_QPA_PLATFORM="offscreen", FIELDKIT_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "support" / "app_driver.py"), str(data_dir), hook],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        text=True, env=env, cwd=REPO)


def _wait_for_line(process: subprocess.Popen[str], prefix: str, timeout: float = 60) -> str:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    while True:
        line = lines.get(timeout=timeout)  # queue.Empty fails the test if it never comes
        if line.startswith(prefix):
            return line.strip()


def test_the_note_being_typed_is_back_after_a_kill(demo):
    first = _start(demo.settings.data_dir, "type:" + TYPED)
    try:
        _wait_for_line(first, "DRAFT-SAVED")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL

    second = _start(demo.settings.data_dir, "show")
    try:
        line = _wait_for_line(second, "NOTE-BOX:")
    finally:
        second.kill()
        second.wait(timeout=30)
    assert json.loads(line.removeprefix("NOTE-BOX:")) == TYPED


def _show(data_dir: Path) -> str:
    second = _start(data_dir, "show")
    try:
        line = _wait_for_line(second, "NOTE-BOX:")
    finally:
        second.kill()
        second.wait(timeout=30)
    return str(json.loads(line.removeprefix("NOTE-BOX:")))


@pytest.mark.parametrize("asked", [signal.SIGTERM, signal.SIGHUP])
def test_what_was_typed_just_before_a_shutdown_is_kept(demo, asked):
    first = _start(demo.settings.data_dir, "typed:" + TYPED)
    try:
        _wait_for_line(first, "TYPED")
        first.send_signal(asked)  # within the autosave's second
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0  # closed as Quit closes it: the store locked, drafts written
    assert _show(demo.settings.data_dir) == TYPED
