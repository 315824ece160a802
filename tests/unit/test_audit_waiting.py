"""Audit events waiting for room (``fieldkit.audit_waiting``), on an ordinary store: held
events enter the chain in order, once, with the time they happened; the file holds nothing
readable; an unreadable file is recorded in the chain, never silently dropped. The same on a
real full disk: tests/reliability/test_full_disk_export.py."""

from __future__ import annotations

import shutil

from fieldkit import audit, cases, notes
from fieldkit.audit_waiting import LOST_ACTION, WAITING_DIR
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


def _tail(store: Store, count: int) -> list[tuple[str, str, str]]:
    return [(event.action, event.record_id, event.at) for event in audit.events(store.conn)
            ][-count:]


def test_held_events_enter_the_chain_in_order_once_with_their_own_time(
    settings: Settings,
) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Waiting")
        visit = cases.create_visit(store, case.id, "Yard", "Canal Side")
        first = store.waiting.hold(store.conn, "export.pdf", "case", case.id, durable=True)
        second = store.waiting.hold(store.conn, "export.schedule", "case", case.id,
                                    durable=True)
        assert second.number == first.number + 1
        [waiting] = (settings.state_dir / WAITING_DIR).iterdir()
        sealed = waiting.read_bytes()
        assert case.id.encode() not in sealed and b"export" not in sealed
        kept = waiting.read_bytes()  # as if the app were killed before tidying the file

        entry = notes.add_note(store, visit.id, "Written after the exports")
        assert [(a, r) for a, r, _ in _tail(store, 3)] == [
            ("export.pdf", case.id), ("export.schedule", case.id), ("note.add", entry.id)]
        assert [at for _, _, at in _tail(store, 3)][:2] == [first.at, second.at]
        assert not waiting.exists()

        waiting.write_bytes(kept)  # the file comes back: its events are never written twice
        notes.add_note(store, visit.id, "Another entry")
        actions = [event.action for event in audit.events(store.conn)]
        assert actions.count("export.pdf") == 1 and actions.count("export.schedule") == 1
        assert audit.verify(store.conn).ok


def test_an_unreadable_waiting_file_is_recorded_in_the_chain(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Tamper")
        store.waiting.hold(store.conn, "export.pdf", "case", case.id, durable=True)
        [waiting] = (settings.state_dir / WAITING_DIR).iterdir()
        waiting.write_bytes(b"\0" * 64)  # damaged, or written by something else
        cases.create_case(store, "Operation After")
        actions = [event.action for event in audit.events(store.conn)]
        assert LOST_ACTION in actions and "export.pdf" not in actions
        assert actions[-2:] == [LOST_ACTION, "case.create"]  # before the save that found it
        cases.create_case(store, "Operation Later")  # recorded once
        assert [e.action for e in audit.events(store.conn)].count(LOST_ACTION) == 1
        assert audit.verify(store.conn).ok
        assert sorted(p.suffix for p in (settings.state_dir / WAITING_DIR).iterdir()) == [
            ".unreadable-recorded"]


def test_an_unlock_with_no_room_anywhere_waits_in_memory(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Memory")
        shutil.rmtree(settings.state_dir)
        settings.state_dir.write_bytes(b"")  # the state folder cannot be made
        store.waiting.hold(store.conn, "store.unlock", durable=False)
        cases.create_case(store, "Operation Next")
        actions = [event.action for event in audit.events(store.conn)]
        assert actions[-2:] == ["store.unlock", "case.create"]
        assert case.id  # the first case is untouched


def test_events_held_before_a_lock_are_read_after_the_next_unlock_and_the_key_is_dropped(
    settings: Settings,
) -> None:
    """The file's key is derived from the store's key when an event first waits (not at every
    open), and a lock drops both keys; the next unlock derives it again and reads the file."""
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Held")
        assert store.waiting._aead is None  # nothing waited: nothing derived
        store.waiting.hold(store.conn, "export.pdf", "case", case.id, durable=True)
        assert store.waiting._aead is not None and store.waiting._db_key is None
        waiting = store.waiting
    assert waiting._aead is None and waiting._db_key is None  # the lock dropped them
    [held] = (settings.state_dir / WAITING_DIR).iterdir()
    store = Store.open(settings, PASSPHRASE)  # its unlock writes the held event in first
    try:
        actions = [event.action for event in audit.events(store.conn)]
        assert actions[-2:] == ["export.pdf", "store.unlock"]
        assert not held.exists() and audit.verify(store.conn).ok
    finally:
        store.lock()


def test_an_event_held_by_the_apps_other_connection_enters_the_chain_at_the_next_save(
    settings: Settings,
) -> None:
    # The app's window and its worker (an export, a sync) each open the store: the window's
    # connection, having found nothing waiting at its last save, must still find what the
    # worker held since (it remembers "nothing" only until this process changes a waiting file).
    window, key = Store.create_with_key(settings, PASSPHRASE)
    with window:
        case = cases.create_case(window, "Operation Two Doors")
        visit = cases.create_visit(window, case.id, "Nail bar", "High Street")
        notes.add_note(window, visit.id, "Nothing waiting yet")
        with Store.open_unwrapped(settings, key, worker=True) as worker:
            held = worker.waiting.hold(worker.conn, "export.pdf", "case", case.id, durable=True)
        entry = notes.add_note(window, visit.id, "Written after the export")
        assert _tail(window, 2) == [("export.pdf", case.id, held.at),
                                    ("note.add", entry.id, _tail(window, 1)[0][2])]
        assert not any((settings.state_dir / WAITING_DIR).iterdir())
        assert audit.verify(window.conn).ok
