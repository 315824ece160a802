"""The full re-key and how an interrupted one settles. The interrupted states are built with the
re-key's own steps, stopped where a crash could stop them (the kill tests in
tests/reliability/test_cut_short.py hit them at random)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fieldkit import audit, cases, keys, rekey, rekey_recovery
from fieldkit.errors import RekeyUnfinished, StoreCorrupt, WrongPassphrase
from fieldkit.settings import Settings
from fieldkit.store import BACKUP_DIR, KEY_NAME, Store
from fieldkit.storefiles import new_key_name
from tests.conftest import PASSPHRASE, REPO
from tests.fixtures.make_store_v1 import FIXTURE_PASSPHRASE

NEW = "a brand new passphrase"


def _interrupted(settings: Settings, *, database_rekeyed: bool) -> str:
    """A store whose re-key stopped after writing the new key file, before or after the
    database itself was re-keyed. Returns a case id to find afterwards."""
    store = Store.create(settings, PASSPHRASE)
    case = cases.create_case(store, "Operation Halfway")
    key_file = keys.read_key_file(settings.data_dir / KEY_NAME)
    new = keys.new_key_file(settings.data_dir / new_key_name(key_file.page_hmac), NEW,
                            key_file.store_id,
                            min_seconds=0.001, memory_kib=8192, page_hmac=key_file.page_hmac)
    if database_rekeyed:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute(f"PRAGMA rekey = \"x'{new.key.hex()}'\"")
    store.lock()
    return case.id


def test_a_full_rekey_changes_the_key_and_is_audited(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        old_key = keys.unwrap(settings.data_dir / KEY_NAME, PASSPHRASE).key
        rekey.rekey(store, settings, PASSPHRASE, NEW)
        assert audit.verify(store.conn).ok
        last = store.conn.execute("SELECT action FROM audit_events ORDER BY seq DESC").fetchone()
        assert last[0] == "store.rekey"
    assert keys.unwrap(settings.data_dir / KEY_NAME, NEW).key != old_key
    with pytest.raises(WrongPassphrase):
        Store.open(settings, PASSPHRASE)
    Store.open(settings, NEW).lock()


def test_a_rekey_needs_the_old_passphrase(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store, pytest.raises(WrongPassphrase):
        rekey.rekey(store, settings, "not the passphrase", NEW)
    assert rekey_recovery.pending_key_file(settings.data_dir) is None


def test_stopped_before_the_database_changed_the_old_passphrase_rolls_it_back(
    settings: Settings,
) -> None:
    case_id = _interrupted(settings, database_rekeyed=False)
    with pytest.raises(RekeyUnfinished, match="with your old passphrase"):
        Store.open(settings, NEW)
    with Store.open(settings, PASSPHRASE) as store:
        assert cases.get_case(store, case_id).title == "Operation Halfway"
    assert rekey_recovery.pending_key_file(settings.data_dir) is None
    with pytest.raises(WrongPassphrase):
        Store.open(settings, NEW)


def test_stopped_after_the_database_changed_the_new_passphrase_finishes_it(
    settings: Settings,
) -> None:
    case_id = _interrupted(settings, database_rekeyed=True)
    with pytest.raises(RekeyUnfinished, match="with your new passphrase"):
        Store.open(settings, PASSPHRASE)
    with Store.open(settings, NEW) as store:
        assert cases.get_case(store, case_id).title == "Operation Halfway"
    assert rekey_recovery.pending_key_file(settings.data_dir) is None
    with pytest.raises(WrongPassphrase):
        Store.open(settings, PASSPHRASE)


class _Stopped(BaseException):
    """The process stopping at a file move (no clean-up code runs after a BaseException
    in the commit step, as after a kill)."""


@pytest.mark.parametrize("moves_before_stop", [0, 1, 2, 3])
def test_a_rekey_stopped_at_any_file_move_of_its_commit_is_finished_at_the_next_unlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moves_before_stop: int,
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(REPO / "tests" / "fixtures" / "store-v1", folder)
    settings = Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    store = Store.open(settings, FIXTURE_PASSPHRASE)  # upgrading it leaves a backup
    (first,) = sorted((folder / BACKUP_DIR).glob("*.db"))
    shutil.copy(first, first.with_name("fieldkit-schema1-2025-01-01T000000.000000Z.db"))
    prepared = rekey.prepare_rekey(settings, FIXTURE_PASSPHRASE, NEW)
    real_replace, moves = os.replace, list[Any]()

    def replace(source: Any, target: Any) -> None:
        if len(moves) == moves_before_stop:
            raise _Stopped
        moves.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    try:
        rekey.apply_rekey(store, prepared)
    except _Stopped:
        pass
    finally:
        monkeypatch.undo()
        store.lock()
    assert len(moves) == min(moves_before_stop, 3)  # two backups, then the key file
    Store.open(settings, NEW).lock()
    with pytest.raises(WrongPassphrase):
        Store.open(settings, FIXTURE_PASSPHRASE)
    assert rekey_recovery.pending_key_file(folder) is None
    assert not list((folder / BACKUP_DIR).glob("*" + rekey.REKEYED_SUFFIX))
    new_key = keys.unwrap(folder / KEY_NAME, NEW).key
    backups = sorted((folder / BACKUP_DIR).glob("*.db"))
    assert len(backups) == 2
    for backup in backups:  # every backup kept, and under the new key only
        conn = sqlcipher3.connect(str(backup))
        conn.execute(f"PRAGMA key = \"x'{new_key.hex()}'\"")
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        conn.close()


def test_a_new_key_file_it_cannot_read_is_never_rolled_back_over_a_rekeyed_database(
    settings: Settings,
) -> None:
    # A re-key cut short after the database was re-keyed, its new key file then unreadable
    # here (as a newer fieldkit's file would be): the only key that opens the database is in
    # it, so nothing is removed; once it reads again, the new passphrase settles the re-key.
    case_id = _interrupted(settings, database_rekeyed=True)
    pending = rekey_recovery.pending_key_file(settings.data_dir)
    assert pending is not None and pending.name == new_key_name(
        keys.read_key_file(settings.data_dir / KEY_NAME).page_hmac)
    written = pending.read_bytes()
    pending.write_bytes(written.replace(b'"format": 2', b'"format": 3'))
    with pytest.raises(StoreCorrupt, match="unknown key file format 3"):
        Store.open(settings, PASSPHRASE)
    assert pending.exists()
    pending.write_bytes(written)
    with Store.open(settings, NEW) as store:
        assert cases.get_case(store, case_id).title == "Operation Halfway"
    assert rekey_recovery.pending_key_file(settings.data_dir) is None
