"""The Lead profile: signature, tamper detection, fingerprint, and the plain-http refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sync.canonical import canonical_json, sign_document, strict_json_loads
from sync.errors import InsecureDestination, ProfileTampered
from sync.keys import LeadKeys
from sync.profile import (
    DevicePolicy,
    LeadProfile,
    check_inbox_url,
    is_loopback_host,
    load_profile,
    sign_profile,
)


def make_profile(lead: LeadKeys, deputy: LeadKeys, **overrides: Any) -> LeadProfile:
    fields: dict[str, Any] = {
        "council": "Exampleshire County Council",
        "lead_name": "Alex Example",
        "lead_contact": "msl@exampleshire.invalid",
        "recipients": [lead.age_recipient, deputy.age_recipient],
        "destination": {"kind": "inbox", "url": "https://inbox.exampleshire.invalid"},
        "policy": {"auto_lock_minutes": 5, "retention_days": None},
        "lead_public_key": lead.public_key,
    }
    fields.update(overrides)
    return LeadProfile.model_validate(fields)


@pytest.fixture
def lead() -> LeadKeys:
    return LeadKeys.generate()


@pytest.fixture
def profile(lead: LeadKeys) -> LeadProfile:
    return make_profile(lead, LeadKeys.generate())


def test_signed_profile_round_trips(lead: LeadKeys, profile: LeadProfile) -> None:
    loaded = load_profile(sign_profile(profile, lead.signing_key))
    assert loaded == profile
    assert loaded.fingerprint() == profile.fingerprint()
    assert loaded.policy.retention_days is None and loaded.policy.auto_lock_minutes == 5


def test_file_is_canonical_json(lead: LeadKeys, profile: LeadProfile) -> None:
    data = sign_profile(profile, lead.signing_key)
    assert canonical_json(strict_json_loads(data)) == data
    assert sign_profile(profile, lead.signing_key) == data  # Ed25519 is deterministic


def test_fingerprint_is_five_groups_of_four_base32(profile: LeadProfile) -> None:
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){4}", profile.fingerprint())


def test_fingerprint_changes_with_any_field(lead: LeadKeys, profile: LeadProfile) -> None:
    changed = profile.model_copy(update={"lead_contact": "other@exampleshire.invalid"})
    assert changed.fingerprint() != profile.fingerprint()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("council", "Otherton Borough Council"),
        ("lead_contact", "attacker@example.invalid"),
        ("created", "2020-01-01T00:00:00.000000Z"),
    ],
)
def test_any_edit_breaks_the_signature(
    lead: LeadKeys, profile: LeadProfile, field: str, value: str
) -> None:
    document = strict_json_loads(sign_profile(profile, lead.signing_key))
    document["payload"][field] = value
    with pytest.raises(ProfileTampered, match="signature does not match"):
        load_profile(canonical_json(document))


def test_swapped_recipient_breaks_the_signature(lead: LeadKeys, profile: LeadProfile) -> None:
    document = strict_json_loads(sign_profile(profile, lead.signing_key))
    document["payload"]["recipients"][1] = LeadKeys.generate().age_recipient
    with pytest.raises(ProfileTampered):
        load_profile(canonical_json(document))


def test_resigned_by_another_key_shows_another_fingerprint(
    lead: LeadKeys, profile: LeadProfile
) -> None:
    attacker = LeadKeys.generate()
    forged = profile.model_copy(
        update={"lead_public_key": attacker.public_key, "recipients": (attacker.age_recipient,)}
    )
    loaded = load_profile(sign_profile(forged, attacker.signing_key))
    assert loaded.fingerprint() != profile.fingerprint()
    with pytest.raises(ProfileTampered, match="different Lead key"):
        load_profile(sign_profile(forged, attacker.signing_key), trusted_lead_key=lead.public_key)


def test_an_update_signed_by_the_trusted_key_is_accepted(
    lead: LeadKeys, profile: LeadProfile
) -> None:
    policy = DevicePolicy(auto_lock_minutes=3, retention_days=90)
    update = profile.model_copy(update={"policy": policy})
    assert load_profile(sign_profile(update, lead.signing_key), trusted_lead_key=lead.public_key)


def test_cannot_sign_with_a_key_the_profile_does_not_name(profile: LeadProfile) -> None:
    with pytest.raises(ValueError):
        sign_profile(profile, LeadKeys.generate().signing_key)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"payload":{},"signature":"AAAA"}',
        b"\xff\xfe",
        b'{"payload":{"a":1},"payload":{"a":2},"signature":"x"}',
    ],
)
def test_garbage_is_tampered_not_a_crash(data: bytes) -> None:
    with pytest.raises(ProfileTampered):
        load_profile(data)


def test_signed_but_invalid_contents_are_refused(lead: LeadKeys, profile: LeadProfile) -> None:
    payload = profile.to_payload()
    payload["recipients"] = ["age1notakey"]
    with pytest.raises(ProfileTampered, match="not valid"):
        load_profile(sign_document(payload, lead.signing_key))
    payload = profile.to_payload()
    payload["unexpected"] = True
    with pytest.raises(ProfileTampered):
        load_profile(sign_document(payload, lead.signing_key))


@pytest.mark.parametrize(
    "url",
    [
        "http://inbox.exampleshire.invalid",
        "http://192.0.2.10:8443",
        "http://[2001:db8::1]/",
        "http://127.0.0.1.example.invalid",
    ],
)
def test_plain_http_to_another_machine_is_refused(lead: LeadKeys, url: str) -> None:
    with pytest.raises(InsecureDestination):
        make_profile(lead, LeadKeys.generate(), destination={"kind": "inbox", "url": url})


def test_a_signed_profile_with_plain_http_is_refused(lead: LeadKeys, profile: LeadProfile) -> None:
    payload = profile.to_payload()
    payload["destination"]["url"] = "http://inbox.exampleshire.invalid"
    with pytest.raises(InsecureDestination):
        load_profile(sign_document(payload, lead.signing_key))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://[::1]:9000",
        "http://localhost:1",
        "https://inbox.exampleshire.invalid/",
    ],
)
def test_https_and_loopback_http_are_allowed(url: str) -> None:
    assert check_inbox_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["ftp://x.invalid", "https://", "https://u:p@x.invalid", "file:///tmp"]
)
def test_other_urls_are_not_inboxes(url: str) -> None:
    with pytest.raises(ValueError):
        check_inbox_url(url)


def test_loopback_hosts() -> None:
    assert (
        is_loopback_host("localhost") and is_loopback_host("::1") and is_loopback_host("127.1.2.3")
    )
    assert not is_loopback_host("10.0.0.1") and not is_loopback_host("localhost.example.invalid")


def test_a_folder_destination(lead: LeadKeys) -> None:
    profile = make_profile(
        lead, LeadKeys.generate(), destination={"kind": "folder", "path": "/mnt/msl-share"}
    )
    assert load_profile(sign_profile(profile, lead.signing_key)).destination == profile.destination


def test_a_pinned_certificate_must_be_a_certificate(lead: LeadKeys) -> None:
    with pytest.raises(ValueError):
        make_profile(
            lead,
            LeadKeys.generate(),
            destination={
                "kind": "inbox",
                "url": "https://inbox.exampleshire.invalid",
                "certificate_pem": "nope",
            },
        )
