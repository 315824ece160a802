"""Bundles: one case's records and attachments, signed by the device and encrypted with age.

A bundle is a standard age file (so the ``age`` command opens it with the Lead's identity). The
plaintext is a deterministic ustar archive (:mod:`sync.archive`) holding, in this order::

    manifest.json          canonical JSON: ids, officer, case, schema versions, part digests
    signature              Ed25519 signature by the device over the exact manifest bytes
    records.json           canonical JSON list of record dicts
    audit.json             the device's audit events no earlier bundle carries (those after the
                           head of the last one sealed that the Lead has not refused)
    attachments/<sha256>   one file per attachment, named by its SHA-256

:func:`read_bundle` checks all of it and returns a :class:`VerifiedBundle`, or raises
:class:`BundleRejected` with a plain reason; it never returns anything half-checked.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from fieldkit.clock import parse_stamp, stamp
from sync.archive import (
    ArchiveError,
    first_entry,
    is_written_archive,
    read_archive,
    write_archive,
)
from sync.canonical import (
    canonical_json,
    public_key_from_text,
    refuse_json_constant,
    strict_json_loads,
)
from sync.enrolment import EnrolledDevice, bundle_id_fits_device, is_canonical_uuid
from sync.errors import BundleRejected
from sync.keys import parse_age_identity, parse_age_recipient

BUNDLE_FORMAT: Literal[2] = 2
AGE_MAGIC = b"age-encryption.org/v1\n"
DEFAULT_MAX_BUNDLE_BYTES = 256 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MANIFEST = "manifest.json"
SIGNATURE = "signature"
RECORDS = "records.json"
AUDIT = "audit.json"
ATTACHMENTS = "attachments/"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def attachment_name(digest: str) -> str:
    """The archive name of the attachment whose SHA-256 (lower-case hex) is ``digest``."""
    return ATTACHMENTS + digest


def _allowed_name(name: str) -> bool:
    if name in (MANIFEST, SIGNATURE, RECORDS, AUDIT):
        return True
    return name.startswith(ATTACHMENTS) and bool(_SHA256_HEX.fullmatch(name[len(ATTACHMENTS) :]))


class PartDigest(BaseModel):
    """The SHA-256 and size of one payload part, as listed in the manifest."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class AuditAnchor(BaseModel):
    """The device's audit trail as the bundle was sealed: its head, and the sequence number the
    events carried in ``audit.json`` follow (the head of the last bundle sealed before it that
    the Lead has not refused, see ``sync.device``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    seq: int = Field(ge=0)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    since: int = Field(ge=0)

    @model_validator(mode="after")
    def _since_not_after_head(self) -> AuditAnchor:
        if self.since > self.seq:
            raise ValueError("the events carried cannot start after the head")
        return self


class BundleManifest(BaseModel):
    """What a bundle claims to be; trusted only once the device signature over it verifies."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    type: Literal["fieldkit-bundle"] = "fieldkit-bundle"
    format: Literal[2] = BUNDLE_FORMAT
    bundle_id: str
    device_id: str
    counter: int = Field(ge=1)
    """The device's own count of bundles sealed: it orders a case's versions, never a clock."""
    audit: AuditAnchor
    officer: str = Field(min_length=1, max_length=200)
    case_id: str = Field(min_length=1, max_length=200)
    supersedes: str | None = None
    created: str
    schema_versions: dict[str, int]
    parts: dict[str, PartDigest]

    @field_validator("bundle_id", "device_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not is_canonical_uuid(value):
            raise ValueError("not a canonical UUID")
        return value

    @field_validator("supersedes")
    @classmethod
    def _optional_uuid(cls, value: str | None) -> str | None:
        if value is not None and not is_canonical_uuid(value):
            raise ValueError("not a canonical UUID")
        return value

    @field_validator("created")
    @classmethod
    def _stamp(cls, value: str) -> str:
        created_time(value)
        return value


_STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})Z")


