"""The Lead's importer: verify each delivered bundle against the enrolled devices, decrypt it,
validate every record with the forms models, and write it into the Lead's encrypted store.

Idempotent by bundle id; a bundle is imported whole or not at all. A case's versions are ordered
by the sending device's bundle counter (signed, in the manifest) and its ``supersedes`` chain,
never by a clock: the bundle with the highest counter is current; older versions are kept. A
``created`` time too far past the Lead's clock is flagged, and every bundle's audit anchor is
checked against what the device sent before (:mod:`sync.audit_anchor`). A bundle that fails any
check is quarantined with its reason and changes nothing in the store.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import itertools
import json
import logging
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyrage.x25519 import Identity

from fieldkit.clock import stamp, utc_now
from fieldkit.errors import InvalidInput
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.store import Store
from sync import lead
from sync.audit_anchor import check_device_trail, record_breaks
from sync.board_share.changes import ChangeRefused, change_from_peer
from sync.bundle import (
    DEFAULT_MAX_BUNDLE_BYTES,
    BundleManifest,
    VerifiedBundle,
    claimed_sender,
    created_time,
    read_bundle,
)
from sync.bundle_owners import UnreadableClaim, bundle_owner
from sync.canonical import canonical_json
from sync.device import schema_versions
from sync.enrolment import EnrolledDevice, is_canonical_uuid
from sync.errors import BundleRejected
from sync.import_share import QUARANTINE as QUARANTINE  # where refused files go
from sync.import_share import ImportShare, receipt_in_place, set_aside, write_receipts
from sync.keys import LeadKeys, parse_age_identity
from sync.layout import BUNDLE_SUFFIX, bundles_dir
from sync.payload import BoardChangeRecord, Record, validate_records
from sync.share_folder import SharedFile, open_folder, read_file, unchanged_file

log = logging.getLogger(__name__)

BATCH = 100
"""Bundles imported per durable commit: one fsync for the batch instead of one per bundle.
Each bundle is still whole or nothing (its own savepoint); receipts are written, and refused
files set aside, only once their batch is on disk, so no device is ever told of an import that
a power cut could still take back. A batch's receipts are written together (one flush for all,
see :func:`sync.share_folder.write_files`) on a thread of their own while the next batch is
imported; the run ends once all are on disk."""
READ_AHEAD = 2
"""Files read, decrypted and verified ahead on a worker thread while the bundle before is
stored (reading, hashing and SQLCipher's page work let the other thread run meanwhile)."""
CLOCK_AHEAD_ALLOWED = timedelta(minutes=5)
"""How far past the Lead's clock a bundle's ``created`` may be before it is flagged."""


@dataclass(frozen=True)
class ImportedBundle:
    """One bundle imported, with what the Lead should look at: a device clock ahead of the
    Lead's (``created`` as claimed) and breaks in the device's audit trail."""

    verified: VerifiedBundle
    clock_ahead: str | None
    audit_breaks: list[str]
    audit_waiting: str | None
    audit_verified: tuple[int, str]
    """How far the Lead's copy of the device's audit trail is now verified (see
    :func:`sync.audit_anchor.check_device_trail`)."""


@dataclass
class ImportReport:
    """What one import run did."""

    imported: list[str] = field(default_factory=list)
    already_held: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    clock_ahead: list[tuple[str, str]] = field(default_factory=list)
    """(bundle id, ``created`` it claims) for bundles dated past the Lead's clock."""
    audit_breaks: list[tuple[str, str, str]] = field(default_factory=list)
    """(device id, bundle id, problem) for each break found in a device's audit trail."""
    audit_waiting: dict[str, str] = field(default_factory=dict)
    """Device id to the audit events still on their way (no break: a bundle not imported yet)."""


def describe_import(report: ImportReport) -> list[str]:
    """The lines ``fieldkit lead import`` prints: refusals, flags, breaks, then the totals."""
    lines = [f"rejected {bundle_id}: {reason}" for bundle_id, reason in report.rejected]
    lines += [f"CLOCK AHEAD {bundle_id}: the device dated it {created}, past this machine's "
              "clock; its versions are ordered by the device's counter, not this date"
              for bundle_id, created in report.clock_ahead]
    lines += [f"AUDIT BREAK on device {device_id} (bundle {bundle_id}): {problem}"
              for device_id, bundle_id, problem in report.audit_breaks]
    lines += [f"waiting for device {device_id}: {what}"
              for device_id, what in report.audit_waiting.items()]
    lines.append(f"Imported {len(report.imported)}, already held {len(report.already_held)}, "
                 f"rejected {len(report.rejected)}, clock ahead {len(report.clock_ahead)}, "
                 f"audit breaks {len(report.audit_breaks)}.")
    return lines


def _ahead_of_lead(created: str) -> tuple[str | None, int | None]:
    ahead = created_time(created) - utc_now()
    if ahead <= CLOCK_AHEAD_ALLOWED:
        return None, None
    return created, int(ahead.total_seconds())


def _check_order(conn: Any, manifest: BundleManifest) -> None:
    """The counter and the ``supersedes`` chain must agree with what the device sent before."""
    reused = conn.execute(
        "SELECT bundle_id FROM lead_bundles WHERE device_id = ? AND counter = ?",
        (manifest.device_id, manifest.counter),
    ).fetchone()
    if reused is not None:
        raise BundleRejected(f"the device used bundle counter {manifest.counter} before, for "
                             f"bundle {reused[0]} (was the device restored from a backup?)")
    if manifest.supersedes is not None:
        earlier = conn.execute(
            "SELECT case_id, COALESCE(counter, 0) FROM lead_bundles WHERE bundle_id = ?",
            (manifest.supersedes,),
        ).fetchone()
        if earlier is not None and (earlier[0] != manifest.case_id
                                    or earlier[1] >= manifest.counter):
            raise BundleRejected("it claims to supersede a bundle of another case or a later one")
    # Only the same device's bundles of the same case can say what came after this one:
    # another device naming this bundle in its ``supersedes`` (its id is the file's name, on
    # the share for anyone to read) must not get it refused.
    later = conn.execute(
        "SELECT 1 FROM lead_bundles WHERE supersedes = ? AND device_id = ? AND case_id = ? "
        "AND COALESCE(counter, 0) <= ?",
        (manifest.bundle_id, manifest.device_id, manifest.case_id, manifest.counter),
    ).fetchone()
    if later is not None:
        raise BundleRejected("a bundle that supersedes it has an earlier counter")


@dataclass(frozen=True)
class _Checked:
    """A bundle verified without the store (signature, canonical form, every part, the
    records validated): what :func:`_store_bundle` then checks against the store and keeps."""

    verified: VerifiedBundle
    records: list[Record]


def _check(data: bytes, bundle_id: str, identity: str | Identity,
           devices: Mapping[str, EnrolledDevice], max_size: int,
           sha256: str | None = None, verified_changes: set[str] | None = None) -> _Checked:
    verified = read_bundle(
        data,
        identities=[identity],
        devices=devices,
        known_schemas=schema_versions(),
        max_size=max_size,
        expected_bundle_id=bundle_id,
        sha256=sha256,
    )
    manifest = verified.manifest
    records = validate_records(verified.records, manifest.case_id, verified.attachments)
    _check_board_changes(records, devices, set() if verified_changes is None
                         else verified_changes)
    return _Checked(verified, records)


def _check_board_changes(records: list[Record], devices: Mapping[str, EnrolledDevice],
                         verified: set[str]) -> None:
    """Every board change a bundle carries is signed by the enrolled device it names: a bundle
    carries the changes its device received from its peers too, and its own signature vouches
    only that it sent them (an enrolled laptop could otherwise put words in a colleague's
    name). A revoked laptop's key still vouches for the changes it signed: its peers' bundles
    carry them after it was revoked.
    ``verified``: the changes (by their bytes) already checked in this run, not checked again
    when the next bundle of the board carries them."""
    keys: dict[str, Ed25519PublicKey] = {}
    for record in records:
        if not isinstance(record, BoardChangeRecord):
            continue
        digest = hashlib.sha256(canonical_json(record.change)).hexdigest()
        if digest in verified:
            continue
        device = devices.get(str(record.change.get("device_id")))
        if device is not None and device.device_id not in keys:
            keys[device.device_id] = device.verifying_key()
        try:
            change_from_peer(record.change, keys)
        except ChangeRefused:
            raise BundleRejected("it carries a reception board change that the enrolled "
                                 "device it names did not sign") from None
        verified.add(digest)


def import_bundle(
    store: Store, bundle_id: str, data: bytes, *, max_size: int = DEFAULT_MAX_BUNDLE_BYTES,
    keys: LeadKeys | None = None, devices: Mapping[str, EnrolledDevice] | None = None,
    announce: bool = True, trails: Mapping[str, tuple[int, str]] | None = None,
) -> ImportedBundle:
    """Verify and import one bundle in a single transaction (or the caller's); raises
    BundleRejected. ``keys`` and ``devices`` may be passed when importing many (read once);
    ``announce=False`` leaves telling the app to the caller, once its commit is on disk;
    ``trails``: how far each device's audit copy was verified earlier in this transaction."""
    keys = keys or lead.lead_keys(store)
    checked = _check(data, bundle_id, keys.age_identity,
                     lead.enrolled_devices(store) if devices is None else devices, max_size)
    return _store_bundle(store, checked, announce=announce, trails=trails)


def _store_bundle(
    store: Store, checked: _Checked, *, announce: bool = True,
    trails: Mapping[str, tuple[int, str]] | None = None,
) -> ImportedBundle:
    """Check a verified bundle against what the store holds (owner, order, audit trail) and
    keep it, in one transaction (or the caller's); raises BundleRejected."""
    verified, records = checked.verified, checked.records
    manifest = verified.manifest
    created = manifest.created
    flagged, seconds_ahead = _ahead_of_lead(created)
    with store.transaction() as conn:
        owner = conn.execute(
            "SELECT device_id FROM lead_bundles WHERE case_id = ? LIMIT 1", (manifest.case_id,)
        ).fetchone()
        if owner is not None and owner[0] != manifest.device_id:
            raise BundleRejected("the case it names was sent by another device")
        _check_order(conn, manifest)
        conn.execute(
            "INSERT INTO lead_bundles(bundle_id, device_id, case_id, supersedes, created_at, "
            "imported_at, sha256, manifest, counter, audit_seq, audit_hash, "
            "created_ahead_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, manifest.device_id, manifest.case_id, manifest.supersedes,
             created, stamp(), verified.sha256, manifest.model_dump_json(), manifest.counter,
             manifest.audit.seq, manifest.audit.hash, seconds_ahead),
        )
        trail = check_device_trail(conn, manifest.device_id, manifest.bundle_id,
                                   manifest.counter, manifest.audit, verified.audit_events,
                                   (trails or {}).get(manifest.device_id))
        record_breaks(store, manifest.device_id, manifest.bundle_id, trail.breaks)
        # A bundle is a whole snapshot of its case: the newest one (by the device's counter) is
        # current in full, so a record it no longer holds (a withdrawn NRM) stops being current.
        newer = conn.execute(
            "SELECT 1 FROM lead_bundles WHERE case_id = ? AND COALESCE(counter, 0) > ?",
            (manifest.case_id, manifest.counter),
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
        _keep_exhibits(conn, verified.attachments)
        store.audit("import", "bundle", manifest.bundle_id)
        if flagged:
            store.audit("import.clock_ahead", "bundle", manifest.bundle_id)
    if announce:
        hub.publish(RECORDS_CHANGED, kind="lead_bundle", record_id=manifest.bundle_id)
    return ImportedBundle(verified, flagged, trail.breaks, trail.waiting, trail.verified)


def _keep_exhibits(conn: Any, attachments: Mapping[str, bytes]) -> None:
    """Keep each attachment once, by its SHA-256 (checked against its bytes by the reader): one
    already held (the same pack sent again with a case's next version) is not written again."""
    for digest, content in attachments.items():
        held = conn.execute("SELECT 1 FROM lead_exhibits WHERE sha256 = ?", (digest,)).fetchone()
        if held is None:
            conn.execute("INSERT INTO lead_exhibits(sha256, content) VALUES (?, ?)",
                         (digest, content))


@dataclass
class _Batch:
    """What one batch decided, acted on only once its commit is on disk."""

    report: ImportReport = field(default_factory=ImportReport)
    receipts: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(bundle id, SHA-256 of the file, reason refused or ``None``) to write."""
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    """(file name, reason) to move into the quarantine folder."""
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    """(file name, bundle file's key, receipt file's key or "") of the bundles imported, or
    found held, in this batch: kept in ``lead_share_seen`` with the batch's commit."""


def _sender_hint(run: _Run, name: str, data: bytes | None) -> tuple[str, str, str]:
    """(device id, officer, where that comes from) of a refused file, as far as anything can
    tell without trusting it: the inbox's record of who uploaded it, else its own manifest's
    claim (signature not checked), else nothing. See ``lead_rejections`` in the migrations."""
    bundle_id = name.removesuffix(BUNDLE_SUFFIX)
    try:
        owner = bundle_owner(run.share.root, bundle_id)
    except (UnreadableClaim, OSError, ValueError):
        owner = None
    if owner is not None:
        return owner, "", "inbox"
    claimed = claimed_sender(data, [run.identity], run.max_size) if data else None
    if claimed is not None:
        return claimed.device_id, claimed.officer, "manifest"
    return "", "", ""


def _arrived(run: _Run, name: str) -> str:
    """When the file arrived in the folder (its modification time), or '' when unknown."""
    try:
        info = os.stat(name, dir_fd=run.share.bundles, follow_symlinks=False)
        return stamp(datetime.fromtimestamp(info.st_mtime, UTC))
    except (OSError, ValueError, OverflowError):
        return ""


def _record_rejection(run: _Run, name: str, reason: str, digest: str,
                      data: bytes | None = None) -> None:
    device, officer, source = _sender_hint(run, name, data)
    with run.store.transaction() as conn:
        conn.execute(
            "INSERT INTO lead_rejections(file_name, sha256, reason, rejected_at, found_in, "
            "arrived_at, sender_device, sender_officer, sender_source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, digest, reason, stamp(), str(run.share.root), _arrived(run, name), device,
             officer, source),
        )
        run.store.audit("import.reject", "bundle", name.removesuffix(BUNDLE_SUFFIX))


