"""The Lead's importer: verify each delivered bundle against the enrolled devices, decrypt it,
validate every record with the forms models, and write it into the Lead's encrypted store.

Idempotent by bundle id; a bundle is imported whole or not at all. The newest version of each
record (by the bundle's creation time) is current; older versions are kept. A bundle that fails
any check is quarantined with its reason and changes nothing in the store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.clock import stamp
from fieldkit.errors import InvalidInput
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.store import Store
from sync import lead
from sync.bundle import DEFAULT_MAX_BUNDLE_BYTES, VerifiedBundle, read_bundle
from sync.device import schema_versions
from sync.durable import file_sha256
from sync.errors import BundleRejected
from sync.keys import LeadKeys
from sync.layout import delivered_bundles, receipt_path
from sync.payload import validate_records
from sync.receipts import ImportReceipt, write_import_receipt

QUARANTINE = "quarantine"


@dataclass
class ImportReport:
    """What one import run did."""

    imported: list[str] = field(default_factory=list)
    already_held: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def _already_held(store: Store, bundle_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT sha256 FROM lead_bundles WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def import_bundle(
    store: Store, bundle_id: str, data: bytes, *, max_size: int = DEFAULT_MAX_BUNDLE_BYTES
) -> VerifiedBundle:
    """Verify and import one bundle in a single transaction; raises BundleRejected."""
    keys = lead.lead_keys(store)
    verified = read_bundle(
        data,
        identities=[keys.age_identity],
        devices=lead.enrolled_devices(store),
        known_schemas=schema_versions(),
        max_size=max_size,
        expected_bundle_id=bundle_id,
    )
    manifest = verified.manifest
    records = validate_records(verified.records, manifest.case_id, verified.attachments)
    created = manifest.created
    with store.transaction() as conn:
        owner = conn.execute(
            "SELECT device_id FROM lead_bundles WHERE case_id = ? LIMIT 1", (manifest.case_id,)
        ).fetchone()
        if owner is not None and owner[0] != manifest.device_id:
            raise BundleRejected("the case it names was sent by another device")
        conn.execute(
            "INSERT INTO lead_bundles(bundle_id, device_id, case_id, supersedes, created_at, "
            "imported_at, sha256, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, manifest.device_id, manifest.case_id, manifest.supersedes,
             created, stamp(), verified.sha256, manifest.model_dump_json()),
        )
        # A bundle is a whole snapshot of its case: the newest one is current in full, so a
        # record it no longer holds (a withdrawn NRM, say) stops being current too.
        newer = conn.execute(
            "SELECT 1 FROM lead_bundles WHERE case_id = ? AND created_at > ?",
            (manifest.case_id, created),
        ).fetchone()
        if newer is None:
            conn.execute("UPDATE lead_records SET current = 0 WHERE case_id = ?",
                         (manifest.case_id,))
        conn.executemany(
            "INSERT INTO lead_records(record_type, record_id, bundle_id, case_id, "
            "bundle_created_at, data, current) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(record.type, record.id, manifest.bundle_id, manifest.case_id, created,
              record.model_dump_json(), 0 if newer else 1) for record in records],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO lead_exhibits(sha256, content) VALUES (?, ?)",
            list(verified.attachments.items()),
        )
        store.audit("import", "bundle", manifest.bundle_id)
    hub.publish(RECORDS_CHANGED, kind="lead_bundle", record_id=manifest.bundle_id)
    return verified


def _quarantine(store: Store, root: Path, path: Path, reason: str, digest: str) -> None:
    folder = root / QUARANTINE
    make_private_dir(folder)
    shutil.move(str(path), folder / path.name)
    write_atomic(folder / f"{path.name}.reason.txt", (reason + "\n").encode())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO lead_rejections(file_name, sha256, reason, rejected_at) "
            "VALUES (?, ?, ?, ?)",
            (path.name, digest, reason, stamp()),
        )
        store.audit("import.reject", "bundle", path.stem)


def _receipt(root: Path, keys: LeadKeys, bundle_id: str, digest: str, reason: str | None) -> None:
    receipt = ImportReceipt(
        bundle_id=bundle_id, bundle_sha256=digest,
        status="imported" if reason is None else "rejected",
        reason=None if reason is None else reason[:500],
    )
    write_import_receipt(root, receipt, keys.signing_key)


def import_folder(
    store: Store, root: Path, *, max_size: int = DEFAULT_MAX_BUNDLE_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every bundle under ``root`` (a shared folder or the inbox's storage root);
    ``progress(done, total)`` is called before each bundle and once at the end."""
    keys = lead.lead_keys(store)
    if not root.is_dir():
        raise InvalidInput(f"Folder {root} does not exist (is the share mounted?).")
    report = ImportReport()
    delivered = list(delivered_bundles(root))
    for done, (bundle_id, path) in enumerate(delivered):
        if progress is not None:
            progress(done, len(delivered))
        digest = file_sha256(path)
        held = _already_held(store, bundle_id)
        if held == digest:
            report.already_held.append(bundle_id)
            if not receipt_path(root, bundle_id).exists():  # stopped before writing it last time
                _receipt(root, keys, bundle_id, digest, None)
            continue
        try:
            if held is not None:
                raise BundleRejected("a different bundle with this id was imported before")
            if path.stat().st_size > max_size:
                raise BundleRejected("bundle larger than the limit")
            import_bundle(store, bundle_id, path.read_bytes(), max_size=max_size)
        except Exception as error:
            reason = (str(error) if isinstance(error, BundleRejected)
                      else f"the bundle could not be read ({type(error).__name__})")
            _quarantine(store, root, path, reason, digest)
            _receipt(root, keys, bundle_id, digest, reason)
            report.rejected.append((bundle_id, reason))
            continue
        _receipt(root, keys, bundle_id, digest, None)
        report.imported.append(bundle_id)
    if progress is not None:
        progress(len(delivered), len(delivered))
    return report


@dataclass(frozen=True)
class LeadCase:
    """A case as the Lead holds it (its current records)."""

    case_id: str
    reference: str
    title: str
    bundles: int
    records: int


def lead_cases(store: Store) -> list[LeadCase]:
    """Every case the Lead holds, with how many bundles and current records it has."""
    rows = store.conn.execute(
        "SELECT r.case_id, r.data, "
        "(SELECT COUNT(*) FROM lead_bundles b WHERE b.case_id = r.case_id), "
        "(SELECT COUNT(*) FROM lead_records x WHERE x.case_id = r.case_id AND x.current = 1) "
        "FROM lead_records r WHERE r.record_type = 'case' AND r.current = 1 "
        "ORDER BY r.case_id"
    ).fetchall()
    result = []
    for case_id, data, bundles, records in rows:
        case = json.loads(data)
        result.append(LeadCase(case_id, case["reference"], case["title"], bundles, records))
    return result


def current_records(store: Store, case_id: str) -> list[dict[str, object]]:
    """The current version of every record of a case the Lead holds."""
    rows = store.conn.execute(
        "SELECT data FROM lead_records WHERE case_id = ? AND current = 1 "
        "ORDER BY record_type, record_id",
        (case_id,),
    ).fetchall()
    return [json.loads(row[0]) for row in rows]
