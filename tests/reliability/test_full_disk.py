"""A full disk, for real: the store lives on a size-limited tmpfs filled to the last byte.

Reading still works (unlock, lists, search, rendering); a save fails with the true message and
nothing of it is written; after space is freed the next save succeeds in the same session.
Sealing a bundle or writing a PDF on a full disk leaves no partial file. Where mounting is
impossible (not root, not CI) the last test shows the same mapping with SQLite's page limit,
and says so."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from fieldkit import audit, cases, disk, notes
from fieldkit.errors import DiskFull
from fieldkit.events import SPACE_LOW, hub
from fieldkit.pdf import render_visit
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead, outbox
from tests.conftest import PASSPHRASE, Cli
from tests.reliability.conftest import Disks, fill

DISK_FULL = re.compile(r"The disk is full: \d+(\.\d)? MB free, this needs about \d+(\.\d)? MB\.")


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def _store_with_notes(settings: Settings, count: int = 5) -> tuple[str, str, list[str]]:
    with Store.create(settings, PASSPHRASE, officer="Officer Test") as made:
        case = cases.create_case(made, "Operation Fullstop")
        visit = cases.create_visit(made, case.id, "Canal Yard", "Canal Side")
        saved = [notes.add_note(made, visit.id, f"Entry {n} about the yard").id
                 for n in range(count)]
    return case.id, visit.id, saved


def test_reading_works_a_save_says_the_disk_is_full_and_the_next_save_succeeds(
    disks: Disks,
) -> None:
    settings = _settings(disks.tmpfs("small", 8) / "store")
    case_id, visit_id, saved = _store_with_notes(settings)
    filler = fill(settings.data_dir.parent)
    assert disk.free_bytes(settings.data_dir) < 4096

    store = Store.open(settings, PASSPHRASE)  # unlocking still works
    try:
        assert [case.id for case in cases.list_cases(store)] == [case_id]
        assert [entry.id for entry in notes.list_notes(store, visit_id)] == saved
        assert len(notes.search_notes(store, "yard")) == len(saved)
        name, pdf = render_visit(store, visit_id)  # rendered in memory, for another disk
        assert pdf.startswith(b"%PDF") and name.endswith(".pdf")

        with pytest.raises(DiskFull, match=DISK_FULL) as caught:
            notes.add_note(store, visit_id, "Typed while the disk was full")
        assert caught.value.free_bytes < caught.value.need_bytes
        assert [entry.id for entry in notes.list_notes(store, visit_id)] == saved

        filler.unlink()  # the officer frees space; no restart, no new unlock
        later = notes.add_note(store, visit_id, "Typed while the disk was full")
        assert [entry.id for entry in notes.list_notes(store, visit_id)] == [*saved, later.id]
        assert audit.verify(store.conn).ok
        actions = [row[0] for row in store.conn.execute(
            "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 2")]
        assert actions == ["note.add", "store.unlock"]  # the unlock was audited once room came
    finally:
        store.lock()
    with Store.open(settings, PASSPHRASE) as reopened:
        assert reopened.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert len(notes.list_notes(reopened, visit_id)) == len(saved) + 1


def test_low_space_is_announced_before_the_disk_is_full(disks: Disks) -> None:
    settings = _settings(disks.tmpfs("small", 16) / "store")
    _, visit_id, _ = _store_with_notes(settings, count=1)
    assert not disk.space_status(settings.data_dir, threshold=4_000_000).low
    (settings.data_dir.parent / "big.bin").write_bytes(b"\0" * 13_000_000)
    status = disk.space_status(settings.data_dir, threshold=4_000_000)
    assert status.low and 0 < status.free_bytes < 4_000_000

    heard: list[int] = []
    unsubscribe = hub.subscribe(SPACE_LOW, lambda free_bytes: heard.append(free_bytes))
    try:
        with Store.open(settings, PASSPHRASE) as store:
            notes.add_note(store, visit_id, "Still room for this one")
    finally:
        unsubscribe()
    assert heard and all(0 < free < disk.LOW_SPACE_BYTES for free in heard)


def test_space_running_low_while_the_store_is_open_is_announced(disks: Disks) -> None:
    # Near the threshold (less than fieldkit.store.SPACE_RECHECK_MARGIN above it), every save
    # asks the disk for its free space; once it is low, every save announces it.
    settings = _settings(disks.tmpfs("shrinking", 16) / "store")
    _, visit_id, _ = _store_with_notes(settings, count=1)
    heard: list[int] = []
    unsubscribe = hub.subscribe(SPACE_LOW, lambda free_bytes: heard.append(free_bytes))
    try:
        with Store.open(settings, PASSPHRASE) as store:
            store.low_space_bytes = 4_000_000  # the tmpfs is under the real 200 MB
            heard.clear()  # the unlock's own look, with the real threshold
            notes.add_note(store, visit_id, "Room enough for this one")
            assert not heard
            (settings.data_dir.parent / "big.bin").write_bytes(b"\0" * 13_000_000)
            notes.add_note(store, visit_id, "Written once the disk was nearly full")
            assert heard and 0 < heard[-1] < 4_000_000
            notes.add_note(store, visit_id, "And again at once: still announced")
            assert len(heard) == 2
    finally:
        unsubscribe()


def test_command_line_reads_on_a_full_disk_and_says_so_when_saving(
    disks: Disks, cli: Cli
) -> None:
    small = disks.tmpfs("small", 8)
    run = Cli(small / "store", cli.env)
    run.ok("init")
    case_id = run.ok("case", "new", "--title", "Operation Fullstop").last_line
    visit_id = run.ok("visit", "new", "--case", case_id, "--premises", "Canal Yard",
                      "--address", "Canal Side").last_line
    run.ok("note", "add", "--visit", visit_id, "Entry", "about", "the", "yard")
    filler = fill(small)

    listed = run("case", "list")
    assert listed.code == 0 and case_id in listed.out, listed.err
    assert "Entry about the yard" in run.ok("search", "yard").out
    refused = run("note", "add", "--visit", visit_id, "Typed", "on", "a", "full", "disk")
    assert refused.code == 1 and DISK_FULL.search(refused.err), refused.err
    assert "damaged" not in refused.err

    filler.unlink()
    run.ok("note", "add", "--visit", visit_id, "Typed", "after", "freeing", "space")
    assert "Audit trail whole" in run.ok("audit", "verify").out


def test_a_pdf_export_onto_a_full_disk_leaves_no_partial_file(
    disks: Disks, cli: Cli
) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Fullstop").last_line
    cli.ok("visit", "new", "--case", case_id, "--premises", "Canal Yard", "--address", "Canal Side")
    small = disks.tmpfs("usb", 4)
    out = small / "pack"
    out.mkdir()
    fill(small)
    result = cli("export", "pdf", "--case", case_id, "--out", str(out))
    assert result.code == 1 and DISK_FULL.search(result.err), result.err
    assert os.listdir(out) == []  # no partial PDF, no temp file


def _enrolled_device(tmp_path: Path, device_settings: Settings) -> None:
    with Store.create(_settings(tmp_path / "lead"), PASSPHRASE, officer="Lead") as lead_store:
        lead.init_lead(lead_store)
        made, signed = lead.make_profile(lead_store, council="Example Council",
                                         lead_name="Lead Example",
                                         lead_contact="lead@council.example",
                                         inbox_url="http://127.0.0.1:9/")
        with Store.create(device_settings, PASSPHRASE, officer="Officer Test") as store:
            device.import_profile(store, signed, expected_fingerprint=made.fingerprint())
            lead.add_device(lead_store, device.enrolment_request(
                store, device_name="laptop", organisation="Trading Standards"))


def _files(folder: Path) -> list[str]:
    """The store's files, less SQLite's own companions of an open database."""
    return sorted(name for name in os.listdir(folder) if not name.endswith(("-wal", "-shm")))


def test_sealing_a_bundle_on_a_full_disk_leaves_nothing_half_written(
    disks: Disks, tmp_path: Path
) -> None:
    settings = _settings(disks.tmpfs("small", 8) / "store")
    _enrolled_device(tmp_path, settings)
    with Store.open(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Sealed")
        visit = cases.create_visit(store, case.id, "Canal Yard", "Canal Side")
        notes.add_note(store, visit.id, "Pickers sleeping in the packhouse " * 40)
    before = _files(settings.data_dir)
    filler = fill(settings.data_dir.parent)
    with Store.open(settings, PASSPHRASE) as store:
        with pytest.raises(DiskFull, match=DISK_FULL):
            device.send_case(store, case.id)
        assert outbox.latest_for_case(store, case.id) is None
        assert _files(settings.data_dir) == before  # no stray file
        filler.unlink()
        queued = device.send_case(store, case.id)  # sent again once there is room
        assert outbox.latest_for_case(store, case.id).bundle_id == queued.bundle_id


def test_sqlite_page_limit_reads_as_a_full_disk(settings: Settings) -> None:
    """NOT a real full disk: the stand-in for machines that cannot mount (the tests above then
    say why they cannot run). SQLite's own page limit raises the same SQLITE_FULL, which must
    read as a full disk, never as damage, and the next save succeeds once the limit is lifted."""
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Pagelimit")
        visit = cases.create_visit(store, case.id, "Yard", "Canal Side")
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFull, match=DISK_FULL):
            notes.add_note(store, visit.id, "x" * 20_000)
        store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        notes.add_note(store, visit.id, "x" * 20_000)


def test_the_note_being_typed_stays_in_the_form_when_the_disk_is_full(
    disks: Disks, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.notes_view import NotesView

    settings = _settings(disks.tmpfs("small", 8) / "store")
    _, visit_id, saved = _store_with_notes(settings, count=1)
    filler = fill(settings.data_dir.parent)
    store = Store.open(settings, PASSPHRASE)
    try:
        view = NotesView(store, visit_id)
        qtbot.addWidget(view)
        typed = "Three people sleeping above the wash bay, one with a hand injury"
        view.input.setPlainText(typed)
        view.commit_entry()
        assert DISK_FULL.search(view.message.text()), view.message.text()
        assert view.input.toPlainText() == typed  # nothing the officer typed is lost
        assert len(notes.list_notes(store, visit_id)) == len(saved)
        filler.unlink()
        view.commit_entry()  # the same form, the same session
        assert view.input.toPlainText() == ""
        assert notes.list_notes(store, visit_id)[-1].text == typed
    finally:
        store.lock()
