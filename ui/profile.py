"""The officer's profile and chosen role, kept as JSON in the store's meta table."""

from __future__ import annotations

import json
import math

from pydantic import BaseModel, ValidationError

from fieldkit.store import Store

PROFILE_KEY = "officer_profile"
ROLE_KEY = "app_role"
ROLES = ("field_officer", "lead")


class OfficerProfile(BaseModel):
    """Who is using this copy of fieldkit; printed on forms and sent with exports."""

    name: str
    organisation: str = ""
    role: str = ""
    first_responder: bool = True
    email: str = ""
    phone: str = ""


def save_profile(store: Store, profile: OfficerProfile, app_role: str) -> None:
    """Record the profile and the app role (inside one transaction)."""
    with store.transaction():
        store.set_meta(PROFILE_KEY, profile.model_dump_json())
        store.set_meta(ROLE_KEY, app_role)


def load_profile(store: Store) -> OfficerProfile | None:
    """The saved profile, or None when none was recorded (a store made by the CLI)."""
    raw = store.meta(PROFILE_KEY)
    if raw is None:
        return None
    try:
        return OfficerProfile.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        return None


def load_role(store: Store) -> str:
    """``field_officer`` or ``lead``; a store without a role is a field officer's."""
    role = store.meta(ROLE_KEY)
    return role if role in ROLES else "field_officer"


def passphrase_strength(passphrase: str) -> int:
    """A rough 0 (very weak) to 4 (strong) score from length and character variety.

    Deliberately simple and offline: it steers officers towards several words, it does not
    claim to measure a guesser's effort precisely.
    """
    if len(passphrase) < 8:
        return 0
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    bits = len(passphrase) * math.log2(max(pool, 2))
    if len(set(passphrase)) < min(len(passphrase) / 4, 8):
        bits /= 2  # "aaaaaaaaaaaa" is long but not strong
    for limit, score in ((36, 0), (50, 1), (70, 2), (90, 3)):
        if bits < limit:
            return score
    return 4
