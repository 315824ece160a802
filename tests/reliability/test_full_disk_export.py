"""PDFs to another disk while the store's own disk is full, for real (a filled tmpfs), and the
store returning to shared use once there is room again.

The export's audit event cannot be saved on the full disk, so it waits, encrypted, in the
state folder off that disk (``fieldkit.audit_waiting``), written before the PDF is; the next
save or unlock with room writes it into the chain, in order. If even the waiting file cannot
be written, nothing is exported."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from fieldkit import audit, cases, notes
from fieldkit.audit_waiting import WAITING_DIR
from fieldkit.errors import DiskFull
from fieldkit.export import export_case_pdfs
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync.engine import SyncEngine
from tests.conftest import PASSPHRASE, Cli
from tests.reliability.conftest import Disks, fill
from tests.reliability.test_full_disk import _enrolled_device
from tests.unit.test_pdf_tools import qpdf_check

DISK_FULL = re.compile(r"The disk is full: \d+(\.\d)? MB free, this needs about \d+(\.\d)? MB\.")


def _settings(folder: Path, state: Path) -> Settings:
    return Settings(data_dir=folder, state_dir=state, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def _case_with_a_visit(settings: Settings) -> tuple[str, str]:
    with Store.create(settings, PASSPHRASE, officer="Officer Test") as made:
        case = cases.create_case(made, "Operation Overflow")
        visit = cases.create_visit(made, case.id, "Canal Yard", "Canal Side")
        notes.add_note(made, visit.id, "Four workers found in the packhouse loft")
    return case.id, visit.id


def _actions(store: Store) -> list[tuple[str, str]]:
    return [(event.action, event.record_id) for event in audit.events(store.conn)]


def _waiting_files(state: Path) -> list[Path]:
    folder = state / WAITING_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_pdf_goes_to_another_disk_and_its_audit_event_survives_the_session(
    disks: Disks, tmp_path: Path
) -> None:
    settings = _settings(disks.tmpfs("store-disk", 8) / "store", tmp_path / "state")
    case_id, _ = _case_with_a_visit(settings)
    usb = disks.tmpfs("usb", 16)
    filler = fill(settings.data_dir.parent)

    with Store.open(settings, PASSPHRASE) as store:
        before = _actions(store)
        paths = export_case_pdfs(store, case_id, usb / "pack")
        assert paths and all(path.parent == usb / "pack" for path in paths)
        for path in paths:
            qpdf_check(path.read_bytes())  # each PDF whole
        assert _actions(store) == before  # not in the chain yet: no room
        [waiting] = _waiting_files(settings.state_dir)
        sealed = waiting.read_bytes()
        assert case_id.encode() not in sealed and b"export" not in sealed  # encrypted
    # locked while the disk was still full: the event must not be lost with the session
    filler.unlink()
    with Store.open(settings, PASSPHRASE) as store:
        after = _actions(store)
        assert after[:len(before)] == before
        assert after[len(before):] == [("store.unlock", ""), ("export.pdf", case_id),
                                       ("store.unlock", "")]
        assert audit.verify(store.conn).ok
    assert _waiting_files(settings.state_dir) == []


def test_the_waiting_event_lands_with_the_next_save_in_the_same_session(
    disks: Disks, tmp_path: Path
) -> None:
    settings = _settings(disks.tmpfs("store-disk", 8) / "store", tmp_path / "state")
    case_id, visit_id = _case_with_a_visit(settings)
    filler = fill(settings.data_dir.parent)
    out = tmp_path / "pack"  # the normal temporary folder: another disk
    with Store.open(settings, PASSPHRASE) as store:
        count = len(audit.events(store.conn))
        paths = export_case_pdfs(store, case_id, out)
        qpdf_check(paths[0].read_bytes())
        with pytest.raises(DiskFull, match=DISK_FULL):
            notes.add_note(store, visit_id, "Typed while the disk was full")
        assert len(audit.events(store.conn)) == count
        filler.unlink()
        entry = notes.add_note(store, visit_id, "Typed while the disk was full")
        tail = _actions(store)[count:]
        assert tail == [("store.unlock", ""), ("export.pdf", case_id), ("note.add", entry.id)]
        assert audit.verify(store.conn).ok
        notes.add_note(store, visit_id, "A second entry")  # written once, never again
        assert [action for action, _ in _actions(store)].count("export.pdf") == 1
    assert _waiting_files(settings.state_dir) == []


def test_nothing_is_exported_when_even_the_waiting_event_cannot_be_written(
    disks: Disks, tmp_path: Path
) -> None:
    small = disks.tmpfs("home", 8)  # the store and the state folder on one full disk
    settings = _settings(small / "store", small / "state")
    case_id, _ = _case_with_a_visit(settings)
    out = disks.tmpfs("usb", 16) / "pack"
    fill(small)
    with Store.open(settings, PASSPHRASE) as store:
        before = _actions(store)
        with pytest.raises(DiskFull, match=DISK_FULL):
            export_case_pdfs(store, case_id, out)
        assert _actions(store) == before
    assert not out.exists() or os.listdir(out) == []  # no PDF, no partial file


def test_the_command_line_exports_to_another_disk_while_the_store_disk_is_full(
    disks: Disks, cli: Cli
) -> None:
    small = disks.tmpfs("store-disk", 8)
    run = Cli(small / "store", cli.env)
    run.ok("init")
    case_id = run.ok("case", "new", "--title", "Operation Overflow").last_line
    run.ok("visit", "new", "--case", case_id, "--premises", "Canal Yard", "--address", "Canal")
    out = disks.tmpfs("usb", 16) / "pack"
    filler = fill(small)
    done = run("export", "pdf", "--case", case_id, "--out", str(out))
    assert done.code == 0, done.err
    pdfs = sorted(out.iterdir())
    assert pdfs and all(pdf.suffix == ".pdf" for pdf in pdfs)
    for pdf in pdfs:
        qpdf_check(pdf.read_bytes())
    filler.unlink()
    assert "Audit trail whole" in run.ok("audit", "verify").out
    with Store.open(Settings(data_dir=small / "store", kdf_min_seconds=0.001,
                             kdf_memory_kib=8192), PASSPHRASE) as store:
        assert ("export.pdf", case_id) in _actions(store)


def test_background_sync_runs_beside_a_full_disk_open_once_there_is_room(
    disks: Disks, tmp_path: Path
) -> None:
    settings = _settings(disks.tmpfs("store-disk", 8) / "store", tmp_path / "state")
    _enrolled_device(tmp_path, settings)
    filler = fill(settings.data_dir.parent)
    key = Store.unwrap_key(settings, PASSPHRASE)
    store = Store.open_unwrapped(settings, key)
    try:
        assert store.held_alone  # no room for SQLite's shared-memory file
        engine = SyncEngine(settings, key)
        with pytest.raises(DiskFull, match=DISK_FULL):  # the true cause, never "in use"
            engine.run_once()
        assert not store.share_if_room()  # still no room: stays as it is, still readable
        assert cases.list_cases(store) == []
        filler.unlink()
        assert store.share_if_room() and not store.held_alone
        outcomes: list[object] = []
        runner = threading.Thread(target=lambda: outcomes.append(engine.run_once()))
        runner.start()  # on its own thread and connection, as the app's sync does
        runner.join()
        assert outcomes and not outcomes[0].reachable  # a real run: the Lead is not there
        assert cases.list_cases(store) == []  # the app's own connection still works
    finally:
        store.lock()


def test_a_save_once_there_is_room_returns_the_store_to_shared_use(
    disks: Disks, tmp_path: Path
) -> None:
    settings = _settings(disks.tmpfs("store-disk", 8) / "store", tmp_path / "state")
    _, visit_id = _case_with_a_visit(settings)
    filler = fill(settings.data_dir.parent)
    key = Store.unwrap_key(settings, PASSPHRASE)
    with Store.open_unwrapped(settings, key) as store:
        assert store.held_alone
        filler.unlink()
        notes.add_note(store, visit_id, "Saved once room came back")
        assert not store.held_alone
        with Store.open_unwrapped(settings, key, worker=True) as beside:
            assert len(notes.list_notes(beside, visit_id)) == 2
        assert audit.verify(store.conn).ok


def test_a_full_rekey_after_a_full_disk_open_keeps_waiting_events_and_shares_again(
    disks: Disks, tmp_path: Path
) -> None:
    from fieldkit import rekey

    settings = _settings(disks.tmpfs("store-disk", 8) / "store", tmp_path / "state")
    case_id, visit_id = _case_with_a_visit(settings)
    filler = fill(settings.data_dir.parent)
    with Store.open(settings, PASSPHRASE) as store:
        export_case_pdfs(store, case_id, tmp_path / "pack")
        filler.unlink()  # room again, but no save yet: still held alone, the event waiting
        assert store.held_alone
        new_key = rekey.rekey(store, settings, PASSPHRASE, "a new passphrase for the store")
        assert not store.held_alone  # reopened shared, with the new key
        entry = notes.add_note(store, visit_id, "Saved after the passphrase change")
        actions = _actions(store)
        assert actions[-4:] == [("store.unlock", ""), ("export.pdf", case_id),
                                ("store.rekey", ""), ("note.add", entry.id)]
        assert audit.verify(store.conn).ok
        with Store.open_unwrapped(settings, new_key, worker=True) as beside:
            assert len(notes.list_notes(beside, visit_id)) == 2
    assert _waiting_files(settings.state_dir) == []