def created_time(created: str) -> datetime:
    """A manifest's ``created`` as a time: :func:`fieldkit.clock.parse_stamp`, without its
    ``strptime`` for a stamp in the form every device writes (the same time, the same errors)."""
    match = _STAMP.fullmatch(created)
    if match is None:
        return parse_stamp(created)  # any other form it accepts
    year, month, day, hour, minute, second, micro = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:
        return parse_stamp(created)  # raises as it does


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check: its manifest, records and attachments by SHA-256."""

    manifest: BundleManifest
    records: list[dict[str, Any]] = field(repr=False)
    audit_events: list[dict[str, Any]] = field(repr=False)
    attachments: dict[str, bytes] = field(repr=False)
    sha256: str
    """SHA-256 of the encrypted bundle file, to name it in receipts."""


def build_bundle(
    *,
    bundle_id: str,
    device_id: str,
    device_key: Ed25519PrivateKey,
    officer: str,
    case_id: str,
    supersedes: str | None,
    counter: int,
    audit: AuditAnchor,
    audit_events: list[dict[str, Any]],
    schema_versions: dict[str, int],
    records: list[dict[str, Any]],
    attachments: dict[str, bytes],
    recipients: list[str],
    created: str | None = None,
) -> bytes:
    """Sign and encrypt one bundle to every age recipient; returns the age file's bytes."""
    for digest, content in attachments.items():
        if hashlib.sha256(content).hexdigest() != digest:
            raise ValueError(f"attachment {digest[:12]}... is not named by its SHA-256")
    if not recipients:
        raise ValueError("a bundle needs at least one recipient")
    age_recipients = [parse_age_recipient(recipient) for recipient in recipients]
    parts = {RECORDS: canonical_json(records), AUDIT: canonical_json(audit_events)}
    for digest in sorted(attachments):
        parts[attachment_name(digest)] = attachments[digest]
    manifest = BundleManifest(
        bundle_id=bundle_id,
        device_id=device_id,
        officer=officer,
        case_id=case_id,
        supersedes=supersedes,
        counter=counter,
        audit=audit,
        created=created or stamp(),
        schema_versions=dict(schema_versions),
        parts={
            name: PartDigest(sha256=hashlib.sha256(body).hexdigest(), size=len(body))
            for name, body in parts.items()
        },
    )
    manifest_bytes = canonical_json(manifest.model_dump(mode="json"))
    archive = write_archive(
        {MANIFEST: manifest_bytes, SIGNATURE: device_key.sign(manifest_bytes), **parts}
    )
    return bytes(pyrage.encrypt(archive, age_recipients))


def _decrypt(
    data: bytes, identities: Sequence[str | pyrage.x25519.Identity], max_size: int
) -> bytes:
    if len(data) > max_size:
        raise BundleRejected("bundle larger than the limit")
    if not data.startswith(AGE_MAGIC):
        raise BundleRejected("not an age file")
    keys = [parse_age_identity(i) if isinstance(i, str) else i for i in identities]
    try:
        return bytes(pyrage.decrypt(data, keys))
    except pyrage.DecryptError as error:
        if "no matching keys" in str(error).lower():
            raise BundleRejected("not encrypted to any of the Lead's keys") from None
        raise BundleRejected("the age file is damaged and cannot be decrypted") from None


@dataclass(frozen=True)
class ClaimedSender:
    """Who a bundle that was refused says it is from, read from its manifest WITHOUT checking
    the signature: a claim to show as one ("claims to be from"), never a fact."""

    device_id: str
    officer: str