def import_folder(
    store: Store, root: Path, *, max_size: int = DEFAULT_MAX_BUNDLE_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every bundle under ``root`` (a shared folder or the inbox's storage root);
    ``progress(done, total)`` is called before each bundle and once at the end.

    Raises :class:`~sync.share_folder.ShareFolderUnsafe` if a folder in it is a link.
    """
    keys = lead.lead_keys(store)
    if not root.is_dir():
        raise InvalidInput(f"Folder {root} does not exist (is the share mounted?).")
    report = ImportReport()
    try:
        bundles_fd = open_folder(root, bundles_dir(root).name, create=False)
    except FileNotFoundError:
        if progress is not None:
            progress(0, 0)
        return report  # nothing delivered yet
    run = _Run(store, ImportShare(root, bundles_fd), keys, parse_age_identity(keys.age_identity),
               max_size, progress, os.path.realpath(root))
    try:
        run.share.sweep()  # temp files of a run killed mid-write
        delivered = _delivered(bundles_fd)
        for start in range(0, len(delivered), BATCH):
            _import_batch(run, delivered, start, report)
        _forget_gone(run, {name for _, name in delivered})
        if progress is not None:
            progress(len(delivered), len(delivered))
    finally:
        run.writers.shutdown(wait=True)  # every receipt of a committed batch is written
        run.share.close()
    for written in run.receipts:
        written.result()  # a receipt that could not be written fails the run, as before
    return report


@dataclass
class _Run:
    """What one import run keeps from batch to batch."""

    store: Store
    share: ImportShare
    keys: LeadKeys
    identity: Identity
    max_size: int
    progress: Callable[[int, int], None] | None
    place: str
    """The import folder's path, links resolved (``lead_share_seen``: what was found there)."""
    trails: dict[str, tuple[int, str]] = field(default_factory=dict)
    """How far each device's audit copy is verified (see :func:`check_device_trail`)."""
    writers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    receipts: list[Future[None]] = field(default_factory=list)
    verified_changes: set[str] = field(default_factory=set)
    """Board changes whose device's signature was checked in this run (see
    :func:`_check_board_changes`)."""

    @functools.cached_property
    def lead_key(self) -> Ed25519PublicKey:
        """The Lead's public signing key, which the receipts already written must verify with."""
        return self.keys.signing_key.public_key()


@dataclass(frozen=True)
class _Read:
    """One delivered file, read and (unless the store must first say whether it holds it)
    verified: ``refused`` a file that is no bundle (a link), ``error`` a bundle that failed."""

    file: SharedFile | None
    held: str | None
    """The SHA-256 of the bundle the store holds under this id (read as the batch began: no
    other file of the batch has this id), or ``None``."""
    refused: BundleRejected | None = None
    checked: _Checked | None = None
    error: Exception | None = None
    seen: tuple[str, str] | None = None
    """(bundle file's key, receipt file's key or "") as the last check left them, for a held
    bundle (``lead_share_seen``); ``None`` if never checked in this folder."""
    unchanged: bool = False
    """Held, and its file the one checked before: not read again (``file`` is ``None``)."""


def _read(run: _Run, devices: Mapping[str, EnrolledDevice], bundle_id: str, name: str,
          held: str | None, seen: tuple[str, str] | None) -> _Read:
    """Read and verify one file without the store (on the reader thread); ``held``: the
    SHA-256 the store held for this bundle id when the batch began; ``seen``: what the last
    check of a held bundle's files found (a file found as it was is not read again)."""
    if held is not None and seen is not None and unchanged_file(run.share.bundles, name,
                                                                seen[0]):
        return _Read(None, held, seen=seen, unchanged=True)
    try:
        delivered = read_file(run.share.bundles, name, run.max_size)
    except BundleRejected as error:
        return _Read(None, held, refused=error)
    if held is not None or delivered.data is None:
        return _Read(delivered, held, seen=seen)  # held, or refused as it is: not verified
    try:
        return _Read(delivered, held, checked=_check(delivered.data, bundle_id, run.identity,
                                                     devices, run.max_size, delivered.sha256,
                                                     run.verified_changes))
    except Exception as error:  # refused in the batch, as if raised there
        return _Read(delivered, held, error=error)


def _reads(run: _Run, devices: Mapping[str, EnrolledDevice],
           items: list[tuple[str, str]]) -> Generator[Callable[[], _Read], None, None]:
    """Each item's :class:`_Read`, in order, read :data:`READ_AHEAD` files ahead on a worker
    thread while the bundles before are stored (decrypting and checking need no store)."""
    marks = ", ".join("?" for _ in items)
    held = dict(run.store.conn.execute(
        f"SELECT bundle_id, sha256 FROM lead_bundles WHERE bundle_id IN ({marks})",
        [bundle_id for bundle_id, _ in items]).fetchall()) if items else {}
    seen = {name: (bundle_file, receipt_file) for name, bundle_file, receipt_file
            in run.store.conn.execute(
                "SELECT file_name, bundle_file, receipt_file FROM lead_share_seen "
                f"WHERE place = ? AND file_name IN ({marks})",
                [run.place, *(name for _, name in items)]).fetchall()} if items else {}
    if READ_AHEAD == 0:
        for bundle_id, name in items:
            yield functools.partial(_read, run, devices, bundle_id, name, held.get(bundle_id),
                                    seen.get(name))
        return
    with ThreadPoolExecutor(max_workers=1) as reader:

        def submit(bundle_id: str, name: str) -> Future[_Read]:
            if bundle_id in held and name in seen:  # most likely a look at the file: no hop
                looked: Future[_Read] = Future()
                looked.set_result(_read(run, devices, bundle_id, name, held[bundle_id],
                                        seen[name]))
                return looked
            return reader.submit(_read, run, devices, bundle_id, name, held.get(bundle_id),
                                 seen.get(name))

        ahead: deque[Future[_Read]] = deque()
        following = iter(items)
        try:
            for bundle_id, name in itertools.islice(following, READ_AHEAD):
                ahead.append(submit(bundle_id, name))
            while ahead:
                done = ahead.popleft()
                for bundle_id, name in itertools.islice(following, 1):
                    ahead.append(submit(bundle_id, name))
                yield done.result
        finally:
            for waiting in ahead:
                waiting.cancel()


def _import_batch(run: _Run, delivered: list[tuple[str, str]], start: int,
                  report: ImportReport) -> None:
    """Up to :data:`BATCH` bundles in one durable commit, then their receipts and set-asides
    (the receipts written while the next batch is imported)."""
    store, share = run.store, run.share
    batch = _Batch()
    devices = lead.enrolled_devices(store)
    items = delivered[start:start + BATCH]
    for written in run.receipts:
        if written.done():
            written.result()  # the last batch's receipts could not be written: stop, as before
    with store.transaction() as conn, closing(_reads(run, devices, items)) as reads:
        for done, ((bundle_id, name), read) in enumerate(zip(items, reads, strict=True),
                                                        start=start):
            if run.progress is not None:
                run.progress(done, len(delivered))
            _import_one(run, conn, devices, bundle_id, name, read(), batch)
        conn.executemany(
            "INSERT INTO lead_share_seen(place, file_name, bundle_file, receipt_file) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(place, file_name) DO UPDATE SET "
            "bundle_file = excluded.bundle_file, receipt_file = excluded.receipt_file",
            [(run.place, *row) for row in batch.seen])
    # The batch is on disk: only now is a refused file moved or any device told.
    for name, reason in batch.set_aside:
        try:
            set_aside(share, name, reason)
        except OSError as error:  # left where it is (refused again next time); the batch's
            # receipts are still written: one failed move dropped them all
            log.warning("a refused file could not be moved to quarantine: %s",
                        errno.errorcode.get(error.errno or 0, "I/O error"))
    if batch.receipts:
        share.receipts()  # opened here, not by the writers at once
        run.receipts.append(run.writers.submit(write_receipts, share, run.keys,
                                               batch.receipts))
    for bundle_id in batch.report.imported:
        hub.publish(RECORDS_CHANGED, kind="lead_bundle", record_id=bundle_id)
    _merge(report, batch.report)


def _forget_gone(run: _Run, names: set[str]) -> None:
    """What was found of files no longer in the folder (archived, set aside) is forgotten:
    ``lead_share_seen`` holds no more rows than the share holds bundles."""
    gone = [(run.place, name) for (name,) in run.store.conn.execute(
        "SELECT file_name FROM lead_share_seen WHERE place = ?", (run.place,)).fetchall()
        if name not in names]
    if gone:
        with run.store.transaction() as conn:
            conn.executemany("DELETE FROM lead_share_seen WHERE place = ? AND file_name = ?",
                             gone)


def _merge(report: ImportReport, batch: ImportReport) -> None:
    report.imported += batch.imported
    report.already_held += batch.already_held
    report.rejected += batch.rejected
    report.clock_ahead += batch.clock_ahead
    report.audit_breaks += batch.audit_breaks
    report.audit_waiting.update(batch.audit_waiting)
    for device in [d for d, what in batch.audit_waiting.items() if what == ""]:
        report.audit_waiting.pop(device)


def _delivered(bundles_fd: int) -> list[tuple[str, str]]:
    """(bundle id, file name) of every delivered bundle, links included (to be refused)."""
    found = []
    for name in sorted(os.listdir(bundles_fd)):
        bundle_id = name.removesuffix(BUNDLE_SUFFIX)
        if name.endswith(BUNDLE_SUFFIX) and is_canonical_uuid(bundle_id):
            found.append((bundle_id, name))
    return found


@contextmanager
def _savepoint(conn: Any) -> Iterator[None]:
    """One bundle inside its batch: kept whole or rolled back whole."""
    conn.execute("SAVEPOINT bundle")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back the whole batch (a full disk)
            conn.execute("ROLLBACK TO bundle")
            conn.execute("RELEASE bundle")
        raise
    conn.execute("RELEASE bundle")


def _import_one(run: _Run, conn: Any, devices: Mapping[str, EnrolledDevice], bundle_id: str,
                name: str, read: _Read, batch: _Batch) -> None:
    report = batch.report
    if read.unchanged and read.held is not None and read.seen is not None:
        report.already_held.append(bundle_id)  # its file as checked before: not read again
        _check_receipt(run, batch, bundle_id, name, read.held, read.seen[0], read.seen)
        return
    store = run.store
    if read.file is None:
        # A link or a device file is no device's bundle: set aside, with no receipt.
        reason = str(read.refused)
        _record_rejection(run, name, reason, "")
        batch.set_aside.append((name, reason))
        report.rejected.append((bundle_id, reason))
        return
    delivered, held = read.file, read.held
    digest = delivered.sha256
    if held == digest:
        report.already_held.append(bundle_id)
        _check_receipt(run, batch, bundle_id, name, digest, delivered.key, read.seen)
        return
    if held is not None:
        # Other bytes under the id of a bundle already imported (swapped on the share): set
        # aside, and the receipt is the imported bundle's, written again (the swap may have
        # come before its device collected it; a "rejected" one for the swapped bytes would
        # leave that device waiting for ever, and its sender needs none).
        reason = "a different bundle with this id was imported before"
        _record_rejection(run, name, reason, digest, delivered.data)
        batch.set_aside.append((name, reason))
        batch.receipts.append((bundle_id, held, None))
        report.rejected.append((bundle_id, reason))
        return
    try:
        if delivered.data is None:
            raise BundleRejected("bundle larger than the limit")
        if read.error is not None:
            raise read.error
        checked = read.checked or _check(delivered.data, bundle_id, run.identity, devices,
                                         run.max_size, digest, run.verified_changes)
        with _savepoint(conn):
            imported = _store_bundle(store, checked, announce=False, trails=run.trails)
    except Exception as error:
        if not conn.in_transaction:
            raise  # the store refused the whole batch (a full disk): nothing of it was kept
        reason = (str(error) if isinstance(error, BundleRejected)
                  else f"the bundle could not be read ({type(error).__name__})")
        _record_rejection(run, name, reason, digest, delivered.data)
        batch.set_aside.append((name, reason))
        batch.receipts.append((bundle_id, digest, reason))
        report.rejected.append((bundle_id, reason))
        return
    batch.receipts.append((bundle_id, digest, None))
    batch.seen.append((name, delivered.key, ""))  # its receipt is checked at the next run
    report.imported.append(bundle_id)
    if imported.clock_ahead is not None:
        report.clock_ahead.append((bundle_id, imported.clock_ahead))
    device = imported.verified.manifest.device_id
    run.trails[device] = imported.audit_verified  # its savepoint is released: the copy stays
    report.audit_breaks.extend((device, bundle_id, problem) for problem in imported.audit_breaks)
    report.audit_waiting[device] = imported.audit_waiting or ""


def _check_receipt(run: _Run, batch: _Batch, bundle_id: str, name: str, digest: str,
                   bundle_file: str, seen: tuple[str, str] | None) -> None:
    """A held bundle's receipt: written again if missing or of no use to the device, and what
    was found of both files kept for the next run (when it differs from ``seen``)."""
    known = seen[1] if seen is not None and seen[0] == bundle_file else ""
    receipt_file = receipt_in_place(run.share, run.lead_key, bundle_id, digest, known)
    if receipt_file is None:
        batch.receipts.append((bundle_id, digest, None))  # none, or one that is no use
        receipt_file = ""  # checked again at the next run, once written
    if seen != (bundle_file, receipt_file):
        batch.seen.append((name, bundle_file, receipt_file))


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
