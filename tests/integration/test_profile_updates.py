"""Attacks on the device's Lead profile (issue 10, items 5 and 11): re-importing an older profile
signed by the same Lead key to bring back a removed recipient, an old share, no auto-lock and
3,650-day retention; and pinning a profile whose fingerprint the officer never compared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead
from sync.keys import LeadKeys
from sync.profile import LeadProfile, load_profile, profile_changes, sign_profile
from tests.conftest import PASSPHRASE

FAST = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    lead_store = Store.create(Settings(data_dir=tmp_path / "lead", **FAST), PASSPHRASE)
    officer = Store.create(Settings(data_dir=tmp_path / "dev", **FAST), PASSPHRASE)
    lead.init_lead(lead_store)
    yield lead_store, officer
    lead_store.lock()
    officer.lock()


def _issue(lead_store: Store, folder: str, recipients: list[str], **policy: int | None
           ) -> tuple[LeadProfile, bytes]:
    return lead.make_profile(lead_store, council="Example Council", lead_name="Lead Example",
                             lead_contact="lead@council.example", folder=folder,
                             extra_recipients=recipients, **policy)


def test_an_older_or_equal_profile_is_refused_and_changes_nothing(
    stores: tuple[Store, Store],
) -> None:
    lead_store, officer = stores
    deputy = LeadKeys.generate().age_recipient
    old, old_bytes = _issue(lead_store, "/mnt/old-share", [deputy], retention_days=3650)
    new, new_bytes = _issue(lead_store, "/mnt/ms-share", [], retention_days=90,
                            auto_lock_minutes=5)
    assert (old.serial, new.serial) == (1, 2)
    device.import_profile(officer, old_bytes, expected_fingerprint=old.fingerprint())
    update = device.preview_profile(officer, new_bytes)
    assert f"recipient removed: {deputy}" in update.changes
    assert any("/mnt/ms-share" in change for change in update.changes)
    assert "auto-lock 5 minutes (was auto-lock off)" in update.changes
    assert "retention 90 days (was retention 3650 days)" in update.changes
    device.import_profile(officer, new_bytes, expected_fingerprint=new.fingerprint())

    # The downgrade: the old profile, validly signed by the same Lead key.
    with pytest.raises(device.ProfileNotNewer, match="not newer"):
        device.import_profile(officer, old_bytes, expected_fingerprint=old.fingerprint())
    with pytest.raises(device.ProfileNotNewer):
        device.import_profile(officer, new_bytes, expected_fingerprint=new.fingerprint())
    held = device.current_profile(officer)
    assert held is not None and held.fingerprint() == new.fingerprint()
    assert deputy not in held.recipients and held.policy.retention_days == 90


def test_a_profile_is_pinned_only_with_the_fingerprint_the_lead_gave(
    stores: tuple[Store, Store],
) -> None:
    lead_store, officer = stores
    profile, data = _issue(lead_store, "/mnt/ms-share", [])
    other = LeadKeys.generate()
    forged = LeadProfile(**{**profile.model_dump(), "lead_public_key": other.public_key})
    with pytest.raises(device.FingerprintMismatch, match=profile.fingerprint()):
        device.import_profile(officer, data, expected_fingerprint=forged.fingerprint())
    assert device.current_profile(officer) is None
    spaced = profile.fingerprint().replace("-", " ").lower()
    device.import_profile(officer, data, expected_fingerprint=spaced)
    assert device.current_profile(officer) == profile


def test_a_profile_signed_before_serials_keeps_its_fingerprint() -> None:
    keys = LeadKeys.generate()
    legacy = LeadProfile(council="Example Council", lead_name="Lead", lead_contact="x@example",
                         recipients=(keys.age_recipient,),
                         destination={"kind": "folder", "path": "/mnt/share"},
                         lead_public_key=keys.public_key, created="2026-01-01T00:00:00.000000Z")
    assert "serial" not in legacy.to_payload()
    assert load_profile(sign_profile(legacy, keys.signing_key)) == legacy
    assert profile_changes(legacy, legacy) == []
