"""Domain scenarios from the Coventry protocol and the domain brief, run through the core as an
officer's forms would be: the printed packs are read back with pdftotext."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import render_dtn, render_nrm_pack
from fieldkit.resources import load_resources
from forms import NotForDutyToNotify, NrmReferral, check_document, nrm_to_dtn
from forms.choices import AgeGroup, ConsentDecision, WithdrawalMethod
from forms.intelligence import HandlingCode, IntelligenceAssessment, SourceEvaluation
from forms.rules import Route
from sync.desk.tracker import EventKind, Outcome, RecordedEvent, timeline_due
from tests.unit.test_pdf_tools import pdf_text

REF = "FK-2026-0077"
FOUND_ON = date(2026, 5, 14)
START = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


def _with(nrm: NrmReferral, **sections: dict[str, object]) -> NrmReferral:
    data = nrm.model_dump(mode="json")
    for section, values in sections.items():
        data[section].update(values)
    return NrmReferral.model_validate(data)


def _refused(nrm: NrmReferral) -> NrmReferral:
    return _with(nrm, consent={"decision": ConsentDecision.REFUSED.value,
                               "how_explained": "NRM Explanatory Booklet",
                               "decided_on": "2026-05-14"})


def test_a_17_year_old_who_refuses_is_still_referred_to_the_nrm_and_mash() -> None:
    """R-CHILD-NRM, R-CHILD-MASH: a child's refusal changes nothing; never a Duty to Notify."""
    child = _refused(_with(demo_forms.w1_nrm(FOUND_ON),
                           where_found={"age_group": AgeGroup.CHILD.value},
                           potential_victim={"date_of_birth": "2008-11-02"}))
    rules = child.obligations(FOUND_ON)
    assert rules.treated_as_child and rules.route is Route.NRM and rules.mash_referral
    assert rules.transition_to_adulthood  # 18 within six months
    with pytest.raises(NotForDutyToNotify):
        nrm_to_dtn(child)
    text = pdf_text(render_nrm_pack(child, REF, as_of=FOUND_ON))
    assert "always an NRM referral" in text and "MASH referral" in text
    assert "Transition to Adulthood" in text and "Duty to Notify instead" not in text
    assert "Not needed: treated as a child (recorded: Refused; it does not change the " \
           "referral)" in text


def test_an_adult_who_refuses_gets_an_anonymous_duty_to_notify() -> None:
    """R-ADULT-NO-CONSENT-DTN, R-DTN-ANONYMOUS: nothing identifying in the notice or its PDF."""
    draft = _refused(demo_forms.w2_nrm_draft(FOUND_ON))
    assert draft.obligations(FOUND_ON).route is Route.DUTY_TO_NOTIFY
    notice, removed = nrm_to_dtn(draft)
    assert removed
    text = pdf_text(render_dtn(notice, REF))
    victim = draft.potential_victim
    for value in (*draft.recorded_names(), *draft.recorded_addresses(),
                  victim.safe_contact.phone, "1990", "CV6"):
        if value:
            assert value not in text, "the notice identifies the person"
    assert "Coventry" in text and "Labour" in text


def test_an_age_dispute_makes_an_adult_a_possible_child() -> None:
    """R-AGE-DISPUTED-NRM: says 19, may be 15: treated as a child until an age assessment."""
    nrm = _refused(_with(demo_forms.w1_nrm(FOUND_ON),
                         where_found={"age_disputed": True},
                         potential_victim={"date_of_birth": None, "estimated_age": 19}))
    rules = nrm.obligations(FOUND_ON)
    assert rules.treated_as_child and rules.route is Route.NRM and not rules.ask_consent
    with pytest.raises(NotForDutyToNotify):
        nrm_to_dtn(nrm)
    assert "Doubt about whether under 18 Yes" in pdf_text(render_nrm_pack(nrm, REF))


def test_consent_given_then_withdrawn_moves_an_adult_to_the_duty_to_notify() -> None:
    """R-CONSENT-WITHDRAWN-ROUTE, R-CONSENT-WITHDRAWN-RECORDED: the pack prints when and how."""
    nrm = _with(demo_forms.w1_nrm(FOUND_ON), consent={
        "decision": ConsentDecision.WITHDRAWN.value, "withdrawn_on": "2026-05-20",
        "withdrawal_how": WithdrawalMethod.BY_PHONE.value,
        "withdrawal_notes": "Rang the Lead from the safe house"})
    assert nrm.obligations(FOUND_ON).route is Route.DUTY_TO_NOTIFY
    text = pdf_text(render_nrm_pack(nrm, REF))
    assert "20 May 2026" in text and "By phone" in text
    assert "Rang the Lead from the safe house" in text
    assert "Make an anonymous Duty to Notify instead" in text
    problems = check_document("nrm", nrm.model_dump(mode="json"), ready=True)
    assert problems, "a withdrawn NRM must not be ready to send"


