"""The pathway engine over the packaged Coventry pathways: every branch of the initial
identification and safeguarding pathway, every step of the Trading Standards pathway, the NRM
pathways before, during and after, and the transition to adulthood."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fieldkit.pathway import (
    CaseFacts,
    CasePlan,
    facts_from_nrm,
    facts_from_person,
    next_prompts,
    plan_case,
)
from forms.choices import AgeGroup, ConsentDecision, NrmStage
from forms.nrm import Consent, WhereFound
from forms.pathways import BOOLEAN_FACTS, CHOICE_FACTS
from forms.reception import PersonReceived
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm

ADULT = {"age": AgeGroup.ADULT}
ADULT_STEPS = ["init.gather_information", "init.do_not_confront", "init.speak_alone",
               "init.establish_needs", "init.report_to_lead", "init.ask_support"]


def plan(**facts: object) -> CasePlan:
    return plan_case(CaseFacts.model_validate(facts))


def initial(**facts: object) -> list[str]:
    return [step.id for step in plan(**facts).pathway("initial").steps]


def test_the_engine_knows_every_fact_the_conditions_use() -> None:
    names = set(CaseFacts().facts())
    assert names == BOOLEAN_FACTS | set(CHOICE_FACTS)


# --- initial identification and safeguarding --------------------------------------------


def test_immediate_risk_puts_the_999_call_first() -> None:
    """R-999-FIRST: immediate risk, 999 first."""
    found = plan(immediate_risk=True, age=AgeGroup.ADULT)
    steps = found.pathway("initial").steps
    assert steps[0].id == "init.call_999" and steps[0].urgent
    assert [c.phone for c in steps[0].contacts] == ["999"]
    assert found.next_steps()[0].id == "init.call_999"
    assert next_prompts(CaseFacts(immediate_risk=True))[0].id == "init.call_999"


def test_without_immediate_risk_there_is_no_999_step() -> None:
    assert "init.call_999" not in initial(**ADULT)


def test_once_999_is_called_it_is_done_and_no_longer_first() -> None:
    found = plan(immediate_risk=True, age=AgeGroup.ADULT, done={"init.call_999"})
    assert found.step("init.call_999").done
    assert found.next_steps()[0].id != "init.call_999"


@pytest.mark.parametrize("age", [AgeGroup.CHILD, AgeGroup.NOT_SURE])
def test_a_child_or_possible_child_goes_to_mash_and_the_adult_steps_end(age: AgeGroup) -> None:
    """R-CHILD-MASH: a child goes to MASH."""
    found = plan(age=age)
    steps = found.pathway("initial").steps
    assert [s.id for s in steps] == ["init.mash"]
    assert steps[0].contacts[0].phone == "024 7678 8555"
    assert steps[0].form == "referral" and steps[0].form_title == "Referral"


def test_a_child_near_18_also_goes_to_the_transition_pathway() -> None:
    """R-TRANSITION-DUE: a child near 18 also goes to the transition pathway."""
    found = plan(age=AgeGroup.CHILD, transition_due=True)
    assert [s.id for s in found.pathway("initial").steps] == ["init.mash", "init.transition"]
    assert found.step("init.transition").go_to == "transition"
    assert found.pathway("transition").steps[0].id == "transition.panel"


def test_an_adult_gets_the_information_gathering_steps_in_order() -> None:
    """R-ADULT-STEPS: the adult's steps in order."""
    assert initial(**ADULT) == ADULT_STEPS
    report = plan(**ADULT).step("init.report_to_lead")
    assert report.contacts[0].email == "modernslavery@coventry.gov.uk"


