"""The encrypted store: one SQLCipher 4 database per data folder, opened with a raw 32-byte key.

One long-lived connection, owned by the thread that opened it (sqlite's own check enforces it).
WAL with ``synchronous=FULL``: a commit has reached the disk before it returns, so every save
that is acknowledged survives a crash or a killed process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from fieldkit import (
    audit,
    disk,
    keys,
    migrations,
    rekey_recovery,
    store_place,
    storelock,
    unlock_attempts,
)
from fieldkit.atomicfile import fsync_dir, make_private_dir
from fieldkit.audit_waiting import WaitingEvents
from fieldkit.clock import stamp
from fieldkit.errors import (
    DiskFull,
    FieldkitError,
    KeyFileMismatch,
    StoreCorrupt,
    StoreExists,
    StoreLocked,
    StoreTooNew,
    StoreUnreachable,
    UnlockDelayed,
    WrongPassphrase,
)
from fieldkit.events import STORE_LOCKED, STORE_UNLOCKED, STORE_UNREACHABLE, hub
from fieldkit.pages import seal_pages_with
from fieldkit.settings import Settings
from fieldkit.storefiles import BACKUP_DIR, DB_NAME, KEY_NAME

__all__ = ["BACKUP_DIR", "DB_NAME", "KEY_NAME", "NO_KEYRING_WARNING", "Store", "store_exists"]

PAGE_CACHE_KIB = 64 * 1024
"""SQLCipher decrypts every page it reads from the file: a page cache that holds the search
index's working set (100,000 entries: about 40 MB) keeps searches from decrypting it again.
It is an upper bound, filled only by pages actually read (bench search_100k: p50 177 -> 44 ms
at load 8; see bench/README.md)."""

STATEMENT_CACHE = 1024
"""Prepared statements the connection keeps. sqlcipher3's cache (the binding's own, not
SQLite's) is least-frequently-used and, once full, evicts the statement it added last: every
statement first run after that is compiled again at every call, however often it runs. Its
default of 100 was full after the migrations alone (some 300 statements), so each note append
compiled all six of its statements again: about a third of the engine's work per append (bench
store_append, see bench/README.md). fieldkit runs a few hundred distinct statements in all, so
this leaves room to spare; a statement costs a few KiB kept."""

SPACE_RECHECK_SECONDS = 1.0
SPACE_RECHECK_MARGIN = 1_000_000_000
"""While the disk has more than this above the low-space threshold, saves ask it for its free
space (``statvfs``, which right after a commit's fsync costs some 25 us of a note's 600: bench
``store_append``, ``bench/README.md`` "Stop 28") at most once every
:data:`SPACE_RECHECK_SECONDS`: no burst of saves writes a gigabyte in a second. Nearer the
threshold, after every save. A save that finds the disk full is refused whole whatever this
says (``fieldkit.disk``)."""

NO_KEYRING_WARNING = (
    "No system keyring is available: this store is protected by the passphrase alone. "
    "Use a long passphrase, or start a keyring (Secret Service) and create the store again."
)


def store_exists(folder: Path) -> bool:
    """True when ``folder`` holds a store (its key file or its database)."""
    return store_place.store_in(folder)


class Store:
    """An unlocked store. Create with :meth:`create` or :meth:`open`; close with :meth:`lock`."""

    def __init__(self, folder: Path, conn: Any, uses_device_secret: bool) -> None:
        self.folder = folder
        self._conn: Any = conn
        self._depth = 0
        self.uses_device_secret = uses_device_secret
        self.actor = self.meta("officer") or "officer"
        self._db_path = folder / DB_NAME
        self._identity = _file_identity(self._db_path)
        self._holds_folder = False
        self._sealed_schema: bool | None = None
        self.waiting = WaitingEvents.in_memory()
        """Audit events waiting for room on a full disk (``fieldkit.audit_waiting``)."""
        self._key: keys.Unwrapped | None = None
        self._alone: bool | None = None
        self._room_until = 0.0
        """Until when (``time.monotonic``) the last look found room: see :meth:`_warn_if_low`."""
        self.low_space_bytes = disk.LOW_SPACE_BYTES
        """Under this much free space after a save, ``SPACE_LOW`` is announced."""

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, settings: Settings, passphrase: str, *, officer: str = "officer") -> Store:
        """Make a new, empty store in ``settings.data_dir``; refuses if one is there already."""
        return cls.create_with_key(settings, passphrase, officer=officer)[0]

    @classmethod
    def create_with_key(
        cls, settings: Settings, passphrase: str, *, officer: str = "officer"
    ) -> tuple[Store, keys.Unwrapped]:
        """Like :meth:`create`, also returning the key, so a worker thread can make the store
        (the slow key derivation) and the GUI thread open it with :meth:`open_unwrapped`."""
        folder = settings.data_dir
        if store_exists(folder):
            raise StoreExists(folder)
        store_place.refuse_if_missing(settings)  # never a new store where one cannot be found
        make_private_dir(folder)
        storelock.acquire(folder)
        try:
            return cls._create_held(settings, passphrase, officer)
        except BaseException:
            storelock.release(folder)
            raise

    @classmethod
    def _create_held(
        cls, settings: Settings, passphrase: str, officer: str
    ) -> tuple[Store, keys.Unwrapped]:
        import uuid  # loaded when a store is made, not at every start

        folder = settings.data_dir
        store_id = str(uuid.uuid4())
        unwrapped = keys.create_key_file(
            folder / KEY_NAME,
            passphrase,
            store_id,
            min_seconds=settings.kdf_min_seconds,
            memory_kib=settings.kdf_memory_kib,
        )
        conn = _connect(folder / DB_NAME, unwrapped)
        conn.execute("PRAGMA journal_mode = WAL")
        fsync_dir(folder)
        store = cls._finish_open(folder, conn, unwrapped.uses_device_secret)
        store._holds_folder = True
        store._keep_key(settings, unwrapped, store_id)
        with store.transaction():
            store.set_meta("store_id", store_id)
            store.set_meta("device_id", str(uuid.uuid4()))
            store.set_meta("officer", officer)
            store.set_meta("created_at", stamp())
            store.actor = officer
            store.audit("store.create")
        store_place.remember(settings)
        return store, unwrapped

    @classmethod
    def open(cls, settings: Settings, passphrase: str) -> Store:
        """Unlock the store in ``settings.data_dir``. Files are untouched unless it opens."""
        return cls.open_unwrapped(settings, cls.unwrap_key(settings, passphrase))

    @staticmethod
    def unwrap_key(settings: Settings, passphrase: str) -> keys.Unwrapped:
        """The slow half of unlocking (key derivation), safe to run on a worker thread."""
        folder = settings.data_dir
        if not (folder / KEY_NAME).exists():
            if (folder / DB_NAME).exists():
                raise StoreCorrupt(folder / KEY_NAME, "the key file is missing")
            raise store_place.not_found(settings)
        if not (folder / DB_NAME).exists():
            raise StoreCorrupt(folder / DB_NAME, "the database file is missing")
        # Wrong passphrases in a row are counted in the folder, so the app and the command line
        # see the same growing wait, and restarting does not reset it.
        wait = unlock_attempts.read_failures(folder).wait_left()
        if wait:
            raise UnlockDelayed(wait)
        try:
            unwrapped = rekey_recovery.unwrap_settled(
                folder, passphrase, opens=lambda unwrapped: _key_opens(folder, unwrapped)
            )
        except WrongPassphrase:
            unlock_attempts.record_failure(folder)
            raise
        unlock_attempts.clear_failures(folder)
        # A key file cheaper to guess than this fieldkit asks for is strengthened now, while the
        # passphrase is at hand (the database key stays the same). On a full disk or a
        # read-only folder that waits for a later unlock: reading must still work.
        with contextlib.suppress(DiskFull, OSError):
            keys.strengthen_if_weak(folder / KEY_NAME, passphrase,
                                    min_seconds=settings.kdf_min_seconds,
                                    memory_kib=settings.kdf_memory_kib)
        return unwrapped

    @classmethod
    def open_unwrapped(
        cls, settings: Settings, unwrapped: keys.Unwrapped, *, worker: bool = False
    ) -> Store:
        """The fast half: open the database with a key from :meth:`unwrap_key`, in the thread
        that will own the connection. ``worker`` marks a second connection the unlocked app
        opens for background work (sync): not a new unlock, so not audited as one."""
        folder = settings.data_dir
        storelock.acquire(folder)
        try:
            conn = _connect_for_reading(folder, unwrapped)
            store = cls._finish_open(folder, conn, unwrapped.uses_device_secret)
        except StoreCorrupt as error:
            storelock.release(folder)
            if error.unreadable_with_key:
                raise KeyFileMismatch(folder) from error
            raise
        except BaseException:
            storelock.release(folder)
            raise
        store._holds_folder = True
        store._keep_key(settings, unwrapped, store.meta("store_id") or "")
        if not worker:
            try:
                with store.transaction():
                    store.audit("store.unlock")
            except DiskFull:
                # Reading must still work on a full disk; the unlock is audited with the next
                # save that finds room, so the trail still shows it, in order.
                store.waiting.hold(store.conn, "store.unlock", durable=False)
            except BaseException:
                store.lock()
                raise
            store_place.remember(settings)
            hub.publish(STORE_UNLOCKED)
        return store

    @classmethod
    def _finish_open(cls, folder: Path, conn: Any, uses_device_secret: bool) -> Store:
        try:
            return cls._checked_open(folder, conn, uses_device_secret)
        except sqlcipher3.DatabaseError as error:
            conn.close()
            raise disk.explain(error, folder, reading=True) from error
        except BaseException:
            conn.close()
            raise

    @classmethod
    def _checked_open(cls, folder: Path, conn: Any, uses_device_secret: bool) -> Store:
        db_path = folder / DB_NAME
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlcipher3.DatabaseError as error:
            failure = disk.explain(error, folder, reading=True)
            if isinstance(failure, StoreCorrupt):
                unreadable = StoreCorrupt(db_path, "it cannot be read with this store's key")
                unreadable.unreadable_with_key = True
                raise unreadable from error
            raise failure from error
        if version > migrations.CURRENT:
            raise StoreTooNew(version, migrations.CURRENT)
        _configure(conn)
        if version < migrations.CURRENT:
            if version > 0:
                _backup_before_migrating(conn, db_path, version)
            _migrate(conn, version)
        return cls(folder, conn, uses_device_secret)

    # -- using -----------------------------------------------------------------------------

    @property
    def conn(self) -> Any:
        """The open connection; raises StoreLocked after :meth:`lock`."""
        if self._conn is None:
            raise StoreLocked()
        return self._conn

    @property
    def is_open(self) -> bool:
        """False once the store has been locked."""
        return self._conn is not None

    @contextmanager
    def transaction(self, need_bytes: int = disk.DEFAULT_NEED_BYTES) -> Iterator[Any]:
        """A write transaction: committed (and on disk) when the block ends, rolled back on error.

        Nested use joins the outer transaction. If COMMIT itself fails (a full disk), the
        transaction is rolled back and the error raised, so nothing later is mistaken as saved.
        A full disk, a vanished drive or a read-only folder raise DiskFull, StoreUnreachable or
        StoreReadOnly; ``need_bytes`` is the caller's estimate of the room the save needs.
        """
        conn = self.conn
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        self.check_reachable()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as error:
            raise self._explained(error, need_bytes) from error
        self._depth = 1
        try:
            waited = self.waiting.write_into(conn, self.actor)
            yield conn
            conn.execute("COMMIT")
        except sqlcipher3.OperationalError as error:
            _rollback(conn)
            raise self._explained(error, need_bytes) from error
        except BaseException:
            _rollback(conn)
            raise
        finally:
            self._depth = 0
        self.waiting.settle(waited)
        # A commit that went to a drive no longer mounted here is not a save: say so at once.
        self.check_reachable()
        self._warn_if_low(need_bytes)
        self.share_if_room()

    def _warn_if_low(self, need_bytes: int) -> None:
        """After a save: announce low space (``disk.warn_if_low``). With a gigabyte or more to
        spare above the threshold, the disk is asked at most once every
        :data:`SPACE_RECHECK_SECONDS` (and after any save said to need more than an ordinary
        one); nearer the threshold, after every save."""
        now = time.monotonic()
        if now < self._room_until and need_bytes <= disk.DEFAULT_NEED_BYTES:
            return
        status = disk.warn_if_low(self.folder, self.low_space_bytes)
        spare = status.free_bytes - self.low_space_bytes >= SPACE_RECHECK_MARGIN
        self._room_until = now + SPACE_RECHECK_SECONDS if spare else 0.0

    def _keep_key(self, settings: Settings, unwrapped: keys.Unwrapped, store_id: str) -> None:
        self._key = unwrapped
        if store_id:
            self.waiting = WaitingEvents.for_store(settings.state_dir, store_id, unwrapped.key)

    def key_changed(self, unwrapped: keys.Unwrapped) -> None:
        """After a full re-key: the key to reopen the connection with, and to seal waiting
        audit events with (``fieldkit.rekey`` writes the old ones in first)."""
        self._key = unwrapped
        self.waiting = self.waiting.for_new_key(unwrapped.key)

    @property
    def held_alone(self) -> bool:
        """True while this connection holds the database alone: opened on a full disk, with
        no room for SQLite's shared-memory file, so no other connection can read it."""
        if self._alone is None:  # asked once per connection: it is chosen when it opens
            mode = self.conn.execute("PRAGMA locking_mode").fetchone()[0]
            self._alone = str(mode).lower() == "exclusive"
        return self._alone

    def share_if_room(self) -> bool:
        """Once there is room again, reopen a connection :attr:`held_alone` as an ordinary one,
        so the app's background work (sync, printing) can open the store beside it. Called
        after each save, and by the app before background work; True when it is shared."""
        if not self.held_alone:
            return True
        if self._key is None or disk.free_bytes(self.folder) < disk.DEFAULT_NEED_BYTES:
            return False
        with contextlib.suppress(sqlcipher3.Error):
            self._conn.close()  # checkpoints the WAL into the database first
        self._conn, self._alone = None, None
        try:
            self._conn = _connect_for_reading(self.folder, self._key)
            _configure(self._conn)
        except sqlcipher3.Error as error:  # the drive went meanwhile: say so, stay locked
            raise self._explained(error, disk.DEFAULT_NEED_BYTES) from error
        return not self.held_alone

    def check_reachable(self) -> None:
        """Raise StoreUnreachable (and announce it) when the database file this store opened is
        no longer the one at its path: the drive was pulled or the folder unmounted."""
        if _file_identity(self._db_path) == self._identity:
            return
        error = StoreUnreachable(self.folder, "its folder or drive is no longer there")
        hub.publish(STORE_UNREACHABLE, message=str(error))
        raise error

    def _explained(self, error: BaseException, need_bytes: int) -> FieldkitError:
        explained = disk.explain(error, self.folder, need_bytes=need_bytes)
        if isinstance(explained, StoreUnreachable):
            hub.publish(STORE_UNREACHABLE, message=str(explained))
        return explained

    def meta(self, key: str) -> str | None:
        """A value from the store's own settings table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value in the store's own settings table."""
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def audit(
        self, action: str, record_kind: str = "", record_id: str = "", content_hash: str = "",
        *, at: str | None = None,
    ) -> None:
        """Append an audit event (inside the caller's transaction); ``content_hash`` is the
        seal of the record it is about (``fieldkit.seals``); ``at`` a stamp of now the caller
        already took (now, by default)."""
        if self._sealed_schema is None:  # asked once: an open store's schema does not change
            self._sealed_schema = audit.has_seals(self.conn)
        audit.append(self.conn, self.actor, action, record_kind, record_id, content_hash,
                     sealed_schema=self._sealed_schema, at=at)

    def schema_version(self) -> int:
        """The store's schema version."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def lock(self) -> None:
        """Close the connection; nothing decrypted stays reachable through this object."""
        if self._conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                # Closing checkpoints the WAL; a full or vanished disk must not stop the lock.
                self._conn.close()
            self._conn = None
            self._key = None
            self.waiting.forget_key()  # it keeps the store's key until it derives its own
            if self._holds_folder:
                storelock.release(self.folder)
                self._holds_folder = False
            hub.publish(STORE_LOCKED)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()


def _connect(path: Path, unwrapped: keys.Unwrapped) -> Any:
    # cipher_memory_security stays off (SQLCipher's default): it mlocks and munlocks every
    # allocation, about 900 system calls per note (three quarters of a note's CPU time), yet
    # could not keep decrypted pages out of swap (the lock limit is 8 MiB, the page cache
    # 64 MiB, and the values are copied into Python and Qt anyway). See docs/security.md.
    conn = sqlcipher3.connect(
        str(path), isolation_level=None, timeout=10, cached_statements=STATEMENT_CACHE
    )
    # executescript compiles and frees the statement at once: the key's text is not kept in
    # the connection's statement cache for as long as the store is open
    conn.executescript(f"PRAGMA key = \"x'{unwrapped.key.hex()}'\";")
    seal_pages_with(conn, unwrapped.page_hmac)  # as the key file says (fieldkit.pages)
    return conn


def _connect_for_reading(folder: Path, unwrapped: keys.Unwrapped) -> Any:
    """Connect; on a disk too full for WAL's shared-memory file, connect in exclusive locking
    mode instead (WAL without that file), so the officer can still unlock and read."""
    conn = _connect(folder / DB_NAME, unwrapped)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlcipher3.DatabaseError as error:
        if not isinstance(disk.explain(error, folder, reading=True), DiskFull):
            return conn  # the checked open names the real problem
    conn.close()
    conn = _connect(folder / DB_NAME, unwrapped)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    return conn


def _configure(conn: Any) -> None:
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")


def _key_opens(folder: Path, unwrapped: keys.Unwrapped) -> bool:
    """True when ``unwrapped`` reads the database (used to settle an interrupted re-key)."""
    conn = _connect_for_reading(folder, unwrapped)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError as error:
        failure = disk.explain(error, folder, reading=True)
        if isinstance(failure, StoreCorrupt):
            return False
        raise failure from error
    finally:
        conn.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _rollback(conn: Any) -> None:
    """Roll back whatever is open, never hiding the error that brought us here."""
    if conn.in_transaction:
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")


def _migrate(conn: Any, version: int) -> None:
    for target, step in enumerate(migrations.STEPS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def _backup_before_migrating(conn: Any, db_path: Path, version: int) -> Path:
    """Copy the (encrypted) database aside before changing its schema."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = db_path.parent / BACKUP_DIR
    make_private_dir(folder)
    target = folder / f"fieldkit-schema{version}-{stamp().replace(':', '')}.db"
    # Copied beside and renamed: a copy cut short is never mistaken for a backup (and a
    # leftover of one cut short by a crash is removed here).
    for leftover in folder.glob(".tmp-*.part"):
        leftover.unlink()
    fd, part = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle, open(db_path, "rb") as source:
            os.fchmod(handle.fileno(), 0o600)
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)
        raise
    fsync_dir(folder)
    print(f"fieldkit: backed up the store to {target} before upgrading it", file=sys.stderr)
    return target
