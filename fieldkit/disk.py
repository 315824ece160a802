"""The disk under the store: free space, the early low-space warning, and what a failed read or
write of the database really means (a full disk, a drive that went away, a read-only folder),
so that none of them is ever reported as a damaged store."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from fieldkit.errors import (
    DiskFull,
    FieldkitError,
    StoreCorrupt,
    StoreInUse,
    StoreReadOnly,
    StoreUnreachable,
)
from fieldkit.events import SPACE_LOW, hub

LOW_SPACE_BYTES = 200 * 1_000_000
"""Under this much free space the app warns, before any save fails."""

DEFAULT_NEED_BYTES = 1_000_000
"""What an ordinary save (a note, a form) may need: its pages in the WAL plus a checkpoint."""

_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26


@dataclass(frozen=True)
class SpaceStatus:
    """Free space on the store's disk, and whether it is under the warning threshold."""

    free_bytes: int
    low: bool


def free_bytes(folder: Path) -> int:
    """Bytes free to this user on the disk holding ``folder`` (0 when it cannot be asked)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def space_status(folder: Path, threshold: int = LOW_SPACE_BYTES) -> SpaceStatus:
    """For the status bar: how much room is left where the store lives."""
    free = free_bytes(folder)
    return SpaceStatus(free_bytes=free, low=free < threshold)


def warn_if_low(folder: Path, threshold: int = LOW_SPACE_BYTES) -> SpaceStatus:
    """Publish ``SPACE_LOW`` (free_bytes) when free space is under ``threshold``; called after
    each save so the warning comes before the disk is full."""
    status = space_status(folder, threshold)
    if status.low:
        hub.publish(SPACE_LOW, free_bytes=status.free_bytes)
    return status


def _code(error: BaseException) -> int:
    """SQLite's primary result code of a sqlcipher3 error (0 when it has none)."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def folder_reachable(folder: Path) -> bool:
    """True while the store's folder can still be listed (its drive is there)."""
    try:
        os.stat(folder)
        return True
    except OSError:
        return False


def writable(folder: Path) -> bool:
    """False when the folder (or its file system) cannot be written, even by root."""
    try:
        return os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY
    except OSError:
        return False


def explain(
    error: BaseException, folder: Path, *, need_bytes: int = DEFAULT_NEED_BYTES,
    reading: bool = False,
) -> FieldkitError:
    """The true, typed error for a database failure in ``folder``.

    A full disk, a missing drive and a read-only folder each get their own error; only an
    unreadable file on a reachable, writable disk with room to spare is called damaged.
    """
    code = _code(error)
    os_errno = getattr(error, "errno", None)
    if not folder_reachable(folder):
        return StoreUnreachable(folder, "its folder or drive is no longer there")
    if code == _SQLITE_BUSY:
        # Busy with no room: this process's own connection holds the store alone because the
        # disk was full when it opened (``Store.held_alone``); the cause is the full disk.
        free = free_bytes(folder)
        return DiskFull(free, need_bytes) if free < need_bytes else StoreInUse(folder)
    if code == _SQLITE_READONLY or os_errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreReadOnly(folder)
    if code == _SQLITE_CANTOPEN and not writable(folder):
        return StoreReadOnly(folder)
    free = free_bytes(folder)
    if code == _SQLITE_FULL or os_errno == errno.ENOSPC or (
        code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) and free < need_bytes
    ):
        return DiskFull(free, need_bytes)
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or os_errno == errno.EIO:
        return StoreUnreachable(folder, "the drive reported an input/output error")
    if not writable(folder):
        return StoreReadOnly(folder)
    if reading or code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreCorrupt(folder / "fieldkit.db", "part of it cannot be read")
    return StoreCorrupt(folder / "fieldkit.db", f"the database reported: {type(error).__name__}")
