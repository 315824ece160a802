"""Two copies of fieldkit on one store. Decided: one process at a time. The second process (a
second app, or a command while the app is unlocked) is told the store is in use by another
fieldkit and changes nothing; a lock frees it at once, and a killed process never leaves it
locked. Within one process (a second window, the app's background sync) connections share the
store safely."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from fieldkit import audit, cases, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, REPO, Cli, file_hashes

IN_USE = "in use by another fieldkit"


@contextmanager
def _other_fieldkit(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """Another process holding the store unlocked, until the block ends."""
    env = dict(os.environ, FIELDKIT_PASSPHRASE=PASSPHRASE)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.holder_child", str(settings.data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO,
    )
    assert child.stdout is not None and child.stdin is not None
    line = child.stdout.readline().decode().strip()
    assert line == "open", child.stderr.read().decode() if child.stderr else line
    try:
        yield child
    finally:
        if child.poll() is None:
            child.stdin.close()
        child.wait(timeout=60)


def _cli_for(settings: Settings, cli: Cli) -> Cli:
    return Cli(settings.data_dir, cli.env)


def test_the_command_line_is_told_while_the_app_has_the_store_open(
    settings: Settings, cli: Cli, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    with Store.create(settings, PASSPHRASE) as made:
        case = cases.create_case(made, "Operation Twin")
    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is not None
    run = _cli_for(settings, cli)
    refused = run("case", "new", "--title", "Opened from the command line")
    assert refused.code == 1 and IN_USE in refused.err, refused.err
    listed = run("case", "list")
    assert listed.code == 1 and IN_USE in listed.err
    window.lock()  # the app locked: the command line works at once
    assert case.id in run.ok("case", "list").out


def test_a_second_app_is_told_and_changes_nothing(
    settings: Settings, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    Store.create(settings, PASSPHRASE).lock()
    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    with _other_fieldkit(settings):
        before = file_hashes(settings.data_dir)
        window.open_store(Store.unwrap_key(settings, PASSPHRASE))
        assert window.store is None
        assert window.pages.currentWidget() is window.unlock_page
        assert "in use by another fieldkit" in window.unlock_page.message.text()
        after = file_hashes(settings.data_dir)
        assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == {
            k: v for k, v in before.items() if not k.endswith(("-wal", "-shm"))}
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))  # the other one closed
    assert window.store is not None
    window.lock()


def test_a_killed_fieldkit_never_leaves_the_store_locked_out(settings: Settings) -> None:
    Store.create(settings, PASSPHRASE).lock()
    with _other_fieldkit(settings) as other:
        other.send_signal(signal.SIGKILL)
        other.wait(timeout=60)
    with Store.open(settings, PASSPHRASE) as store:
        assert store.is_open


def test_two_windows_in_one_process_share_the_store_safely(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as made:
        visit = cases.create_visit(made, cases.create_case(made, "Operation Twin").id,
                                   "Canal Yard", "Canal Side")
    first, second = Store.open(settings, PASSPHRASE), Store.open(settings, PASSPHRASE)
    try:
        saved = []
        for n in range(20):
            writer = first if n % 2 else second
            saved.append(notes.add_note(writer, visit.id, f"Entry {n} from window {n % 2}"))
        entries = notes.list_notes(first, visit.id)
        assert [entry.id for entry in entries] == [entry.id for entry in saved]
        assert [entry.seq for entry in entries] == list(range(1, 21))
        assert audit.verify(second.conn).ok
    finally:
        first.lock()
        second.lock()
