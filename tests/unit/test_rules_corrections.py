"""The six corrections of issue 16, one test per rule, each named by its rule id (see
docs/rules.md): accommodation is not council housing; the 999 step survives the Duty to Notify;
consent withdrawn; who has the duty to notify; the transition to adulthood; age disputed at the
reception centre. Also the command line's check of a Duty to Notify against recorded details."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fieldkit.first_responders import matching_organisation, responder_duty
from fieldkit.pathway import CaseFacts, facts_from_dtn, facts_from_nrm, facts_from_person, plan_case
from forms.check import check_document, recorded_details
from forms.choices import AgeGroup, ConsentDecision, NrmStage, ResponderDuty, WithdrawalMethod
from forms.dtn import nrm_to_dtn
from forms.nrm import Consent, NrmReferral, SupportWanted, WhereFound
from forms.reception import PersonReceived
from forms.rules import AgeStatus, Route
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm


def withdrawn_consent(**changes: object) -> Consent:
    """An adult's consent, given and then withdrawn the next day, in person."""
    values: dict[str, object] = {
        "decision": ConsentDecision.WITHDRAWN, "how_explained": "NRM Explanatory Booklet",
        "interpreter_used": False, "decided_on": FOUND_ON, "withdrawn_on": date(2025, 3, 15),
        "withdrawal_how": WithdrawalMethod.IN_PERSON,
    }
    values.update(changes)
    return Consent.model_validate(values)


def refused_nrm(**changes: object) -> NrmReferral:
    """The fictional adult of the full NRM, who refused consent."""
    return full_nrm(consent=Consent(decision=ConsentDecision.REFUSED), **changes)


def step_ids(facts: CaseFacts, pathway: str = "initial") -> list[str]:
    return [step.id for step in plan_case(facts).pathway(pathway).steps]


# --- 1. accommodation needed now is not council housing --------------------------------------


def test_accommodation_needed_now_brings_emergency_accommodation_not_council_housing() -> None:
    """R-ACCOMMODATION-NOW: someone who needs a bed tonight gets the emergency or safe-house
    accommodation step (Salvation Army, the council's emergency duty), not a council housing
    referral."""
    nrm = full_nrm(support=SupportWanted(victim_care_contract=True, accommodation_needed=True))
    facts = facts_from_nrm(nrm, as_of=FOUND_ON)
    assert facts.accommodation_needed is True and facts.housing_needs is None
    found = plan_case(facts)
    assert found.applies("init.emergency_accommodation")
    assert not found.applies("init.housing")
    contacts = [c.id for c in found.step("init.emergency_accommodation").contacts]
    assert contacts == ["salvation_army", "emergency_accommodation"]
    person = PersonReceived(reference="A1", age_group=AgeGroup.ADULT, accommodation_needed=True)
    from_reception = facts_from_person(person, as_of=FOUND_ON)
    assert from_reception.accommodation_needed and from_reception.housing_needs is None
    child = plan_case(CaseFacts(age=AgeGroup.CHILD, accommodation_needed=True))
    assert child.applies("init.child_accommodation")
    assert not child.applies("init.emergency_accommodation")


def test_a_council_housing_assessment_is_asked_for_separately() -> None:
    """R-HOUSING-ASSESSMENT: the council housing step comes only from its own answer (meets
    the criteria for council housing), asked for separately from accommodation tonight."""
    nrm = full_nrm(support=SupportWanted(accommodation_needed=False,
                                         council_housing_referral=True))
    found = plan_case(facts_from_nrm(nrm, as_of=FOUND_ON))
    assert found.applies("init.housing")
    assert not found.applies("init.emergency_accommodation")
    assert "housing assessment" in found.step("init.housing").text


# --- 2. immediate risk survives the Duty to Notify --------------------------------------------


def test_the_999_step_stays_when_a_duty_to_notify_replaces_the_nrm() -> None:
    """R-999-KEPT-WITH-DTN: immediate risk is not identifying; the Duty to Notify keeps it, so
    the urgent 999 step stays first until it is ticked done."""
    nrm = refused_nrm(immediate_risk=True, immediate_risk_details="Threatened tonight")
    notice, _removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    assert notice.immediate_risk is True
    assert "Threatened" not in notice.model_dump_json()  # the details stay on the NRM only
    facts = facts_from_dtn(notice)
    assert facts.immediate_risk and facts.route is Route.DUTY_TO_NOTIFY
    first = plan_case(facts).next_steps()[0]
    assert first.id == "init.call_999" and not first.done
    ticked = plan_case(facts_from_dtn(notice, done={"init.call_999"}))
    assert ticked.step("init.call_999").done
    assert ticked.next_steps()[0].id != "init.call_999"


# --- 3. consent withdrawn -------------------------------------------------------------------


def test_consent_withdrawn_is_no_consent_for_an_adult() -> None:
    """R-CONSENT-WITHDRAWN-ROUTE: an adult who consented and then withdrew before submission
    is on the Duty to Notify route, and the NRM cannot be marked ready."""
    nrm = full_nrm(consent=withdrawn_consent())
    assert nrm.obligations(FOUND_ON).route is Route.DUTY_TO_NOTIFY
    messages = {p.field: p.message for p in nrm.ready_problems(FOUND_ON)}
    assert "withdrew their consent" in messages["consent.decision"]
    notice, removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    assert "Zorila" not in notice.model_dump_json() and "The person's name" in removed


