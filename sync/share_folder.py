"""The Lead's importer's access to a folder other people can write to (the shared folder).

Anyone with write access to the share could replace ``bundles/``, ``quarantine/`` or
``receipts/`` (or a bundle file) with a symbolic link and have the Lead's importer read, move
files into, or change the permissions of another folder. So every folder is opened once, as a
directory file descriptor, with ``O_NOFOLLOW``; every file is opened and moved relative to that
descriptor, also without following links; sizes come from ``fstat`` on the opened file; and a
folder that already exists is never ``chmod``-ed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import os
import platform
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sync.errors import BundleRejected, SyncError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class ShareFolderUnsafe(SyncError):
    """A folder on the share is a link (or not a folder): nothing is read or written through it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is a link or not a folder, so nothing was read or written "
                         "through it. Replace it with a real folder on the share.")


def open_folder(parent: Path, name: str, *, create: bool, mode: int = 0o700) -> int:
    """A descriptor for ``parent/name``, refusing a link; created with ``mode`` if missing."""
    path = parent / name
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, mode)  # only a folder made here gets ``mode``; none is chmod-ed
    try:
        return os.open(path, _DIR_FLAGS)
    except (NotADirectoryError, OSError) as error:
        if isinstance(error, FileNotFoundError) and not create:
            raise
        raise ShareFolderUnsafe(path) from None


@dataclass(frozen=True)
class SharedFile:
    """A regular file read from the share: its SHA-256, its size by ``fstat``, and its bytes
    (``None`` when larger than the limit; the hash is still taken, for the receipt); ``key``:
    its :func:`file_key` as it was opened."""

    sha256: str
    size: int
    data: bytes | None
    key: str = ""


