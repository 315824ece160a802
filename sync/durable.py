"""Publishing a file exactly once, durably: a bundle is either absent or whole, never half-written.

Used by the folder transport (device side) and the inbox (server side). A file is staged under a
dot-name that never matches ``*.age``, fsynced, then linked into place without overwriting
anything already there, and the folder is fsynced before anyone is told it is stored.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from fieldkit.atomicfile import fsync_dir

STAGING_PREFIX = ".incoming-"
STAGING_SUFFIX = ".part"


class PublishOutcome(enum.Enum):
    """What :func:`publish_once` did."""

    STORED = "stored"
    ALREADY_HELD = "already_held"
    CONFLICT = "conflict"


def is_regular_file(path: Path) -> bool:
    """True if ``path`` itself (not what a link there points to) is a regular file."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return False


def read_regular_file(path: Path, limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes of the regular file at ``path``, never following a link there
    and never waiting on a FIFO or a device put in its place (a share anyone can write to).
    FileNotFoundError if nothing is there; another OSError if it is not a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path.name))
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(fd, min(1024 * 1024, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def new_staging_file(folder: Path) -> tuple[int, Path]:
    """An open descriptor and path for a private temp file in ``folder`` (same file system)."""
    fd, name = tempfile.mkstemp(prefix=STAGING_PREFIX, suffix=STAGING_SUFFIX, dir=folder)
    os.fchmod(fd, 0o600)
    return fd, Path(name)


def stage_bytes(folder: Path, data: bytes) -> Path:
    """Write ``data`` to a new staging file in ``folder``, flushed and fsynced."""
    fd, path = new_staging_file(folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(path)
        raise
    return path


def discard(path: Path) -> None:
    """Remove a staging file if it is still there."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def publish_once(staged: Path, final: Path, sha256: str) -> PublishOutcome:
    """Move a fully written, fsynced ``staged`` file to ``final`` unless ``final`` exists.

    ``sha256`` is the staged file's digest. An existing ``final`` with the same digest is
    ``ALREADY_HELD``; with another digest it is a ``CONFLICT`` and is left untouched. The
    staged file is always gone afterwards: its name is removed before the folder's fsync, so
    that one fsync makes both changes durable and nothing waits on the disk after it.
    """
    try:
        outcome = _link_once(staged, final, sha256)
    finally:
        discard(staged)
    if outcome is PublishOutcome.STORED:
        fsync_dir(final.parent)
    return outcome


def _link_once(staged: Path, final: Path, sha256: str) -> PublishOutcome:
    try:
        # link() refuses to replace an existing name, so two concurrent writers of the same
        # id can never silently overwrite each other (os.replace would).
        os.link(staged, final)
    except FileExistsError:
        if not is_regular_file(final):
            # A link or a FIFO put under the name: never a bundle anyone wrote (each writer
            # links or replaces a regular file), and following it would read whatever it
            # points to. The real bytes replace it. (A folder cannot be replaced: the write
            # fails and is tried again; the Lead's import sets the folder aside.)
            os.replace(staged, final)
            return PublishOutcome.STORED
        return _compare(final, sha256)
    except OSError:
        # File systems without hard links (FAT drives, some SMB shares): check, then
        # replace. The window between the two is only a race with ourselves.
        if is_regular_file(final):
            return _compare(final, sha256)
        os.replace(staged, final)
    return PublishOutcome.STORED


def _compare(existing: Path, sha256: str) -> PublishOutcome:
    try:
        fd = os.open(existing, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return PublishOutcome.CONFLICT  # became a link in between: not these bytes
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return PublishOutcome.CONFLICT
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    if digest.hexdigest() == sha256:
        return PublishOutcome.ALREADY_HELD
    return PublishOutcome.CONFLICT
