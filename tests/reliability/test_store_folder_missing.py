"""A fresh start with the store's drive not mounted, for real: the store lives on a tmpfs
mounted at the drive's place, which is unmounted (its empty mount point left behind, as a USB
drive not plugged in leaves it) and mounted again. The core, the command line and the app say
the folder cannot be found, never offer a new store over it, and unlock once it is back."""

from __future__ import annotations

import os

import pytest

from fieldkit.errors import StoreFolderMissing
from fieldkit.settings import Settings
from fieldkit.store import Store
from fieldkit.store_place import StorePlace, find_store
from tests.conftest import PASSPHRASE, Cli
from tests.reliability.conftest import Disks

WORDS = "cannot be found: is the drive plugged in?"


def test_a_store_on_a_drive_not_mounted_is_missing_until_it_is_back(
    disks: Disks, cli: Cli, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.main_window import MainWindow

    drive = disks.tmpfs("drive", 16)  # the drive's own file system
    usb = disks.bind(drive, "usb")  # where it is mounted when plugged in
    settings = Settings(data_dir=usb / "fieldkit", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    run = Cli(settings.data_dir, cli.env)
    run.ok("init")
    run.ok("case", "new", "--title", "Operation Driveway")

    disks.lazy_unmount(usb)  # unplugged: the mount point stays, empty
    assert usb.is_dir() and os.listdir(usb) == []
    assert find_store(settings) is StorePlace.MISSING
    listed = run("case", "list")
    assert listed.code == 1 and WORDS in listed.err, listed.err
    made = run("init")
    assert made.code == 1 and WORDS in made.err, made.err
    with pytest.raises(StoreFolderMissing):
        Store.create(settings, PASSPHRASE)
    assert os.listdir(usb) == []  # nothing was made on the disk under the mount point

    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    assert window.pages.currentWidget() is window.missing_page
    assert WORDS in window.missing_page.message.text()

    disks.bind(drive, "usb")  # plugged back in
    window.missing_page.retry_button.click()
    assert window.pages.currentWidget() is window.unlock_page
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is not None and window.store.is_open
    window.lock()
    assert "Operation Driveway" in run.ok("case", "list").out
