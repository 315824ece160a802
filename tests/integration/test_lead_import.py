"""The Lead's importer refuses bad bundles with a reason and changes nothing it holds:
one flipped bit, an unknown device, a revoked device, an oversize bundle, a replayed id with
other content, records that fail validation; and random files never crash or get in."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit import cases, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, import_share, importer, lead, share_folder
from sync.bundle import AuditAnchor, build_bundle
from sync.enrolment import new_device_key
from sync.errors import ReceiptRejected
from sync.freeze import freeze_case
from sync.layout import bundle_path
from sync.transport import FolderTransport
from tests.conftest import PASSPHRASE

LEAD_TABLES = ("lead_bundles", "lead_records", "lead_exhibits")

NO_AUDIT = AuditAnchor(seq=0, hash="0" * 64, since=0)


class Desk:
    """A Lead and an enrolled device sharing a folder."""

    def __init__(self, tmp_path: Path) -> None:
        fast = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}
        self.lead = Store.create(Settings(data_dir=tmp_path / "lead", **fast), PASSPHRASE)
        self.device = Store.create(Settings(data_dir=tmp_path / "dev", **fast), PASSPHRASE)
        self.share = tmp_path / "share"
        self.share.mkdir()
        lead.init_lead(self.lead)
        issued, signed = lead.make_profile(self.lead, council="Example Council", lead_name="Lead",
                                      lead_contact="lead@council.example", folder=str(self.share))
        device.import_profile(self.device, signed,
                              expected_fingerprint=issued.fingerprint())
        lead.add_device(self.lead, device.enrolment_request(
            self.device, device_name="laptop", organisation="Trading Standards"))
        self.transport = FolderTransport(self.share,
                                         lead_public_key=lead.lead_keys(self.lead).public_key)

    def sealed_case(self, title: str = "Operation Import") -> tuple[str, bytes]:
        case = cases.create_case(self.device, title)
        visit = cases.create_visit(self.device, case.id, "Example Nails", "Example Parade")
        notes.add_note(self.device, visit.id, "Two workers, one appeared frightened")
        item = device.send_case(self.device, case.id)
        content = self.device.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?",
            (item.bundle_id,)).fetchone()[0]
        return item.bundle_id, bytes(content)

    def counts(self) -> dict[str, int]:
        return {t: self.lead.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in LEAD_TABLES}

    def drop(self, bundle_id: str, data: bytes) -> None:
        path = bundle_path(self.share, bundle_id)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)

    def refused(self, bundle_id: str, data: bytes, **kwargs: int) -> str:
        before = self.counts()
        self.drop(bundle_id, data)
        report = importer.import_folder(self.lead, self.share, **kwargs)
        assert report.imported == [] and len(report.rejected) == 1, report
        assert self.counts() == before
        assert (self.share / importer.QUARANTINE / f"{bundle_id}.age").exists()
        return report.rejected[0][1]


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    made = Desk(tmp_path)
    yield made
    made.lead.lock()
    made.device.lock()


def test_one_flipped_bit_is_refused(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x01
    assert desk.refused(bundle_id, bytes(damaged))


def test_an_unknown_device_is_refused(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Stranger")
    records, attachments = freeze_case(desk.device, case.id)
    bundle_id = str(uuid.uuid4())
    data = build_bundle(
        bundle_id=bundle_id, device_id=str(uuid.uuid4()), device_key=new_device_key(),
        officer="Someone Else", case_id=case.id, supersedes=None,
        counter=1, audit=NO_AUDIT, audit_events=[],
        schema_versions=device.schema_versions(), records=records, attachments=attachments,
        recipients=[lead.lead_keys(desk.lead).age_recipient],
    )
    assert "unknown device" in desk.refused(bundle_id, data)


def test_a_revoked_device_is_refused(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    lead.revoke_device(desk.lead, device.device_id(desk.device))
    assert "revoked" in desk.refused(bundle_id, data)


def test_an_oversize_bundle_is_refused(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    assert "larger than" in desk.refused(bundle_id, data, max_size=len(data) - 1)


def test_a_replayed_id_with_other_content_is_refused(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    assert importer.import_folder(desk.lead, desk.share).imported == [bundle_id]
    other_id, other = desk.sealed_case("Operation Other")
    del other_id
    assert "different bundle with this id" in desk.refused(bundle_id, other)


def test_records_that_fail_validation_are_refused(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Bad records")
    records, attachments = freeze_case(desk.device, case.id)
    records.append({"type": "form", "id": str(uuid.uuid4()), "case_id": case.id,
                    "visit_id": None, "person_id": None, "kind": "dtn", "status": "draft",
                    "version": 1, "data": {"victim_name": "A Name"},
                    "created_at": records[0]["created_at"],
                    "updated_at": records[0]["created_at"]})
    bundle_id = str(uuid.uuid4())
    data = build_bundle(
        bundle_id=bundle_id, device_id=device.device_id(desk.device),
        device_key=device.signing_key(desk.device), officer="Officer", case_id=case.id,
        supersedes=None,
        counter=1, audit=NO_AUDIT, audit_events=[],
        schema_versions=device.schema_versions(), records=records,
        attachments=attachments, recipients=[lead.lead_keys(desk.lead).age_recipient],
    )
    assert "not valid" in desk.refused(bundle_id, data)


def test_a_good_bundle_is_imported_once_and_receipted(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    desk.transport.send(bundle_id, data)
    assert importer.import_folder(desk.lead, desk.share).imported == [bundle_id]
    assert importer.import_folder(desk.lead, desk.share).already_held == [bundle_id]
    receipt = desk.transport.poll_receipt(bundle_id)
    assert receipt is not None and receipt.status == "imported"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=4096))
def test_random_files_never_crash_the_importer_or_get_in(desk: Desk, junk: bytes) -> None:
    bundle_id = str(uuid.uuid4())
    assert desk.refused(bundle_id, junk)


def test_a_deeply_nested_manifest_is_refused_not_a_crash(desk: Desk) -> None:
    import io
    import tarfile

    import pyrage

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        body = b"[" * 100_000
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    recipient = pyrage.x25519.Recipient.from_str(lead.lead_keys(desk.lead).age_recipient)
    bundle_id = str(uuid.uuid4())
    assert desk.refused(bundle_id, pyrage.encrypt(archive.getvalue(), [recipient]))
    # ...and a good bundle after it is still imported in the same run.
    good_id, good = desk.sealed_case()
    desk.drop(good_id, good)
    assert importer.import_folder(desk.lead, desk.share).imported == [good_id]


def test_the_newest_bundle_is_the_case_as_it_stands(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Operation Snapshot")
    person = cases.add_person(desk.device, case.id, "W2")
    from fieldkit import documents

    documents.save_document(desk.device, case.id, "nrm", {"where_found": {"age_group": "adult"}},
                            person_id=person.id)
    first = device.send_case(desk.device, case.id)
    documents.save_document(desk.device, case.id, "dtn", {}, person_id=person.id)
    second = device.send_case(desk.device, case.id)
    for item in (second, first):  # arrival order does not matter
        content = desk.device.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?",
            (item.bundle_id,)).fetchone()[0]
        desk.drop(item.bundle_id, bytes(content))
    assert len(importer.import_folder(desk.lead, desk.share).imported) == 2
    kinds = [r["kind"] for r in importer.current_records(desk.lead, case.id)
             if r["type"] == "form"]
    assert kinds == ["dtn"]  # never both: the withdrawn NRM is no longer current


def test_a_case_sent_by_another_device_cannot_be_overwritten(desk: Desk, tmp_path: Path) -> None:
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    importer.import_folder(desk.lead, desk.share)
    case_id = desk.lead.conn.execute("SELECT case_id FROM lead_bundles").fetchone()[0]
    other = Store.create(Settings(data_dir=tmp_path / "other", kdf_min_seconds=0.001,
                                  kdf_memory_kib=8192), PASSPHRASE)
    issued, signed = lead.make_profile(desk.lead, council="Example Council", lead_name="Lead",
                                  lead_contact="lead@council.example", folder=str(desk.share))
    device.import_profile(other, signed, expected_fingerprint=issued.fingerprint())
    lead.add_device(desk.lead, device.enrolment_request(
        other, device_name="second", organisation="Trading Standards"))
    records, attachments = freeze_case(desk.device, case_id)  # a copy of the first's case
    forged_id = str(uuid.uuid4())
    forged = build_bundle(
        bundle_id=forged_id, device_id=device.device_id(other),
        device_key=device.signing_key(other),
        officer="Other Officer", case_id=case_id, supersedes=None,
        counter=1, audit=NO_AUDIT, audit_events=[],
        schema_versions=device.schema_versions(), records=records, attachments=attachments,
        recipients=[lead.lead_keys(desk.lead).age_recipient],
    )
    assert "another device" in desk.refused(forged_id, forged)
    other.lock()


def test_a_receipt_lost_in_a_crash_is_written_on_the_next_run(desk: Desk) -> None:
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    importer.import_folder(desk.lead, desk.share)
    (desk.share / "receipts" / f"{bundle_id}.json").unlink()
    assert importer.import_folder(desk.lead, desk.share).already_held == [bundle_id]
    assert desk.transport.poll_receipt(bundle_id) is not None


def test_a_receipt_the_device_cannot_use_is_written_again_on_the_next_run(desk: Desk) -> None:
    """A receipt cut short (a power cut on a share that held the rename but not the bytes) or
    replaced by another bundle's (someone with access to the share) would leave the device
    waiting for ever: the next run writes the right one again."""
    first, first_data = desk.sealed_case()
    second, second_data = desk.sealed_case("Operation Second")
    desk.drop(first, first_data)
    desk.drop(second, second_data)
    assert sorted(importer.import_folder(desk.lead, desk.share).imported) == sorted([first, second])
    receipts = desk.share / "receipts"
    whole = (receipts / f"{first}.json").read_bytes()
    (receipts / f"{first}.json").write_bytes(whole[: len(whole) // 2])
    (receipts / f"{second}.json").write_bytes(whole)  # the first bundle's receipt, copied
    for bundle_id in (first, second):
        with pytest.raises(ReceiptRejected):
            desk.transport.poll_receipt(bundle_id)

    report = importer.import_folder(desk.lead, desk.share)
    assert sorted(report.already_held) == sorted([first, second]) and not report.imported
    for bundle_id, data in ((first, first_data), (second, second_data)):
        receipt = desk.transport.poll_receipt(bundle_id)
        assert receipt is not None and receipt.status == "imported"
        assert receipt.bundle_sha256 == hashlib.sha256(data).hexdigest()
    # A receipt that is right is left as it is.
    kept = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in receipts.iterdir()}
    importer.import_folder(desk.lead, desk.share)
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in receipts.iterdir()} == kept
    # One found right before (and remembered so), then replaced in place by another bundle's
    # of the same size, is written again too.
    (receipts / f"{second}.json").write_bytes((receipts / f"{first}.json").read_bytes())
    importer.import_folder(desk.lead, desk.share)
    receipt = desk.transport.poll_receipt(second)
    assert receipt is not None and receipt.bundle_sha256 == hashlib.sha256(second_data).hexdigest()


def test_a_bundle_swapped_on_the_share_after_import_keeps_its_imported_receipt(
        desk: Desk) -> None:
    """Someone on the share writes other bytes over a bundle already imported, before its
    device collected the receipt: the swapped file is refused and set aside, and the receipt
    is still the imported one for the device's bytes (a "rejected" one for the swapped bytes
    would be ignored by the device, which would then wait for ever)."""
    bundle_id, data = desk.sealed_case()
    _, other = desk.sealed_case("Operation Other")
    desk.drop(bundle_id, data)
    assert importer.import_folder(desk.lead, desk.share).imported == [bundle_id]
    bundle_path(desk.share, bundle_id).write_bytes(other)
    (desk.share / "receipts" / f"{bundle_id}.json").write_bytes(b"{}")  # and the receipt
    report = importer.import_folder(desk.lead, desk.share)
    assert [(i, "different bundle" in why) for i, why in report.rejected] == [(bundle_id, True)]
    assert (desk.share / importer.QUARANTINE / f"{bundle_id}.age").read_bytes() == other
    receipt = desk.transport.poll_receipt(bundle_id)
    assert receipt is not None and receipt.status == "imported"
    assert receipt.bundle_sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("read_ahead", [importer.READ_AHEAD, 0])
def test_a_held_bundle_found_as_it_was_is_not_read_or_checked_again(
        desk: Desk, monkeypatch: pytest.MonkeyPatch, read_ahead: int) -> None:
    """The share keeps every bundle ever delivered: an import reads what has arrived since,
    not all of them again. A held bundle (and its receipt) whose file is the one checked before
    is not opened; a file touched since is read and checked again (with the files read ahead
    on a thread, and without)."""
    monkeypatch.setattr(importer, "READ_AHEAD", read_ahead)
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    assert importer.import_folder(desk.lead, desk.share).imported == [bundle_id]
    assert importer.import_folder(desk.lead, desk.share).already_held == [bundle_id]  # receipt
    opened: list[str] = []

    def reading(folder_fd: int, name: str, max_size: int) -> share_folder.SharedFile:
        opened.append(name)
        return share_folder.read_file(folder_fd, name, max_size)

    monkeypatch.setattr(importer, "read_file", reading)
    monkeypatch.setattr(import_share, "read_file", reading)
    newer_id, newer = desk.sealed_case("Operation Newer")
    desk.drop(newer_id, newer)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.already_held == [bundle_id] and report.imported == [newer_id]
    assert opened == [f"{newer_id}.age"]  # only what arrived since

    opened.clear()
    os.utime(bundle_path(desk.share, bundle_id))  # touched (as a copy or a restore would)
    receipt = desk.share / "receipts" / f"{newer_id}.json"
    receipt.write_bytes(receipt.read_bytes()[:10])  # damaged
    report = importer.import_folder(desk.lead, desk.share)
    assert sorted(report.already_held) == sorted([bundle_id, newer_id])
    assert sorted(opened) == sorted([f"{bundle_id}.age", f"{bundle_id}.json",
                                     f"{newer_id}.json"])
    assert desk.transport.poll_receipt(newer_id) is not None  # written again


def test_a_request_cannot_silently_reinstate_or_rekey_a_device(desk: Desk) -> None:
    from fieldkit.errors import InvalidInput
    from sync.enrolment import make_enrolment_request

    device_id = device.device_id(desk.device)
    profile = device.current_profile(desk.device)
    assert profile is not None
    impostor = make_enrolment_request(
        device_key=new_device_key(), device_id=device_id, device_name="laptop",
        officer="Someone", organisation="Trading Standards",
        profile_fingerprint=profile.fingerprint())
    with pytest.raises(InvalidInput, match="already enrolled with another key"):
        lead.add_device(desk.lead, impostor)
    lead.revoke_device(desk.lead, device_id)
    with pytest.raises(InvalidInput, match="was revoked"):
        lead.add_device(desk.lead, impostor)
    assert lead.enrolled_devices(desk.lead)[device_id].revoked
    lead.add_device(desk.lead, impostor, replace=True)  # after a phone call, on purpose
    assert not lead.enrolled_devices(desk.lead)[device_id].revoked


def _import_copy(desk: Desk, tmp_path: Path, name: str, ahead: int,
                 monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """Import a copy of the share into a copy of the Lead's store, reading ``ahead`` files
    ahead; what it imported, refused and kept, and the receipts there once it returned."""
    fast = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}
    share = tmp_path / f"share-{name}"
    shutil.copytree(desk.share, share, symlinks=True)
    shutil.copytree(tmp_path / "lead-before", tmp_path / f"lead-{name}")
    monkeypatch.setattr(importer, "READ_AHEAD", ahead)
    with Store.open(Settings(data_dir=tmp_path / f"lead-{name}", **fast), PASSPHRASE) as store:
        report = importer.import_folder(store, share)
        receipts = sorted(path.name for path in (share / "receipts").iterdir())
        kept = [store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in (*LEAD_TABLES, "lead_audit_events", "lead_audit_breaks")]
        cases_held = [(c.case_id, c.title, c.records) for c in importer.lead_cases(store)]
    return (sorted(report.imported), sorted(report.rejected), report.audit_breaks,
            receipts, kept, cases_held)


def test_reading_ahead_across_batches_imports_and_refuses_the_same(
        desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)
    sent = [desk.sealed_case(f"Operation {n}") for n in range(7)]
    for bundle_id, data in sent:
        desk.drop(bundle_id, data)
    under_another_id = str(uuid.uuid4())
    desk.drop(under_another_id, sent[0][1])
    link = str(uuid.uuid4())
    os.symlink(bundle_path(desk.share, sent[1][0]), bundle_path(desk.share, link))
    desk.lead.lock()
    shutil.copytree(tmp_path / "lead", tmp_path / "lead-before")
    desk.lead = Store.open(Settings(data_dir=tmp_path / "lead", kdf_min_seconds=0.001,
                                    kdf_memory_kib=8192), PASSPHRASE)
    at_once = _import_copy(desk, tmp_path, "plain", 0, monkeypatch)
    ahead = _import_copy(desk, tmp_path, "ahead", 2, monkeypatch)
    assert ahead == at_once
    imported, rejected, breaks, receipts, kept, held = ahead
    assert imported == sorted(bundle_id for bundle_id, _ in sent) and breaks == []
    assert sorted(bundle_id for bundle_id, _ in rejected) == sorted([under_another_id, link])
    # Every batch's receipts are written by the time the import returns (the link gets none).
    assert receipts == sorted(f"{b}.json" for b in [*imported, under_another_id])
    assert kept[0] == 7 and len(held) == 7


def test_a_pack_already_held_is_kept_once_and_whole(desk: Desk) -> None:
    from bench.rig import queue_cases

    sent = queue_cases(desk.device, 3, reuse_packs=True)  # three cases, the same printed packs
    for bundle_id in sent:
        desk.drop(bundle_id, bytes(desk.device.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?", (bundle_id,)).fetchone()[0]))
    assert sorted(importer.import_folder(desk.lead, desk.share).imported) == sorted(sent)
    packs = {record["sha256"] for case_id in {c.case_id for c in importer.lead_cases(desk.lead)}
             for record in importer.current_records(desk.lead, case_id) if "sha256" in record}
    rows = desk.lead.conn.execute("SELECT sha256, content FROM lead_exhibits").fetchall()
    assert packs and {digest for digest, _ in rows} == packs  # each held once, for all three
    for digest, content in rows:
        assert hashlib.sha256(bytes(content)).hexdigest() == digest


def test_a_run_killed_mid_write_leaves_nothing_behind_for_long(desk: Desk) -> None:
    """Receipts and reasons are written to temp files first: those a killed run left are
    removed by the next once stale (an hour), never one another run is writing now, nor any
    other file."""
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    importer.import_folder(desk.lead, desk.share)
    receipts, quarantine = desk.share / "receipts", desk.share / importer.QUARANTINE
    quarantine.mkdir()
    stale = [receipts / ".tmp-0123456789abcdef.part", quarantine / ".tmp-fedcba9876543210.part"]
    fresh = receipts / ".tmp-00000000000000ff.part"
    others = [receipts / ".tmp-notours.part", receipts / "notes.txt"]
    for path in [*stale, fresh, *others]:
        path.write_bytes(b"half a receipt")
    hours_ago = os.stat(fresh).st_mtime - 2 * 3600
    for path in [*stale, *others]:
        os.utime(path, (hours_ago, hours_ago))
    (receipts / ".tmp-aaaaaaaaaaaaaaaa.part").symlink_to(desk.share / "receipts" / "notes.txt")

    assert importer.import_folder(desk.lead, desk.share).already_held == [bundle_id]
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and all(path.exists() for path in others)
    assert (receipts / ".tmp-aaaaaaaaaaaaaaaa.part").is_symlink()  # not a file it wrote
    assert desk.transport.poll_receipt(bundle_id) is not None


def test_what_was_found_of_a_file_gone_from_the_share_is_forgotten(desk: Desk) -> None:
    kept_id, kept = desk.sealed_case()
    gone_id, gone = desk.sealed_case("Operation Archived")
    desk.drop(kept_id, kept)
    desk.drop(gone_id, gone)
    importer.import_folder(desk.lead, desk.share)
    importer.import_folder(desk.lead, desk.share)

    def seen() -> list[str]:
        return sorted(row[0] for row in desk.lead.conn.execute(
            "SELECT file_name FROM lead_share_seen"))

    assert seen() == sorted([f"{kept_id}.age", f"{gone_id}.age"])
    bundle_path(desk.share, gone_id).unlink()  # archived off the share
    assert importer.import_folder(desk.lead, desk.share).already_held == [kept_id]
    assert seen() == [f"{kept_id}.age"]
    assert {row[0] for row in desk.lead.conn.execute("SELECT bundle_id FROM lead_bundles")} == {
        kept_id, gone_id}  # the Lead still holds what it imported
