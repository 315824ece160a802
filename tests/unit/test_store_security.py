"""Opening the store: wrong passphrase, missing device secret, corrupt or foreign files, a newer
schema. Each gives its clear error and leaves every file byte-for-byte as it was."""

from __future__ import annotations

import json

import keyring
import pytest

from fieldkit import cases, keys, migrations
from fieldkit.errors import (
    DeviceSecretMissing,
    KeyringUnavailable,
    StoreCorrupt,
    StoreExists,
    StoreMissing,
    StoreTooNew,
    WrongPassphrase,
)
from fieldkit.keyfile import KdfParams
from fieldkit.settings import Settings
from fieldkit.store import DB_NAME, KEY_NAME, Store
from tests.conftest import PASSPHRASE, file_hashes


@pytest.fixture
def closed_store(settings: Settings) -> Settings:
    """A store with one case in it, locked again."""
    with Store.create(settings, PASSPHRASE) as store:
        cases.create_case(store, "Operation Closed")
    return settings


def test_wrong_passphrase_is_refused_and_changes_nothing(closed_store: Settings) -> None:
    before = file_hashes(closed_store.data_dir)
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        Store.open(closed_store, "not the passphrase")
    assert file_hashes(closed_store.data_dir) == before


def test_corrupt_header_names_the_file_and_changes_nothing(closed_store: Settings) -> None:
    db = closed_store.data_dir / DB_NAME
    data = bytearray(db.read_bytes())
    data[0:16] = bytes(16)  # SQLCipher keeps the salt in the first 16 bytes
    db.write_bytes(bytes(data))
    before = file_hashes(closed_store.data_dir)
    with pytest.raises(StoreCorrupt, match=str(db)):
        Store.open(closed_store, PASSPHRASE)
    assert file_hashes(closed_store.data_dir) == before


def test_a_foreign_database_file_is_named_and_left_alone(closed_store: Settings) -> None:
    db = closed_store.data_dir / DB_NAME
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)
    before = file_hashes(closed_store.data_dir)
    with pytest.raises(StoreCorrupt, match=r"fieldkit\.db"):
        Store.open(closed_store, PASSPHRASE)
    assert file_hashes(closed_store.data_dir) == before


def test_a_damaged_key_file_is_named(closed_store: Settings) -> None:
    key_file = closed_store.data_dir / KEY_NAME
    key_file.write_text("{ not json")
    with pytest.raises(StoreCorrupt, match=r"fieldkit\.key"):
        Store.open(closed_store, PASSPHRASE)


def test_tampered_kdf_parameters_do_not_unlock(closed_store: Settings) -> None:
    key_file = closed_store.data_dir / KEY_NAME
    doc = json.loads(key_file.read_text())
    doc["kdf"]["iterations"] += 1
    key_file.write_text(json.dumps(doc))
    with pytest.raises(WrongPassphrase):
        Store.open(closed_store, PASSPHRASE)


def test_a_store_from_a_newer_fieldkit_is_refused_unchanged(closed_store: Settings) -> None:
    store = Store.open(closed_store, PASSPHRASE)
    store.conn.execute(f"PRAGMA user_version = {migrations.CURRENT + 1}")
    store.lock()
    before = file_hashes(closed_store.data_dir)
    with pytest.raises(StoreTooNew, match="newer version of fieldkit"):
        Store.open(closed_store, PASSPHRASE)
    assert file_hashes(closed_store.data_dir) == before


def test_missing_store_and_existing_store(settings: Settings) -> None:
    with pytest.raises(StoreMissing, match="fieldkit init"):
        Store.open(settings, PASSPHRASE)
    Store.create(settings, PASSPHRASE).lock()
    with pytest.raises(StoreExists):
        Store.create(settings, PASSPHRASE)


def test_changing_the_passphrase_rewraps_without_reencrypting(closed_store: Settings) -> None:
    db_before = (closed_store.data_dir / DB_NAME).read_bytes()
    keys.rewrap(closed_store.data_dir / KEY_NAME, PASSPHRASE, "a brand new passphrase",
                min_seconds=0.001, memory_kib=8192)
    assert (closed_store.data_dir / DB_NAME).read_bytes() == db_before
    with pytest.raises(WrongPassphrase):
        Store.open(closed_store, PASSPHRASE)
    with Store.open(closed_store, "a brand new passphrase") as store:
        assert cases.list_cases(store)[0].title == "Operation Closed"


def test_without_a_keyring_the_passphrase_alone_protects_the_key(
    no_keyring: None, settings: Settings
) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        assert not store.uses_device_secret
    doc = json.loads((settings.data_dir / KEY_NAME).read_text())
    assert doc["device_secret_user"] is None
    assert "wrapped_key" in doc and PASSPHRASE not in json.dumps(doc)
    with Store.open(settings, PASSPHRASE) as store:
        assert not store.uses_device_secret


def test_a_keyring_store_on_a_machine_without_keyring_says_so(
    settings: Settings, keyring_service: None
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        before = file_hashes(settings.data_dir)
        with pytest.raises(KeyringUnavailable, match="keyring"):
            Store.open(settings, PASSPHRASE)
        assert file_hashes(settings.data_dir) == before
    finally:
        keyring.set_keyring(previous)


def test_default_key_derivation_is_calibrated_to_at_least_a_quarter_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A security floor, not a speed goal: guessing offline must cost at least this much per try.
    # What calibration promises is checked on its own measurement of the parameters it returns
    # (timing the derivation again afterwards failed when the machine was less busy than
    # during calibration).
    measured: list[tuple[object, float]] = []
    timed = keys._timed

    def watched(params: KdfParams) -> float:
        took = timed(params)
        measured.append((params, took))
        return took

    monkeypatch.setattr(keys, "_timed", watched)
    params = keys.calibrate(0.25, Settings().kdf_memory_kib)
    chosen, took = measured[-1]
    assert chosen == params and (took >= 0.25 or params.iterations >= 64)
    assert params.memory_kib >= 64 * 1024 and params.calibrated_seconds == 0.25


def test_missing_device_secret_is_a_clear_error_not_a_new_store(
    settings: Settings, keyring_service: None
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    doc = json.loads((settings.data_dir / KEY_NAME).read_text())
    keyring.delete_password(keys.KEYRING_SERVICE, doc["device_secret_user"])
    before = file_hashes(settings.data_dir)
    with pytest.raises(DeviceSecretMissing, match="no longer holds"):
        Store.open(settings, PASSPHRASE)
    assert file_hashes(settings.data_dir) == before
