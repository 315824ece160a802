"""Which device a bundle id belongs to, on the inbox: the first device to upload it.

Another enrolled device can then neither store content under that id nor read its receipt.
Each claim is a name in ``<root>/owners``, ``<bundle id>``, made by ``link()``: a hard link to the
device's own file there, ``.device-<device id>``, which holds the device id. ``link()`` makes the
name atomically or fails if it exists (as ``O_EXCL`` does), so two uploads racing for the same id
cannot both win, and a claim is never seen half-written.

A claim made this way creates no file and has no data of its own to fsync: the device's file is
written and fsynced once, the first time the device uploads, and every claim after that is one
more name for it, durable once the owners folder is fsynced. The caller does that before relying
on the claim (the inbox, beside the bundle folder's fsync, before it answers). Creating a file
(an inode) is what a claim used to cost: a symbolic link is a file of its own, and on this
project's test machines creating one took 0.25-1.2 ms of CPU, mostly the kernel's, as much as
the rest of an upload's file work.

The device's file is read-only and checked (a regular file holding the device id, not a link)
before the first claim links to it, and each new claim is read back once made: one that does not
read as its device (the file was replaced after it was checked) is removed at once, never having
been acknowledged, and made as a symbolic link instead. Every claim of a device is the same file:
someone able to write as the inbox's user could change them all at once by changing it (they
could always replace claims one by one).

Where a hard link cannot be made (a file system without them, remembered for the folder, or a
device file already at the file system's limit of links, 65,000 on ext4), the claim is a
symbolic link whose target text is the device id, as earlier versions made every claim; claims
written as small regular files by still earlier versions are read too. A claim is read without
following links: ``readlink`` for a link, otherwise opened with ``O_NOFOLLOW`` and read (a
hard-linked claim is such a file). A claim of any other kind, or whose text is not a device id,
is :class:`UnreadableClaim`: the id then belongs to nobody who asks.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import tempfile
from pathlib import Path

from fieldkit.atomicfile import fsync_dir, make_private_dir
from sync.enrolment import is_canonical_uuid
from sync.layout import bundle_path

log = logging.getLogger(__name__)
OWNERS = "owners"
DEVICE_FILE_PREFIX = ".device-"
"""``<root>/owners/.device-<device id>``: the file every hard-linked claim of a device names
(never a bundle id: those are bare UUIDs)."""
_MAX_CLAIM_FILE_BYTES = 256
"""More than any device id (36 characters) with a line end: a larger claim file is not one."""


class UnreadableClaim(Exception):
    """A claim exists for a bundle id but is not a device id (of an unexpected kind or text)."""


def _owner_path(root: Path, bundle_id: str) -> Path:
    return root / OWNERS / bundle_path(root, bundle_id).stem  # bundle_path checks the id


def _read_claim_file(path: Path, *, sync: bool = False) -> str:
    """A claim that is a regular file (a device's file, a name of it, or an earlier version's
    claim) holding the device id, read without following a link and without blocking on a
    FIFO; with ``sync``, also fsynced."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        # ELOOP: it became a link in between (claims are never replaced); anything else odd
        raise UnreadableClaim(f"claim {path.name} cannot be opened: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableClaim(f"claim {path.name} is not a link or a regular file")
        data = os.read(fd, _MAX_CLAIM_FILE_BYTES + 1)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    if len(data) > _MAX_CLAIM_FILE_BYTES:
        raise UnreadableClaim(f"claim {path.name} is too large")
    return data.decode("ascii", errors="replace").strip()


def bundle_owner(root: Path, bundle_id: str) -> str | None:
    """The device that first uploaded ``bundle_id``; ``None`` if none did (or before owners
    were recorded). :class:`UnreadableClaim` if a claim is there but names no device."""
    path = _owner_path(root, bundle_id)
    try:
        text = os.readlink(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno != errno.EINVAL:  # EINVAL: not a link
            raise
        try:
            text = _read_claim_file(path)
        except FileNotFoundError:
            return None
    if not is_canonical_uuid(text):
        raise UnreadableClaim(f"claim {path.name} does not name a device")
    return text


def owners_folder(root: Path) -> Path:
    """The folder holding the claims (fsync it to make the claims made in it durable)."""
    return root / OWNERS


def claim_bundle_id(root: Path, bundle_id: str, device_id: str, *,
                    sync_folder: bool = True) -> bool:
    """Bind ``bundle_id`` to ``device_id`` unless another device holds it; True when it is
    (now or already) this device's, False when another's (or its claim is unreadable).

    With ``sync_folder=False`` the claim is not yet durable: the caller fsyncs
    :func:`owners_folder` itself before relying on it (the inbox does it alongside the bundle
    folder's fsync, so the two share one journal commit).
    """
    if not is_canonical_uuid(device_id):
        raise ValueError("a device id is a canonical UUID")
    path = _owner_path(root, bundle_id)
    try:
        try:
            _make_claim(path, device_id)
        except FileNotFoundError:  # the first claim under this root
            make_private_dir(path.parent)
            _make_claim(path, device_id)
    except FileExistsError:
        try:
            return bundle_owner(root, bundle_id) == device_id
        except UnreadableClaim as error:
            log.warning("bundle id %s refused: %s", bundle_id, error)
            return False
    if sync_folder:
        fsync_dir(path.parent)
    return True


_ready: set[tuple[str, str]] = set()
"""(owners folder, device id) whose device file this process made or checked."""
_no_links: set[str] = set()
"""Owners folders on a file system that makes no hard links: claims there are symbolic links."""
_full: set[tuple[str, str]] = set()
"""(owners folder, device id) whose device file is at the file system's limit of links."""
_CANNOT_LINK = frozenset({errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP,
                          errno.ENOSYS})
"""``link()`` refused by the file system itself (FAT, some network shares)."""


def _make_claim(path: Path, device_id: str) -> None:
    """Make the claim ``path`` for ``device_id``: a hard link to the device's file, else a
    symbolic link. ``FileExistsError`` if a claim is there; ``FileNotFoundError`` if the owners
    folder is not. Any other error of the disk is raised as it is.

    A hard-linked claim is read back once made: if it does not read as this device (the
    device's file was replaced after it was checked), it is removed and a symbolic link made
    instead, so a claim is never another device's, or nobody's, from the moment it exists."""
    folder = path.parent
    key = (str(folder), device_id)
    if key[0] not in _no_links and key not in _full:
        try:
            os.link(_device_file(folder, device_id), path, follow_symlinks=False)
        except FileNotFoundError:
            _ready.discard(key)  # the device's file went: made again at the next claim
            if not folder.is_dir():
                raise
        except UnreadableClaim as error:  # a file of its name that is not the device's own
            _ready.discard(key)
            log.warning("bundle id %s claimed with a symbolic link: %s", path.name, error)
        except OSError as error:
            if error.errno == errno.EMLINK:
                _full.add(key)  # the device's later claims are symbolic links
            elif error.errno in _CANNOT_LINK:
                _no_links.add(key[0])
                log.warning("no hard links in %s (%s): owner claims are symbolic links",
                            folder, error.strerror)
            else:
                raise  # FileExistsError (the claim is there), or the disk's own error
        else:
            if _reads_as(path, device_id):
                return
            _ready.discard(key)
            os.unlink(path)  # ours, made just now: never acknowledged to anyone
            log.warning("bundle id %s claimed with a symbolic link: %s changed after it was "
                        "checked", path.name, _device_file_name(device_id))
    os.symlink(device_id, path)


def _reads_as(path: Path, device_id: str) -> bool:
    """Whether the claim at ``path`` reads as ``device_id``, as :func:`bundle_owner` reads it."""
    try:
        return _read_claim_file(path) == device_id
    except (OSError, UnreadableClaim):
        return False


def _device_file_name(device_id: str) -> str:
    return f"{DEVICE_FILE_PREFIX}{device_id}"


def _device_file(folder: Path, device_id: str) -> Path:
    """The device's file in the owners folder, made (written, fsynced, made read-only, linked
    into place, the folder fsynced) if it is not there yet, fsynced once if it was there
    already (a copy restored from a backup, say). :class:`UnreadableClaim` if a file of that
    name holds anything but the device id."""
    path = folder / _device_file_name(device_id)
    key = (str(folder), device_id)
    if key in _ready:
        return path
    try:
        text = _read_claim_file(path, sync=True)
    except FileNotFoundError:
        fd, staged = tempfile.mkstemp(prefix=STAGING_DEVICE_PREFIX, dir=folder)
        try:
            try:
                os.write(fd, device_id.encode("ascii"))
                os.fchmod(fd, 0o400)  # never written again: every claim of the device is it
                os.fsync(fd)
            finally:
                os.close(fd)
            # Another upload of the same device may have made it first: checked below.
            with contextlib.suppress(FileExistsError):
                os.link(staged, path, follow_symlinks=False)
        finally:
            os.unlink(staged)
        fsync_dir(folder)
        text = _read_claim_file(path)
    if text != device_id:
        raise UnreadableClaim(f"{path.name} does not hold its device id")
    _ready.add(key)
    return path


STAGING_DEVICE_PREFIX = ".staging-device-"
"""A device's file being written (:func:`_device_file`); one left by a crash is removed by
:func:`sweep_staging`."""


def sweep_staging(root: Path) -> int:
    """Remove the device files a crash left half-made in the owners folder (never a claim or a
    device's file); how many."""
    folder = owners_folder(root)
    swept = 0
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return 0
    for name in names:
        if name.startswith(STAGING_DEVICE_PREFIX):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / name)
                swept += 1
    return swept
