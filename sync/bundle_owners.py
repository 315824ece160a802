"""Which device a bundle id belongs to, on the inbox: the first device to upload it.

Another enrolled device can then neither store content under that id nor read its receipt.
Each claim is a symbolic link, ``<root>/owners/<bundle id>``, whose target text is the device
id. ``symlink()`` creates it atomically or fails if the name exists (as ``O_EXCL`` does), so two
uploads racing for the same id cannot both win, and a claim is never seen half-written. The
link is only ever read (``readlink``), never followed.

A link has no data of its own to fsync: its target is kept in its inode (36 bytes fit inline on
ext4, xfs and btrfs), which the file system writes with the new directory entry, so the claim is
durable once the owners folder is fsynced. The caller does that before relying on the claim
(the inbox, beside the bundle folder's fsync, before it answers).

Claims written by earlier versions are small regular files holding the device id; they are
still read (without following links). A claim of any other kind, or whose text is not a device
id, is :class:`UnreadableClaim`: the id then belongs to nobody who asks.
"""

from __future__ import annotations

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
            os.symlink(device_id, path)
        except FileNotFoundError:  # the first claim under this root
            make_private_dir(path.parent)
            os.symlink(device_id, path)
    except FileExistsError:
        try:
            return bundle_owner(root, bundle_id) == device_id
        except UnreadableClaim as error:
            log.warning("bundle id %s refused: %s", bundle_id, error)
            return False
    if sync_folder:
        fsync_dir(path.parent)
    return True
