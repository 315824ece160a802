"""The Lead's importer's side of the shared folder: the folders it opens (never through a link,
see :mod:`sync.share_folder`), refused files set aside in quarantine, and signed receipts."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.errors import BundleRejected, ReceiptRejected
from sync.keys import LeadKeys
from sync.layout import receipt_path, receipts_dir
from sync.receipts import (
    MAX_RECEIPT_BYTES,
    ImportReceipt,
    load_import_receipt,
    sign_import_receipt,
)
from sync.share_folder import (
    ShareFolderUnsafe,
    move_file_keeping,
    open_folder,
    read_file,
    sweep_temp_files,
    unchanged_file,
    write_file,
    write_files,
)

QUARANTINE = "quarantine"


class ImportShare:
    """The share's folders, each opened once without following links (see sync.share_folder)."""

    def __init__(self, root: Path, bundles_fd: int) -> None:
        self.root = root
        self.bundles = bundles_fd
        self._quarantine: int | None = None
        self._receipts: int | None = None

    def quarantine(self) -> int:
        """The quarantine folder (made if missing)."""
        if self._quarantine is None:
            self._quarantine = open_folder(self.root, QUARANTINE, create=True)
        return self._quarantine

    def receipts(self) -> int:
        """The receipts folder (made if missing)."""
        if self._receipts is None:
            # Not 0o700: on a shared folder the officers' devices must be able to read receipts.
            self._receipts = open_folder(self.root, receipts_dir(self.root).name, create=True,
                                         mode=0o755)
        return self._receipts

    def sweep(self) -> int:
        """Remove what a run killed mid-write left in the receipts and quarantine folders
        (see :func:`~sync.share_folder.sweep_temp_files`); returns how many files. A folder
        missing, or one the Lead cannot change, is left alone: the import goes on."""
        swept = 0
        for name in (receipts_dir(self.root).name, QUARANTINE):
            try:
                fd = open_folder(self.root, name, create=False)
            except (OSError, ShareFolderUnsafe):
                continue  # none yet; a link is refused where the import writes there
            try:
                swept += sweep_temp_files(fd)
            except OSError:
                pass  # read-only for the Lead, or the share went away: not the import's concern
            finally:
                os.close(fd)
        return swept

    def close(self) -> None:
        """Close every folder opened."""
        for fd in (self.bundles, self._quarantine, self._receipts):
            if fd is not None:
                os.close(fd)


def set_aside(share: ImportShare, name: str, reason: str) -> None:
    """Move a refused file into the quarantine folder, with its reason beside it. A file
    already set aside under that name is kept (the new one goes beside it, ``name.2``): junk
    dropped under a refused bundle's id must never wipe the copy the Lead may move back."""
    folder = share.quarantine()
    kept = move_file_keeping(share.bundles, name, folder)
    write_file(folder, f"{kept}.reason.txt", (reason + "\n").encode(), 0o600)


def receipt_in_place(share: ImportShare, lead_key: Ed25519PublicKey, bundle_id: str,
                     digest: str, known: str = "") -> str | None:
    """The receipt file's :func:`~sync.share_folder.file_key` when the share holds the Lead's
    receipt saying the bundle with SHA-256 ``digest`` was imported, signed by ``lead_key``;
    ``None`` for none (a run stopped before writing it) and for one the device could not use
    (damaged since, or replaced by someone with access to the share): the importer then writes
    it again, so the device does not wait for ever. ``known``: the key of the file found
    valid before; the same file is not read again."""
    name = receipt_path(share.root, bundle_id).name
    if known and unchanged_file(share.receipts(), name, known):
        return known
    try:
        held = read_file(share.receipts(), name, MAX_RECEIPT_BYTES)
    except BundleRejected:  # none there, or a link or a folder in its place
        return None
    if held.data is None:
        return None
    try:
        receipt = load_import_receipt(held.data, lead_key, bundle_id=bundle_id)
    except ReceiptRejected:
        return None
    return held.key if receipt.status == "imported" and receipt.bundle_sha256 == digest else None


def write_receipts(share: ImportShare, keys: LeadKeys,
                   receipts: Sequence[tuple[str, str, str | None]]) -> None:
    """Write the Lead's signed receipt for each ``(bundle id, SHA-256 of the file, reason
    refused or None)``: all on disk (flushed together, see
    :func:`sync.share_folder.write_files`) when this returns."""
    files = []
    for bundle_id, digest, reason in receipts:
        receipt = ImportReceipt(
            bundle_id=bundle_id, bundle_sha256=digest,
            status="imported" if reason is None else "rejected",
            reason=None if reason is None else reason[:500],
        )
        files.append((receipt_path(share.root, bundle_id).name,
                      sign_import_receipt(receipt, keys.signing_key)))
    write_files(share.receipts(), files, 0o644)