def claimed_sender(data: bytes, identities: Sequence[str | pyrage.x25519.Identity],
                   max_size: int) -> ClaimedSender | None:
    """The sender a delivered file's manifest names, if its start can be decrypted and read
    (age decrypts chunk by chunk, and the manifest is the archive's first entry: a file damaged
    further on still says who it claims to be from); ``None`` when nothing can be read. Never
    trusted: the caller words it as a claim."""
    if len(data) > max_size or not data.startswith(AGE_MAGIC):
        return None
    plain = io.BytesIO()
    # Damaged further on, decrypting stops there: what came before is kept in `plain`.
    with contextlib.suppress(Exception):
        keys = [parse_age_identity(i) if isinstance(i, str) else i for i in identities]
        pyrage.decrypt_io(io.BytesIO(data), plain, keys)
    try:
        name, manifest = first_entry(plain.getvalue()[:MAX_MANIFEST_BYTES + 1024])
        if name != MANIFEST:
            return None
        fields = json.loads(manifest)
        device_id, officer = fields["device_id"], fields["officer"]
    except Exception:  # anything unreadable says nothing about its sender
        return None
    if not isinstance(device_id, str) or not is_canonical_uuid(device_id) or \
            not isinstance(officer, str):
        return None
    return ClaimedSender(device_id, " ".join(officer.split())[:200])


@functools.lru_cache(maxsize=1024)
def _verifying_key(public_key: str) -> Ed25519PublicKey:
    """An enrolled device's key, read from its text once (not once per bundle)."""
    return public_key_from_text(public_key)


def _signed_manifest(
    entries: Mapping[str, bytes], devices: Mapping[str, EnrolledDevice]
) -> tuple[bytes, Any]:
    """The manifest bytes and their parsed JSON (not yet trusted beyond the signature), once
    the enrolled device's signature over those bytes has verified."""
    manifest_bytes, signature = entries.get(MANIFEST), entries.get(SIGNATURE)
    if manifest_bytes is None or signature is None:
        raise BundleRejected("manifest or signature missing")
    if len(manifest_bytes) > MAX_MANIFEST_BYTES:
        raise BundleRejected("manifest larger than the limit")
    # Only the device id is read before the signature is checked: it says whose key to use.
    try:
        claimed = strict_json_loads(manifest_bytes)
    except ValueError:
        raise BundleRejected("manifest is not valid JSON") from None
    device_id = claimed.get("device_id") if isinstance(claimed, dict) else None
    if not isinstance(device_id, str) or not is_canonical_uuid(device_id):
        raise BundleRejected("manifest names no valid device")
    device = devices.get(device_id)
    if device is None:
        raise BundleRejected("unknown device")
    if device.revoked:
        raise BundleRejected(f"device revoked ({device_id})")
    try:
        _verifying_key(device.public_key).verify(signature, manifest_bytes)
    except InvalidSignature:
        raise BundleRejected(f"signature does not match device {device_id}") from None
    return manifest_bytes, claimed


def _check_manifest(
    manifest_bytes: bytes, claimed: Any, known_schemas: Mapping[str, int]
) -> BundleManifest:
    """``claimed``: ``manifest_bytes`` as parsed (strictly) by :func:`_signed_manifest`."""
    try:
        if isinstance(claimed, dict) and claimed.get("format") == 1:
            raise BundleRejected(
                "made by an older fieldkit, without a bundle counter or audit anchor: update "
                "fieldkit on the device and send the case again"
            )
        manifest = BundleManifest.model_validate(claimed)
    except (ValidationError, ValueError):
        raise BundleRejected("manifest is not valid") from None
    if canonical_json(manifest.model_dump(mode="json")) != manifest_bytes:
        raise BundleRejected("manifest is not in canonical form")
    for kind, version in manifest.schema_versions.items():
        if kind not in known_schemas:
            raise BundleRejected(f"unknown record schema {kind[:40]!r}")
        if not 1 <= version <= known_schemas[kind]:
            raise BundleRejected(f"record schema {kind} version {version} is not supported")
    return manifest


