"""Where bundles and receipts live in a destination folder, shared by every side of sync.

A shared folder and the HTTPS inbox's storage root have the same layout, so the Lead's importer
reads both the same way::

    <root>/bundles/<bundle id>.age     delivered bundles (written once, atomically)
    <root>/receipts/<bundle id>.json   import receipts signed by the Lead
"""

from __future__ import annotations

from pathlib import Path

from sync.enrolment import is_canonical_uuid

BUNDLE_SUFFIX = ".age"
RECEIPT_SUFFIX = ".json"


def bundles_dir(root: Path) -> Path:
    """The folder delivered bundles are written to."""
    return root / "bundles"


def receipts_dir(root: Path) -> Path:
    """The folder the Lead's importer writes receipts to."""
    return root / "receipts"


def bundle_path(root: Path, bundle_id: str) -> Path:
    """The path of one delivered bundle; ``ValueError`` for an id that is not a UUID."""
    _check(bundle_id)
    return bundles_dir(root) / f"{bundle_id}{BUNDLE_SUFFIX}"


def receipt_path(root: Path, bundle_id: str) -> Path:
    """The path of one bundle's import receipt; ``ValueError`` for an id that is not a UUID."""
    _check(bundle_id)
    return receipts_dir(root) / f"{bundle_id}{RECEIPT_SUFFIX}"


def delivered_bundles(root: Path) -> list[tuple[str, Path]]:
    """Every complete bundle under ``root`` as (bundle id, path), oldest name first.

    Staging files never match: they start with a dot and do not end in ``.age``.
    """
    found = []
    for path in sorted(bundles_dir(root).glob(f"*{BUNDLE_SUFFIX}")):
        bundle_id = path.name[: -len(BUNDLE_SUFFIX)]
        if is_canonical_uuid(bundle_id) and path.is_file():
            found.append((bundle_id, path))
    return found


def _check(bundle_id: str) -> None:
    # Ids become file names: only canonical UUIDs, so no id can reach outside the folder.
    if not is_canonical_uuid(bundle_id):
        raise ValueError("a bundle id is a canonical UUID")
