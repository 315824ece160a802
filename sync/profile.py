"""The Lead profile: who receives bundles, how they travel, and the council's policy.

The Lead signs the profile with an Ed25519 key. A device trusts a profile only after an officer
compares its :meth:`LeadProfile.fingerprint` with the one the Lead reads out over the phone:
the signature stops changes in transit, the fingerprint stops a forged profile re-signed by
someone else's key.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fieldkit.clock import parse_stamp, stamp
from sync.canonical import canonical_json, open_signed_document, public_key_from_text, sign_document
from sync.errors import InsecureDestination, ProfileTampered
from sync.keys import parse_age_recipient, signing_public_text

PROFILE_FORMAT: Literal[1] = 1


def is_loopback_host(host: str) -> bool:
    """True for this machine only: ``localhost``, 127.0.0.0/8 and ``::1``."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_inbox_url(url: str) -> str:
    """Return ``url`` without a trailing slash if it is a usable inbox address.

    Raises :class:`InsecureDestination` for plain ``http://`` to another machine and
    ``ValueError`` for anything that is not an ``https://`` (or loopback ``http://``) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("an inbox address must be an https:// URL")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("an inbox address has no user, query or fragment")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureDestination()
    return url.rstrip("/")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FolderDestination(_Frozen):
    """Bundles are written to a shared folder (a network share or removable drive)."""

    kind: Literal["folder"] = "folder"
    path: str = Field(min_length=1)


class InboxDestination(_Frozen):
    """Bundles are sent to the council's HTTPS inbox, optionally pinned to one certificate."""

    kind: Literal["inbox"] = "inbox"
    url: str
    certificate_pem: str | None = None

    @field_validator("url")
    @classmethod
    def _safe_url(cls, url: str) -> str:
        return check_inbox_url(url)

    @field_validator("certificate_pem")
    @classmethod
    def _real_certificate(cls, pem: str | None) -> str | None:
        if pem is not None:
            from cryptography import x509  # only for an inbox profile: not at every start

            x509.load_pem_x509_certificates(pem.encode("ascii"))
        return pem


Destination = Annotated[FolderDestination | InboxDestination, Field(discriminator="kind")]


class DevicePolicy(_Frozen):
    """Council policy applied on officers' devices; ``None`` switches a rule off."""

    auto_lock_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    retention_days: int | None = Field(default=None, ge=1, le=100 * 365)


class LeadProfile(_Frozen):
    """Everything a device needs to send bundles to one council's Modern Slavery Lead."""

    format: Literal[1] = PROFILE_FORMAT
    council: str = Field(min_length=1, max_length=200)
    lead_name: str = Field(min_length=1, max_length=200)
    lead_contact: str = Field(min_length=1, max_length=200)
    recipients: tuple[str, ...] = Field(min_length=1, max_length=16)
    destination: Destination
    policy: DevicePolicy = DevicePolicy()
    lead_public_key: str
    created: str = Field(default_factory=stamp)
    serial: int | None = Field(default=None, ge=1)
    """Counts up with every profile the Lead issues; a device refuses one not newer than its own.
    Profiles from before serials existed have none (and are not part of what was signed)."""

    @field_validator("recipients")
    @classmethod
    def _age_recipients(cls, recipients: tuple[str, ...]) -> tuple[str, ...]:
        for recipient in recipients:
            parse_age_recipient(recipient)
        if len(set(recipients)) != len(recipients):
            raise ValueError("a recipient is listed twice")
        return recipients

    @field_validator("lead_public_key")
    @classmethod
    def _ed25519_key(cls, key: str) -> str:
        public_key_from_text(key)
        return key

    @field_validator("created")
    @classmethod
    def _utc_stamp(cls, created: str) -> str:
        parse_stamp(created)
        return created

    def canonical_bytes(self) -> bytes:
        """The exact bytes the Lead signs and the fingerprint summarises."""
        return canonical_json(self.to_payload())

    def to_payload(self) -> dict[str, Any]:
        """The profile as a JSON-able dict (lists, not tuples)."""
        payload = self.model_dump(mode="json")
        if payload["serial"] is None:
            del payload["serial"]  # so a profile signed before serials keeps its fingerprint
        return payload

    def fingerprint(self) -> str:
        """A short code to read over the phone: 5 groups of 4 base32 characters (100 bits)."""
        digest = hashlib.sha256(b"fieldkit-lead-profile\n" + self.canonical_bytes()).digest()
        text = base64.b32encode(digest).decode("ascii")[:20]
        return "-".join(text[i : i + 4] for i in range(0, 20, 4))


