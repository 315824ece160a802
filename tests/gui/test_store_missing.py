"""The app started while its store's folder cannot be found (a drive not plugged in): it says
so with Retry, never offers first run, and unlocks once the drive is back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


def test_a_missing_store_folder_asks_for_the_drive_and_retry_finds_it(
    qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    drive = tmp_path / "usb"
    drive.mkdir()
    settings = Settings(data_dir=drive / "fieldkit", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    Store.create(settings, PASSPHRASE, officer="Officer Test").lock()
    drive.rename(tmp_path / "unplugged")
    drive.mkdir()

    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    assert window.pages.currentWidget() is window.missing_page
    assert window.missing_page.message.text().startswith(
        f"The store's folder {settings.data_dir} cannot be found: is the drive plugged in?")
    qtbot.keyClick(window.missing_page.retry_button, Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.missing_page  # still not there
    assert not settings.data_dir.exists()  # and no new store was made

    drive.rmdir()
    (tmp_path / "unplugged").rename(drive)  # plugged back in
    qtbot.keyClick(window.missing_page.retry_button, Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.unlock_page
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is not None and window.store.is_open
    window.lock()
