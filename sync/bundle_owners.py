"""Which device a bundle id belongs to, on the inbox: the first device to upload it.

Another enrolled device can then neither store content under that id nor read its receipt.
Each claim is a name in ``<root>/owners``, ``<bundle id>``, made by ``link()``: a hard link to the
device's own symbolic link there, ``.device-<device id>``, whose target text is the device id.
``link()`` makes the name atomically or fails if it exists (as ``O_EXCL`` does), so two uploads
racing for the same id cannot both win, and a claim is never seen half-written. A claim is thus
itself a symbolic link whose text is the device id, read with ``readlink`` and never followed.

The device's link is made once, at the device's first upload, and every claim after that is one
more name for it: no file is created per claim, and there is no data to fsync (a link's target
is kept in its inode: 36 bytes fit inline on ext4, xfs and btrfs, written with the directory
entry), so a claim is durable once the owners folder is fsynced. The caller does that before
relying on the claim (the inbox, beside the bundle folder's fsync, before it answers). Creating
a file (an inode) is what a claim used to cost, each claim its own symbolic link: on this
project's test machines creating one took 0.25-1.2 ms of CPU, mostly the kernel's, as much as
the rest of an upload's file work; a hard link 0.01-0.04 ms. A link's target cannot be rewritten
in place, so the claims of a device cannot be changed all at once either.

The device's link is checked (a symbolic link whose text is the device id) before the first claim
is linked to it, and each new claim is read back once made: one that does not read as its device
(the device's link was replaced after it was checked) is removed at once, never having been
acknowledged, and made as a plain symbolic link instead.

Where a hard link cannot be made (a file system without them, remembered for the folder, or a
device's link already at the file system's limit of links, 65,000 on ext4), the claim is a plain
symbolic link whose target text is the device id, as earlier versions made every claim; claims
written as small regular files by still earlier versions are read too (opened with
``O_NOFOLLOW``). A claim of any other kind, or whose text is not a device id, is
:class:`UnreadableClaim`: the id then belongs to nobody who asks.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from pathlib import Path

from fieldkit.atomicfile import fsync_dir, make_private_dir
from sync.enrolment import is_canonical_uuid
from sync.layout import bundle_path

log = logging.getLogger(__name__)
OWNERS = "owners"
DEVICE_LINK_PREFIX = ".device-"
"""``<root>/owners/.device-<device id>``: the symbolic link every hard-linked claim of a device
is another name for (never a bundle id: those are bare UUIDs)."""
_MAX_CLAIM_FILE_BYTES = 256
"""More than any device id (36 characters) with a line end: a larger claim file is not one."""


class UnreadableClaim(Exception):
    """A claim exists for a bundle id but is not a device id (of an unexpected kind or text)."""


def _owner_path(root: Path, bundle_id: str) -> Path:
    return root / OWNERS / bundle_path(root, bundle_id).stem  # bundle_path checks the id


def _read_claim_file(path: Path) -> str:
    """An earlier version's claim: a regular file holding the device id, read without
    following a link and without blocking on a FIFO."""
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
"""(owners folder, device id) whose device link this process made or checked."""
_no_links: set[str] = set()
"""Owners folders on a file system that makes no hard links: claims there are plain links."""
_full: set[tuple[str, str]] = set()
"""(owners folder, device id) whose device link is at the file system's limit of links."""
_CANNOT_LINK = frozenset({errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP,
                          errno.ENOSYS})
"""``link()`` refused by the file system itself (FAT, some network shares)."""


def _make_claim(path: Path, device_id: str) -> None:
    """Make the claim ``path`` for ``device_id``: a hard link to the device's link, else a plain
    symbolic link. ``FileExistsError`` if a claim is there; ``FileNotFoundError`` if the owners
    folder is not. Any other error of the disk is raised as it is."""
    folder = path.parent
    key = (str(folder), device_id)
    if key[0] not in _no_links and key not in _full:
        try:
            os.link(_device_link(folder, device_id), path, follow_symlinks=False)
        except FileNotFoundError:
            _ready.discard(key)  # the device's link went: made again at the next claim
            if not folder.is_dir():
                raise
        except UnreadableClaim as error:  # something else under the device link's name
            _ready.discard(key)
            log.warning("bundle id %s claimed with a plain link: %s", path.name, error)
        except OSError as error:
            if error.errno == errno.EMLINK:
                _full.add(key)  # the device's later claims are plain links
            elif error.errno in _CANNOT_LINK:
                _no_links.add(key[0])
                log.warning("no hard links in %s (%s): owner claims are plain symbolic links",
                            folder, error.strerror)
            else:
                raise  # FileExistsError (the claim is there), or the disk's own error
        else:
            if _link_text(path) == device_id:
                return
            _ready.discard(key)
            os.unlink(path)  # ours, made just now: never acknowledged to anyone
            log.warning("bundle id %s claimed with a plain link: %s%s changed after it was "
                        "checked", path.name, DEVICE_LINK_PREFIX, device_id)
    os.symlink(device_id, path)


def _link_text(path: Path) -> str | None:
    """The target text of the symbolic link at ``path``; ``None`` if it is none."""
    try:
        return os.readlink(path)
    except OSError:
        return None


def _device_link(folder: Path, device_id: str) -> Path:
    """The device's own link in the owners folder (made if it is not there yet: a symbolic
    link whose target text is the device id). :class:`UnreadableClaim` if something else is
    there under its name."""
    path = folder / f"{DEVICE_LINK_PREFIX}{device_id}"
    key = (str(folder), device_id)
    if key in _ready:
        return path
    with contextlib.suppress(FileExistsError):  # made by an earlier upload: checked below
        os.symlink(device_id, path)
    if _link_text(path) != device_id:
        raise UnreadableClaim(f"{path.name} is not a link to its device id")
    _ready.add(key)
    return path
