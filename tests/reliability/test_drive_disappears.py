"""The store's drive disappears under a running store (a tmpfs lazily unmounted, as a pulled USB
drive or a dropped network folder): the save is refused with StoreUnreachable, nothing is
half-written, the app locks saying so, and unlocking works once the drive is back."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from fieldkit import audit, cases, notes
from fieldkit.errors import StoreUnreachable
from fieldkit.events import STORE_UNREACHABLE, hub
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import Disks


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def _drive_with_store(disks: Disks) -> tuple[Path, Path, Settings, str]:
    """A tmpfs 'drive' holding a store, plus a second mount of it the test keeps (so the
    same files can come back after the pull), and a visit to write notes to."""
    drive = disks.tmpfs("usb", 16)
    kept = disks.bind(drive, "kept")
    settings = _settings(drive / "store")
    with Store.create(settings, PASSPHRASE, officer="Officer Test") as made:
        case = cases.create_case(made, "Operation Unplugged")
        visit = cases.create_visit(made, case.id, "Canal Yard", "Canal Side")
    return drive, kept, settings, visit.id


def test_a_save_after_the_drive_goes_is_refused_and_nothing_is_half_written(
    disks: Disks,
) -> None:
    drive, kept, settings, visit_id = _drive_with_store(disks)
    store = Store.open(settings, PASSPHRASE)
    saved = [notes.add_note(store, visit_id, f"Entry {n} before the pull").id for n in range(3)]
    heard: list[str] = []
    unsubscribe = hub.subscribe(STORE_UNREACHABLE, lambda message: heard.append(message))
    try:
        disks.lazy_unmount(drive)
        with pytest.raises(StoreUnreachable, match="cannot be reached"):
            notes.add_note(store, visit_id, "Typed after the pull")
    finally:
        unsubscribe()
        store.lock()  # locking never fails for want of the drive
    assert heard and "cannot be reached" in heard[0]

    disks.bind(kept, "usb")  # the drive is plugged back in at the same place
    with Store.open(settings, PASSPHRASE) as back:
        assert [entry.id for entry in notes.list_notes(back, visit_id)] == saved
        assert back.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert audit.verify(back.conn).ok


def test_the_app_locks_with_a_message_and_unlocks_once_the_drive_is_back(
    disks: Disks, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    drive, kept, settings, visit_id = _drive_with_store(disks)
    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is not None
    notes.add_note(window.store, visit_id, "Saved before the pull")

    disks.lazy_unmount(drive)
    with pytest.raises(StoreUnreachable):
        notes.add_note(window.store, visit_id, "Typed after the pull")
    qtbot.waitUntil(lambda: window.store is None, timeout=5000)
    assert window.pages.currentWidget() is window.unlock_page
    assert "cannot be reached" in window.unlock_page.message.text()

    disks.bind(kept, "usb")
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is not None
    assert [entry.text for entry in notes.list_notes(window.store, visit_id)] == [
        "Saved before the pull"]
    window.lock()