def _check_parts(manifest: BundleManifest, entries: Mapping[str, bytes]) -> None:
    payload = {name for name in entries if name not in (MANIFEST, SIGNATURE)}
    for required in (RECORDS, AUDIT):
        if required not in manifest.parts:
            raise BundleRejected(f"manifest lists no {required}")
    for name in sorted(set(manifest.parts) | payload):
        if name not in payload:
            raise BundleRejected(f"part {name} missing")
        if name not in manifest.parts:
            raise BundleRejected(f"part {name} not in the manifest")
        body, expected = entries[name], manifest.parts[name]
        if len(body) != expected.size:
            raise BundleRejected(f"part {name} size mismatch")
        digest = hashlib.sha256(body).hexdigest()
        if digest != expected.sha256:
            raise BundleRejected(f"part {name} hash mismatch")
        if name.startswith(ATTACHMENTS) and name != attachment_name(digest):
            raise BundleRejected(f"part {name} is not named by its hash")


def _objects(body: bytes, name: str, what: str) -> list[dict[str, Any]]:
    try:
        # No duplicate-key hook (a Python call per object, the bulk of reading a long audit
        # part): the canonical comparison below refuses a repeated key, which cannot survive
        # the re-encoding. NaN and Infinity are still refused while parsing.
        items = json.loads(body.decode("utf-8"), parse_constant=refuse_json_constant)
    except (RecursionError, ValueError):
        raise BundleRejected(f"part {name} is not valid JSON") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BundleRejected(f"part {name} is not a list of {what}")
    if canonical_json(items) != body:
        raise BundleRejected(f"part {name} is not in canonical form")
    return items


def read_bundle(
    data: bytes,
    *,
    identities: Sequence[str | pyrage.x25519.Identity],
    devices: Mapping[str, EnrolledDevice],
    known_schemas: Mapping[str, int],
    max_size: int = DEFAULT_MAX_BUNDLE_BYTES,
    expected_bundle_id: str | None = None,
    sha256: str | None = None,
) -> VerifiedBundle:
    """Decrypt and verify a bundle; raise :class:`BundleRejected` with a plain reason on any fault.

    ``identities`` are the Lead's (or deputy's) age identities; ``devices`` the enrolled devices
    by id; ``known_schemas`` the highest version of each record schema this importer reads;
    ``expected_bundle_id`` the id the bundle was delivered under (file name or inbox URL);
    ``sha256`` the SHA-256 of ``data`` when the caller took it already (reading the file).
    """
    plaintext = _decrypt(data, identities, max_size)
    try:
        entries = read_archive(plaintext, allowed=_allowed_name)
    except ArchiveError as error:
        raise BundleRejected(str(error)) from None
    manifest_bytes, claimed = _signed_manifest(entries, devices)
    manifest = _check_manifest(manifest_bytes, claimed, known_schemas)
    if expected_bundle_id is not None and manifest.bundle_id != expected_bundle_id:
        raise BundleRejected(f"bundle id does not match the one delivered ({expected_bundle_id})")
    if not bundle_id_fits_device(manifest.bundle_id, manifest.device_id):
        raise BundleRejected("sealed under a bundle id another laptop made (its file was "
                             "replaced on the share)")
    _check_parts(manifest, entries)
    records = _objects(entries[RECORDS], RECORDS, "records")
    audit_events = _objects(entries[AUDIT], AUDIT, "audit events")
    attached = sorted(name for name in entries if name.startswith(ATTACHMENTS))
    canonical_order = [MANIFEST, SIGNATURE, RECORDS, AUDIT, *attached]
    # Byte-for-byte the archive the device's own code would write: no field of it (times, modes,
    # order, padding, trailing data) can have been altered without the bundle being refused.
    # Checked in place, without writing the archive again (sync.archive.is_written_archive).
    if not is_written_archive(plaintext, entries, canonical_order):
        raise BundleRejected("the archive is not in canonical form")
    attachments = {name[len(ATTACHMENTS) :]: entries[name] for name in attached}
    return VerifiedBundle(
        manifest=manifest,
        records=records,
        audit_events=audit_events,
        attachments=attachments,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
    )
