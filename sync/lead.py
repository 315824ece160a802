"""The Lead's side of keys and enrolment: the Lead's identity in the Lead's encrypted store,
the signed Lead profile, and the register of enrolled devices."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath, PureWindowsPath

from pydantic import ValidationError

from fieldkit.clock import stamp
from fieldkit.errors import FieldkitError, InvalidInput, NotFound
from fieldkit.store import Store
from sync.enrolment import (
    EnrolledDevice,
    load_enrolment_request,
    sign_enrolled_devices,
)
from sync.errors import InsecureDestination
from sync.keys import LeadKeys, parse_age_recipient
from sync.profile import (
    Destination,
    DevicePolicy,
    FolderDestination,
    InboxDestination,
    LeadProfile,
    load_profile,
    sign_profile,
)

KEYS = "lead_keys"
ISSUED = "lead_profiles_issued"
SERIAL = "lead_profile_serial"


class NotALead(FieldkitError):
    """A Lead command on a store that has not been set up in the Lead role."""

    def __init__(self) -> None:
        super().__init__("This store is not set up for the Modern Slavery Lead: run "
                         "'fieldkit lead init' first.")


class DeviceAlreadyEnrolled(InvalidInput):
    """A request naming a device already enrolled with another key, or revoked: not changed
    unless the Lead, having checked with the officer, asks to replace it."""

    def __init__(self, device_id: str, revoked: bool) -> None:
        state = "was revoked" if revoked else "is already enrolled with another key"
        super().__init__(
            f"Device {device_id} {state}; it was not changed. Check with the officer "
            "by phone, then use --replace if this is really their device."
        )
        self.device_id = device_id
        self.revoked = revoked


class EnrolmentOutcome(Enum):
    """What enrolling a request did."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    """The same request again (same device, same key, not revoked): nothing to do."""


@dataclass(frozen=True)
class Enrolment:
    """A device enrolled from its request: who and what, and what changed."""

    device: EnrolledDevice
    device_name: str
    organisation: str
    outcome: EnrolmentOutcome


LIMITS = {"auto-lock minutes": (1, 24 * 60), "retention days": (1, 100 * 365)}
"""What the device policy accepts (as :class:`sync.profile.DevicePolicy` checks)."""
TEXT_LIMIT = 200
"""The longest council name, Lead's name or contact a profile holds."""


def init_lead(store: Store) -> LeadKeys:
    """Give this store the Lead role and a new Lead identity (refuses to replace one)."""
    if store.meta(KEYS) is not None:
        raise InvalidInput("This store already holds a Lead identity; it was not replaced.")
    keys = LeadKeys.generate()
    with store.transaction():
        store.set_meta("role", "lead")
        store.set_meta(KEYS, base64.b64encode(keys.to_bytes()).decode("ascii"))
        store.audit("lead.init")
    return keys


def lead_keys(store: Store) -> LeadKeys:
    """The Lead's secrets, from the encrypted store."""
    raw = store.meta(KEYS)
    if raw is None:
        raise NotALead()
    return LeadKeys.from_bytes(base64.b64decode(raw))


def _is_full_path(path: str) -> bool:
    """A path every laptop reads the same way: from the root (POSIX), a drive or a network
    share (Windows); never relative to wherever a program happens to run."""
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def _destination(folder: str | None, inbox_url: str | None,
                 inbox_cert_pem: str | None) -> Destination:
    """The destination, or one plain sentence saying what is wrong with it."""
    if (folder is None) == (inbox_url is None):
        raise InvalidInput("Give exactly one destination: --folder DIR or --inbox-url URL.")
    if folder is not None:
        if not folder.strip():
            raise InvalidInput("Give the shared folder's path.")
        if not _is_full_path(folder.strip()):
            raise InvalidInput(
                f"The shared folder {folder} is not a full path: give it as officers' laptops "
                "reach it, such as /mnt/ms-share, S:\\ms-share or \\\\server\\ms-share.")
        return FolderDestination(path=folder)
    try:
        return InboxDestination(url=str(inbox_url), certificate_pem=inbox_cert_pem)
    except InsecureDestination as error:
        raise InvalidInput(str(error)) from None
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][-1]) if error.errors() else ""
        if field == "certificate_pem":
            raise InvalidInput("The inbox certificate is not a PEM certificate (a text file "
                               "beginning -----BEGIN CERTIFICATE-----).") from None
        raise InvalidInput(f"The inbox address {inbox_url} is not an https:// address "
                           "(such as https://inbox.council.example).") from None


def _check_profile_fields(council: str, lead_name: str, lead_contact: str,
                          retention_days: int | None, auto_lock_minutes: int | None) -> None:
    for what, text in (("council's name", council), ("Lead's name", lead_name),
                       ("Lead's contact", lead_contact)):
        if not text.strip() or len(text) > TEXT_LIMIT:
            raise InvalidInput(f"Give the {what} (1 to {TEXT_LIMIT} characters).")
    for what, value in (("retention days", retention_days),
                        ("auto-lock minutes", auto_lock_minutes)):
        low, high = LIMITS[what]
        if value is not None and not low <= value <= high:
            raise InvalidInput(f"The {what} must be from {low} to {high} (or left unset).")


