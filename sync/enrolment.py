"""Device enrolment: a device asks to be trusted, the Lead keeps and exports the enrolled list.

The flow: a device makes a key and a self-signed :class:`EnrolmentRequest` naming the profile
fingerprint it trusts; the Lead checks it and adds an :class:`EnrolledDevice`; the Lead exports
the signed :class:`EnrolledDevices` file, which the inbox and importer use to check bundles.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fieldkit.clock import parse_stamp, stamp
from sync.canonical import canonical_json, open_signed_document, public_key_from_text, sign_document
from sync.errors import DevicesFileTampered, EnrolmentRejected
from sync.keys import new_signing_key, signing_public_text

ENROLMENT_FORMAT: Literal[1] = 1
DEVICES_FORMAT: Literal[1] = 1


def new_device_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key with which a device signs its bundles and inbox requests."""
    return new_signing_key()


def new_device_id() -> str:
    """A fresh device id (a random UUID in canonical text form)."""
    return str(uuid.uuid4())


def is_canonical_uuid(text: str) -> bool:
    """True if ``text`` is a UUID in lower-case hyphenated form (the only form ``sync`` writes)."""
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, TypeError, AttributeError):
        return False


_BUNDLE_ID_TAG = b"fieldkit bundle id\x00"
_TAG_BITS = 80
"""Bits of a bundle id that come from its device's id: finding another device id with the
same 80 bits (to be enrolled under it and take a colleague's names) is out of reach."""
_RANDOM_BITS = 122 - _TAG_BITS  # a version 8 UUID has 122 bits of its own


