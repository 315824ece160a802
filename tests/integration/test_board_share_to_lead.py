"""The Lead sees one board with who did what: each device's bundle carries its case's shared
board changes, the Lead re-checks them on import and merges them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from forms.choices import ConsentDecision
from sync import device, freeze, importer
from sync.board_share import journal
from sync.board_share.changes import BoardChange, field_value
from sync.board_share.lead_view import lead_board
from sync.engine import sync_once
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import Centre, build_centre

AS_OF = date(2026, 3, 2)


def _two_laptops_sent(tmp_path: Path) -> tuple[Centre, str, str]:
    """Two laptops on one board, each recording consent for R001 without seeing the other's,
    health recording R002 as 16; both cases sent to the Lead. Returns the centre, the board
    and health's case."""
    centre = build_centre(tmp_path, ["coordinator", "health"])
    centre.to_lead.mkdir()
    coordinator = Store.open(centre.devices["coordinator"], PASSPHRASE)
    health = Store.open(centre.devices["health"], PASSPHRASE)
    try:
        first = cases.create_case(coordinator, "Reception centre").id
        board = journal.board_id(coordinator, first)
        second = cases.create_case(health, "Reception centre").id
        journal.link_board(health, second, board)
        journal.record_change(coordinator, first, "R001", "consent", ConsentDecision.GIVEN)
        journal.record_change(health, second, "R001", "consent", ConsentDecision.REFUSED)
        journal.record_change(health, second, "R002", "estimated_age", 16)
        for store, case_id in ((coordinator, first), (health, second)):
            device.send_case(store, case_id)
            assert sync_once(store).delivered == 1
    finally:
        coordinator.lock()
        health.lock()
    return centre, board, second


def test_the_lead_merges_the_board_from_every_devices_bundle(tmp_path: Path) -> None:
    centre, board, _ = _two_laptops_sent(tmp_path)
    with Store.open(centre.lead, PASSPHRASE) as lead_store:
        report = importer.import_folder(lead_store, centre.to_lead)
        assert len(report.imported) == 2, report
        merged = lead_board(lead_store, board, AS_OF)
    # neither device had seen the other's consent, nor that the other had registered R001
    assert [(c.person, c.field) for c in merged.conflicts] == [("R001", "consent"),
                                                               ("R001", "registration")]
    conflict = merged.conflicts[0]
    assert {c.officer for c in conflict.changes} == {"Officer coordinator", "Officer health"}
    child = merged.person("R002")
    assert child.person.obligations(AS_OF).mash_referral
    assert child.latest["estimated_age"].officer == "Officer health"


def test_the_lead_reads_the_merged_board_with_who_did_what_in_the_case(tmp_path: Path) -> None:
    from sync.desk.casefile import case_lines

    centre, _, second = _two_laptops_sent(tmp_path)
    with Store.open(centre.lead, PASSPHRASE) as lead_store:
        importer.import_folder(lead_store, centre.to_lead)
        text = "\n".join(case_lines(lead_store, second))
    assert "Shared reception board: 2 people recorded on 2 laptop(s); 2 conflict(s)" in text
    assert "  R002 [child route: MASH referral" in text
    assert "Estimated age: 16 (Officer health, laptop " in text
    assert "Conflict, R001, Consent to the NRM: " in text
    assert "given (Officer coordinator" in text and "refused (Officer health" in text
    assert "Conflict, R001, Registration: registered (Officer" in text


def _rogue_sends(centre: Centre, board: str, change: BoardChange,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A third enrolled laptop sends its own case, its bundle carrying ``change`` as if it had
    received it from a peer (what a laptop in the wrong hands could do)."""
    monkeypatch.setattr(freeze, "shared_board", lambda store, case_id: board)
    monkeypatch.setattr(freeze, "all_changes", lambda store, board_id: [change])
    rogue = Store.open(centre.devices["rogue"], PASSPHRASE)
    try:
        device.send_case(rogue, cases.create_case(rogue, "My case").id)
        assert sync_once(rogue).delivered == 1
    finally:
        rogue.lock()


def test_a_board_change_its_laptop_did_not_sign_is_refused_at_the_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An enrolled laptop cannot put a change in a colleague's name: the Lead checks every
    change a bundle carries against the enrolled key of the laptop it names (the devices do
    the same when peers send them changes), and refuses the bundle."""
    centre = build_centre(tmp_path, ["coordinator", "health", "rogue"])
    centre.to_lead.mkdir()
    health = Store.open(centre.devices["health"], PASSPHRASE)
    try:
        case_id = cases.create_case(health, "Reception centre").id
        board = journal.board_id(health, case_id)
        real = journal.record_change(health, case_id, "R002", "estimated_age", 16)
        device.send_case(health, case_id)
        assert sync_once(health).delivered == 1
    finally:
        health.lock()
    coordinator = Store.open(centre.devices["coordinator"], PASSPHRASE)
    try:
        named = device.device_id(coordinator)
    finally:
        coordinator.lock()
    forged = BoardChange(  # the coordinator "resolving" R002 as 30: no child route, no MASH
        board_id=board, person="R002", field="estimated_age",
        value=field_value("estimated_age", 30),
        hlc=f"{real.clock.wall_ms + 1000:013d}.000000.{named}", device_id=named,
        officer="Officer coordinator", supersedes=(real.hlc,), kind="resolution")
    _rogue_sends(centre, board, forged, monkeypatch)
    with Store.open(centre.lead, PASSPHRASE) as lead_store:
        report = importer.import_folder(lead_store, centre.to_lead)
        assert len(report.imported) == 1
        assert [reason for _, reason in report.rejected] == [
            "Bundle rejected: it carries a reception board change that the enrolled device it "
            "names did not sign."]
        child = lead_board(lead_store, board, AS_OF).person("R002")
    assert child.person.estimated_age == 16 and child.person.obligations(AS_OF).mash_referral


def test_the_lead_names_the_officer_it_enrolled_not_the_name_a_change_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change its own laptop signed, claiming another officer's name, is shown with the
    officer the Lead enrolled that laptop for."""
    centre = build_centre(tmp_path, ["coordinator", "rogue"])
    centre.to_lead.mkdir()
    rogue = Store.open(centre.devices["rogue"], PASSPHRASE)
    try:
        case_id = cases.create_case(rogue, "Reception centre").id
        board = journal.board_id(rogue, case_id)
        change = journal.record_change(rogue, case_id, "R003", "estimated_age", 30)
        key = device.signing_key(rogue)
        rogue_id = device.device_id(rogue)
    finally:
        rogue.lock()
    claimed = change.model_copy(update={"officer": "Officer coordinator", "signature": ""})
    _rogue_sends(centre, board, claimed.signed_by(key), monkeypatch)
    with Store.open(centre.lead, PASSPHRASE) as lead_store:
        assert len(importer.import_folder(lead_store, centre.to_lead).imported) == 1
        person = lead_board(lead_store, board, AS_OF).person("R003")
    latest = person.latest["estimated_age"]
    assert latest.device_id == rogue_id and latest.officer == "Officer rogue"
