"""Bundles: a round trip, and every way a damaged or forged bundle must be refused, with its reason.

``BundleKit`` (no test in it) is reused by the age CLI and fuzz tests.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import uuid
from dataclasses import dataclass, field
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.archive import write_archive
from sync.bundle import (
    AUDIT,
    MANIFEST,
    RECORDS,
    SIGNATURE,
    AuditAnchor,
    VerifiedBundle,
    build_bundle,
    read_bundle,
)
from sync.canonical import canonical_json, strict_json_loads
from sync.enrolment import EnrolledDevice, new_device_id, new_device_key
from sync.errors import BundleRejected
from sync.keys import LeadKeys, signing_public_text

KNOWN_SCHEMAS = {"note": 2, "premises_visit": 1}
PHOTO = b"\x89PNG fictional photo bytes " * 200
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()
RECORDS_SAMPLE: list[dict[str, Any]] = [
    {"kind": "note", "id": "note-1", "text": "Visited a fictional car wash; two workers seen."},
    {"kind": "premises_visit", "id": "visit-1", "address": "1 Example Street, Testtown"},
]


@dataclass
class BundleKit:
    """A Lead, a deputy and one enrolled device, with helpers to build and read bundles."""

    lead: LeadKeys = field(default_factory=LeadKeys.generate)
    deputy: LeadKeys = field(default_factory=LeadKeys.generate)
    device_key: Ed25519PrivateKey = field(default_factory=new_device_key)
    device_id: str = field(default_factory=new_device_id)
    revoked: bool = False

    @property
    def devices(self) -> dict[str, EnrolledDevice]:
        device = EnrolledDevice(
            device_id=self.device_id,
            public_key=signing_public_text(self.device_key),
            officer="Officer Test",
            revoked=self.revoked,
        )
        return {self.device_id: device}

    def build(self, **overrides: Any) -> bytes:
        arguments: dict[str, Any] = {
            "bundle_id": str(uuid.uuid4()),
            "device_id": self.device_id,
            "device_key": self.device_key,
            "officer": "Officer Test",
            "case_id": "case-0001",
            "supersedes": None,
            "counter": 1,
            "audit": AuditAnchor(seq=0, hash="0" * 64, since=0),
            "audit_events": [],
            "schema_versions": {"note": 2, "premises_visit": 1},
            "records": RECORDS_SAMPLE,
            "attachments": {PHOTO_SHA: PHOTO},
            "recipients": [self.lead.age_recipient, self.deputy.age_recipient],
        }
        arguments.update(overrides)
        return build_bundle(**arguments)

    def read(self, data: bytes, **overrides: Any) -> VerifiedBundle:
        arguments: dict[str, Any] = {
            "identities": [self.lead.age_identity],
            "devices": self.devices,
            "known_schemas": KNOWN_SCHEMAS,
        }
        arguments.update(overrides)
        return read_bundle(data, **arguments)

    def open_archive(self, data: bytes) -> bytes:
        """The plaintext archive of a bundle (as the Lead's age identity sees it)."""
        identity = pyrage.x25519.Identity.from_str(self.lead.age_identity)
        return bytes(pyrage.decrypt(data, [identity]))

    def entries(self, data: bytes) -> dict[str, bytes]:
        with tarfile.open(fileobj=io.BytesIO(self.open_archive(data))) as archive:
            return {
                member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
                for member in archive.getmembers()
            }

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt arbitrary plaintext to the Lead, as an attacker who knows the recipient can."""
        return bytes(
            pyrage.encrypt(plaintext, [pyrage.x25519.Recipient.from_str(self.lead.age_recipient)])
        )


@pytest.fixture
def kit() -> BundleKit:
    return BundleKit()


def rejected(kit: BundleKit, data: bytes, **overrides: Any) -> str:
    with pytest.raises(BundleRejected) as caught:
        kit.read(data, **overrides)
    return caught.value.reason


def test_round_trip_gives_back_everything(kit: BundleKit) -> None:
    bundle_id, earlier = str(uuid.uuid4()), str(uuid.uuid4())
    data = kit.build(bundle_id=bundle_id, supersedes=earlier)
    verified = kit.read(data, expected_bundle_id=bundle_id)
    assert verified.records == RECORDS_SAMPLE
    assert verified.attachments == {PHOTO_SHA: PHOTO}
    assert verified.manifest.bundle_id == bundle_id
    assert verified.manifest.supersedes == earlier
    assert verified.manifest.device_id == kit.device_id
    assert verified.manifest.case_id == "case-0001"
    assert verified.manifest.schema_versions == {"note": 2, "premises_visit": 1}
    assert verified.sha256 == hashlib.sha256(data).hexdigest()


def test_the_deputy_can_open_it_too(kit: BundleKit) -> None:
    assert kit.read(kit.build(), identities=[kit.deputy.age_identity]).records == RECORDS_SAMPLE


def test_archive_is_deterministic_and_in_the_documented_order(kit: BundleKit) -> None:
    first = kit.build(
        bundle_id="00000000-0000-4000-8000-000000000001", created="2026-01-01T00:00:00.000000Z"
    )
    second = kit.build(
        bundle_id="00000000-0000-4000-8000-000000000001", created="2026-01-01T00:00:00.000000Z"
    )
    assert kit.open_archive(first) == kit.open_archive(second)
    assert list(kit.entries(first)) == [
        MANIFEST, SIGNATURE, RECORDS, AUDIT, f"attachments/{PHOTO_SHA}"
    ]


def test_an_empty_bundle_round_trips(kit: BundleKit) -> None:
    verified = kit.read(kit.build(records=[], attachments={}))
    assert verified.records == [] and verified.attachments == {}


def test_build_refuses_an_attachment_not_named_by_its_hash(kit: BundleKit) -> None:
    with pytest.raises(ValueError):
        kit.build(attachments={"0" * 64: PHOTO})


@pytest.mark.parametrize("where", [0, 30, 100, -200, -17, -1, "middle"])
def test_one_flipped_bit_anywhere_is_refused(kit: BundleKit, where: int | str) -> None:
    data = bytearray(kit.build())
    index = len(data) // 2 if where == "middle" else int(where)
    data[index] ^= 0x01
    reason = rejected(kit, bytes(data))
    assert reason in {
        "not an age file",
        "the age file is damaged and cannot be decrypted",
        "not encrypted to any of the Lead's keys",
    }


def test_truncated_bundle_is_refused(kit: BundleKit) -> None:
    data = kit.build()
    assert rejected(kit, data[:-1]) == "the age file is damaged and cannot be decrypted"


def test_not_an_age_file(kit: BundleKit) -> None:
    assert rejected(kit, b"PK\x03\x04 a zip file") == "not an age file"


def test_wrong_recipient(kit: BundleKit) -> None:
    data = kit.build(recipients=[LeadKeys.generate().age_recipient])
    assert rejected(kit, data) == "not encrypted to any of the Lead's keys"


def test_oversize_is_refused_before_decrypting(kit: BundleKit) -> None:
    data = kit.build()
    assert rejected(kit, data, max_size=len(data) - 1) == "bundle larger than the limit"
    assert kit.read(data, max_size=len(data)).records == RECORDS_SAMPLE


def test_unknown_device(kit: BundleKit) -> None:
    other = BundleKit(lead=kit.lead)
    assert rejected(kit, other.build()) == "unknown device"


def test_revoked_device(kit: BundleKit) -> None:
    data = kit.build()
    kit.revoked = True
    assert rejected(kit, data) == f"device revoked ({kit.device_id})"


def test_signature_by_another_key_claiming_the_device(kit: BundleKit) -> None:
    data = kit.build(device_key=new_device_key())
    assert rejected(kit, data) == f"signature does not match device {kit.device_id}"


def _resealed(kit: BundleKit, data: bytes, change: Any) -> bytes:
    entries = kit.entries(data)
    change(entries)
    return kit.seal(write_archive(entries))


def test_tampered_manifest_is_refused(kit: BundleKit) -> None:
    def edit(entries: dict[str, bytes]) -> None:
        manifest = strict_json_loads(entries[MANIFEST])
        manifest["case_id"] = "case-9999"
        entries[MANIFEST] = canonical_json(manifest)

    assert rejected(kit, _resealed(kit, kit.build(), edit)) == (
        f"signature does not match device {kit.device_id}"
    )


def test_tampered_records_part_is_refused(kit: BundleKit) -> None:
    def edit(entries: dict[str, bytes]) -> None:
        entries[RECORDS] = entries[RECORDS].replace(b"two workers", b"ten workers")

    assert rejected(kit, _resealed(kit, kit.build(), edit)) == "part records.json hash mismatch"


def test_tampered_attachment_is_refused(kit: BundleKit) -> None:
    def edit(entries: dict[str, bytes]) -> None:
        entries[f"attachments/{PHOTO_SHA}"] = PHOTO[:-1] + b"X"

    assert rejected(kit, _resealed(kit, kit.build(), edit)) == (
        f"part attachments/{PHOTO_SHA} hash mismatch"
    )


def test_missing_and_extra_parts_are_refused(kit: BundleKit) -> None:
    def drop(entries: dict[str, bytes]) -> None:
        del entries[f"attachments/{PHOTO_SHA}"]

    assert (
        rejected(kit, _resealed(kit, kit.build(), drop)) == f"part attachments/{PHOTO_SHA} missing"
    )
    extra = hashlib.sha256(b"smuggled").hexdigest()

    def add(entries: dict[str, bytes]) -> None:
        entries[f"attachments/{extra}"] = b"smuggled"

    assert rejected(kit, _resealed(kit, kit.build(), add)) == (
        f"part attachments/{extra} not in the manifest"
    )


def test_archive_not_byte_for_byte_canonical_is_refused(kit: BundleKit) -> None:
    entries = kit.entries(kit.build())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, body in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(body), 1_700_000_000, 0o600
            archive.addfile(info, io.BytesIO(body))
    assert rejected(kit, kit.seal(buffer.getvalue())) == "the archive is not in canonical form"


def test_reordered_archive_is_refused(kit: BundleKit) -> None:
    entries = kit.entries(kit.build())
    reordered = dict(reversed(list(entries.items())))
    assert (
        rejected(kit, kit.seal(write_archive(reordered))) == "the archive is not in canonical form"
    )


def _raw_tar(*members: tuple[tarfile.TarInfo, bytes], form: int = tarfile.USTAR_FORMAT) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=form) as archive:
        for info, body in members:
            archive.addfile(info, io.BytesIO(body) if body else None)
    return buffer.getvalue()


def _file(name: str, body: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    return info, body


@pytest.mark.parametrize(
    "name",
    [
        "../manifest.json",
        "/etc/passwd",
        "attachments/../../x",
        "attachments/../records.json",
        "./manifest.json",
        "attachments\\..\\x",
        "manifest.json/",
    ],
)
def test_path_traversal_names_are_refused(kit: BundleKit, name: str) -> None:
    reason = rejected(kit, kit.seal(_raw_tar(_file(name))))
    assert reason in {
        "an archive entry has an unsafe name",
        "the archive holds an unexpected entry",
    }


def test_unexpected_names_are_refused(kit: BundleKit) -> None:
    assert (
        rejected(kit, kit.seal(_raw_tar(_file("evil.sh"))))
        == "the archive holds an unexpected entry"
    )
    assert rejected(kit, kit.seal(_raw_tar(_file("attachments/abc")))) == (
        "the archive holds an unexpected entry"
    )


@pytest.mark.parametrize(
    "kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.FIFOTYPE]
)
def test_links_and_special_files_are_refused(kit: BundleKit, kind: bytes) -> None:
    info = tarfile.TarInfo(MANIFEST)
    info.type = kind
    info.linkname = "/etc/passwd" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
    reason = rejected(kit, kit.seal(_raw_tar((info, b""))))
    assert reason in {
        "the archive holds something other than regular files",
        "the archive uses links or long names",
    }


def test_long_names_and_pax_headers_are_refused(kit: BundleKit) -> None:
    long_name = "attachments/" + "a" * 120
    gnu = _raw_tar(_file(long_name), form=tarfile.GNU_FORMAT)
    assert rejected(kit, kit.seal(gnu)) == "the archive is not plain ustar"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo(MANIFEST)
        info.pax_headers = {"path": "../escape"}
        archive.addfile(info, io.BytesIO(b""))
    assert rejected(kit, kit.seal(buffer.getvalue())) == (
        "the archive holds something other than regular files"
    )


def test_duplicate_names_are_refused(kit: BundleKit) -> None:
    data = kit.seal(_raw_tar(_file(MANIFEST, b"{}"), _file(MANIFEST, b"{}")))
    assert rejected(kit, data) == "an archive entry appears twice"


def test_truncated_archive_is_refused(kit: BundleKit) -> None:
    archive = kit.open_archive(kit.build())
    assert rejected(kit, kit.seal(archive[:700])) == "the archive is truncated"
    assert rejected(kit, kit.seal(b"")) == "the archive is truncated"


def test_manifest_missing(kit: BundleKit) -> None:
    entries = kit.entries(kit.build())
    del entries[MANIFEST]
    assert rejected(kit, kit.seal(write_archive(entries))) == "manifest or signature missing"


def test_unknown_or_newer_schema_is_refused(kit: BundleKit) -> None:
    assert rejected(kit, kit.build(schema_versions={"witness_statement": 1})) == (
        "unknown record schema 'witness_statement'"
    )
    assert rejected(kit, kit.build(schema_versions={"note": 3})) == (
        "record schema note version 3 is not supported"
    )


def test_bundle_delivered_under_another_id_is_refused(kit: BundleKit) -> None:
    other = str(uuid.uuid4())
    assert rejected(kit, kit.build(), expected_bundle_id=other) == (
        f"bundle id does not match the one delivered ({other})"
    )


def test_records_that_are_not_a_list_of_objects_are_refused(kit: BundleKit) -> None:
    # Signed by the real device key, so only the records check can catch it.
    with pytest.raises(BundleRejected, match="not a list of records"):
        kit.read(kit.build(records=[1, 2, 3]))


def test_reasons_carry_no_personal_data(kit: BundleKit) -> None:
    for data in (kit.build(device_key=new_device_key()), kit.build(schema_versions={"x": 1})):
        with pytest.raises(BundleRejected) as caught:
            kit.read(data)
        assert "Officer Test" not in str(caught.value)
        assert "car wash" not in str(caught.value)
