"""A store whose folder cannot be found (a drive not plugged in) is never taken for "no store
yet": it is named as missing, and no new, empty store is made in its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit import store_place
from fieldkit.errors import StoreFolderMissing, StoreMissing
from fieldkit.settings import Settings
from fieldkit.store import Store
from fieldkit.store_place import StorePlace, find_store
from tests.conftest import PASSPHRASE, Cli

MISSING = "cannot be found: is the drive plugged in?"


def _settings(folder: Path, state: Path) -> Settings:
    return Settings(data_dir=folder, state_dir=state, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def test_a_store_made_here_and_gone_is_missing_not_new(tmp_path: Path) -> None:
    drive = tmp_path / "usb"
    drive.mkdir()
    settings = _settings(drive / "fieldkit", tmp_path / "state")
    assert find_store(settings) is StorePlace.NONE_YET
    Store.create(settings, PASSPHRASE).lock()
    assert find_store(settings) is StorePlace.FOUND

    drive.rename(tmp_path / "unplugged")  # the drive is pulled out
    drive.mkdir()  # its mount point stays behind, empty
    assert find_store(settings) is StorePlace.MISSING
    with pytest.raises(StoreFolderMissing) as opening:
        Store.open(settings, PASSPHRASE)
    assert str(opening.value).startswith(
        f"The store's folder {settings.data_dir} cannot be found: is the drive plugged in?")
    with pytest.raises(StoreFolderMissing):
        Store.create(settings, PASSPHRASE)
    assert not settings.data_dir.exists()  # nothing made over it

    drive.rmdir()
    (tmp_path / "unplugged").rename(drive)  # plugged back in
    assert find_store(settings) is StorePlace.FOUND
    Store.open(settings, PASSPHRASE).lock()


def test_a_chosen_folder_on_a_drive_that_is_not_there_is_missing(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "media" / "usb" / "fieldkit", tmp_path / "state")
    assert find_store(settings) is StorePlace.MISSING  # never remembered, but its drive is gone
    with pytest.raises(StoreFolderMissing):
        Store.create(settings, PASSPHRASE)
    assert not (tmp_path / "media").exists()


def test_the_default_folder_on_a_new_computer_is_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-account" / "share"))
    settings = Settings(state_dir=tmp_path / "state", kdf_min_seconds=0.001,
                        kdf_memory_kib=8192)
    assert find_store(settings) is StorePlace.NONE_YET  # not even its parent exists yet
    with pytest.raises(StoreMissing) as opening:
        Store.open(settings, PASSPHRASE)
    assert not isinstance(opening.value, StoreFolderMissing)
    Store.create(settings, PASSPHRASE).lock()
    assert find_store(settings) is StorePlace.FOUND


def test_a_store_removed_on_purpose_can_be_forgotten(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "fieldkit", tmp_path / "state")
    Store.create(settings, PASSPHRASE).lock()
    for name in ("fieldkit.db", "fieldkit.key"):
        (settings.data_dir / name).unlink()
    assert find_store(settings) is StorePlace.MISSING
    store_place.forget(settings)
    assert find_store(settings) is StorePlace.NONE_YET


def test_starting_again_is_refused_while_the_folder_s_drive_is_not_there(
        tmp_path: Path) -> None:
    drive = tmp_path / "usb"
    drive.mkdir()
    (drive / "records").mkdir()
    settings = _settings(drive / "records" / "fieldkit", tmp_path / "state")
    Store.create(settings, PASSPHRASE).lock()
    drive.rename(tmp_path / "unplugged")  # the drive and its folders are not there at all
    with pytest.raises(StoreFolderMissing):
        store_place.start_again(settings)
    drive.mkdir()  # a mount point, empty: still missing, never forgotten by the refusal
    (drive / "records").mkdir()
    assert find_store(settings) is StorePlace.MISSING
    store_place.start_again(settings)  # the officer says it was removed on purpose
    assert find_store(settings) is StorePlace.NONE_YET
    Store.create(settings, PASSPHRASE).lock()
    assert find_store(settings) is StorePlace.FOUND


def test_the_command_line_says_the_folder_cannot_be_found(tmp_path: Path, cli: Cli) -> None:
    cli.ok("init")
    cli.data_dir.rename(tmp_path / "elsewhere")
    listed = cli("case", "list")
    assert listed.code == 1 and MISSING in listed.err, listed.err
    made = cli("init")
    assert made.code == 1 and MISSING in made.err, made.err
    assert not cli.data_dir.exists()
    made = cli.ok("init", "--store-was-removed")  # the officer says it was removed on purpose
    assert "Created an encrypted store" in made.out
    assert cli.ok("case", "list").code == 0 and (cli.data_dir / "fieldkit.db").exists()