def test_consent_withdrawn_records_when_and_how() -> None:
    """R-CONSENT-WITHDRAWN-RECORDED: a withdrawal is kept with the date and the way it was
    made; without them it is refused in plain words, and neither is kept without a withdrawal."""
    kept = withdrawn_consent(withdrawal_notes="Told the officer at the refuge")
    assert kept.withdrawn_on == date(2025, 3, 15)
    assert kept.withdrawal_how is WithdrawalMethod.IN_PERSON
    problems = check_document("nrm", {"consent": {"decision": "withdrawn"}}, ready=False)
    assert [p.message for p in problems] == [
        "Consent withdrawn: say when it was withdrawn and how the withdrawal was made"]
    stray = check_document("nrm", {"consent": {"decision": "given",
                                               "withdrawn_on": "2025-03-15"}}, ready=False)
    assert "only when consent is withdrawn" in stray[0].message


# --- 4. who has the duty to notify ------------------------------------------------------------


@pytest.mark.parametrize(("organisation", "duty"), [
    ("Coventry City Council Trading Standards", ResponderDuty.STATUTORY),
    ("West Midlands Police", ResponderDuty.STATUTORY),
    ("Gangmasters and Labour Abuse Authority", ResponderDuty.STATUTORY),
    ("Home Office Immigration Enforcement", ResponderDuty.STATUTORY),
    ("The Salvation Army", ResponderDuty.NON_STATUTORY),
    ("Refugee Council", ResponderDuty.NON_STATUTORY),
    ("BARNARDOS", ResponderDuty.NON_STATUTORY),
    ("Example Community Project", ResponderDuty.NOT_LISTED),
    ("", ResponderDuty.NOT_LISTED),
])
def test_the_duty_follows_the_organisation_in_the_councils_list(
    organisation: str, duty: ResponderDuty
) -> None:
    """R-DUTY-ORGANISATION: the first responder's duty is worked out from the organisation's
    name against resources/first_responders.yaml; the longest name found decides."""
    assert responder_duty(organisation) is duty
    assert responder_duty(organisation, first_responder=False) is (
        ResponderDuty.NOT_FIRST_RESPONDER)


def test_refugee_council_is_the_charity_not_a_council() -> None:
    """R-DUTY-ORGANISATION: a charity whose name contains "council" is still the charity."""
    found = matching_organisation("Refugee Council (Coventry office)")
    assert found is not None and found.name == "Refugee Council" and not found.statutory


def test_a_statutory_first_responder_must_notify() -> None:
    """R-DUTY-STATUTORY: a specified public authority must make the anonymous Duty to Notify
    for an adult who does not consent, and is told so."""
    facts = facts_from_nrm(refused_nrm(), as_of=FOUND_ON)
    assert facts.duty is ResponderDuty.STATUTORY  # Coventry Trading Standards
    found = plan_case(facts)
    step = found.step("init.duty_to_notify")
    assert "you must notify" in step.text and step.form == "dtn"
    assert found.applies("nrm_pre.submit_dtn") and "must" in found.step("nrm_pre.submit_dtn").text
    assert not found.applies("init.no_duty_to_notify")


def test_a_charity_first_responder_may_notify_but_has_no_duty() -> None:
    """R-DUTY-NON-STATUTORY: a non-statutory first responder may refer with consent but has no
    duty to notify: told what it must not do and what it may do, never that it must notify."""
    nrm = refused_nrm()
    nrm.first_responder.organisation = "Salvation Army"
    found = plan_case(facts_from_nrm(nrm, as_of=FOUND_ON))
    step = found.step("init.no_duty_to_notify")
    assert "no duty to notify" in step.text and "You may" in step.text
    assert "must not refer" in step.text
    assert not found.applies("init.duty_to_notify")
    assert not found.applies("nrm_pre.submit_dtn") and found.applies("nrm_pre.may_notify")
    assert not found.applies("ts.dtn_submission")


def test_an_organisation_not_in_the_list_is_told_to_check() -> None:
    """R-DUTY-NOT-LISTED: an organisation not in the council's list is told to check with the
    Modern Slavery Lead whether it has the duty, and what follows either way."""
    found = plan_case(CaseFacts(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED,
                                responder=ResponderDuty.NOT_LISTED))
    step = found.step("init.check_duty_to_notify")
    assert step.contacts[0].id == "modern_slavery_lead" and "must" in step.text
    assert not found.applies("init.duty_to_notify")


def test_not_a_first_responder_passes_the_concern_on() -> None:
    """R-DUTY-NOT-FIRST-RESPONDER: someone who is not a first responder cannot refer or
    notify: they pass the concern to a first responder or call the Modern Slavery Helpline."""
    facts = CaseFacts(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED, first_responder=False,
                      responder=ResponderDuty.STATUTORY)
    assert facts.duty is ResponderDuty.NOT_FIRST_RESPONDER
    ids = step_ids(facts)
    assert "init.not_first_responder" in ids
    assert not {"init.duty_to_notify", "init.no_duty_to_notify"} & set(ids)


