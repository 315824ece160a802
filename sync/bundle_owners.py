"""Which device a bundle id belongs to, on the inbox: the first device to upload it.

Another enrolled device can then neither store content under that id nor read its receipt.
Each claim is one small file, ``<root>/owners/<bundle id>``, created exclusively, so two
uploads racing for the same id cannot both win.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldkit.atomicfile import fsync_dir, make_private_dir
from sync.layout import bundle_path

OWNERS = "owners"


def _owner_path(root: Path, bundle_id: str) -> Path:
    return root / OWNERS / bundle_path(root, bundle_id).stem  # bundle_path checks the id


def bundle_owner(root: Path, bundle_id: str) -> str | None:
    """The device that first uploaded ``bundle_id``; ``None`` if none did (or before owners
    were recorded)."""
    try:
        return _owner_path(root, bundle_id).read_text("ascii").strip()
    except FileNotFoundError:
        return None


def owners_folder(root: Path) -> Path:
    """The folder holding the claims (fsync it to make a claim made without it durable)."""
    return root / OWNERS


def claim_bundle_id(root: Path, bundle_id: str, device_id: str, *,
                    sync_folder: bool = True) -> bool:
    """Bind ``bundle_id`` to ``device_id`` unless another device holds it; True when it is
    (now or already) this device's. With ``sync_folder=False`` the caller fsyncs
    :func:`owners_folder` itself before relying on the claim (the inbox does it alongside the
    bundle folder's fsync, so the two share one journal commit)."""
    path = _owner_path(root, bundle_id)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:  # the first claim under this root
            make_private_dir(path.parent)
            fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return bundle_owner(root, bundle_id) == device_id
    try:
        os.write(fd, device_id.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if sync_folder:
        fsync_dir(path.parent)
    return True
