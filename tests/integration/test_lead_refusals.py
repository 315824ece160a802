"""What the Lead is told of a bundle it refused: where it was found, when it arrived, who it may
be from (the inbox's record, or the file's own claim, never as fact) and what to do. A damaged
bundle named no sender at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldkit.clock import parse_stamp
from sync import lead
from sync.bundle_owners import claim_bundle_id
from sync.desk import inbox
from sync.layout import bundle_path
from tests.builders import LeadAndDevice

ARRIVED = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[LeadAndDevice]:
    made = LeadAndDevice(tmp_path)
    yield made
    made.close()


def _damage(setup: LeadAndDevice, where: float) -> str:
    """Send the demo case and damage its bundle file at ``where`` (0 its start, 0.5 halfway);
    the file arrived at ARRIVED."""
    setup.send_demo(1)
    bundle_id = _only_bundle(setup)
    path = bundle_path(setup.share, bundle_id)
    data = bytearray(path.read_bytes())
    data[int(len(data) * where) + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, (ARRIVED.timestamp(), ARRIVED.timestamp()))
    report = setup.import_all()
    assert report.imported == [] and len(report.rejected) == 1
    return bundle_id


def _only_bundle(setup: LeadAndDevice) -> str:
    [found] = [p.stem for p in (setup.share / "bundles").glob("*.age")]
    return found


def test_a_bundle_damaged_halfway_names_who_it_claims_to_be_from(setup) -> None:  # type: ignore[no-untyped-def]
    _damage(setup, 0.5)
    [refused] = inbox.rejections(setup.lead)
    assert "the age file is damaged and cannot be decrypted" in refused.reason
    # Its start still decrypts: the manifest names the sender, shown as a claim only.
    assert refused.sender == ("claims to be from Rowan Hallam, laptop: not verified (the file "
                              "could not be checked)")
    assert refused.found == (f"found in {setup.share}/bundles, moved to "
                             f"{setup.share}/quarantine")
    assert parse_stamp(refused.arrived_at) == ARRIVED
    assert refused.advice.endswith("ask Rowan Hallam (if it is theirs: the file's claim is not "
                                   "verified) to sync, then import again.")


def test_a_bundle_nothing_can_be_read_of_says_so_and_what_to_do(setup) -> None:  # type: ignore[no-untyped-def]
    _damage(setup, 0)
    [refused] = inbox.rejections(setup.lead)
    assert refused.sender == "not known: nothing in the file could be read"
    assert "sends the bundle again by itself" in refused.advice
    assert "ask the officers to sync, then import again" in refused.advice
    assert parse_stamp(refused.arrived_at) == ARRIVED


def test_the_inboxs_record_of_the_uploader_is_named_as_the_inboxs(setup) -> None:  # type: ignore[no-untyped-def]
    [(enrolled, _, _)] = lead.list_devices(setup.lead)
    setup.send_demo(1)
    bundle_id = _only_bundle(setup)
    # What the HTTPS inbox keeps of an upload whose signed request it checked.
    assert claim_bundle_id(setup.share, bundle_id, enrolled.device_id, sync_folder=False)
    path = bundle_path(setup.share, bundle_id)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # nothing of the file itself can be read
    path.write_bytes(bytes(data))
    assert len(setup.import_all().rejected) == 1
    [refused] = inbox.rejections(setup.lead)
    assert refused.sender == ("uploaded from Rowan Hallam, laptop, as the inbox recorded it "
                              "(the file itself could not be checked)")
    assert "ask Rowan Hallam to sync, then import again" in refused.advice
