"""MASH is told about each child: a MASH call recorded on the visit where one child was found
marked the MASH step done for every child of the case, including one found later elsewhere (a
walk added W7 to the demo case: "contact MASH" was already ticked for them)."""

from __future__ import annotations

from fieldkit import cases, documents, pathway
from fieldkit.store import Store


def _child_nrm(store: Store, case_id: str, person_id: str) -> None:
    documents.save_document(store, case_id, "nrm", {
        "where_found": {"age_group": "child", "encountered_on": "2026-11-20"}},
        person_id=person_id)


def _mash_done(store: Store, case_id: str, person_id: str) -> bool:
    return "init.mash" in pathway.person_facts(store, case_id, person_id).done


def test_mash_contacted_on_a_visit_counts_for_the_children_found_there_only(
        store: Store) -> None:
    """R-CHILD-MASH-FIRST: MASH is done for one child only from what is about them."""
    case = cases.create_case(store, "Operation Sorrel: nail bar")
    visit = cases.create_visit(store, case.id, "Glow Nails", "3 Test Street")
    documents.save_document(store, case.id, "visit", {
        "premises": {"name": "Glow Nails"},
        "actions": [{"at": "2026-11-20T10:30:00", "action": "mash_contacted",
                     "details": "Duty social worker told about the girl in the back room"}]},
        visit_id=visit.id)
    found_there = cases.add_person(store, case.id, "N2", visit_id=visit.id)
    found_later = cases.add_person(store, case.id, "N5")
    for person in (found_there, found_later):
        _child_nrm(store, case.id, person.id)

    assert _mash_done(store, case.id, found_there.id)
    assert not _mash_done(store, case.id, found_later.id)
    plan = pathway.plan_case(pathway.person_facts(store, case.id, found_later.id))
    assert plan.step("nrm_pre.submit_nrm").waiting_for == ("init.mash",)
    # The case as a whole shows MASH to do while a child of it waits for their referral.
    assert "init.mash" not in pathway.case_facts(store, case.id).done
    documents.save_document(store, case.id, "referral", {
        "destination": "mash", "person_reference": "N5"})
    assert _mash_done(store, case.id, found_later.id)
    assert "init.mash" in pathway.case_facts(store, case.id).done


def test_a_referral_to_mash_for_the_person_marks_their_step_done(store: Store) -> None:
    case = cases.create_case(store, "Operation Sorrel: nail bar")
    person = cases.add_person(store, case.id, "N5")
    other = cases.add_person(store, case.id, "N6")
    for who in (person, other):
        _child_nrm(store, case.id, who.id)
    documents.save_document(store, case.id, "referral", {
        "destination": "mash", "person_reference": " n5 "})
    assert _mash_done(store, case.id, person.id)
    assert not _mash_done(store, case.id, other.id)


def test_a_mash_referral_on_the_reception_board_marks_their_step_done(store: Store) -> None:
    case = cases.create_case(store, "Operation Sorrel: nail bar")
    person = cases.add_person(store, case.id, "N7")
    _child_nrm(store, case.id, person.id)
    assert not _mash_done(store, case.id, person.id)
    documents.save_document(store, case.id, "reception", {
        "venue": "Foleshill Community Centre",
        "people": [{"reference": "N7", "age_group": "child",
                    "arrived_at": "2026-11-20T11:00:00",
                    "mash_referred_at": "2026-11-20T11:20:00"}]})
    assert _mash_done(store, case.id, person.id)


def test_the_cases_mash_step_is_done_once_every_child_is_referred(store: Store) -> None:
    """R-CHILD-MASH-FIRST: the only child's MASH referral was recorded on the board and their
    own pathway showed it done, but the case-wide pathway still listed "contact MASH"."""
    case = cases.create_case(store, "Operation Tansy: hand car wash")
    adult = cases.add_person(store, case.id, "R001")
    child = cases.add_person(store, case.id, "R002")
    documents.save_document(store, case.id, "nrm", {
        "where_found": {"age_group": "adult", "encountered_on": "2026-11-20"}},
        person_id=adult.id)
    _child_nrm(store, case.id, child.id)
    assert "init.mash" not in pathway.case_facts(store, case.id).done
    documents.save_document(store, case.id, "referral", {
        "destination": "mash", "person_reference": "R002", "made_at": "2026-11-20T11:00:00",
        "made_by": "Officer", "method": "phone"}, person_id=child.id)
    assert _mash_done(store, case.id, child.id)
    assert "init.mash" in pathway.case_facts(store, case.id).done