def _device_tag(device_id: str) -> int:
    digest = hashlib.sha256(_BUNDLE_ID_TAG + device_id.encode()).digest()
    return int.from_bytes(digest[:_TAG_BITS // 8], "big")


def _tag_of(value: int) -> int:
    """The device bits of a version 8 bundle id (around its version and variant bits)."""
    return ((value >> 80) << 32) | (((value >> 64) & 0xFFF) << 20) \
        | ((value >> _RANDOM_BITS) & 0xFFFFF)


def new_bundle_id(device_id: str) -> str:
    """A new bundle id bound to the device that seals it: a UUID (version 8) of which 80 bits
    come from the device's id and the other 42 are random. The Lead refuses a bundle whose id
    another device made (:func:`bundle_id_fits_device`), so no enrolled laptop can take a
    colleague's bundle's name on a shared folder and have its own bytes imported in its place."""
    tag = _device_tag(device_id)
    value = ((tag >> 32) << 80) | (0x8 << 76) | (((tag >> 20) & 0xFFF) << 64) \
        | (0b10 << 62) | ((tag & 0xFFFFF) << _RANDOM_BITS) | secrets.randbits(_RANDOM_BITS)
    return str(uuid.UUID(int=value))


def bundle_id_fits_device(bundle_id: str, device_id: str) -> bool:
    """False if ``bundle_id`` was made by :func:`new_bundle_id` for another device. An id made
    by an older fieldkit (a random version 4 UUID) binds no device, and fits any."""
    value = uuid.UUID(bundle_id)
    if value.version != 8:
        return True
    return _tag_of(value.int) == _device_tag(device_id)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _uuid(value: str) -> str:
    if not is_canonical_uuid(value):
        raise ValueError("not a canonical UUID")
    return value


def _key(value: str) -> str:
    public_key_from_text(value)
    return value


def _stamp(value: str) -> str:
    parse_stamp(value)
    return value


class EnrolmentRequest(_Frozen):
    """A device's self-signed request to be enrolled with a Lead."""

    format: Literal[1] = ENROLMENT_FORMAT
    device_id: str
    device_name: str = Field(min_length=1, max_length=200)
    officer: str = Field(min_length=1, max_length=200)
    organisation: str = Field(min_length=1, max_length=200)
    public_key: str
    profile_fingerprint: str = Field(min_length=1, max_length=64)
    created: str = Field(default_factory=stamp)

    _device_id = field_validator("device_id")(_uuid)
    _public_key = field_validator("public_key")(_key)
    _created = field_validator("created")(_stamp)


def make_enrolment_request(
    *,
    device_key: Ed25519PrivateKey,
    device_id: str,
    device_name: str,
    officer: str,
    organisation: str,
    profile_fingerprint: str,
) -> bytes:
    """The signed enrolment request file a device gives its Lead."""
    request = EnrolmentRequest(
        device_id=device_id,
        device_name=device_name,
        officer=officer,
        organisation=organisation,
        public_key=signing_public_text(device_key),
        profile_fingerprint=profile_fingerprint,
    )
    return sign_document(request.model_dump(mode="json"), device_key)


def load_enrolment_request(
    data: bytes, *, expected_fingerprint: str | None = None
) -> EnrolmentRequest:
    """Verify a request's self-signature (and that it names the Lead's own profile fingerprint).

    Raises :class:`EnrolmentRejected`. The self-signature proves the device holds the key; the
    Lead must still confirm the device and officer by another channel before enrolling it.
    """

    def own_key(payload: dict[str, Any]) -> Ed25519PublicKey:
        text = payload.get("public_key")
        if not isinstance(text, str):
            raise ValueError("no device key in the request")
        return public_key_from_text(text)

    try:
        payload = open_signed_document(data, own_key)
        request = EnrolmentRequest.model_validate(payload)
    except ValidationError:
        raise EnrolmentRejected("the request's contents are not valid") from None
    except ValueError as error:
        raise EnrolmentRejected(str(error)) from None
    if canonical_json(request.model_dump(mode="json")) != canonical_json(payload):
        raise EnrolmentRejected("the request is not in canonical form")
    if expected_fingerprint is not None and request.profile_fingerprint != expected_fingerprint:
        raise EnrolmentRejected("it was made against a different Lead profile")
    return request


class EnrolledDevice(_Frozen):
    """One device the Lead trusts (or has revoked), as listed in the enrolled devices file."""

    device_id: str
    public_key: str
    officer: str = Field(min_length=1, max_length=200)
    revoked: bool = False
    added_at: str = Field(default_factory=stamp)

    _device_id = field_validator("device_id")(_uuid)
    _public_key = field_validator("public_key")(_key)
    _added_at = field_validator("added_at")(_stamp)

    @classmethod
    def from_request(cls, request: EnrolmentRequest) -> EnrolledDevice:
        """The entry the Lead adds after accepting ``request``."""
        return cls(
            device_id=request.device_id, public_key=request.public_key, officer=request.officer
        )

    def verifying_key(self) -> Ed25519PublicKey:
        """The device's Ed25519 public key."""
        return public_key_from_text(self.public_key)


class EnrolledDevices(_Frozen):
    """The Lead's signed list of enrolled devices, exported for the inbox and the importer."""

    format: Literal[1] = DEVICES_FORMAT
    issued: str = Field(default_factory=stamp)
    devices: tuple[EnrolledDevice, ...] = ()

    @field_validator("devices")
    @classmethod
    def _unique(cls, devices: tuple[EnrolledDevice, ...]) -> tuple[EnrolledDevice, ...]:
        if len({device.device_id for device in devices}) != len(devices):
            raise ValueError("a device is listed twice")
        return devices

    def by_id(self) -> dict[str, EnrolledDevice]:
        """The devices keyed by device id: the lookup :func:`sync.bundle.read_bundle` takes."""
        return {device.device_id: device for device in self.devices}


def sign_enrolled_devices(devices: Iterable[EnrolledDevice], lead_key: Ed25519PrivateKey) -> bytes:
    """The signed devices file the Lead exports (sorted by device id, so exports are stable)."""
    listing = EnrolledDevices(devices=tuple(sorted(devices, key=lambda d: d.device_id)))
    return sign_document(listing.model_dump(mode="json"), lead_key)


def load_enrolled_devices(data: bytes, lead_public_key: str | Ed25519PublicKey) -> EnrolledDevices:
    """Verify the devices file against the Lead's key and read it; :class:`DevicesFileTampered`."""
    try:
        key = (
            public_key_from_text(lead_public_key)
            if isinstance(lead_public_key, str)
            else lead_public_key
        )
        payload = open_signed_document(data, key)
        return EnrolledDevices.model_validate(payload)
    except ValidationError:
        raise DevicesFileTampered("its contents are not valid") from None
    except ValueError as error:
        raise DevicesFileTampered(str(error)) from None
