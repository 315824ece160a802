"""Search inside the store, and forms that start from what the case already knows."""

from __future__ import annotations

import pytest

from fieldkit import cases, documents, officer, prefill
from fieldkit.demo import create_demo_operation
from fieldkit.errors import InvalidInput
from fieldkit.search import HitKind, search_all
from fieldkit.store import Store


def test_search_finds_notes_forms_people_exhibits_and_cases(store: Store) -> None:
    case = create_demo_operation(store)
    kinds = {hit.kind for hit in search_all(store, "cabin")}
    assert HitKind.NOTE in kinds and HitKind.EXHIBIT in kinds
    assert any(h.kind is HitKind.FORM for h in search_all(store, "passport"))
    assert any(h.kind is HitKind.PERSON for h in search_all(store, "Albanian"))
    assert any(h.kind is HitKind.CASE for h in search_all(store, "Larkspur"))
    hit = next(h for h in search_all(store, "mattresses") if h.kind is HitKind.NOTE)
    assert hit.case_id == case.id and hit.visit_id and "mattresses" in hit.snippet
    # Part of a word finds notes as it finds forms and people ("mattress" found none).
    assert hit in search_all(store, "mattress")
    assert [h for h in search_all(store, "mattresses zebra") if h.kind is HitKind.NOTE] == []


def test_search_needs_every_word_and_says_so_when_empty(store: Store) -> None:
    create_demo_operation(store)
    assert search_all(store, "cabin zebra") == []
    with pytest.raises(InvalidInput, match="Search text"):
        search_all(store, "   ")


def test_a_new_nrm_starts_from_the_visit_and_the_profile(store: Store) -> None:
    officer.save_profile(store, officer.OfficerProfile(
        name="Rowan Hallam", organisation="Coventry City Council", role="TSO",
        email="rh@example.gov.uk"), officer.AppRole.FIELD_OFFICER)
    case = create_demo_operation(store)
    visit = cases.list_visits(store, case.id)[0]
    person = cases.add_person(store, case.id, "W9", visit_id=visit.id)
    data = prefill.new_nrm(store, person)
    record = prefill.visit_form(store, visit)
    assert record is not None and record.started_at is not None
    assert data["first_responder"]["name"] == "Rowan Hallam"
    assert data["where_found"]["encountered_on"] == \
        record.started_at.astimezone().date().isoformat()
    assert data["where_found"]["local_authority"] == "Coventry City Council"
    assert "place" not in data["where_found"]  # never the premises' address
    assert sorted(data["came_to_notice"]["indicator_ids"]) == sorted(record.indicators_ticked)
    assert data["exploitation"]["types"] == ["labour"]
    assert data["police"]["involved"] is True
    assert documents.form_problems("nrm", data, ready=False) == []


def test_a_person_registered_at_reception_brings_their_details(store: Store) -> None:
    case = create_demo_operation(store)
    w4 = next(p for p in cases.list_people(store, case.id) if p.reference == "W4")
    data = prefill.new_nrm(store, w4)
    assert "age_group" in data["where_found"]


def test_reception_and_intelligence_start_from_the_case_and_profile(store: Store) -> None:
    officer.save_profile(store, officer.OfficerProfile(name="Rowan Hallam"),
                         officer.AppRole.FIELD_OFFICER)
    case = cases.create_case(store, "Operation Teasel")
    assert prefill.new_reception(store, case.id)["operation"] == "Operation Teasel"
    assert prefill.new_document(store, case.id, "intel") == {"recorded_by": "Rowan Hallam"}


def test_an_age_disputed_at_reception_stays_disputed_on_the_nrm(store: Store) -> None:
    """R-AGE-DISPUTED-RECEPTION: R1 says 17, the officer thinks about 25: the board treats R1
    as possibly a child. The
    NRM started from the board dropped the dispute, so the form said adult, the route became a
    Duty to Notify after a refusal, and the MASH step went away."""
    from datetime import date

    from forms import NrmReferral

    case = cases.create_case(store, "Operation Larch")
    documents.save_document(store, case.id, "reception", {
        "operation": "Operation Larch", "held_on": "2026-11-20",
        "people": [{"reference": "R1", "age_group": "adult", "estimated_age": 25,
                    "age_disputed": True, "consent": "refused", "potential_victim": True}]})
    person = cases.ensure_person(store, case.id, "R1")
    data = prefill.new_nrm(store, person)
    assert data["where_found"]["age_disputed"] is True
    rules = NrmReferral.model_validate(data).obligations(date(2026, 11, 20))
    assert rules.treated_as_child and rules.route.value == "nrm"


