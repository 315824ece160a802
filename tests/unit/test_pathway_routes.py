"""One pathway test per route a person can take, from the forms an officer fills to the steps
the app shows: a child, possibly a child, an adult who consents, an adult who refuses (with a
statutory first responder, and with a charity), consent withdrawn, and immediate risk with a
Duty to Notify."""

from __future__ import annotations

from datetime import date

from fieldkit.pathway import CasePlan, facts_from_dtn, facts_from_nrm, plan_case
from forms.choices import AgeGroup, ConsentDecision, ResponderDuty, WithdrawalMethod
from forms.dtn import nrm_to_dtn
from forms.nrm import Consent, NrmReferral, SupportWanted, WhereFound
from forms.rules import Route
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm

ADULT_STEPS = ["init.gather_information", "init.do_not_confront", "init.speak_alone",
               "init.establish_needs", "init.report_to_lead", "init.ask_support"]
NO_CONSENT_STEPS = ["init.capacity", "init.record_details", "init.how_to_get_help",
                    "init.partnership_intelligence"]
ADULT_SUPPORT = SupportWanted(victim_care_contract=None, accommodation_needed=False)


def ids(found: CasePlan, pathway: str) -> list[str]:
    return [step.id for step in found.pathway(pathway).steps]


def every_form(found: CasePlan) -> set[str | None]:
    return {step.form for p in found.pathways for step in p.steps}


def adult_nrm(consent: Consent, organisation: str = "Coventry Trading Standards") -> NrmReferral:
    nrm = full_nrm(consent=consent, support=ADULT_SUPPORT)
    nrm.first_responder.organisation = organisation
    return nrm


def test_route_child() -> None:
    """A child: MASH first, always an NRM referral with no consent asked, never a DtN."""
    nrm = full_nrm(where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.CHILD),
                   consent=Consent(), support=ADULT_SUPPORT)
    nrm.potential_victim.date_of_birth = date(2010, 1, 5)
    facts = facts_from_nrm(nrm, as_of=FOUND_ON, exploitation_present=True)
    assert facts.age is AgeGroup.CHILD and facts.route is Route.NRM
    found = plan_case(facts)
    assert ids(found, "initial") == ["init.mash"]
    assert found.next_steps()[0].id == "init.mash"
    assert "ts.nrm_submission" in ids(found, "trading_standards")
    assert "ts.seek_consent" not in ids(found, "trading_standards")
    assert ids(found, "nrm_pre")[-1] == "nrm_pre.submit_nrm"
    assert "dtn" not in every_form(found)
    assert "transition" not in [p.id for p in found.pathways]


def test_route_possibly_a_child() -> None:
    """Possibly a child (age not sure, or disputed): treated as a child until an age
    assessment, whatever consent was recorded."""
    nrm = full_nrm(where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.ADULT,
                                          age_disputed=True),
                   consent=Consent(decision=ConsentDecision.REFUSED), support=ADULT_SUPPORT)
    facts = facts_from_nrm(nrm, as_of=FOUND_ON, exploitation_present=True)
    assert facts.age is AgeGroup.NOT_SURE and facts.route is Route.NRM
    found = plan_case(facts)
    assert ids(found, "initial") == ["init.mash"]
    assert "dtn" not in every_form(found)
    assert "ts.nrm_submission" in ids(found, "trading_standards")


def test_route_adult_consents() -> None:
    """An adult who consents: police 101, the NRM pathway, submission with the Lead."""
    facts = facts_from_nrm(full_nrm(support=ADULT_SUPPORT), as_of=FOUND_ON,
                           exploitation_present=True)
    assert facts.route is Route.NRM and facts.duty is ResponderDuty.STATUTORY
    found = plan_case(facts)
    assert ids(found, "initial") == [*ADULT_STEPS, "init.report_101", "init.nrm_pathway"]
    assert found.step("init.ask_support").done
    assert "ts.nrm_submission" in ids(found, "trading_standards")
    assert ids(found, "nrm_pre")[-1] == "nrm_pre.submit_nrm"
    assert "dtn" not in every_form(found)