def test_a_british_national_is_eligible_for_the_nrm() -> None:
    """Nationality never bars a referral: a British adult who consents is ready to refer."""
    nrm = _with(demo_forms.w1_nrm(FOUND_ON), potential_victim={
        "nationalities": ["GB"], "languages": ["eng"], "interpreter_needed": False},
        consent={"booklet_language": "eng", "interpreter_used": False,
                 "interpreter_language": None})  # consent in English: no Romanian interpreter
    assert nrm.obligations(FOUND_ON).route is Route.NRM
    assert check_document("nrm", nrm.model_dump(mode="json"), ready=True, as_of=FOUND_ON) == []
    assert "United Kingdom" in pdf_text(render_nrm_pack(nrm, REF))


def test_the_3x5x2_grading_has_every_grade_and_conditions_need_stating() -> None:
    """Source 1-3, assessment A-E, handling P or C (C with its conditions stated)."""
    assert [g.value for g in SourceEvaluation] == ["1", "2", "3"]
    assert [g.value for g in IntelligenceAssessment] == ["A", "B", "C", "D", "E"]
    assert [g.value for g in HandlingCode] == ["P", "C"]
    report = demo_forms.intel_form(START)
    assert check_document("intel", report, ready=True) == []
    unstated = dict(report, handling_conditions="")
    fields = {p.field for p in check_document("intel", unstated, ready=True)}
    assert "handling_conditions" in fields


def test_the_lead_tracks_rg_cg_and_reconsideration_dates_from_the_councils_data() -> None:
    """RG aimed at 5 working days; CG not before 30 days after a positive RG; a reconsideration
    within 30 days of a negative decision (resources/timelines.yaml, never code)."""
    found = load_resources()
    rules, holidays = list(found.timelines.values()), found.bank_holidays

    def due(*events: tuple[EventKind, date, Outcome]) -> dict[str, date]:
        recorded = [RecordedEvent(i, kind, outcome, on, "", "")
                    for i, (kind, on, outcome) in enumerate(events, start=1)]
        return {rule.id: day for rule, day in timeline_due(recorded, rules, holidays)}

    submitted = (EventKind.SUBMITTED, date(2026, 5, 15), Outcome.NONE)  # a Friday
    assert due(submitted)["reasonable_grounds"] == date(2026, 5, 22)
    positive = (EventKind.RG, date(2026, 5, 21), Outcome.POSITIVE)
    after_positive = due(submitted, positive)
    assert "reasonable_grounds" not in after_positive
    assert after_positive["conclusive_grounds"] == date(2026, 6, 20)
    negative = (EventKind.RG, date(2026, 5, 21), Outcome.NEGATIVE)
    assert due(submitted, negative)["reconsideration"] == date(2026, 6, 20)


_INAPPROPRIATE = re.compile(r"\billegal\b", re.IGNORECASE)
_BARE_VICTIM = re.compile(r"(?<!potential )(?<!Potential )\bvictims?\b(?! [Cc]are)")


@pytest.mark.parametrize("kind", ["nrm", "withdrawn", "child", "dtn"])
def test_generated_text_is_survivor_centred(kind: str) -> None:
    """No "illegal", and "victim" only as "potential victim" (or the Victim Care Contract)."""
    nrm = demo_forms.w1_nrm(FOUND_ON)
    if kind == "withdrawn":
        nrm = _with(nrm, consent={"decision": "withdrawn", "withdrawn_on": "2026-05-20",
                                  "withdrawal_how": "in_person"})
    if kind == "child":
        nrm = demo_forms.w3_nrm(FOUND_ON)
    if kind == "dtn":
        text = pdf_text(render_dtn(nrm_to_dtn(_refused(demo_forms.w2_nrm_draft(FOUND_ON)))[0],
                                   REF))
    else:
        text = pdf_text(render_nrm_pack(nrm, REF, as_of=FOUND_ON))
    assert not _INAPPROPRIATE.findall(text)
    assert not _BARE_VICTIM.findall(text), _BARE_VICTIM.findall(text)
