"""The officer's device side of sync: the imported Lead profile, the device's signing key,
enrolment, and sealing a case into a bundle in the outbox."""

from __future__ import annotations

import base64
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit import cases
from fieldkit.clock import stamp
from fieldkit.errors import FieldkitError, InvalidInput
from fieldkit.store import Store
from forms import KINDS
from sync import outbox
from sync.bundle import build_bundle
from sync.enrolment import make_enrolment_request, new_device_key
from sync.freeze import freeze_case
from sync.keys import signing_key_from_bytes, signing_key_to_bytes
from sync.profile import LeadProfile, load_profile
from sync.retention import PURGED_TITLE

PROFILE_KEY = "lead_profile"
SIGNING_KEY = "device_signing_key"
RECORDS_SCHEMA = 1


class NotEnrolled(FieldkitError):
    """The device has no Lead profile yet, so there is nowhere (and no one) to send to."""

    def __init__(self) -> None:
        super().__init__(
            "This device has no Lead profile yet. Import the profile your Modern Slavery Lead "
            "gave you: fieldkit device enrol --lead-profile FILE."
        )


class ProfileReplaced(FieldkitError):
    """A profile signed by a different Lead key than the one this device already trusts."""

    def __init__(self) -> None:
        super().__init__(
            "This profile is signed by a different Lead key than the profile already on this "
            "device, so it was not imported. Check with your Modern Slavery Lead."
        )


def schema_versions() -> dict[str, int]:
    """The schema version of every record kind a bundle may carry."""
    versions = {"records": RECORDS_SCHEMA}
    for kind, model in KINDS.items():
        versions[f"form.{kind}"] = int(model.model_fields["schema_version"].default)
    return versions


def current_profile(store: Store) -> LeadProfile | None:
    """The Lead profile this device trusts, if one was imported."""
    raw = store.meta(PROFILE_KEY)
    return None if raw is None else load_profile(base64.b64decode(raw))


def import_profile(store: Store, data: bytes) -> LeadProfile:
    """Verify and keep a Lead profile; a later profile must be signed by the same Lead key."""
    existing = current_profile(store)
    profile = load_profile(data)
    if existing is not None and existing.lead_public_key != profile.lead_public_key:
        raise ProfileReplaced()
    with store.transaction():
        store.set_meta(PROFILE_KEY, base64.b64encode(data).decode("ascii"))
        store.audit("profile.import", "profile", profile.fingerprint())
    return profile


def device_id(store: Store) -> str:
    """This device's id (made when the store was created)."""
    value = store.meta("device_id")
    if value is None:
        value = str(uuid.uuid4())
        with store.transaction():
            store.set_meta("device_id", value)
    return value


def signing_key(store: Store) -> Ed25519PrivateKey:
    """This device's Ed25519 key, made on first use and kept only in the encrypted store."""
    raw = store.meta(SIGNING_KEY)
    if raw is not None:
        return signing_key_from_bytes(base64.b64decode(raw))
    key = new_device_key()
    with store.transaction():
        store.set_meta(SIGNING_KEY, base64.b64encode(signing_key_to_bytes(key)).decode("ascii"))
        store.audit("device.key_create")
    return key


def enrolment_request(store: Store, *, device_name: str, organisation: str) -> bytes:
    """The signed request the officer gives the Lead to enrol this device."""
    profile = current_profile(store)
    if profile is None:
        raise NotEnrolled()
    return make_enrolment_request(
        device_key=signing_key(store),
        device_id=device_id(store),
        device_name=device_name,
        officer=store.actor,
        organisation=organisation,
        profile_fingerprint=profile.fingerprint(),
    )


def send_case(store: Store, case_id: str) -> outbox.OutboxItem:
    """Freeze a case into a new bundle for the Lead and queue it; it supersedes the last one."""
    profile = current_profile(store)
    if profile is None:
        raise NotEnrolled()
    case = cases.get_case(store, case_id)
    if case.title == PURGED_TITLE:
        raise InvalidInput("This case's personal data was purged after the Lead imported it; "
                           "there is nothing left to send.")
    frozen_at = stamp()  # before reading: a change made while sealing is newer than the bundle
    records, attachments = freeze_case(store, case_id)
    previous = outbox.latest_for_case(store, case_id)
    bundle_id = str(uuid.uuid4())
    sealed = build_bundle(
        bundle_id=bundle_id,
        device_id=device_id(store),
        device_key=signing_key(store),
        officer=store.actor,
        case_id=case_id,
        supersedes=previous.bundle_id if previous else None,
        schema_versions=schema_versions(),
        records=records,
        attachments=attachments,
        recipients=list(profile.recipients),
    )
    return outbox.enqueue(store, bundle_id, case_id, previous.bundle_id if previous else None,
                          sealed, frozen_at=frozen_at)
