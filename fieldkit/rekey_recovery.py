"""How a re-key cut short is settled at the next unlock (see :mod:`fieldkit.rekey` for the
commit protocol): whichever key actually reads the database wins; the re-key is finished or
rolled back. Kept apart from the re-key itself so the store can call it without importing it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from fieldkit import keys, storelock
from fieldkit.atomicfile import fsync_dir
from fieldkit.errors import FieldkitError, RekeyUnfinished, StoreCorrupt
from fieldkit.pages import seal_pages_with
from fieldkit.storefiles import (
    BACKUP_DIR,
    DB_NAME,
    KEY_NAME,
    NEW_KEY_NAMES,
    REKEYED_SUFFIX,
    new_key_name,
)


def unwrap_settled(
    folder: Path, passphrase: str, opens: Callable[[keys.Unwrapped], bool]
) -> keys.Unwrapped:
    """Unwrap the store's key, first settling a re-key that was cut short (see the module)."""
    new_path = pending_key_file(folder)
    if new_path is None:
        return keys.unwrap(folder / KEY_NAME, passphrase)
    storelock.acquire(folder)  # nobody else may be mid-way through this re-key
    try:
        return _settle(folder, new_path, passphrase, opens)
    finally:
        storelock.release(folder)


def pending_key_file(folder: Path) -> Path | None:
    """The new key file of a re-key not yet settled, if there is one."""
    for name in NEW_KEY_NAMES:
        if (folder / name).exists():
            return folder / name
    return None


def _settle(
    folder: Path, new_path: Path, passphrase: str, opens: Callable[[keys.Unwrapped], bool]
) -> keys.Unwrapped:
    try:
        new_file = keys.read_key_file(new_path)
    except StoreCorrupt:
        # Written atomically, so never expected (or written by a newer fieldkit). Rolled back
        # only once the old key is seen to open the database: if the database was already
        # re-keyed, this file holds the only key that opens it, and it stays.
        current = keys.unwrap(folder / KEY_NAME, passphrase)
        if opens(current):
            roll_back(folder)
            return current
        raise
    old_user = keys.read_key_file(folder / KEY_NAME).device_secret_user
    new, _ = _try_unwrap(new_path, passphrase)
    if new is not None and opens(new):
        finish(folder, new,
               old_user if old_user != new_file.device_secret_user else None)
        return new
    old, old_error = _try_unwrap(folder / KEY_NAME, passphrase)
    if old is not None and opens(old):
        roll_back(folder)
        return old
    if old is not None:
        raise RekeyUnfinished("new")
    if new is not None:
        raise RekeyUnfinished("old")
    assert old_error is not None
    raise old_error


def _try_unwrap(path: Path, passphrase: str) -> tuple[keys.Unwrapped | None, Exception | None]:
    try:
        return keys.unwrap(path, passphrase), None
    except FieldkitError as error:
        return None, error


def backups(folder: Path) -> list[Path]:
    backups = folder / BACKUP_DIR
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.glob("*.db") if p.is_file())


def connect(path: Path, unwrapped: keys.Unwrapped) -> Any:
    """A connection to the store's database or a backup of it, keyed and its pages sealed as
    the key file says (``fieldkit.pages``)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{unwrapped.key.hex()}'\"")
    seal_pages_with(conn, unwrapped.page_hmac)
    return conn


def reads(folder: Path, unwrapped: keys.Unwrapped) -> bool:
    return _file_reads(folder / DB_NAME, unwrapped)


def _file_reads(path: Path, unwrapped: keys.Unwrapped) -> bool:
    conn = connect(path, unwrapped)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def finish(folder: Path, new_key: keys.Unwrapped, old_user: str | None) -> None:
    """Step 4: the database already uses the new key; make every file agree with it.

    ``fieldkit.key.new`` replaces the key file last: until then the next unlock finds it and
    runs this again, so a kill at any moment here leaves nothing half-done. Each backup
    either has its re-encrypted copy moved over it, is already under the new key (moved by
    an earlier run of this, cut short) and is kept, or is under a revoked key and removed."""
    for backup in backups(folder):
        rekeyed = backup.with_name(backup.name + REKEYED_SUFFIX)
        if rekeyed.exists():
            os.replace(rekeyed, backup)
        elif not _file_reads(backup, new_key):
            backup.unlink()  # under a key this re-key revokes
    if (folder / BACKUP_DIR).is_dir():
        fsync_dir(folder / BACKUP_DIR)
    clear_leftovers(folder)
    pending = pending_key_file(folder) or folder / new_key_name(new_key.page_hmac)
    os.replace(pending, folder / KEY_NAME)
    fsync_dir(folder)
    keys.forget_device_secret(old_user)


def roll_back(folder: Path) -> None:
    """The database still uses the old key: remove every trace of the new one."""
    new_paths = [folder / name for name in NEW_KEY_NAMES]
    for new_path in new_paths:
        with contextlib.suppress(StoreCorrupt, FileNotFoundError):
            new_user = keys.read_key_file(new_path).device_secret_user
            old_user = keys.read_key_file(folder / KEY_NAME).device_secret_user
            if new_user != old_user:
                keys.forget_device_secret(new_user)
    clear_leftovers(folder)  # before the marker goes, so a kill here is settled again
    for new_path in new_paths:
        with contextlib.suppress(FileNotFoundError):
            new_path.unlink()
    fsync_dir(folder)


def clear_leftovers(folder: Path) -> None:
    """Remove half-made files of an earlier attempt (temp copies, unused re-encryptions)."""
    backups = folder / BACKUP_DIR
    for pattern_folder in (folder, backups):
        if not pattern_folder.is_dir():
            continue
        for leftover in pattern_folder.glob(".tmp-*.part"):
            leftover.unlink()
        for leftover in pattern_folder.glob("*.part-journal"):
            leftover.unlink()
    if backups.is_dir():
        for rekeyed in backups.glob("*" + REKEYED_SUFFIX):
            rekeyed.unlink()
