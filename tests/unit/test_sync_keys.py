"""Key helpers: the Lead's age identity and signing key in and out of bytes, never in a repr."""

from __future__ import annotations

import pyrage
import pytest

from sync.keys import (
    LeadKeys,
    age_recipient_of,
    new_age_identity,
    new_signing_key,
    parse_age_identity,
    parse_age_recipient,
    signing_key_from_bytes,
    signing_key_to_bytes,
)


def test_age_identity_text_and_recipient() -> None:
    secret = new_age_identity()
    assert secret.startswith("AGE-SECRET-KEY-1")
    recipient = age_recipient_of(secret)
    assert recipient.startswith("age1")
    encrypted = pyrage.encrypt(b"fictional", [parse_age_recipient(recipient)])
    assert pyrage.decrypt(encrypted, [parse_age_identity(secret)]) == b"fictional"


def test_malformed_keys_raise_value_error() -> None:
    for bad in ("", "age1xyz", "AGE-SECRET-KEY-1NOPE"):
        with pytest.raises(ValueError):
            parse_age_recipient(bad)
        with pytest.raises(ValueError):
            parse_age_identity(bad)
    with pytest.raises(ValueError):
        signing_key_from_bytes(b"short")


def test_signing_key_round_trip() -> None:
    key = new_signing_key()
    again = signing_key_from_bytes(signing_key_to_bytes(key))
    assert again.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()


def test_lead_keys_round_trip_and_hide_secrets() -> None:
    keys = LeadKeys.generate()
    again = LeadKeys.from_bytes(keys.to_bytes())
    assert again.age_recipient == keys.age_recipient and again.public_key == keys.public_key
    assert "AGE-SECRET" not in repr(keys) and "AGE-SECRET" not in str(keys)


@pytest.mark.parametrize("data", [b"{}", b"[]", b'{"type":"fieldkit-lead-keys-v1"}', b"\x00"])
def test_lead_keys_refuse_garbage(data: bytes) -> None:
    with pytest.raises(ValueError):
        LeadKeys.from_bytes(data)