@pytest.mark.parametrize(("recorded", "refused"), [
    ({"age_group": "child", "estimated_age": 15}, True),
    ({"age_group": "adult", "estimated_age": 25, "age_disputed": True}, True),
    ({"age_group": "not_sure"}, True),
    ({"age_group": "adult", "estimated_age": 30, "consent": "refused"}, False),
])
def test_no_duty_to_notify_for_someone_the_board_records_as_a_child(
        store: Store, recorded: dict[str, object], refused: bool) -> None:
    """R-DTN-NEVER-CHILD: a Duty to Notify was saved (and counted at the Lead as an adult's) for
    R2, whom the
    reception board records as a child of 15, because only NRM forms were looked at."""
    case = cases.create_case(store, "Operation Larch")
    documents.save_document(store, case.id, "reception", {
        "operation": "Operation Larch", "held_on": "2026-11-20",
        "people": [{"reference": "R2", "potential_victim": True, **recorded}]})
    person = cases.ensure_person(store, case.id, "R2")
    notice = {"gender": "female", "account": "Found working in a nail bar.",
              "general_area": "Coventry"}
    if refused:
        with pytest.raises(InvalidInput, match="reception board records this person as a child"):
            documents.save_document(store, case.id, "dtn", notice, person_id=person.id)
        assert documents.list_documents(store, case.id, "dtn") == []
    else:
        documents.save_document(store, case.id, "dtn", notice, person_id=person.id)
        assert len(documents.list_documents(store, case.id, "dtn")) == 1


def test_the_board_s_consent_conversation_comes_onto_the_nrm(store: Store) -> None:
    """The board recorded the interpreter (Vietnamese) and when the NRM was explained before
    consent was given; the NRM started from it asked for all that again."""
    case = cases.create_case(store, "Operation Larch")
    documents.save_document(store, case.id, "reception", {
        "operation": "Operation Larch", "held_on": "2026-11-20",
        "people": [{"reference": "R1", "age_group": "adult", "estimated_age": 30,
                    "language": "vie", "interpreter_needed": True,
                    "interpreter_provided_at": "2026-11-20T10:05:00Z",
                    "nrm_explained_at": "2026-11-20T10:25:00Z", "consent": "given",
                    "potential_victim": True}]})
    person = cases.ensure_person(store, case.id, "R1")
    consent = prefill.new_nrm(store, person)["consent"]
    assert consent["decision"] == "given" and consent["decided_on"] == "2026-11-20"
    assert consent["interpreter_used"] is True and consent["interpreter_language"] == "vie"


def test_the_board_s_support_answers_and_no_interpreter_come_onto_the_nrm(
        store: Store) -> None:
    """The board recorded "wants Salvation Army support" and "no interpreter needed"; the NRM
    form started from it asked both again."""
    case = cases.create_case(store, "Operation Larch")
    documents.save_document(store, case.id, "reception", {
        "operation": "Operation Larch", "held_on": "2026-11-20",
        "people": [{"reference": "R5", "age_group": "adult", "estimated_age": 30,
                    "interpreter_needed": False, "wants_support": True,
                    "accommodation_needed": False, "nrm_explained_at": "2026-11-20T10:25:00Z",
                    "consent": "given", "consent_recorded_at": "2026-11-20T10:30:00Z",
                    "potential_victim": True}]})
    data = prefill.new_nrm(store, cases.ensure_person(store, case.id, "R5"))
    assert data["support"] == {"victim_care_contract": True, "accommodation_needed": False}
    assert data["consent"]["interpreter_used"] is False


def test_consent_given_before_it_was_informed_is_not_copied_onto_the_nrm(store: Store) -> None:
    """The board recorded consent at 10:05 and the NRM explained at 10:25: it does not count
    ("! Ask again" on the board), and the NRM started from the board said "given" all the same.
    Asked again at 10:40, it counts, dated from that answer."""
    case = cases.create_case(store, "Operation Larch")
    person: dict[str, object] = {
        "reference": "R1", "age_group": "adult", "estimated_age": 30, "potential_victim": True,
        "nrm_explained_at": "2026-11-20T10:25:00Z", "consent": "given",
        "consent_recorded_at": "2026-11-20T10:05:00Z"}
    board = {"operation": "Operation Larch", "held_on": "2026-11-20", "people": [person]}
    saved = documents.save_document(store, case.id, "reception", board)
    r1 = cases.ensure_person(store, case.id, "R1")
    assert "consent" not in prefill.new_nrm(store, r1)
    person["consent_recorded_at"] = "2026-11-21T10:40:00Z"
    documents.save_document(store, case.id, "reception", board, document_id=saved.id)
    consent = prefill.new_nrm(store, r1)["consent"]
    assert consent["decision"] == "given" and consent["decided_on"] == "2026-11-21"
