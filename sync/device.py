"""The officer's device side of sync: the imported Lead profile, the device's signing key,
enrolment, and sealing a case into a bundle in the outbox."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit import audit
from fieldkit.clock import stamp
from fieldkit.errors import FieldkitError, InvalidInput
from fieldkit.store import Store

# The form models, the bundle and freezing code (reportlab among them), the outbox, and the
# profile's signature checking are imported by the functions that need them: the app asks for
# the profile at unlock, and a device without one needs none of them.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync import outbox
    from sync.bundle import AuditAnchor
    from sync.profile import LeadProfile

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


class ProfileNotNewer(FieldkitError):
    """A profile no newer than the one this device holds: it could bring back what the Lead
    removed (a recipient, a share, a shorter retention)."""

    def __init__(self, offered: int | None, held: int | None) -> None:
        super().__init__(
            f"This profile (number {offered or 0}) is not newer than the one already on this "
            f"device (number {held or 0}), so it was not imported. Ask your Modern Slavery Lead "
            "for their latest profile."
        )


class FingerprintMismatch(FieldkitError):
    """The profile's fingerprint is not the one the officer was given by the Lead."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(
            f"This profile's fingerprint is {actual}, not {expected} as given, so it was not "
            "imported. Check the fingerprint with your Modern Slavery Lead by phone."
        )


@dataclass(frozen=True)
class ProfileUpdate:
    """A verified profile and what it would change, shown to the officer before importing."""

    profile: LeadProfile
    changes: list[str]
    """Empty for a first profile; otherwise recipients, destination and policy changes."""


def schema_versions() -> dict[str, int]:
    """The schema version of every record kind a bundle may carry."""
    from forms import KINDS

    versions = {"records": RECORDS_SCHEMA}
    for kind, model in KINDS.items():
        versions[f"form.{kind}"] = int(model.model_fields["schema_version"].default)
    return versions


def current_profile(store: Store) -> LeadProfile | None:
    """The Lead profile this device trusts, if one was imported."""
    raw = store.meta(PROFILE_KEY)
    if raw is None:
        return None
    from sync.profile import load_profile

    return load_profile(base64.b64decode(raw))


def preview_profile(store: Store, data: bytes) -> ProfileUpdate:
    """Verify a profile against the one held (same Lead key, newer serial) and say what changes.

    Raises :class:`ProfileReplaced`, :class:`ProfileNotNewer` or a profile error; imports nothing.
    """
    from sync.profile import load_profile, profile_changes

    existing = current_profile(store)
    profile = load_profile(data)
    if existing is None:
        return ProfileUpdate(profile, [])
    if existing.lead_public_key != profile.lead_public_key:
        raise ProfileReplaced()
    if (profile.serial or 0) <= (existing.serial or 0):
        raise ProfileNotNewer(profile.serial, existing.serial)
    return ProfileUpdate(profile, profile_changes(existing, profile))


def import_profile(store: Store, data: bytes, *, expected_fingerprint: str) -> LeadProfile:
    """Verify and keep a Lead profile whose fingerprint the officer compared with the Lead's.

    Refuses a fingerprint other than ``expected_fingerprint`` (as the Lead read it out), a
    profile signed by another Lead key, and one not newer than the profile already held.
    """
    profile = preview_profile(store, data).profile
    given = expected_fingerprint.strip().upper().replace(" ", "-")
    if given != profile.fingerprint():
        raise FingerprintMismatch(expected_fingerprint.strip(), profile.fingerprint())
    with store.transaction():
        store.set_meta(PROFILE_KEY, base64.b64encode(data).decode("ascii"))
        store.audit("profile.import", "profile", profile.fingerprint())
    return profile


def device_id(store: Store) -> str:
    """This device's id (made when the store was created)."""
    import uuid  # loaded when an id is made, not at every start

    value = store.meta("device_id")
    if value is None:
        value = str(uuid.uuid4())
        with store.transaction():
            store.set_meta("device_id", value)
    return value


