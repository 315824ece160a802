"""One fieldkit process at a time on a store folder.

Two copies of the app (or the app and a command) writing the same store would each keep their
own idea of the next note number and the audit head; SQLite would keep the file whole, but the
officer could not tell which window saved what. So the first process to unlock holds an
advisory lock on ``fieldkit.lock`` until it locks again, and any other process is told the store
is in use. Connections within one process (the app's background sync) share the hold. The
kernel drops the lock when a process dies, so a crash never leaves the store locked out.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from pathlib import Path

from fieldkit.errors import StoreInUse, StoreReadOnly, StoreUnreachable

LOCK_NAME = "fieldkit.lock"

_held: dict[str, tuple[int, int]] = {}
_guard = threading.Lock()


def _open_lock_file(folder: Path) -> int:
    path = folder / LOCK_NAME
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreReadOnly(folder) from error
        if error.errno == errno.ENOENT:
            raise StoreUnreachable(folder, "its folder is no longer there") from error
        raise StoreUnreachable(folder, error.strerror or "it cannot be opened") from error


def acquire(folder: Path) -> None:
    """Hold ``folder`` for this process; raises StoreInUse when another process holds it."""
    key = os.path.realpath(folder)
    with _guard:
        if key in _held:
            fd, count = _held[key]
            _held[key] = (fd, count + 1)
            return
        fd = _open_lock_file(folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(fd)
            raise StoreInUse(folder) from error
        except BaseException:
            os.close(fd)
            raise
        _held[key] = (fd, 1)


def release(folder: Path) -> None:
    """Give back one hold of ``folder``; the lock goes when the last one is given back."""
    key = os.path.realpath(folder)
    with _guard:
        if key not in _held:
            return
        fd, count = _held[key]
        if count > 1:
            _held[key] = (fd, count - 1)
            return
        del _held[key]
        os.close(fd)  # closing the descriptor drops the flock


def held_here(folder: Path) -> bool:
    """True while this process holds ``folder``."""
    with _guard:
        return os.path.realpath(folder) in _held
