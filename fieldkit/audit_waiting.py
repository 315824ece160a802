"""Audit events waiting for room on the store's disk.

A PDF must never leave the store without its audit event. When the store's own disk is full
that event cannot be saved there yet, so it waits here, in a small encrypted file under
``Settings.state_dir`` (off the store's drive), written durably *before* the PDF is. The next
transaction that finds room (a save, or the next unlock) writes every waiting event into the
chain, in order and with the time it happened, before its own events. If even this file cannot
be written, the export is refused with the full-disk words. An unlock on a full disk waits the
same way, or in memory when this file cannot be written either (an unlock exports nothing).

Each waiting event has a number; the store's ``meta`` remembers the last number written, in
the same transaction as the events, so a crash between that commit and tidying the file never
writes an event twice.

The file's key is derived from the store's key only when a file has to be read or written
(nearly never): opening a store does not load ``cryptography`` for it (issue 12, the start to
the cases list). The store's key is kept for that until the first use or the lock, no longer
than the store itself keeps it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit import audit
from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.clock import stamp
from fieldkit.errors import DiskFull

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

WAITING_DIR = "audit-waiting"
DONE_KEY = "audit_waiting_done"
"""The ``meta`` key holding the number of the last waiting event written into the chain."""
LOST_ACTION = "audit.waiting_unreadable"
"""Written into the chain when a file of waiting events can no longer be read."""

_NONCE = 12
_files = threading.Lock()  # the app's connections (GUI thread, workers) share one file
_INFO = b"fieldkit audit events waiting for room"
_changes_lock = threading.Lock()
_changes = 0
"""How many times this process has written, moved or removed a waiting file. "Is anything
waiting?" is asked at every transaction; an instance that found no file needs to look again
only once this has moved (one process at a time holds a store: ``fieldkit.storelock``). Each
look at the disk is two ``stat`` calls, which right after a commit's fsync cost some 25 us of a
note's 600 (bench ``store_append``, ``bench/README.md`` "Stop 28")."""


def _changed() -> None:
    """After a waiting file was written, moved or removed (never before: a look that reads the
    old count must see the change on disk)."""
    global _changes
    with _changes_lock:
        _changes += 1


class _Unreadable(Exception):
    """The waiting file does not open with this store's key (its tag does not match)."""


@dataclass(frozen=True)
class WaitingEvent:
    """One audit event not yet in the chain: its number, when it happened and what it says."""

    number: int
    at: str
    action: str
    record_kind: str = ""
    record_id: str = ""


