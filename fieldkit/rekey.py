"""Changing the passphrase: a full re-key (the default) or a passphrase-only change.

A full re-key revokes the old passphrase and every copy of the old key file: the database gets
a new random key (``PRAGMA rekey``), the keyring a new device secret, and the migration backups
are re-encrypted under the new key. A passphrase-only change (:func:`change_passphrase_only`)
re-wraps the same database key: it protects against someone who learns the old passphrase
later, but not against anyone who kept a copy of the old key file, who can still open the
database, including everything written after the change.

The commit protocol survives a kill at any moment:

1. ``fieldkit.key.new`` is written beside the key file (fsync, rename), wrapping the new key
   under the new passphrase and a new device secret (the old secret stays in the keyring).
2. Each backup is re-encrypted into ``<backup>.rekeyed`` (copy, rekey, fsync, rename).
3. The database is re-keyed in one SQLite transaction (all or nothing) and checkpointed.
4. Commit: ``fieldkit.key.new`` replaces ``fieldkit.key``; re-encrypted backups replace the old
   ones; the old device secret is removed.

Opening a store that still has ``fieldkit.key.new`` settles it first: whichever key actually
reads the database wins; the re-key is finished (steps 4) or rolled back (the new files and the
new secret removed). The passphrase typed decides nothing on its own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from fieldkit import keys, storelock
from fieldkit.atomicfile import fsync_dir
from fieldkit.errors import FieldkitError, RekeyUnfinished, StoreCorrupt
from fieldkit.settings import Settings
from fieldkit.store import BACKUP_DIR, DB_NAME, KEY_NAME, Store

NEW_KEY_NAME = "fieldkit.key.new"
REKEYED_SUFFIX = ".rekeyed"


@dataclass(frozen=True)
class PreparedRekey:
    """Steps 1 and 2 done (new key file and re-encrypted backups beside the old ones)."""

    folder: Path
    new_key: keys.Unwrapped
    old_device_user: str | None


def prepare_rekey(settings: Settings, old_passphrase: str, new_passphrase: str) -> PreparedRekey:
    """Steps 1 and 2, the slow part (key derivations, backups): safe on a worker thread, as it
    never touches the open store's connection. Proves the old passphrase first."""
    folder = settings.data_dir
    old_file = keys.read_key_file(folder / KEY_NAME)
    old = keys.unwrap(folder / KEY_NAME, old_passphrase)
    if (folder / NEW_KEY_NAME).exists():
        # An attempt in this session stopped part-way; only an unlock can tell which key the
        # database now uses, so it settles there (lock, then unlock), never guessed here.
        raise RekeyUnfinished("old or new")
    _clear_leftovers(folder)
    new = keys.new_key_file(
        folder / NEW_KEY_NAME, new_passphrase, old_file.store_id,
        min_seconds=settings.kdf_min_seconds, memory_kib=settings.kdf_memory_kib,
    )
    try:
        for backup in _backups(folder):
            _reencrypt_backup(backup, old.key, new.key)
    except BaseException:
        _roll_back(folder)
        raise
    return PreparedRekey(folder, new, old_file.device_secret_user)


def apply_rekey(store: Store, prepared: PreparedRekey) -> keys.Unwrapped:
    """Steps 3 and 4 on the thread owning the store's connection; durable and audited when it
    returns. Returns the new key (for a background connection opened afterwards)."""
    folder = prepared.folder
    try:
        store.check_reachable()
        conn = store.conn
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = \"x'{prepared.new_key.key.hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if not _reads(folder, prepared.new_key.key):
            _roll_back(folder)
        raise
    _finish(folder, prepared.old_device_user)
    store.uses_device_secret = prepared.new_key.uses_device_secret
    with store.transaction():
        store.audit("store.rekey")
    return prepared.new_key


def rekey(
    store: Store, settings: Settings, old_passphrase: str, new_passphrase: str
) -> keys.Unwrapped:
    """Full re-key of an unlocked store (both halves on this thread); see the module.

    Any other connection to this store (the app's sync worker) must be closed first and
    reopened afterwards with the returned key.
    """
    return apply_rekey(store, prepare_rekey(settings, old_passphrase, new_passphrase))


