"""Who uses this copy of fieldkit: the officer's profile, the app's role, and the officer's own
settings kept in the store (auto-lock minutes). The first run of the app and ``fieldkit init``
write the same profile, so a store made on the command line is a full store."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import TYPE_CHECKING

from fieldkit.store import Store

# The profile is a pydantic model, loaded only when a profile is read or written: the app's
# start needs the role and the auto-lock minutes, not the model. ``officer.OfficerProfile``
# still works (see ``__getattr__``).
if TYPE_CHECKING:
    from fieldkit.officer_profile import OfficerProfile as OfficerProfile  # re-exported

PROFILE_KEY = "officer_profile"
ROLE_KEY = "app_role"
IDLE_MINUTES_KEY = "ui.autolock_minutes"  # the name it had when the app kept it; kept as is
DEFAULT_IDLE_MINUTES = 5
MAX_IDLE_MINUTES = 60


class AppRole(StrEnum):
    """What this copy of fieldkit is for: an officer's field work, or the Lead's desk."""

    FIELD_OFFICER = "field_officer"
    LEAD = "lead"


def save_profile(store: Store, profile: OfficerProfile, app_role: AppRole | str) -> None:
    """Record the profile and the app role together (one transaction, audited)."""
    role = AppRole(app_role)
    with store.transaction():
        store.set_meta(PROFILE_KEY, profile.model_dump_json())
        store.set_meta(ROLE_KEY, role.value)
        store.set_meta("officer", profile.name)
        store.actor = profile.name
        store.audit("officer.profile_saved")


def load_profile(store: Store) -> OfficerProfile | None:
    """The saved profile, or None when none was recorded (a store from before profiles)."""
    from pydantic import ValidationError

    from fieldkit.officer_profile import OfficerProfile

    raw = store.meta(PROFILE_KEY)
    if raw is None:
        return None
    try:
        return OfficerProfile.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        return None


def load_role(store: Store) -> AppRole:
    """The app role; a store without one is a field officer's."""
    try:
        return AppRole(store.meta(ROLE_KEY) or AppRole.FIELD_OFFICER)
    except ValueError:
        return AppRole.FIELD_OFFICER


def is_first_responder(store: Store) -> bool:
    """Whether the officer acts as a first responder (True when no profile says otherwise)."""
    profile = load_profile(store)
    return True if profile is None else profile.first_responder


def idle_minutes(store: Store, policy_minutes: int | None = None) -> int:
    """Minutes without use before the app locks: the officer's choice (default 5), never more
    than the council's policy allows."""
    stored = store.meta(IDLE_MINUTES_KEY)
    minutes = int(stored) if stored and stored.isdigit() else DEFAULT_IDLE_MINUTES
    if policy_minutes is not None:
        minutes = min(minutes, policy_minutes)
    return max(1, min(minutes, MAX_IDLE_MINUTES))


def set_idle_minutes(store: Store, minutes: int) -> None:
    """Keep the officer's auto-lock choice (1 to 60 minutes)."""
    if not 1 <= minutes <= MAX_IDLE_MINUTES:
        raise ValueError(f"auto-lock minutes must be 1 to {MAX_IDLE_MINUTES}")
    with store.transaction():
        store.set_meta(IDLE_MINUTES_KEY, str(minutes))


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


def __getattr__(name: str) -> object:
    """``OfficerProfile``, imported on first use (it lives in :mod:`fieldkit.officer_profile`)."""
    if name == "OfficerProfile":
        from fieldkit.officer_profile import OfficerProfile

        return OfficerProfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