def file_key(info: os.stat_result) -> str:
    """What says a file is still the one seen before: its device, inode, size, and times of
    last change of content and of inode (on a local Linux file system the second cannot be set
    back, and any write, rename or ``chmod`` moves it; on some network shares and FAT it can be
    set, so a key that matches there is a strong hint, not a proof: the importer relies on it
    only to skip re-reading what it already holds)."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def unchanged_file(folder_fd: int, name: str, key: str) -> bool:
    """True when ``name`` in the folder is a regular file (not a link) whose :func:`file_key`
    is ``key``; False for anything else, or if it cannot be looked at."""
    if not key:
        return False
    try:
        info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and file_key(info) == key


def read_file(folder_fd: int, name: str, max_size: int) -> SharedFile:
    """Read a regular file in the folder without following a link.

    Raises :class:`BundleRejected` for a link, a folder, a device or anything else not a file.
    """
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=folder_fd)
    except OSError:
        raise BundleRejected("it is a link, not a file") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder: refused before Python's file
        os.close(fd)                           # object raised IsADirectoryError (every
        raise BundleRejected("it is not a regular file")  # import failed on one)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BundleRejected("it is not a regular file")
        digest, chunks, size = hashlib.sha256(), [], 0
        whole = _worth_hashing_whole(info, max_size)
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            if size <= max_size:
                chunks.append(chunk)
            elif not whole:
                break  # refused as too large: its hash cannot be a device's, stop reading
    data = b"".join(chunks) if max(size, info.st_size) <= max_size else None
    return SharedFile(digest.hexdigest(), max(size, info.st_size), data, file_key(info))


OVERSIZE_HASHED = 16
"""A file over the size limit is still read to its end (its SHA-256 goes in the refusal's
receipt, so the device that sent it learns it was refused) only up to this many times the limit,
and only if it is not sparse: a sparse file of terabytes, made in a moment on the share, would
otherwise keep the import reading zeros for hours."""


def _worth_hashing_whole(info: os.stat_result, max_size: int) -> bool:
    if info.st_size <= max_size:
        return True
    written = getattr(info, "st_blocks", None)
    sparse = written is not None and written * 512 < info.st_size // 2
    return not sparse and info.st_size <= OVERSIZE_HASHED * max_size


def write_file(folder_fd: int, name: str, data: bytes, mode: int) -> None:
    """Write ``name`` in the folder atomically and durably (temp file, fsync, rename, the
    folder's fsync): :func:`write_files` with one file."""
    write_files(folder_fd, [(name, data)], mode)


def _find_syncfs() -> Callable[[int], int] | None:
    """Linux's ``syncfs(2)`` from the C library (not in :mod:`os`), or ``None`` elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        found = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    found.argtypes, found.restype = [ctypes.c_int], ctypes.c_int
    return cast(Callable[[int], int], found)


_SYNCFS = _find_syncfs()
LOCAL_FILE_SYSTEMS = frozenset({"ext4", "ext3", "xfs", "btrfs", "f2fs"})
"""Where one ``syncfs`` stands for an ``fsync`` of each file: local file systems that write
every dirty file and flush the disk's cache. Network shares (cifs, nfs) and FUSE ones (sshfs,
rclone) may only push the data to the server without asking it to flush: an ``fsync`` a file."""


def kernel_reports_flush_errors(release: str) -> bool:
    """True for Linux 5.8 and later (``release`` as ``platform.release()`` gives it), where
    ``syncfs`` reports a write that failed; before, it returned 0 whatever happened."""
    found = re.match(r"(\d+)\.(\d+)", release)
    return found is not None and (int(found[1]), int(found[2])) >= (5, 8)


def file_system_type(mountinfo: str, device: int) -> str | None:
    """The type of the file system on ``device`` (an ``st_dev``), read from the text of
    ``/proc/self/mountinfo``; ``None`` if it is not listed."""
    wanted = f"{os.major(device)}:{os.minor(device)}"
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 2 and fields[2] == wanted and " - " in line:
            return line.split(" - ", 1)[1].split()[0]
    return None


def flushes_together(folder_fd: int) -> bool:
    """True where one ``syncfs`` of the folder's file system may stand for an ``fsync`` of each
    file just written in it: Linux 5.8 or later with ``syncfs`` in its C library, and a local
    file system (:data:`LOCAL_FILE_SYSTEMS`). Anywhere else, each file is fsynced."""
    if _SYNCFS is None or not kernel_reports_flush_errors(platform.release()):
        return False
    try:
        return _local_file_system(os.fstat(folder_fd).st_dev)
    except OSError:
        return False


@functools.lru_cache(maxsize=16)
def _local_file_system(device: int) -> bool:
    """Whether the file system on ``device`` is in :data:`LOCAL_FILE_SYSTEMS` (the mount table
    read once per device, not at every batch)."""
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
        return file_system_type(handle.read(), device) in LOCAL_FILE_SYSTEMS


TEMP_PREFIX, TEMP_SUFFIX = ".tmp-", ".part"
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + "[0-9a-f]{16}" + re.escape(TEMP_SUFFIX))
STALE_TEMP_SECONDS = 3600.0
"""A temp file of :func:`write_files` this much older than now was left by a run that stopped
mid-write (one being written now is seconds old): :func:`sweep_temp_files` removes it."""


def sweep_temp_files(folder_fd: int, *, now: float | None = None) -> int:
    """Remove the temp files :func:`write_files` left in the folder when a run was killed
    mid-write, once older than :data:`STALE_TEMP_SECONDS` (never another run's file being
    written); returns how many. Only plain files with exactly that name form are touched."""
    moment = time.time() if now is None else now
    swept = 0
    for name in os.listdir(folder_fd):
        if not _TEMP_NAME.fullmatch(name):
            continue
        with contextlib.suppress(FileNotFoundError):
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and moment - info.st_mtime > STALE_TEMP_SECONDS:
                os.unlink(name, dir_fd=folder_fd)
                swept += 1
    return swept


def write_files(folder_fd: int, files: Sequence[tuple[str, bytes]], mode: int) -> None:
    """Write each ``(name, data)`` in the folder atomically and durably (a reader sees no file
    or the whole of it; all are on disk when this returns): each to a temp file, all flushed
    together where that is as safe (:func:`flushes_together`; one file is simply fsynced), else
    each fsynced, then each renamed into place and the folder fsynced once. On an error the temp
    files not yet renamed are removed; those renamed are whole, and stay."""
    temps: list[tuple[str, str]] = []
    placed = 0
    together = len(files) > 1 and flushes_together(folder_fd)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        for name, data in files:
            temp = f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
            fd = os.open(temp, flags, mode, dir_fd=folder_fd)
            temps.append((temp, name))
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(fd, mode)
                handle.write(data)
                handle.flush()
                if not together:
                    os.fsync(fd)
        if together and _SYNCFS is not None and _SYNCFS(folder_fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
        for temp, name in temps:
            os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
            placed += 1
    except BaseException:
        for temp, _ in temps[placed:]:
            with contextlib.suppress(OSError):  # never hides the error that stopped us
                os.unlink(temp, dir_fd=folder_fd)
        if placed:
            with contextlib.suppress(OSError):
                os.fsync(folder_fd)  # the files renamed stay: their names made durable
        raise
    if temps:
        os.fsync(folder_fd)


def move_file_keeping(from_fd: int, name: str, to_fd: int) -> str:
    """Move ``name`` between two opened folders without replacing anything there: under its own
    name if free, else ``name.2``, ``name.3``... (what is there already is kept whole). Returns
    the name it has now. A link is moved as the link, never followed."""
    for n in range(1, 1_000):
        # Then a random name: names set up in advance (10,000 of them) must never make the
        # move, and so the whole import, fail.
        target = name if n == 1 else f"{name}.{n}" if n < 10 else f"{name}.{secrets.token_hex(8)}"
        try:
            os.link(name, target, src_dir_fd=from_fd, dst_dir_fd=to_fd, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some SMB shares): check, then move
            try:
                os.stat(target, dir_fd=to_fd, follow_symlinks=False)
                continue
            except FileNotFoundError:
                os.replace(name, target, src_dir_fd=from_fd, dst_dir_fd=to_fd)
                break
        os.unlink(name, dir_fd=from_fd)
        break
    else:
        raise FileExistsError(errno.EEXIST, "no free name to keep the file under", name)
    os.fsync(to_fd)
    os.fsync(from_fd)
    return target
