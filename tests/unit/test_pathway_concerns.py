"""The concerns about a business come from what the officer recorded (issue: the GLAA, Trading
Standards, Housing Enforcement and police intelligence steps never appeared, since nothing set
their facts): the indicators seen at the premises raise them, as the council's indicator lists
say, and an action recorded on the visit (or an agency present) marks the step done."""

from __future__ import annotations

from typing import Any

from fieldkit import cases, documents, pathway
from fieldkit.resources import load_resources
from fieldkit.store import Store

CONCERN_STEPS = ("init.police_intelligence", "init.glaa", "init.trading_standards",
                 "init.housing_enforcement")


def _case_steps(store: Store, case_id: str) -> dict[str, bool]:
    [(_, plan)] = pathway.plan_for_case(store, case_id)[:1]
    return {step.id: step.done for p in plan.pathways for step in p.steps
            if step.id in CONCERN_STEPS}


def _visit(store: Store, title: str, **record: Any) -> str:
    case = cases.create_case(store, title)
    visit = cases.create_visit(store, case.id, "Sparkle Hand Car Wash", "Foleshill Road")
    documents.save_document(store, case.id, "visit", {
        "premises": {"name": "Sparkle Hand Car Wash", "business_type": "hand_car_wash"},
        **record}, visit_id=visit.id)
    return case.id


def test_indicators_seen_at_a_business_bring_the_agencies_steps(store: Store) -> None:
    case_id = _visit(store, "Operation Concerns", indicators_ticked=[
        "labour.no_breaks", "car_wash.living_on_site", "car_wash.no_protective_equipment"])
    assert _case_steps(store, case_id) == {step: False for step in CONCERN_STEPS}


def test_no_indicator_seen_brings_none_of_them(store: Store) -> None:
    assert _case_steps(store, _visit(store, "Operation Quiet")) == {}


def test_what_the_visit_recorded_marks_those_steps_done(store: Store) -> None:
    case_id = _visit(
        store, "Operation Done", indicators_ticked=["labour.no_breaks", "general.isolation"],
        agencies_present=["trading_standards", "glaa"],
        started_at="2026-11-02T09:00:00Z",
        actions=[{"at": "2026-11-02T09:30:00Z", "action": "police_called_101"}])
    steps = _case_steps(store, case_id)
    assert steps == {"init.police_intelligence": True, "init.glaa": True}


def test_the_indicator_lists_say_which_concern_each_raises() -> None:
    lists = load_resources().indicators
    assert lists.concerns_of(["labour.recruitment_fees"]) == {"business_exploiting_workers"}
    assert lists.concerns_of(["farm.caravan_accommodation"]) == {"housing_concern"}
    assert lists.concerns_of(["general.fear"]) == set()


def test_a_trading_standards_officer_is_not_told_to_report_to_trading_standards(
        store: Store) -> None:
    from fieldkit import officer
    from fieldkit.officer_profile import OfficerProfile

    case_id = _visit(store, "Operation Own Team", indicators_ticked=[
        "car_wash.no_protective_equipment"])
    assert _case_steps(store, case_id)["init.trading_standards"] is False
    officer.save_profile(store, OfficerProfile(
        name="Officer Test", organisation="Midshire Council Trading Standards"), "field_officer")
    assert _case_steps(store, case_id)["init.trading_standards"] is True


def test_a_person_with_no_form_yet_follows_what_the_board_records(store: Store) -> None:
    """An adult on the reception board with no NRM or Duty to Notify yet: the person's plan
    is an adult's (no MASH step), as the board says, not 'not sure'."""
    case = cases.create_case(store, "Reception centre")
    person = cases.add_person(store, case.id, "W1")
    documents.save_document(store, case.id, "reception", {"people": [{
        "reference": "w1", "arrived_at": "2026-11-02T09:00:00Z", "age_group": "adult",
        "estimated_age": 30, "consent": "given"}]})
    facts = pathway.person_facts(store, case.id, person.id)
    assert facts.age.value == "adult" and facts.consent.value == "given"
    steps = {s.id for p in pathway.plan_case(facts).pathways for s in p.steps}
    assert "init.mash" not in steps


def test_a_possible_child_on_the_board_brings_the_mash_before_any_form(store: Store) -> None:
    """A person the board records as "not sure" of age, a potential victim, with no NRM or Duty
    to Notify yet: the case's plan gave adult guidance ("speak to them alone") and no MASH
    step, because only people with a form were counted. Now the board's people count, with a
    person record or without one."""
    case = cases.create_case(store, "Reception centre")
    person = cases.add_person(store, case.id, "N1")
    documents.save_document(store, case.id, "reception", {"people": [
        {"reference": "N1", "arrived_at": "2026-11-02T09:00:00Z", "potential_victim": True},
        {"reference": "N2", "arrived_at": "2026-11-02T09:05:00Z", "age_group": "adult",
         "estimated_age": 30, "potential_victim": False}]})
    plans = dict(pathway.plan_for_case(store, case.id))
    assert person.id in plans and plans[person.id].applies("init.mash")
    assert plans[pathway.CASE_SCOPE].applies("init.mash")
    # Not yet a person record (registered on the board only): the case's plan still knows.
    other = cases.create_case(store, "Reception centre 2")
    documents.save_document(store, other.id, "reception", {"people": [
        {"reference": "C1", "age_group": "child", "estimated_age": 15}]})
    assert dict(pathway.plan_for_case(store, other.id))[pathway.CASE_SCOPE].applies("init.mash")
    # Someone screened as not a potential victim brings nothing.
    third = cases.create_case(store, "Reception centre 3")
    documents.save_document(store, third.id, "reception", {"people": [
        {"reference": "X1", "age_group": "child", "potential_victim": False}]})
    assert not dict(pathway.plan_for_case(store, third.id))[pathway.CASE_SCOPE].applies(
        "init.mash")


def test_boards_read_for_the_pathway_are_forgotten_when_the_store_locks(store: Store) -> None:
    """The pathway reads a board once for all its people (hundreds at a reception centre); what
    it read is personal data, so no copy outlives the unlocked store."""
    from fieldkit.documents import _centre, reception_centres

    case = cases.create_case(store, "Reception centre")
    documents.save_document(store, case.id, "reception", {"people": [{"reference": "N1"}]})
    assert [p.reference for p in reception_centres(store, case.id)[0].people] == ["N1"]
    assert _centre.cache_info().currsize > 0
    store.lock()
    assert _centre.cache_info().currsize == 0


def test_only_a_report_to_the_police_marks_the_police_step_done(store: Store) -> None:
    """A ready report to the Trading Standards database (IDB) marked "contact the police on
    101 or submit a Partnership Information Report" done: protocol 4.1 and step 10 are two."""
    from datetime import UTC, datetime

    from fieldkit.demo import forms as demo_forms

    case_id = _visit(store, "Operation Intel", indicators_ticked=["labour.no_breaks"])
    report = demo_forms.intel_form(datetime(2026, 11, 2, 9, tzinfo=UTC))
    report["destination"] = "trading_standards_idb"
    saved = documents.save_document(store, case_id, "intel", report, status="ready")
    assert _case_steps(store, case_id)["init.police_intelligence"] is False
    report["destination"] = "police_pir"
    documents.save_document(store, case_id, "intel", report, status="ready",
                            document_id=saved.id)
    assert _case_steps(store, case_id)["init.police_intelligence"] is True