def change_passphrase_only(
    store: Store, settings: Settings, old_passphrase: str, new_passphrase: str
) -> None:
    """Re-wrap the same database key under a new passphrase (see the module's note on limits)."""
    rewrap_key_file(settings, old_passphrase, new_passphrase)
    record_passphrase_change(store)


def rewrap_key_file(settings: Settings, old_passphrase: str, new_passphrase: str) -> None:
    """The slow half of a passphrase-only change (safe on a worker thread)."""
    keys.rewrap(
        settings.data_dir / KEY_NAME, old_passphrase, new_passphrase,
        min_seconds=settings.kdf_min_seconds, memory_kib=settings.kdf_memory_kib,
    )


def record_passphrase_change(store: Store) -> None:
    """Audit a passphrase-only change (on the thread owning the store's connection)."""
    with store.transaction():
        store.audit("store.passphrase_change")


def unwrap_settled(
    folder: Path, passphrase: str, opens: Callable[[bytes], bool]
) -> keys.Unwrapped:
    """Unwrap the store's key, first settling a re-key that was cut short (see the module)."""
    new_path = folder / NEW_KEY_NAME
    if not new_path.exists():
        return keys.unwrap(folder / KEY_NAME, passphrase)
    storelock.acquire(folder)  # nobody else may be mid-way through this re-key
    try:
        return _settle(folder, passphrase, opens)
    finally:
        storelock.release(folder)


def _settle(folder: Path, passphrase: str, opens: Callable[[bytes], bool]) -> keys.Unwrapped:
    try:
        new_file = keys.read_key_file(folder / NEW_KEY_NAME)
    except StoreCorrupt:
        _roll_back(folder)  # written atomically, so never expected: treat as never written
        return keys.unwrap(folder / KEY_NAME, passphrase)
    old_user = keys.read_key_file(folder / KEY_NAME).device_secret_user
    new, _ = _try_unwrap(folder / NEW_KEY_NAME, passphrase)
    if new is not None and opens(new.key):
        _finish(folder, old_user if old_user != new_file.device_secret_user else None)
        return new
    old, old_error = _try_unwrap(folder / KEY_NAME, passphrase)
    if old is not None and opens(old.key):
        _roll_back(folder)
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


def _backups(folder: Path) -> list[Path]:
    backups = folder / BACKUP_DIR
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.glob("*.db") if p.is_file())


def _reencrypt_backup(backup: Path, old_key: bytes, new_key: bytes) -> None:
    """Write ``<backup>.rekeyed``: the same backup under the new key (never touching it)."""
    fd, part = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=backup.parent)
    try:
        with os.fdopen(fd, "wb") as handle, open(backup, "rb") as source:
            shutil.copyfileobj(source, handle)
        conn = _connect(Path(part), old_key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            os.unlink(part)
            return  # not readable with the current key: removed when the re-key commits
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        conn.close()
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(part, backup.with_name(backup.name + REKEYED_SUFFIX))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)
        raise
    fsync_dir(backup.parent)


def _connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _reads(folder: Path, key: bytes) -> bool:
    conn = _connect(folder / DB_NAME, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _finish(folder: Path, old_user: str | None) -> None:
    """Step 4: the database already uses the new key; make every file agree with it."""
    os.replace(folder / NEW_KEY_NAME, folder / KEY_NAME)
    fsync_dir(folder)
    for backup in _backups(folder):
        rekeyed = backup.with_name(backup.name + REKEYED_SUFFIX)
        if rekeyed.exists():
            os.replace(rekeyed, backup)
        else:
            backup.unlink()  # under a key this re-key revokes
    if (folder / BACKUP_DIR).is_dir():
        fsync_dir(folder / BACKUP_DIR)
    _clear_leftovers(folder)
    keys.forget_device_secret(old_user)


def _roll_back(folder: Path) -> None:
    """The database still uses the old key: remove every trace of the new one."""
    new_path = folder / NEW_KEY_NAME
    with contextlib.suppress(StoreCorrupt, FileNotFoundError):
        new_user = keys.read_key_file(new_path).device_secret_user
        old_user = keys.read_key_file(folder / KEY_NAME).device_secret_user
        if new_user != old_user:
            keys.forget_device_secret(new_user)
    with contextlib.suppress(FileNotFoundError):
        new_path.unlink()
    fsync_dir(folder)
    _clear_leftovers(folder)


def _clear_leftovers(folder: Path) -> None:
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