def sign_profile(profile: LeadProfile, lead_key: Ed25519PrivateKey) -> bytes:
    """The signed profile file the Lead hands to officers' devices."""
    if signing_public_text(lead_key) != profile.lead_public_key:
        raise ValueError("the profile names a different Lead key than the one signing it")
    return sign_document(profile.to_payload(), lead_key)


def load_profile(data: bytes, *, trusted_lead_key: str | None = None) -> LeadProfile:
    """Verify and read a signed profile file.

    The signature must match the Lead key inside the profile and, when ``trusted_lead_key`` is
    given (a device updating a profile it already trusts), that key too. Raises
    :class:`ProfileTampered` on any fault and :class:`InsecureDestination` for a plain-http inbox.
    """

    def embedded_key(payload: dict[str, Any]) -> Any:
        text = payload.get("lead_public_key")
        if not isinstance(text, str):
            raise ValueError("no Lead key in the profile")
        if trusted_lead_key is not None and text != trusted_lead_key:
            raise ValueError("signed by a different Lead key than the trusted profile")
        return public_key_from_text(text)

    try:
        payload = open_signed_document(data, embedded_key)
    except ValueError as error:
        raise ProfileTampered(str(error)) from None
    try:
        profile = LeadProfile.model_validate(payload)
    except ValidationError:
        raise ProfileTampered("the profile's contents are not valid") from None
    if profile.canonical_bytes() != canonical_json(payload):
        # Defaults filled in or values coerced would make the fingerprint cover other bytes
        # than the ones signed; refuse rather than show a misleading fingerprint.
        raise ProfileTampered("the profile is not in canonical form")
    return profile


def _destination_words(destination: FolderDestination | InboxDestination) -> str:
    if isinstance(destination, FolderDestination):
        return f"the shared folder {destination.path}"
    pinned = " (certificate pinned)" if destination.certificate_pem else ""
    return f"the inbox {destination.url}{pinned}"


def _policy_words(name: str, value: int | None, unit: str) -> str:
    return f"{name} off" if value is None else f"{name} {value} {unit}"


def profile_changes(old: LeadProfile, new: LeadProfile) -> list[str]:
    """What an update changes, in plain words, for the officer to read before accepting it:
    recipients added or removed, the destination, and the council's policy."""
    changes = [f"recipient added: {r}" for r in new.recipients if r not in old.recipients]
    changes += [f"recipient removed: {r}" for r in old.recipients if r not in new.recipients]
    if old.destination != new.destination:
        changes.append(f"bundles go to {_destination_words(new.destination)} instead of "
                       f"{_destination_words(old.destination)}")
    for name, unit, before, after in (
        ("auto-lock", "minutes", old.policy.auto_lock_minutes, new.policy.auto_lock_minutes),
        ("retention", "days", old.policy.retention_days, new.policy.retention_days),
    ):
        if before != after:
            changes.append(f"{_policy_words(name, after, unit)} "
                           f"(was {_policy_words(name, before, unit)})")
    for label, before_text, after_text in (
        ("council", old.council, new.council),
        ("Lead", old.lead_name, new.lead_name),
        ("Lead's contact", old.lead_contact, new.lead_contact),
    ):
        if before_text != after_text:
            changes.append(f"{label}: {after_text} (was {before_text})")
    return changes
