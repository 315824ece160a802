"""The app on a full disk (a filled tmpfs, for real): printing PDFs to another disk still
works, and once space is freed the background sync opens the store beside the window instead
of being told it is in use."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt

from fieldkit import audit, cases, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import Disks, fill
from tests.reliability.test_full_disk import _enrolled_device
from tests.unit.test_pdf_tools import qpdf_check


def test_the_app_prints_to_another_disk_and_syncs_once_there_is_room(
    disks: Disks, tmp_path: Path, qtbot, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    settings = Settings(data_dir=disks.tmpfs("store-disk", 8) / "store",
                        kdf_min_seconds=0.001, kdf_memory_kib=8192)
    _enrolled_device(tmp_path, settings)
    with Store.open(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Operation Overflow")
        visit = cases.create_visit(store, case.id, "Canal Yard", "Canal Side")
        notes.add_note(store, visit.id, "Four workers found in the packhouse loft")
    usb = disks.tmpfs("usb", 16)
    monkeypatch.setattr("ui.print_pack.choose_folder", lambda *_: str(usb))
    filler = fill(settings.data_dir.parent)

    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    try:
        assert window.store is not None and window.store.held_alone
        page = window.workspace.open_case(case.id)
        qtbot.keyClick(page.print_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "saved in" in window.statusBar().currentMessage(),
                        timeout=60_000)
        printed = sorted(usb.glob("*.pdf"))
        assert printed
        for pdf in printed:
            qpdf_check(pdf.read_bytes())

        filler.unlink()  # room again: the next background run shares the store
        outcomes: list[object] = []
        failures: list[BaseException] = []
        window.sync.finished.connect(outcomes.append)
        window.sync.failed.connect(failures.append)
        assert window.sync.sync_now()
        qtbot.waitUntil(lambda: bool(outcomes or failures), timeout=60_000)
        assert failures == [] and not outcomes[0].reachable  # a real run; no Lead listening
        assert not window.store.held_alone
        notes.add_note(window.store, visit.id, "Saved once room came back")
        actions = [event.action for event in audit.events(window.store.conn)]
        assert actions[-3:] == ["store.unlock", "export.pdf", "note.add"]
        assert audit.verify(window.store.conn).ok
    finally:
        window.lock()


def test_the_app_warns_when_space_runs_low_before_any_save_fails(
    disks: Disks, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    settings = Settings(data_dir=disks.tmpfs("small", 16) / "store",
                        kdf_min_seconds=0.001, kdf_memory_kib=8192)
    with Store.create(settings, PASSPHRASE, officer="Officer Test") as store:
        case = cases.create_case(store, "Operation Lowwater")
        visit = cases.create_visit(store, case.id, "Canal Yard", "Canal Side")
    (settings.data_dir.parent / "big.bin").write_bytes(b"\0" * 13_000_000)
    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    try:
        assert window.store is not None
        notes.add_note(window.store, visit.id, "Still room for this one")  # the save works
        qtbot.waitUntil(lambda: "running out of space" in window.statusBar().currentMessage())
        message = window.statusBar().currentMessage()
        assert "MB free where fieldkit keeps its records" in message
        # counted in the same megabytes as the disk-full message (one decimal under 10 MB)
        assert re.search(r"space: \d\.\d MB free", message), message
    finally:
        window.lock()