def test_route_adult_refuses_with_a_statutory_first_responder() -> None:
    """An adult who refuses, met by a council officer: the officer must make the anonymous
    Duty to Notify (section 52); no NRM."""
    facts = facts_from_nrm(adult_nrm(Consent(decision=ConsentDecision.REFUSED)),
                           as_of=FOUND_ON, exploitation_present=True)
    assert facts.duty is ResponderDuty.STATUTORY and facts.route is Route.DUTY_TO_NOTIFY
    found = plan_case(facts)
    assert ids(found, "initial") == [*ADULT_STEPS, *NO_CONSENT_STEPS, "init.duty_to_notify"]
    assert "you must notify" in found.step("init.duty_to_notify").text
    assert "ts.dtn_submission" in ids(found, "trading_standards")
    assert "ts.nrm_submission" not in ids(found, "trading_standards")
    assert ids(found, "nrm_pre")[-2:] == ["nrm_pre.submit_dtn", "nrm_pre.alternative_support"]
    assert "nrm" not in {s.form for s in found.pathway("nrm_pre").steps}


def test_route_adult_refuses_with_a_charity_first_responder() -> None:
    """An adult who refuses, met by a charity first responder: no NRM without consent, no duty
    to notify; it may notify anonymously or pass the concern to the Lead."""
    facts = facts_from_nrm(adult_nrm(Consent(decision=ConsentDecision.REFUSED),
                                     organisation="Medaille Trust"),
                           as_of=FOUND_ON, exploitation_present=True)
    assert facts.duty is ResponderDuty.NON_STATUTORY
    found = plan_case(facts)
    assert ids(found, "initial") == [*ADULT_STEPS, *NO_CONSENT_STEPS,
                                     "init.no_duty_to_notify"]
    assert "ts.dtn_submission" not in ids(found, "trading_standards")
    assert ids(found, "nrm_pre")[-2:] == ["nrm_pre.may_notify", "nrm_pre.alternative_support"]
    assert not any("must notify" in s.text for p in found.pathways for s in p.steps)


def test_route_consent_withdrawn() -> None:
    """Consent given, then withdrawn before submission: the NRM is not submitted; the Duty to
    Notify replaces it, anonymised, and the steps say why."""
    consent = Consent(decision=ConsentDecision.WITHDRAWN, how_explained="Booklet",
                      interpreter_used=False, decided_on=FOUND_ON,
                      withdrawn_on=date(2025, 3, 16), withdrawal_how=WithdrawalMethod.BY_PHONE)
    nrm = adult_nrm(consent)
    facts = facts_from_nrm(nrm, as_of=FOUND_ON, exploitation_present=True)
    assert facts.consent is ConsentDecision.WITHDRAWN and facts.route is Route.DUTY_TO_NOTIFY
    found = plan_case(facts)
    assert ids(found, "initial") == [*ADULT_STEPS, "init.capacity", "init.consent_withdrawn",
                                     *NO_CONSENT_STEPS[1:], "init.duty_to_notify"]
    assert found.step("init.ask_support").done
    assert "ts.nrm_submission" not in ids(found, "trading_standards")
    assert "ts.dtn_submission" in ids(found, "trading_standards")
    notice, _removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    after = plan_case(facts_from_dtn(notice, consent=ConsentDecision.WITHDRAWN))
    assert after.applies("init.consent_withdrawn") and after.applies("init.duty_to_notify")


def test_route_immediate_risk_with_a_duty_to_notify() -> None:
    """Immediate risk for an adult who refused: once the Duty to Notify replaces the NRM the
    999 call is still first, urgent and not done, until it is ticked."""
    nrm = adult_nrm(Consent(decision=ConsentDecision.REFUSED)).model_copy(
        update={"immediate_risk": True, "immediate_risk_details": "Controller outside"})
    notice, _removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    found = plan_case(facts_from_dtn(notice))
    assert ids(found, "initial")[0] == "init.call_999"
    assert [s.id for s in found.next_steps()][:1] == ["init.call_999"]
    assert found.step("init.call_999").urgent and not found.step("init.call_999").done
    assert found.applies("init.duty_to_notify")
    done = plan_case(facts_from_dtn(notice, done={"init.call_999"}))
    assert done.step("init.call_999").done
