"""The Lead sees one board with who did what: each device's bundle carries its case's shared
board changes, the Lead re-checks them on import and merges them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fieldkit import cases
from fieldkit.store import Store
from forms.choices import ConsentDecision
from sync import device, importer
from sync.board_share import journal
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