class WaitingEvents:
    """The events of one store waiting for room, in memory and (where it can be) on disk."""

    def __init__(self, path: Path | None, db_key: bytes | None, store_id: str) -> None:
        self.path = path
        self._db_key = db_key  # the file's key is derived from it when first needed
        self._aead: AESGCM | None = None
        # Asked at every transaction (is anything waiting?): the two paths as strings, made
        # once, so the question is two plain stat calls.
        self._aside_path = None if path is None else path.with_suffix(".unreadable")
        self._watched: tuple[str, ...] = ()
        if path is not None:
            self._watched = (os.fspath(path), os.fspath(path.with_suffix(".unreadable")))
        self._store_id = store_id.encode()
        self._memory: list[WaitingEvent] = []
        self._aside_recorded = False
        self._none_since: int | None = None
        """The value of ``_changes`` when this instance last found no waiting file."""

    @classmethod
    def for_store(cls, state_dir: Path, store_id: str, db_key: bytes) -> WaitingEvents:
        """The waiting events of the store ``store_id``, in ``state_dir``, sealed with a key
        derived from the store's own key (nothing in the file is readable without it)."""
        return cls(state_dir / WAITING_DIR / f"{store_id}.events", db_key, store_id)

    def forget_key(self) -> None:
        """The store is locked: drop its key and the file's (events left wait in the file)."""
        self._db_key = None
        self._aead = None

    def _cipher(self) -> AESGCM | None:
        """The file's cipher, its key derived from the store's key at the first use."""
        if self._aead is None and self._db_key is not None:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            key = HKDF(hashes.SHA256(), 32, salt=self._store_id, info=_INFO).derive(
                self._db_key)
            self._aead, self._db_key = AESGCM(key), None
        return self._aead

    def for_new_key(self, db_key: bytes) -> WaitingEvents:
        """The same store's waiting events after a full re-key (write them in first: what
        waits under the old key cannot be read with the new one)."""
        if self.path is None:
            return self
        return WaitingEvents.for_store(self.path.parent.parent, self._store_id.decode(), db_key)

    @classmethod
    def in_memory(cls) -> WaitingEvents:
        """Waiting events with no file (a store opened without a key at hand)."""
        return cls(None, None, "")

    # -- holding ---------------------------------------------------------------------------

    def hold(self, conn: Any, action: str, record_kind: str = "", record_id: str = "",
             *, durable: bool) -> WaitingEvent:
        """Keep an event for the next transaction with room. ``durable`` events (an export)
        must reach the file, else DiskFull is raised and the caller must not go on; others
        stay in memory when the file cannot be written."""
        with _files:
            try:
                waiting = self._read_file() + self._memory
            except _Unreadable:  # recorded in the chain by the next write_into
                self._set_aside()
                waiting = list(self._memory)
            number = max([_done(conn), *(event.number for event in waiting)]) + 1
            event = WaitingEvent(number, stamp(), action, record_kind, record_id)
            try:
                self._write_file([*waiting, event])
            except (DiskFull, OSError):
                if durable:
                    raise
                self._memory.append(event)
                return event
            self._memory.clear()
            return event

    def __bool__(self) -> bool:
        if self._memory:
            return True
        seen = _changes  # read before looking: a change after it moves the count on
        if self._none_since == seen:
            return False  # no file then, and none written, moved or removed since
        found = any(os.path.exists(name) for name in self._watched)
        if not found:
            self._none_since = seen
        return found

    # -- writing into the chain --------------------------------------------------------------

    def write_into(self, conn: Any, actor: str) -> int:
        """Inside the caller's open transaction: append every event not yet in the chain, in
        order, then record the last one's number. Returns that number (0 when none)."""
        if not self:
            return 0
        with _files:
            try:
                waiting = self._read_file()
            except _Unreadable:
                self._set_aside()
                waiting = []
            aside = self._aside()
            self._aside_recorded = aside is not None and aside.exists()
            if self._aside_recorded:
                # The chain says that events waited here and can no longer be read.
                audit.append(conn, actor, LOST_ACTION, "audit-waiting", self._store_id.decode())
            waiting += self._memory
        done = _done(conn)
        last = 0
        for event in sorted(waiting, key=lambda held: held.number):
            if event.number <= done:
                continue
            audit.append(conn, actor, event.action, event.record_kind, event.record_id,
                         at=event.at)
            last = event.number
        if last:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value", (DONE_KEY, str(last)))
        return last

    def settle(self, written: int) -> None:
        """After the commit: forget the events up to ``written`` (they are in the chain), and
        mark an unreadable file as recorded."""
        aside = self._aside()
        if self._aside_recorded and aside is not None:
            self._aside_recorded = False
            try:
                with contextlib.suppress(OSError):
                    aside.replace(aside.with_suffix(".unreadable-recorded"))
            finally:
                _changed()
        if not written:
            return
        with _files:
            self._memory = [event for event in self._memory if event.number > written]
            with contextlib.suppress(_Unreadable, OSError, DiskFull):
                left = [event for event in self._read_file() if event.number > written]
                self._write_file(left)

    # -- the file ----------------------------------------------------------------------------

    def _read_file(self) -> list[WaitingEvent]:
        if self.path is None or not self.path.exists():
            return []
        aead = self._cipher()
        if aead is None:
            return []
        from cryptography.exceptions import InvalidTag

        sealed = self.path.read_bytes()
        try:
            plain = aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], self._store_id)
        except InvalidTag:
            raise _Unreadable() from None
        return [WaitingEvent(**item) for item in json.loads(plain)]

    def _write_file(self, events: list[WaitingEvent]) -> None:
        aead = self._cipher() if self.path is not None else None
        if self.path is None or aead is None:
            raise DiskFull(0, 4096)
        try:
            if not events:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                return
            plain = json.dumps([asdict(event) for event in events]).encode()
            nonce = os.urandom(_NONCE)
            make_private_dir(self.path.parent)
            write_atomic(self.path, nonce + aead.encrypt(nonce, plain, self._store_id))
        finally:
            _changed()

    def _aside(self) -> Path | None:
        return self._aside_path

    def _set_aside(self) -> None:
        aside = self._aside()
        if self.path is not None and aside is not None:
            try:
                with contextlib.suppress(OSError):
                    self.path.replace(aside)
            finally:
                _changed()


def _done(conn: Any) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DONE_KEY,)).fetchone()
    return int(row[0]) if row else 0
