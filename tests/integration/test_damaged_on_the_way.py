"""A bundle damaged on its way to the Lead (a byte changed on the shared folder) is never lost:
the Lead refuses the damaged copy and says so in its signed receipt; the officer's laptop, which
sent other bytes, delivers the bundle again at its next sync (once for that receipt), and the
Lead imports it. A bundle refused because its laptop was not enrolled, imported once the Lead
enrols it, is acknowledged on the laptop; the Lead's list of refusals forgets it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, engine, lead, outbox
from sync.desk import inbox
from sync.layout import bundle_path
from tests.builders import FAST, LeadAndDevice
from tests.conftest import PASSPHRASE


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[LeadAndDevice]:
    made = LeadAndDevice(tmp_path)
    yield made
    made.close()


def _sent_case(store: Store, title: str) -> str:
    case = cases.create_case(store, title)
    item = device.send_case(store, case.id)
    assert engine.sync_once(store).delivered == 1
    return item.bundle_id


def test_a_copy_damaged_on_the_share_is_sent_again_and_imported(
        setup: LeadAndDevice) -> None:
    bundle_id = _sent_case(setup.device, "Operation Larch")
    path = bundle_path(setup.share, bundle_id)
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    path.write_bytes(bytes(damaged))

    report = setup.import_all()
    assert report.imported == [] and "damaged" in report.rejected[0][1]
    [refusal] = inbox.rejections(setup.lead)
    assert "sends the bundle again by itself at its next sync" in refusal.advice

    again = engine.sync_once(setup.device)  # the receipt is for other bytes: sent again
    item = outbox.get_item(setup.device, bundle_id)
    assert again.delivered == 1 and item.state is outbox.OutboxState.DELIVERED
    assert path.read_bytes() == outbox._content(setup.device, bundle_id)
    # The same receipt, still there until the Lead imports, does not send it a third time.
    assert engine.sync_once(setup.device).delivered == 0
    assert outbox.get_item(setup.device, bundle_id).state is outbox.OutboxState.DELIVERED

    assert setup.import_all().imported == [bundle_id]
    assert inbox.rejections(setup.lead) == []  # imported since: nothing left to do
    assert engine.sync_once(setup.device).receipts == 1
    item = outbox.get_item(setup.device, bundle_id)
    assert item.acknowledged_at is not None and item.error is None
    actions = [row[0] for row in setup.device.conn.execute(
        "SELECT action FROM audit_events WHERE record_id = ?", (bundle_id,))]
    assert actions.count("sync.deliver_again") == 1


def test_a_bundle_from_a_laptop_enrolled_later_is_acknowledged_once_imported(
        setup: LeadAndDevice, tmp_path: Path) -> None:
    late = Store.create(Settings(data_dir=tmp_path / "late", **FAST), PASSPHRASE,
                        officer="Priya Dhillon")
    try:
        issued, signed = lead.make_profile(
            setup.lead, council="Example Council", lead_name="Lead",
            lead_contact="lead@council.example", folder=str(setup.share))
        device.import_profile(late, signed, expected_fingerprint=issued.fingerprint())
        bundle_id = _sent_case(late, "Operation Alder")
        [(refused_id, why)] = setup.import_all().rejected
        assert refused_id == bundle_id and "unknown device" in why
        [refusal] = inbox.rejections(setup.lead)
        assert "enrol it (Set-up), move the file back from quarantine" in refusal.advice
        engine.sync_once(late)
        assert outbox.get_item(late, bundle_id).state is outbox.OutboxState.REFUSED

        # Junk dropped under the refused bundle's id (anyone may write to the share) is refused
        # and set aside beside it: the copy the Lead is told to move back is kept whole.
        quarantined = setup.share / "quarantine" / f"{bundle_id}.age"
        genuine = quarantined.read_bytes()
        bundle_path(setup.share, bundle_id).write_bytes(b"junk" * 100)
        assert setup.import_all().rejected[0][0] == bundle_id
        assert quarantined.read_bytes() == genuine
        assert (setup.share / "quarantine" / f"{bundle_id}.age.2").read_bytes() == b"junk" * 100
        assert (setup.share / "quarantine" / f"{bundle_id}.age.2.reason.txt").exists()

        lead.add_device(setup.lead, device.enrolment_request(
            late, device_name="laptop", organisation="Trading Standards"))
        quarantined.rename(bundle_path(setup.share, bundle_id))
        assert setup.import_all().imported == [bundle_id]
        assert inbox.rejections(setup.lead) == []

        assert engine.sync_once(late).receipts == 1
        item = outbox.get_item(late, bundle_id)
        assert item.state is outbox.OutboxState.DELIVERED
        assert item.acknowledged_at is not None and item.error is None
    finally:
        late.lock()


def test_a_revoked_laptops_refusal_says_to_enrol_it_again_not_to_resend(
        setup: LeadAndDevice) -> None:
    [(enrolled, _, _)] = lead.list_devices(setup.lead)
    lead.revoke_device(setup.lead, enrolled.device_id)
    _sent_case(setup.device, "Operation Hawthorn")
    assert setup.import_all().rejected
    [refusal] = inbox.rejections(setup.lead)
    assert "nothing this laptop sends is imported while it is revoked" in refusal.advice
    assert "to sync" not in refusal.advice


def test_a_shared_folder_not_there_is_named_not_called_an_inbox(setup: LeadAndDevice) -> None:
    """With the share unplugged, the officer read "The Lead's inbox could not be reached"
    though the profile names a folder."""
    case = cases.create_case(setup.device, "Operation Rowan")
    device.send_case(setup.device, case.id)
    away = setup.share.with_name("share-unplugged")
    setup.share.rename(away)
    try:
        outcome = engine.sync_once(setup.device)
        assert not outcome.reachable and outcome.waiting == 1
        assert outcome.unreachable == (
            f"The shared folder {setup.share} is not there: is the share connected, or the "
            "drive plugged in?")
        assert not setup.share.exists()  # never made on the laptop
    finally:
        away.rename(setup.share)
    assert engine.sync_once(setup.device).delivered == 1


def test_a_bundle_removed_from_the_share_before_the_import_is_sent_again(
        setup: LeadAndDevice) -> None:
    """Someone with write access to the share deletes a delivered bundle before the Lead's
    import: no receipt will ever come, so the laptop delivers it again at its next sync."""
    bundle_id = _sent_case(setup.device, "Operation Oak")
    path = bundle_path(setup.share, bundle_id)
    path.unlink()
    assert setup.import_all().imported == []
    again = engine.sync_once(setup.device)
    assert again.delivered == 1 and path.read_bytes() == outbox._content(setup.device, bundle_id)
    assert setup.import_all().imported == [bundle_id]
    assert engine.sync_once(setup.device).receipts == 1
    assert outbox.get_item(setup.device, bundle_id).acknowledged_at is not None


def test_a_share_not_mounted_sends_nothing_again(setup: LeadAndDevice, tmp_path: Path) -> None:
    """A share that is not there (unmounted) is not a bundle removed: nothing is queued."""
    bundle_id = _sent_case(setup.device, "Operation Ash")
    setup.share.rename(tmp_path / "unmounted")
    engine.sync_once(setup.device)
    item = outbox.get_item(setup.device, bundle_id)
    assert item.state is outbox.OutboxState.DELIVERED and item.error is None


def test_a_link_put_in_place_of_a_damaged_copy_is_replaced_by_the_real_bytes(
        setup: LeadAndDevice, tmp_path: Path) -> None:
    """After a damaged copy's refusal, a link at the bundle's name (to a copy of the genuine
    bytes) must not count as delivered: the Lead never reads through links. The re-delivery
    replaces the link with the file, and the Lead imports it."""
    bundle_id = _sent_case(setup.device, "Operation Elm")
    path = bundle_path(setup.share, bundle_id)
    genuine = tmp_path / "copy.age"
    genuine.write_bytes(path.read_bytes())
    path.write_bytes(b"junk" * 64)
    assert setup.import_all().imported == []  # refused: not an age file; set aside
    path.unlink(missing_ok=True)
    path.symlink_to(genuine)
    assert engine.sync_once(setup.device).delivered == 1
    assert not path.is_symlink() and path.read_bytes() == genuine.read_bytes()
    assert setup.import_all().imported == [bundle_id]


@pytest.mark.timeout(60)
def test_a_fifo_in_place_of_a_receipt_does_not_hang_the_sync(setup: LeadAndDevice) -> None:
    """A FIFO made at a delivered bundle's receipt name: reading it would wait for ever (the
    timeout fails the test if it does)."""
    import os

    from sync.layout import receipt_path

    bundle_id = _sent_case(setup.device, "Operation Yew")
    fifo = receipt_path(setup.share, bundle_id)
    fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(fifo)
    assert engine.sync_once(setup.device).reachable
    assert outbox.get_item(setup.device, bundle_id).state is outbox.OutboxState.DELIVERED


def test_a_laptop_cannot_take_a_colleagues_bundle_name_on_the_share(
        setup: LeadAndDevice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An enrolled but rogue laptop seals its own case under a colleague's bundle id (read from
    the file name) and replaces that file on the share before the Lead's import. Bundle ids
    are bound to the laptop that made them, so the Lead refuses the rogue's bytes and says
    whose they claim to be; the colleague's laptop, told its id held other bytes, delivers
    its own again and the Lead imports the colleague's case."""
    import os

    from sync import enrolment

    rogue = setup.enrol_another(tmp_path / "rogue", "Rogue Officer", "rogue laptop")
    bundle_id = _sent_case(setup.device, "Operation Larch")
    theirs = cases.create_case(rogue, "Anything at all")
    monkeypatch.setattr(enrolment, "new_bundle_id", lambda _device: bundle_id)
    taken = device.send_case(rogue, theirs.id)
    monkeypatch.undo()
    assert taken.bundle_id == bundle_id
    path = bundle_path(setup.share, bundle_id)
    swap = path.with_name(".swap")
    swap.write_bytes(outbox._content(rogue, bundle_id))
    os.replace(swap, path)

    [(refused, why)] = setup.import_all().rejected
    assert refused == bundle_id and "another laptop made" in why
    assert setup.lead.conn.execute("SELECT count(*) FROM lead_bundles").fetchone()[0] == 0
    [refusal] = inbox.rejections(setup.lead)
    assert "revoke it if it was not a mistake" in refusal.advice

    assert engine.sync_once(setup.device).delivered == 1  # told: its id held other bytes
    assert setup.import_all().imported == [bundle_id]
    held = setup.lead.conn.execute(
        "SELECT device_id FROM lead_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()[0]
    assert held == device.device_id(setup.device)  # the colleague's bundle, whole
    assert engine.sync_once(setup.device).receipts == 1
    rogue.lock()


def test_bundle_ids_are_bound_to_their_laptop() -> None:
    from sync.enrolment import bundle_id_fits_device, is_canonical_uuid, new_bundle_id

    one, other = "0b4cf2a4-3b8e-4b8a-9a57-0d6f6f3e2f11", "7c1e2f0a-9d44-4a52-8f0b-61c1b7b7e0a2"
    made = {new_bundle_id(one) for _ in range(200)}
    assert len(made) == 200 and all(is_canonical_uuid(value) for value in made)
    assert all(bundle_id_fits_device(value, one) for value in made)
    assert not any(bundle_id_fits_device(value, other) for value in made)
    older = "3f2b8c1e-5a6d-4e7f-8a9b-0c1d2e3f4a5b"  # a random version 4 id: binds no laptop
    assert bundle_id_fits_device(older, one) and bundle_id_fits_device(older, other)


def test_a_folder_at_a_bundles_name_is_set_aside_and_the_import_goes_on(
        setup: LeadAndDevice) -> None:
    """An empty folder made at any bundle name stopped every import ("Is a directory")."""
    import uuid

    (setup.share / "bundles").mkdir(exist_ok=True)
    blocker = bundle_path(setup.share, str(uuid.uuid4()))
    blocker.mkdir()
    bundle_id = _sent_case(setup.device, "Operation Lime")
    report = setup.import_all()
    assert report.imported == [bundle_id]
    assert any("not a regular file" in why for _, why in report.rejected)
    assert not blocker.exists() and (setup.share / "quarantine" / blocker.name).is_dir()


def test_names_set_up_in_quarantine_never_stop_the_import(setup: LeadAndDevice) -> None:
    """Quarantine filled with <id>.age and <id>.age.2 ... .9999 beforehand made every import
    fail ("no free name"), its batch's receipts unwritten."""
    import uuid

    refused = str(uuid.uuid4())
    quarantine = setup.share / "quarantine"
    quarantine.mkdir(exist_ok=True)
    (quarantine / f"{refused}.age").write_bytes(b"")
    for n in range(2, 200):
        (quarantine / f"{refused}.age.{n}").write_bytes(b"")
    bundle_id = _sent_case(setup.device, "Operation Plane")
    bundle_path(setup.share, refused).write_bytes(b"junk" * 64)
    report = setup.import_all()
    assert report.imported == [bundle_id] and [r for r, _ in report.rejected] == [refused]
    kept = [p for p in quarantine.iterdir()
            if p.name.startswith(f"{refused}.age.") and p.read_bytes() == b"junk" * 64]
    assert len(kept) == 1
    assert engine.sync_once(setup.device).receipts == 1  # its receipt was written


def test_a_linked_bundles_folder_is_not_sent_to(setup: LeadAndDevice, tmp_path: Path) -> None:
    """With the share's bundles folder a link, the laptop wrote outside the share and showed
    the bundle as sent (the Lead never reads through the link)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (setup.share / "bundles").mkdir(exist_ok=True)
    (setup.share / "bundles").rmdir()
    (setup.share / "bundles").symlink_to(elsewhere, target_is_directory=True)
    case = cases.create_case(setup.device, "Operation Alder")
    item = device.send_case(setup.device, case.id)
    outcome = engine.sync_once(setup.device)
    assert outcome.delivered == 0 and list(elsewhere.iterdir()) == []
    assert outbox.get_item(setup.device, item.bundle_id).state is not \
        outbox.OutboxState.DELIVERED


def test_an_empty_mount_point_is_not_a_share_whose_bundles_went(
        setup: LeadAndDevice, tmp_path: Path) -> None:
    """The share unmounted, its empty mount point left: every delivered bundle was sent again
    into the local folder, "removed from the shared folder"."""
    bundle_id = _sent_case(setup.device, "Operation Rowan")
    mounted = tmp_path / "mounted"
    setup.share.rename(mounted)
    setup.share.mkdir()  # the empty mount point
    engine.sync_once(setup.device)
    item = outbox.get_item(setup.device, bundle_id)
    assert item.state is outbox.OutboxState.DELIVERED and item.error is None
    assert list(setup.share.iterdir()) == []