def signing_key(store: Store) -> Ed25519PrivateKey:
    """This device's Ed25519 key, made on first use and kept only in the encrypted store."""
    from sync.enrolment import new_device_key
    from sync.keys import signing_key_from_bytes, signing_key_to_bytes

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
    from sync.enrolment import make_enrolment_request

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
    from fieldkit import cases  # the record services: not needed to start the app
    from sync import outbox
    from sync.bundle import build_bundle
    from sync.enrolment import new_bundle_id
    from sync.freeze import freeze_case
    from sync.retention import PURGED_TITLE

    profile = current_profile(store)
    if profile is None:
        raise NotEnrolled()
    case = cases.get_case(store, case_id)
    if case.title == PURGED_TITLE:
        raise InvalidInput("This case's personal data was purged after the Lead imported it; "
                           "there is nothing left to send.")
    frozen_at = stamp()  # before reading: a change made while sealing is newer than the bundle
    records, attachments = freeze_case(store, case_id)
    previous = _latest_sealed(store, case_id)
    key, this_device = signing_key(store), device_id(store)
    bundle_id = new_bundle_id(this_device)
    counter, anchor, events = _next_anchor(store.conn)
    sealed = build_bundle(
        bundle_id=bundle_id,
        device_id=this_device,
        device_key=key,
        officer=store.actor,
        case_id=case_id,
        supersedes=previous,
        counter=counter,
        audit=anchor,
        audit_events=events,
        schema_versions=schema_versions(),
        records=records,
        attachments=attachments,
        recipients=list(profile.recipients),
    )
    with store.transaction() as conn:
        # One commit keeps the counter and the queued bundle together. Sealing is one at a time
        # (the app's sealer, one command): a counter taken meanwhile is refused, not reused.
        taken = conn.execute("SELECT 1 FROM bundle_anchors WHERE counter = ?",
                             (counter,)).fetchone()
        if taken is not None:
            raise InvalidInput("Another bundle was sealed at the same moment; send the case "
                               "again.")
        conn.execute(
            "INSERT INTO bundle_anchors(bundle_id, counter, audit_since, audit_seq, audit_hash) "
            "VALUES (?, ?, ?, ?, ?)",
            (bundle_id, counter, anchor.since, anchor.seq, anchor.hash),
        )
        return outbox.enqueue(store, bundle_id, case_id, previous, sealed, frozen_at=frozen_at)


def _latest_sealed(store: Store, case_id: str) -> str | None:
    """The bundle a new one supersedes: the last sealed for the case by counter, not by clock."""
    from sync import outbox

    row = store.conn.execute(
        "SELECT o.bundle_id FROM outbox o JOIN bundle_anchors a ON a.bundle_id = o.bundle_id "
        "WHERE o.case_id = ? ORDER BY a.counter DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    if row is not None:
        return str(row[0])
    legacy = outbox.latest_for_case(store, case_id)  # sealed before bundles had a counter
    return None if legacy is None else legacy.bundle_id


def _next_anchor(conn: Any) -> tuple[int, AuditAnchor, list[dict[str, Any]]]:
    """The next bundle counter, the audit head now, and the events no live bundle carries yet.

    Each bundle carries the events after the newest one still on its way or imported, so the
    segments do not repeat; a bundle the Lead refused (or never queued) leaves its events to
    the next bundle, so no gap stays in the Lead's copy.
    """
    from sync import outbox
    from sync.bundle import AuditAnchor

    rows = conn.execute(
        "SELECT a.counter, a.audit_since, a.audit_seq, "
        "o.bundle_id IS NOT NULL AND o.state != ? "
        "FROM bundle_anchors a LEFT JOIN outbox o ON o.bundle_id = a.bundle_id ORDER BY a.counter",
        (outbox.OutboxState.REFUSED.value,),
    ).fetchall()
    live = [(counter, since, seq) for counter, since, seq, alive in rows if alive]
    lost = [(counter, since) for counter, since, _, alive in rows if not alive]
    starts = [live[-1][2]] if live else [0]
    starts += [since for counter, since in lost
               if not any(c > counter and s <= since for c, s, _ in live)]
    seq, digest = audit.head(conn)
    since = min(min(starts), seq)
    counter = (rows[-1][0] if rows else 0) + 1
    return counter, AuditAnchor(seq=seq, hash=digest, since=since), audit.events_since(conn, since)
