"""A laptop in the wrong hands cannot get a colleague's bundle refused by naming it (its id is
the file's name on the share) as the bundle its own supersedes: only the same laptop's bundles
of the same case say what came after a bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from sync import device, importer, outbox
from sync.engine import sync_once
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import build_centre


def test_another_laptops_supersedes_cannot_refuse_a_colleagues_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre = build_centre(tmp_path, ["victim", "rogue"])
    centre.to_lead.mkdir()
    victim = Store.open(centre.devices["victim"], PASSPHRASE)
    rogue = Store.open(centre.devices["rogue"], PASSPHRASE)
    lead_store = Store.open(centre.lead, PASSPHRASE)
    try:
        item = device.send_case(victim, cases.create_case(victim, "Car wash visit").id)
        # The rogue read the victim's bundle id on the share and claims to supersede it; its
        # bundle reaches the Lead first.
        monkeypatch.setattr(device, "_latest_sealed", lambda store, case_id: item.bundle_id)
        device.send_case(rogue, cases.create_case(rogue, "Anything").id)
        assert sync_once(rogue).delivered == 1
        first = importer.import_folder(lead_store, centre.to_lead)
        assert len(first.imported) == 1 and not first.rejected
        assert sync_once(victim).delivered == 1
        second = importer.import_folder(lead_store, centre.to_lead)
        assert second.imported == [item.bundle_id] and not second.rejected
        sync_once(victim)  # collects the Lead's receipt
        held = outbox.get_item(victim, item.bundle_id)
        assert held is not None and held.error is None
        assert held.state is outbox.OutboxState.DELIVERED and held.acknowledged_at is not None
    finally:
        lead_store.lock()
        rogue.lock()
        victim.lock()