def make_profile(
    store: Store,
    *,
    council: str,
    lead_name: str,
    lead_contact: str,
    folder: str | None = None,
    inbox_url: str | None = None,
    inbox_cert_pem: str | None = None,
    extra_recipients: list[str] | None = None,
    retention_days: int | None = None,
    auto_lock_minutes: int | None = None,
) -> tuple[LeadProfile, bytes]:
    """Write a signed profile naming where bundles go and who can read them.

    Anything wrong with what was given is one :class:`InvalidInput` sentence, before anything
    is recorded as issued."""
    keys = lead_keys(store)
    destination = _destination(folder, inbox_url, inbox_cert_pem)
    _check_profile_fields(council, lead_name, lead_contact, retention_days, auto_lock_minutes)
    for recipient in extra_recipients or []:
        try:
            parse_age_recipient(recipient)
        except ValueError:
            raise InvalidInput(
                f"Recipient {recipient} is not an age public key (age1...)."
            ) from None
    recipients = tuple(dict.fromkeys([keys.age_recipient, *(extra_recipients or [])]))
    if len(recipients) > 16:
        raise InvalidInput("A profile names at most 16 recipients (the Lead and 15 more).")
    serial = int(store.meta(SERIAL) or 0) + 1
    profile = LeadProfile(
        serial=serial,
        council=council, lead_name=lead_name, lead_contact=lead_contact, recipients=recipients,
        destination=destination,
        policy=DevicePolicy(retention_days=retention_days, auto_lock_minutes=auto_lock_minutes),
        lead_public_key=keys.public_key,
    )
    signed = sign_profile(profile, keys.signing_key)
    with store.transaction():
        issued = (store.meta(ISSUED) or "").split()
        store.set_meta(ISSUED, " ".join([*issued, profile.fingerprint()]))
        store.set_meta(SERIAL, str(serial))
        store.set_meta(NEWEST, signed.decode("utf-8"))
        store.audit("lead.profile", "profile", profile.fingerprint())
    return load_profile(signed), signed


NEWEST = "lead.newest_profile"
"""Meta key: the last profile this Lead issued, as signed (the Set-up tab starts from it)."""


def newest_profile(store: Store) -> LeadProfile | None:
    """The last profile this Lead issued, or None (none yet, or issued before it was kept)."""
    kept = store.meta(NEWEST)
    return load_profile(kept.encode("utf-8")) if kept else None


def newest_profile_fingerprint(store: Store) -> str | None:
    """The fingerprint of the last profile this Lead issued (``None`` before the first)."""
    lead_keys(store)
    issued = (store.meta(ISSUED) or "").split()
    return issued[-1] if issued else None


def enrol(store: Store, request_bytes: bytes, *, replace: bool = False) -> Enrolment:
    """Enrol a device from its signed request (made against one of this Lead's profiles).

    A request naming a device already enrolled (or revoked) is refused with
    :class:`DeviceAlreadyEnrolled` unless ``replace``: it could be someone reinstating a stolen
    laptop's identity under a key of their own.
    """
    lead_keys(store)
    request = load_enrolment_request(request_bytes)
    if request.profile_fingerprint not in (store.meta(ISSUED) or "").split():
        raise InvalidInput("This enrolment request was made against a profile this Lead did "
                           "not issue; it was not accepted.")
    device = EnrolledDevice.from_request(request)
    existing = store.conn.execute(
        "SELECT public_key, revoked_at FROM lead_devices WHERE device_id = ?",
        (device.device_id,),
    ).fetchone()
    if existing is not None and existing[0] == device.public_key and existing[1] is None:
        return Enrolment(device, request.device_name, request.organisation,
                         EnrolmentOutcome.UNCHANGED)
    if existing is not None and not replace:
        raise DeviceAlreadyEnrolled(device.device_id, revoked=existing[1] is not None)
    with store.transaction() as conn:
        conn.execute("DELETE FROM lead_devices WHERE device_id = ?", (device.device_id,))
        conn.execute(
            "INSERT INTO lead_devices(device_id, device_name, officer, organisation, public_key, "
            "added_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (device.device_id, request.device_name, request.officer, request.organisation,
             device.public_key, device.added_at),
        )
        store.audit("lead.device_replace" if existing else "lead.device_add", "device",
                    device.device_id)
    return Enrolment(device, request.device_name, request.organisation,
                     EnrolmentOutcome.REPLACED if existing else EnrolmentOutcome.ADDED)


def add_device(store: Store, request_bytes: bytes, *, replace: bool = False) -> EnrolledDevice:
    """Enrol a device from its signed request (see :func:`enrol`); the entry added."""
    return enrol(store, request_bytes, replace=replace).device


def list_devices(store: Store) -> list[tuple[EnrolledDevice, str, str]]:
    """Every device the Lead enrolled: (entry, device name, organisation)."""
    lead_keys(store)
    rows = store.conn.execute(
        "SELECT device_id, public_key, officer, revoked_at, added_at, device_name, organisation "
        "FROM lead_devices ORDER BY added_at"
    ).fetchall()
    return [
        (EnrolledDevice(device_id=r[0], public_key=r[1], officer=r[2], revoked=r[3] is not None,
                        added_at=r[4]), r[5], r[6])
        for r in rows
    ]


def enrolled_devices(store: Store) -> dict[str, EnrolledDevice]:
    """The lookup the bundle reader takes."""
    return {device.device_id: device for device, _, _ in list_devices(store)}


def revoke_device(store: Store, device_id: str) -> None:
    """Stop trusting a device: its bundles and uploads are refused from now on."""
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE lead_devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
            (stamp(), device_id),
        ).rowcount
        if not changed:
            raise NotFound("enrolled device", device_id)
        store.audit("lead.device_revoke", "device", device_id)


def export_devices(store: Store) -> bytes:
    """The signed enrolled-devices file for the inbox."""
    keys = lead_keys(store)
    return sign_enrolled_devices([d for d, _, _ in list_devices(store)], keys.signing_key)
