"""Files the user moved by hand: a store folder copied without its keyring secret, a key file
from another store, a read-only store folder. Each gets a message naming the cause (never
"wrong passphrase", never "damaged"), and nothing is changed."""

from __future__ import annotations

import shutil

import keyring
import pytest

from fieldkit import cases, keys
from fieldkit.errors import DeviceSecretMissing, KeyFileMismatch, StoreReadOnly
from fieldkit.settings import Settings
from fieldkit.store import KEY_NAME, Store
from tests.conftest import PASSPHRASE, Cli, file_hashes
from tests.reliability.conftest import Disks


def _settings(folder: object) -> Settings:
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def test_a_store_copied_without_its_keyring_secret_says_so(
    settings: Settings, keyring_service: None
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    copied = _settings(settings.data_dir.parent / "copied")
    shutil.copytree(settings.data_dir, copied.data_dir)
    # On the other laptop the keyring has never held this store's secret.
    user = keys.read_key_file(copied.data_dir / KEY_NAME).device_secret_user
    assert user is not None
    keyring.delete_password(keys.KEYRING_SERVICE, user)
    before = file_hashes(copied.data_dir)
    with pytest.raises(DeviceSecretMissing, match="copied from another computer"):
        Store.open(copied, PASSPHRASE)
    assert file_hashes(copied.data_dir) == before


def test_a_key_file_from_another_store_is_named(
    settings: Settings, keyring_service: None
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    other = _settings(settings.data_dir.parent / "other")
    Store.create(other, PASSPHRASE).lock()  # same passphrase, as an officer would reuse it
    shutil.copy(other.data_dir / KEY_NAME, settings.data_dir / KEY_NAME)
    before = file_hashes(settings.data_dir)
    with pytest.raises(KeyFileMismatch, match="belongs to another store"):
        Store.open(settings, PASSPHRASE)
    assert file_hashes(settings.data_dir) == before


def test_a_read_only_store_folder_is_named(disks: Disks, cli: Cli) -> None:
    drive = disks.tmpfs("usb", 8)
    settings = _settings(drive / "store")
    with Store.create(settings, PASSPHRASE) as made:
        case = cases.create_case(made, "Operation Readonly")
    disks.read_only(drive)
    with pytest.raises(StoreReadOnly, match="is read-only"):
        Store.open(settings, PASSPHRASE)
    run = Cli(settings.data_dir, cli.env)
    listed = run("case", "list")
    assert listed.code == 1 and "is read-only" in listed.err, listed.err
    assert "damaged" not in listed.err
    disks.read_only(drive, ro=False)
    with Store.open(settings, PASSPHRASE) as store:
        assert [found.id for found in cases.list_cases(store)] == [case.id]
