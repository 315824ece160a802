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


def test_records_removed_on_purpose_start_again_after_a_warning(
    qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    settings = Settings(data_dir=tmp_path / "fieldkit", state_dir=tmp_path / "state",
                        kdf_min_seconds=0.001, kdf_memory_kib=8192)
    Store.create(settings, PASSPHRASE, officer="Officer Test").lock()
    for name in ("fieldkit.db", "fieldkit.key"):  # the laptop was wiped on purpose
        (settings.data_dir / name).unlink()

    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.missing_page
    assert window.pages.currentWidget() is page
    assert not page.warning.isVisible() and not page.start_again_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # removed on purpose?
    qtbot.waitUntil(page.warning.isVisible)  # a mnemonic clicks shortly after
    assert page.warning.isVisible() and page.start_again_button.isVisible()
    assert "do not start again" in page.warning.text()
    assert page.retry_button.hasFocus()  # the safe choice stays under the keyboard
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # start again
    first_run = window.first_run
    qtbot.waitUntil(lambda: window.pages.currentWidget() is first_run)
    assert first_run.replacing_notice.isVisible()
    assert str(settings.data_dir) in first_run.replacing_notice.text()
    assert first_run.name.hasFocus()
    qtbot.keyClicks(first_run.name, "Officer Second")
    first_run.passphrase.setFocus()
    qtbot.keyClicks(first_run.passphrase, PASSPHRASE)
    first_run.repeat.setFocus()
    qtbot.keyClicks(first_run.repeat, PASSPHRASE)
    qtbot.keyClick(first_run.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.store is not None, timeout=60_000)
    assert window.store is not None and window.store.is_open
    window.lock()
    assert window.pages.currentWidget() is window.unlock_page  # the new store is the store
