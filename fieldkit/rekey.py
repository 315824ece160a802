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
4. Commit: re-encrypted backups replace the old ones; then ``fieldkit.key.new`` replaces
   ``fieldkit.key`` (the last step, so a kill before it is finished at the next unlock); the
   old device secret is removed.

Opening a store that still has ``fieldkit.key.new`` settles it first: whichever key actually
reads the database wins; the re-key is finished (steps 4) or rolled back (the new files and the
new secret removed). The passphrase typed decides nothing on its own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from fieldkit import keys
from fieldkit import rekey_recovery as recovery
from fieldkit.atomicfile import fsync_dir
from fieldkit.errors import RekeyUnfinished
from fieldkit.settings import Settings
from fieldkit.store import KEY_NAME, Store
from fieldkit.storefiles import REKEYED_SUFFIX, new_key_name

__all__ = ["REKEYED_SUFFIX", "PreparedRekey", "apply_rekey",
           "change_passphrase_only", "prepare_rekey", "record_passphrase_change", "rekey",
           "rewrap_key_file"]


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
    if recovery.pending_key_file(folder) is not None:
        # An attempt in this session stopped part-way; only an unlock can tell which key the
        # database now uses, so it settles there (lock, then unlock), never guessed here.
        raise RekeyUnfinished("old or new")
    recovery.clear_leftovers(folder)
    new = keys.new_key_file(
        folder / new_key_name(old.page_hmac), new_passphrase, old_file.store_id,
        min_seconds=settings.kdf_min_seconds, memory_kib=settings.kdf_memory_kib,
        page_hmac=old.page_hmac,  # the pages stay sealed as they are; only the key changes
    )
    try:
        for backup in recovery.backups(folder):
            _reencrypt_backup(backup, old, new)
    except BaseException:
        recovery.roll_back(folder)
        raise
    return PreparedRekey(folder, new, old_file.device_secret_user)


def apply_rekey(store: Store, prepared: PreparedRekey) -> keys.Unwrapped:
    """Steps 3 and 4 on the thread owning the store's connection; durable and audited when it
    returns. Returns the new key (for a background connection opened afterwards)."""
    folder = prepared.folder
    with store.transaction():
        pass  # audit events waiting for room go into the chain under the old key first
    try:
        store.check_reachable()
        conn = store.conn
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # not kept in the statement cache (as the key at open, store._connect)
        conn.executescript(f"PRAGMA rekey = \"x'{prepared.new_key.key.hex()}'\";")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if not recovery.reads(folder, prepared.new_key):
            recovery.roll_back(folder)
        raise
    recovery.finish(folder, prepared.new_key, prepared.old_device_user)
    store.key_changed(prepared.new_key)
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


def _reencrypt_backup(backup: Path, old_key: keys.Unwrapped, new_key: keys.Unwrapped) -> None:
    """Write ``<backup>.rekeyed``: the same backup under the new key (never touching it)."""
    fd, part = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=backup.parent)
    try:
        with os.fdopen(fd, "wb") as handle, open(backup, "rb") as source:
            shutil.copyfileobj(source, handle)
        conn = recovery.connect(Path(part), old_key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            os.unlink(part)
            return  # not readable with the current key: removed when the re-key commits
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute(f"PRAGMA rekey = \"x'{new_key.key.hex()}'\"")
        conn.close()
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(part, backup.with_name(backup.name + REKEYED_SUFFIX))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)
        raise
    fsync_dir(backup.parent)