# --- 5. transition to adulthood ---------------------------------------------------------------


def near_18(**facts: object) -> CaseFacts:
    return CaseFacts.model_validate({"age": AgeGroup.CHILD, "transition_due": True, **facts})


def test_a_child_near_18_not_yet_referred_is_referred_now() -> None:
    """R-TRANSITION-REFER-NOW: a child is always referred: the transition pathway says refer
    now, before the 18th birthday, never "consider"."""
    found = plan_case(near_18())
    step = found.step("transition.refer_now")
    assert "refer them to the NRM now" in step.text and step.form == "nrm"
    assert all("consider" not in s.text.lower().split(":")[0]
               for s in found.pathway("transition").steps)
    assert not plan_case(near_18(nrm_stage=NrmStage.AWAITING_RG)).applies("transition.refer_now")


def test_the_transition_never_weakens_the_child_route() -> None:
    """R-TRANSITION-CHILD-ROUTE: a 17-year-old's recorded refusal changes nothing: the route is
    still the NRM, no Duty to Notify or consent step appears, and no transition step is done
    by it; the 18th birthday is planned for instead."""
    nrm = refused_nrm(where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.CHILD))
    nrm.potential_victim.date_of_birth = date(2007, 6, 1)  # 17, within 6 months of 18
    facts = facts_from_nrm(nrm, as_of=FOUND_ON)
    assert facts.transition_due and facts.route is Route.NRM
    found = plan_case(facts)
    every = [s for p in found.pathways for s in p.steps]
    assert not any(s.form == "dtn" for s in every)
    assert not [s.id for s in found.pathway("transition").steps if s.done]
    plan_18 = found.step("transition.plan_eighteenth")
    assert "from that day" in plan_18.text and "Until then nothing waits" in plan_18.text
    assert found.applies("transition.support_continuity")
    with pytest.raises(KeyError):
        found.step("transition.decision")


def test_the_guardians_handover_is_planned_where_the_area_has_the_service() -> None:
    """R-TRANSITION-ICTG: where the area has the Independent Child Trafficking Guardian
    service (or it is not known), the guardian's handover is planned before the birthday."""
    assert plan_case(near_18(ictg_service=True)).applies("transition.ictg_handover")
    assert plan_case(near_18()).applies("transition.ictg_handover")
    assert not plan_case(near_18(ictg_service=False)).applies("transition.ictg_handover")


# --- 6. age disputed at the reception centre --------------------------------------------------


def test_age_disputed_at_reception_is_treated_as_a_child() -> None:
    """R-AGE-DISPUTED-RECEPTION: a person who says 19 but may be under 18 is treated as a
    child until an age assessment: MASH, an NRM whatever their consent, no Duty to Notify."""
    says_19 = PersonReceived(reference="B2", age_group=AgeGroup.ADULT, estimated_age=19,
                             age_disputed=True, consent=ConsentDecision.REFUSED,
                             potential_victim=True, arrived_at=datetime(2025, 3, 14, 9))
    assert says_19.age_status(FOUND_ON) is AgeStatus.POSSIBLY_CHILD
    rules = says_19.obligations(FOUND_ON)
    assert rules.mash_referral and rules.route is Route.NRM and not rules.ask_consent
    messages = [p.message for p in says_19.ready_problems(FOUND_ON)]
    assert "A child (or possibly a child) needs a MASH referral" in messages
    assert step_ids(facts_from_person(says_19, as_of=FOUND_ON)) == ["init.mash"]
    undisputed = says_19.model_copy(update={"age_disputed": False})
    assert undisputed.obligations(FOUND_ON).route is Route.DUTY_TO_NOTIFY


# --- the command line's check of a Duty to Notify ---------------------------------------------


def test_a_dtn_is_checked_against_the_names_and_addresses_given() -> None:
    """R-DTN-RECORDED-DETAILS: the command line checks a Duty to Notify against the recorded
    names (comma separated) and addresses (semicolon separated), as the store does."""
    names, addresses = recorded_details(
        ["Ana Pop, Mica", " "], ["Brookvale Works, Foleshill; Unit B"])
    assert names == ["Ana Pop", "Mica"]
    assert addresses == ["Brookvale Works, Foleshill", "Unit B"]
    notice = {"account": "Mica slept at Brookvale Works, Foleshill with others.",
              "general_area": "Foleshill"}
    found = check_document("dtn", notice, ready=False, names=names, addresses=addresses)
    assert [p.field for p in found] == ["account"]  # the area alone is not an address
    assert "Mica" not in found[0].message and "Brookvale" not in found[0].message
    # Without them, a named works is still a specific place (the name alone is not caught).
    assert [p.message for p in check_document("dtn", notice, ready=False)] == [
        "Anonymised account seems to contain an address: a Duty to Notify must not identify "
        "anyone, so remove it"]
    notice["account"] = "Mica slept at a works in Foleshill with others."
    assert check_document("dtn", notice, ready=False) == []