def test_an_adult_who_wants_support_reports_to_101_and_goes_to_the_nrm() -> None:
    """R-CONSENT-GIVEN-STEPS: 101 and the NRM pathway."""
    steps = initial(age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    assert steps == [*ADULT_STEPS, "init.report_101", "init.nrm_pathway"]
    found = plan(age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    assert found.step("init.ask_support").done  # consent recorded
    assert found.step("init.nrm_pathway").form == "nrm"
    assert "init.duty_to_notify" not in steps


def test_an_adult_who_does_not_want_support_gets_the_dtn_branch() -> None:
    """R-NO-CONSENT-STEPS: the steps for an adult without consent."""
    steps = initial(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED)
    assert steps == [*ADULT_STEPS, "init.capacity", "init.record_details",
                     "init.how_to_get_help", "init.partnership_intelligence",
                     "init.duty_to_notify"]
    found = plan(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED)
    assert found.step("init.duty_to_notify").form == "dtn"
    assert found.step("init.partnership_intelligence").form == "intel"
    assert "init.nrm_pathway" not in steps


def test_no_duty_to_notify_when_not_a_first_responder() -> None:
    steps = initial(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED, first_responder=False)
    assert "init.duty_to_notify" not in steps
    assert "init.not_first_responder" in steps
    helpline = plan(age=AgeGroup.ADULT, first_responder=False).step("init.not_first_responder")
    assert helpline.contacts[0].phone == "0800 0121 700"


def test_a_concern_about_capacity_is_raised_even_before_a_decision() -> None:
    """R-CAPACITY: the Mental Capacity Act step."""
    assert "init.capacity" in initial(age=AgeGroup.ADULT, capacity_concern=True)
    assert "init.capacity" not in initial(**ADULT)


@pytest.mark.parametrize(
    ("fact", "step", "contact"),
    [
        ("care_and_support_needs", "init.adult_social_care", "adult_social_care"),
        ("housing_needs", "init.housing", "housing"),
        ("migrant", "init.migrant", "refugee_migrant_centre"),
    ],
)
def test_an_adults_needs_bring_their_referrals(fact: str, step: str, contact: str) -> None:
    """R-ADULT-NEEDS, R-UNKNOWN-FACT-WAITS: needs bring referrals once known."""
    assert step in initial(age=AgeGroup.ADULT, **{fact: True})
    assert step not in initial(age=AgeGroup.ADULT, **{fact: False})
    assert step not in initial(age=AgeGroup.ADULT)  # not known yet
    assert step not in initial(age=AgeGroup.CHILD, **{fact: True})  # MASH leads for a child
    found = plan(age=AgeGroup.ADULT, **{fact: True}).step(step)
    assert found.contacts[0].id == contact and found.form == "referral"


def test_a_migrant_is_referred_to_both_the_centre_and_the_migration_team() -> None:
    found = plan(age=AgeGroup.ADULT, migrant=True).step("init.migrant")
    assert [c.id for c in found.contacts] == ["refugee_migrant_centre", "migration_team"]


@pytest.mark.parametrize("fact", ["perpetrator_concern", "location_concern", "business_concern"])
def test_a_perpetrator_location_or_business_concern_goes_to_the_police(fact: str) -> None:
    """R-CONCERN-ROUTES: concerns go to the police."""
    steps = initial(**{fact: True})
    assert "init.police_intelligence" in steps
    found = plan(**{fact: True}).step("init.police_intelligence")
    assert found.contacts[0].phone == "101" and found.form == "intel"
    assert "init.police_intelligence" not in initial(**ADULT)


@pytest.mark.parametrize(
    ("fact", "step", "contact"),
    [
        ("business_exploiting_workers", "init.glaa", "glaa"),
        ("business_broke_law", "init.trading_standards", "trading_standards"),
        ("housing_concern", "init.housing_enforcement", "housing_enforcement"),
    ],
)
def test_business_and_housing_concerns_go_to_their_agency(
    fact: str, step: str, contact: str
) -> None:
    """R-CONCERN-ROUTES: business and housing concerns to their agency."""
    assert step in initial(**{fact: True})
    assert step not in initial()
    assert plan(**{fact: True}).step(step).contacts[0].id == contact


# --- the Trading Standards pathway ------------------------------------------------------


TS_ALWAYS = {1: "ts.identify_concern", 2: "ts.notify_lead", 3: "ts.consider_multi_agency",
             4: "ts.visit", 5: "ts.examine_premises", 10: "ts.upload_idb",
             11: "ts.share_intelligence", 12: "ts.investigation", 13: "ts.prosecution"}


def ts(**facts: object) -> list[str]:
    return [step.id for step in plan(**facts).pathway("trading_standards").steps]


def test_before_exploitation_is_found_the_pathway_has_its_unconditional_steps() -> None:
    assert ts() == list(TS_ALWAYS.values())
    numbers = [s.number for s in plan().pathway("trading_standards").steps]
    assert numbers == list(TS_ALWAYS)


@pytest.mark.parametrize(("number", "step_id"), sorted(TS_ALWAYS.items()))
def test_each_unconditional_step_is_numbered_and_marked_done(number: int, step_id: str) -> None:
    found = plan(done={step_id})
    step = found.step(step_id)
    assert step.number == number and step.done
    assert all(not s.done for s in found.pathway("trading_standards").steps if s.id != step_id)


def test_step_2_notifies_the_lead_and_steps_3_to_5_name_their_forms() -> None:
    found = plan()
    assert found.step("ts.notify_lead").contacts[0].id == "modern_slavery_lead"
    assert found.step("ts.consider_multi_agency").form == "reception"
    assert found.step("ts.visit").form == "visit"
    assert found.step("ts.examine_premises").form == "visit"
    assert found.step("ts.upload_idb").form == "intel"


def test_step_6_offline_nrm_and_border_force_when_exploitation_is_present() -> None:
    """R-TS-EXPLOITATION: steps 6-9 once exploitation is present."""
    found = plan(exploitation_present=True, age=AgeGroup.ADULT)
    step = found.step("ts.offline_nrm_border_force")
    assert step.number == 6 and step.form == "nrm"
    assert step.contacts[0].id == "border_force"
    assert "ts.offline_nrm_border_force" not in ts(exploitation_present=False)


def test_step_7_seeks_an_adults_consent_and_is_done_once_decided() -> None:
    """R-TS-CONSENT: step 7 asks an adult, done once decided."""
    asked = plan(exploitation_present=True, age=AgeGroup.ADULT)
    assert asked.step("ts.seek_consent").number == 7
    assert not asked.step("ts.seek_consent").done
    decided = plan(exploitation_present=True, age=AgeGroup.ADULT,
                   consent=ConsentDecision.REFUSED)
    assert decided.step("ts.seek_consent").done
    assert "ts.seek_consent" not in ts(exploitation_present=True, age=AgeGroup.CHILD)


def test_step_8_other_safeguarding_referrals() -> None:
    step = plan(exploitation_present=True).step("ts.safeguarding_referrals")
    assert step.number == 8 and step.form == "referral"


def test_step_9_nrm_submission_with_the_lead_for_a_consenting_adult() -> None:
    steps = ts(exploitation_present=True, age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    assert "ts.nrm_submission" in steps and "ts.dtn_submission" not in steps
    step = plan(exploitation_present=True, age=AgeGroup.ADULT,
                consent=ConsentDecision.GIVEN).step("ts.nrm_submission")
    assert (step.number, step.form, step.go_to) == (9, "nrm", "nrm_during")
    assert step.contacts[0].id == "modern_slavery_lead"


def test_step_9_nrm_for_a_child_without_consent() -> None:
    steps = ts(exploitation_present=True, age=AgeGroup.CHILD)
    assert "ts.nrm_submission" in steps and "ts.dtn_submission" not in steps


def test_step_9_becomes_a_duty_to_notify_for_an_adult_who_refused_never_both() -> None:
    """R-TS-STEP-9: NRM or Duty to Notify, never both."""
    steps = ts(exploitation_present=True, age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED)
    assert "ts.dtn_submission" in steps and "ts.nrm_submission" not in steps
    assert plan(exploitation_present=True, age=AgeGroup.ADULT,
                consent=ConsentDecision.REFUSED).step("ts.dtn_submission").form == "dtn"


def test_step_9_waits_while_an_adult_has_not_been_asked() -> None:
    steps = ts(exploitation_present=True, age=AgeGroup.ADULT)
    assert "ts.nrm_submission" not in steps and "ts.dtn_submission" not in steps


def test_the_full_pathway_for_a_consenting_adult_has_all_13_steps_in_order() -> None:
    """R-TS-STEPS: the 13 steps in order."""
    found = plan(exploitation_present=True, age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    steps = found.pathway("trading_standards").steps
    assert [s.number for s in steps] == list(range(1, 14))
    assert found.pathway("trading_standards").next_step is steps[0]
    everything = plan(exploitation_present=True, age=AgeGroup.ADULT,
                      consent=ConsentDecision.GIVEN, done={s.id for s in steps})
    assert everything.pathway("trading_standards").complete
    assert everything.pathway("trading_standards").next_step is None


# --- the NRM pathways ---------------------------------------------------------------------


def test_before_the_nrm_a_consenting_adult_is_helped_to_submit() -> None:
    """R-NRM-PRE: the steps before the referral."""
    found = plan(age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    steps = [s.id for s in found.pathway("nrm_pre").steps]
    assert steps == ["nrm_pre.choose_first_responder", "nrm_pre.explain_nrm",
                     "nrm_pre.check_existing", "nrm_pre.prompt_sheet", "nrm_pre.submit_nrm"]
    assert found.step("nrm_pre.explain_nrm").done
    assert found.step("nrm_pre.check_existing").contacts[0].email == "nrm@modernslavery.gov.uk"


def test_before_the_nrm_a_refusing_adult_gets_a_dtn_and_other_support() -> None:
    """R-NRM-PRE: without consent, the Duty to Notify and other support."""
    steps = [s.id for s in plan(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED)
             .pathway("nrm_pre").steps]
    assert "nrm_pre.submit_dtn" in steps and "nrm_pre.alternative_support" in steps
    assert "nrm_pre.submit_nrm" not in steps
    no_duty = plan(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED, first_responder=False)
    pre = [s.id for s in no_duty.pathway("nrm_pre").steps]
    assert "nrm_pre.submit_dtn" not in pre and "nrm_pre.refer_to_first_responder" in pre


def test_the_during_and_post_nrm_pathways_follow_the_stage() -> None:
    """R-NRM-DURING, R-RECONSIDERATION: the stage decides the steps."""
    assert "nrm_during" not in [p.id for p in plan().pathways]
    awaiting = plan(nrm_stage=NrmStage.AWAITING_RG, destitute=True)
    during = [s.id for s in awaiting.pathway("nrm_during").steps]
    assert during == ["nrm_during.contact_lead", "nrm_during.destitute", "nrm_during.await_rg"]
    assert awaiting.step("nrm_during.destitute").contacts[0].phone == "0800 808 3733"
    assert awaiting.step("nrm_during.await_rg").timeline is not None
    assert "nrm_pre" not in [p.id for p in awaiting.pathways]
    positive = [s.id for s in plan(nrm_stage=NrmStage.POSITIVE_RG, wants_support=True)
                .pathway("nrm_during").steps]
    assert "nrm_during.refer_salvation_army" in positive and "nrm_during.await_cg" in positive
    negative = plan(nrm_stage=NrmStage.NEGATIVE_RG, new_evidence=True)
    step = negative.step("nrm_during.reconsideration")
    assert step.timeline is not None and step.timeline.days == 30
    assert "nrm_during.alternative_support" not in [
        s.id for s in negative.pathway("nrm_during").steps]
    assert "nrm_during.alternative_support" in [
        s.id for s in plan(nrm_stage=NrmStage.NEGATIVE_RG).pathway("nrm_during").steps]


def test_after_a_positive_conclusive_grounds_decision() -> None:
    """R-NRM-POST: after the conclusive grounds decision."""
    found = plan(nrm_stage=NrmStage.POSITIVE_CG, migrant=True, housing_needs=True)
    steps = [s.id for s in found.pathway("nrm_post").steps]
    assert steps == ["nrm_post.contact_lead", "nrm_post.explain_cg", "nrm_post.recovery_needs",
                     "nrm_post.leave_to_remain", "nrm_post.housing"]
    assert "nrm_during" not in [p.id for p in found.pathways]
    negative = [s.id for s in plan(nrm_stage=NrmStage.NEGATIVE_CG).pathway("nrm_post").steps]
    assert negative[-1] == "nrm_post.alternative_support"


def test_the_transition_pathway_only_for_a_child_near_18() -> None:
    """R-TRANSITION-SUPPORT: the transition pathway's referrals."""
    assert "transition" not in [p.id for p in plan(age=AgeGroup.CHILD).pathways]
    assert "transition" not in [p.id for p in plan(age=AgeGroup.ADULT,
                                                   transition_due=True).pathways]
    found = plan(age=AgeGroup.CHILD, transition_due=True, wants_support=True,
                 consent=ConsentDecision.GIVEN)
    steps = [s.id for s in found.pathway("transition").steps]
    assert steps[0] == "transition.panel" and "transition.salvation_army" in steps
    assert not found.step("transition.plan_eighteenth").done  # a child's consent decides nothing


# --- facts from forms -----------------------------------------------------------------------


def test_facts_are_read_from_an_nrm_draft() -> None:
    nrm = full_nrm(immediate_risk=True)
    facts = facts_from_nrm(nrm, as_of=FOUND_ON, migrant=True, done=["ts.visit"])
    assert facts.age is AgeGroup.ADULT and facts.consent is ConsentDecision.GIVEN
    assert facts.immediate_risk and facts.destitute and facts.wants_support and facts.migrant
    assert facts.done == frozenset({"ts.visit"})
    assert next_prompts(facts)[0].id == "init.call_999"


def test_a_child_on_an_nrm_draft_is_a_child_to_the_engine() -> None:
    nrm = full_nrm(where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.ADULT))
    nrm.potential_victim.date_of_birth = date(2007, 6, 1)  # 17, within 6 months of 18
    nrm.consent = Consent()
    facts = facts_from_nrm(nrm, as_of=FOUND_ON)
    assert facts.age is AgeGroup.CHILD and facts.transition_due
    assert "transition" in [p.id for p in plan_case(facts).pathways]


def test_facts_are_read_from_a_person_received() -> None:
    person = PersonReceived(reference="R-9", age_group=AgeGroup.NOT_SURE, potential_victim=True,
                            arrived_at=datetime(2025, 3, 14, 9, 0))
    facts = facts_from_person(person, as_of=FOUND_ON)
    assert facts.age is AgeGroup.NOT_SURE and facts.exploitation_present
    assert [s.id for s in plan_case(facts).pathway("initial").steps] == ["init.mash"]


def test_an_adult_who_refused_is_not_sent_to_the_salvation_army_for_a_bed_tonight() -> None:
    """The Salvation Army's emergency support comes with the NRM (the Victim Care Contract):
    an adult who refused it was still given its number for accommodation tonight."""
    refused = plan(**ADULT, consent=ConsentDecision.REFUSED, accommodation_needed=True)
    steps = {s.id: s for s in refused.pathway("initial").steps}
    assert "init.emergency_accommodation" not in steps
    council = steps["init.emergency_accommodation_council"]
    assert "Salvation Army" not in " ".join(c.name for c in council.contacts)
    given = plan(**ADULT, consent=ConsentDecision.GIVEN, accommodation_needed=True)
    ids = [s.id for s in given.pathway("initial").steps]
    assert "init.emergency_accommodation" in ids
    assert "init.emergency_accommodation_council" not in ids


def test_a_childs_nrm_waits_for_the_mash_referral() -> None:
    """R-CHILD-MASH-FIRST: children's services come first: a child's NRM submission (step 9,
    and the NRM pathway's "Submit") waits until the MASH step is done, and is not offered as
    next until then; for an adult nothing waits, as the MASH step does not apply."""
    child = plan(exploitation_present=True, age=AgeGroup.CHILD)
    for step_id in ("ts.nrm_submission", "nrm_pre.submit_nrm"):
        assert child.step(step_id).waiting_for == ("init.mash",), step_id
        assert [s.id for s in child.waits_for(step_id)] == ["init.mash"]
    assert "init.mash" in [s.id for s in child.next_steps()]
    assert not {"ts.nrm_submission", "nrm_pre.submit_nrm"} & {s.id for s in child.next_steps()}

    contacted = plan(exploitation_present=True, age=AgeGroup.CHILD, done={"init.mash"})
    assert contacted.step("ts.nrm_submission").waiting_for == ()
    assert contacted.waits_for("nrm_pre.submit_nrm") == []

    adult = plan(exploitation_present=True, age=AgeGroup.ADULT, consent=ConsentDecision.GIVEN)
    assert adult.step("ts.nrm_submission").waiting_for == ()
    assert not adult.applies("init.mash")


def test_a_step_ticked_before_the_rule_stays_done() -> None:
    """A child's NRM already ticked as submitted is not turned back into a waiting step."""
    ticked = plan(exploitation_present=True, age=AgeGroup.CHILD, done={"ts.nrm_submission"})
    step = ticked.step("ts.nrm_submission")
    assert step.done and step.waiting_for == ()
