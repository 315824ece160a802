"""The rules, one by one: child or possibly a child means NRM without consent and a MASH
referral; within 6 months of 18 flags the transition to adulthood; an adult who consents gets an
NRM, one who does not a Duty to Notify, never both. Dates are always passed in."""

from __future__ import annotations

from datetime import date

import pytest

from forms import check_document
from forms.choices import AgeGroup, ConsentDecision
from forms.nrm import Consent, NrmReferral, WhereFound
from forms.rules import (
    AgeStatus,
    Route,
    add_months,
    age_on,
    age_status,
    eighteenth_birthday,
    obligations,
    route_for,
    transition_due,
)
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm

TODAY = date(2025, 3, 14)


def nrm_for(
    *, age_group: AgeGroup = AgeGroup.ADULT, born: date | None = date(1990, 1, 1),
    estimated_age: int | None = None, consent: ConsentDecision = ConsentDecision.GIVEN,
) -> NrmReferral:
    nrm = full_nrm(
        where_found=WhereFound(encountered_on=FOUND_ON, place="Coventry", age_group=age_group),
    )
    nrm.consent = Consent(decision=consent, how_explained="Booklet", interpreter_used=False)
    nrm.potential_victim.date_of_birth = born
    nrm.potential_victim.estimated_age = estimated_age
    return nrm


# --- ages ----------------------------------------------------------------------------------


def test_age_in_whole_years_turns_on_the_birthday() -> None:
    assert age_on(date(2007, 3, 15), TODAY) == 17
    assert age_on(date(2007, 3, 14), TODAY) == 18


def test_a_29_february_birthday_turns_18_on_1_march() -> None:
    """R-AGE-18TH-BIRTHDAY: born 29 February, 18 on 1 March."""
    assert eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert eighteenth_birthday(date(2000, 5, 9)) == date(2018, 5, 9)


def test_months_are_added_on_the_calendar_and_clamped() -> None:
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 15), 13) == date(2026, 2, 15)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"date_of_birth": date(2008, 1, 1)}, AgeStatus.CHILD),
        ({"date_of_birth": date(1990, 1, 1), "age_group": AgeGroup.ADULT}, AgeStatus.ADULT),
        ({"date_of_birth": date(1990, 1, 1)}, AgeStatus.ADULT),
        ({"estimated_age": 16, "age_group": AgeGroup.ADULT}, AgeStatus.CHILD),
        ({"estimated_age": 30}, AgeStatus.ADULT),
        ({"age_group": AgeGroup.CHILD, "date_of_birth": date(1990, 1, 1)}, AgeStatus.CHILD),
        ({"age_group": AgeGroup.NOT_SURE}, AgeStatus.POSSIBLY_CHILD),
        ({"age_group": AgeGroup.ADULT}, AgeStatus.ADULT),
        ({"age_group": AgeGroup.ADULT, "estimated_age": 19, "age_disputed": True},
         AgeStatus.POSSIBLY_CHILD),
    ],
)
def test_who_is_treated_as_a_child(kwargs: dict[str, object], expected: AgeStatus) -> None:
    """R-CHILD-UNDER-18: any sign of being under 18 makes a child."""
    assert age_status(as_of=TODAY, **kwargs) is expected  # type: ignore[arg-type]


# --- under 18, or possibly under 18 ------------------------------------------------------


@pytest.mark.parametrize("status", [AgeStatus.CHILD, AgeStatus.POSSIBLY_CHILD])
@pytest.mark.parametrize("consent", list(ConsentDecision))
def test_a_child_always_needs_an_nrm_a_mash_referral_and_no_consent(
    status: AgeStatus, consent: ConsentDecision
) -> None:
    """R-CHILD-NRM: a child is always referred, with no consent asked."""
    rules = obligations(status, consent)
    assert rules.treated_as_child
    assert rules.nrm_required and not rules.duty_to_notify_required
    assert rules.route is Route.NRM
    assert rules.ask_consent is False
    assert rules.mash_referral is True


def test_an_nrm_for_a_child_is_ready_without_consent() -> None:
    nrm = nrm_for(age_group=AgeGroup.CHILD, born=date(2009, 5, 1),
                  consent=ConsentDecision.NOT_ASKED)
    rules = nrm.obligations(TODAY)
    assert rules.nrm_required and rules.mash_referral and not rules.ask_consent
    assert nrm.ready_problems(TODAY) == []


def test_an_nrm_for_someone_whose_age_is_unknown_is_treated_as_a_child() -> None:
    """R-AGE-PRESUMED-CHILD: unknown age is treated as a child."""
    nrm = nrm_for(age_group=AgeGroup.NOT_SURE, born=None, estimated_age=None,
                  consent=ConsentDecision.REFUSED)
    assert nrm.age_status(TODAY) is AgeStatus.POSSIBLY_CHILD
    rules = nrm.obligations(TODAY)
    assert rules.nrm_required and rules.mash_referral and not rules.ask_consent
    fields = [p.field for p in nrm.ready_problems(TODAY)]
    assert "consent.decision" not in fields
    assert fields == ["potential_victim.date_of_birth"]  # only the missing age itself


# --- transition to adulthood -------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "due"),
    [
        (date(2007, 9, 14), True),    # 18 in exactly six months
        (date(2007, 9, 15), False),   # six months and a day
        (date(2007, 3, 15), True),    # 18 tomorrow
        (date(2007, 3, 14), False),   # 18 today: an adult now
        (date(2010, 1, 1), False),    # 15
    ],
)
def test_within_six_months_of_18_flags_the_transition(born: date, due: bool) -> None:
    """R-TRANSITION-DUE: six months before the 18th birthday."""
    assert transition_due(as_of=TODAY, date_of_birth=born) is due
    nrm = nrm_for(age_group=AgeGroup.CHILD, born=born, consent=ConsentDecision.NOT_ASKED)
    assert nrm.obligations(TODAY).transition_to_adulthood is due


def test_an_estimated_age_of_17_cannot_rule_out_the_transition() -> None:
    assert transition_due(as_of=TODAY, estimated_age=17) is True
    assert transition_due(as_of=TODAY, estimated_age=15) is False
    assert transition_due(as_of=TODAY) is False


def test_an_adult_is_never_flagged_for_the_transition() -> None:
    rules = obligations(AgeStatus.ADULT, ConsentDecision.GIVEN, transition=True)
    assert rules.transition_to_adulthood is False


# --- adults: consent decides, never both -------------------------------------------------


def test_an_adult_who_consents_gets_an_nrm_and_no_mash() -> None:
    """R-ADULT-CONSENT-NRM: an adult who consents is referred."""
    rules = obligations(AgeStatus.ADULT, ConsentDecision.GIVEN)
    assert rules.route is Route.NRM and rules.nrm_required
    assert not rules.duty_to_notify_required
    assert rules.ask_consent and not rules.mash_referral


def test_an_adult_who_does_not_consent_gets_a_duty_to_notify_not_an_nrm() -> None:
    """R-ADULT-NO-CONSENT-DTN: no consent, a Duty to Notify."""
    rules = obligations(AgeStatus.ADULT, ConsentDecision.REFUSED)
    assert rules.route is Route.DUTY_TO_NOTIFY and rules.duty_to_notify_required
    assert not rules.nrm_required


def test_an_adult_not_yet_asked_is_undecided() -> None:
    """R-ADULT-UNDECIDED: not asked yet, no route."""
    assert route_for(AgeStatus.ADULT, ConsentDecision.NOT_ASKED) is Route.UNDECIDED


@pytest.mark.parametrize("status", list(AgeStatus))
@pytest.mark.parametrize("consent", list(ConsentDecision))
def test_never_both_an_nrm_and_a_duty_to_notify(
    status: AgeStatus, consent: ConsentDecision
) -> None:
    """R-NEVER-BOTH: one route, never both."""
    rules = obligations(status, consent)
    assert not (rules.nrm_required and rules.duty_to_notify_required)


def test_a_ready_nrm_for_an_adult_who_refused_points_to_the_dtn() -> None:
    nrm = nrm_for(consent=ConsentDecision.REFUSED)
    problems = check_document("nrm", nrm.model_dump_json(), ready=True, as_of=TODAY)
    assert [p.field for p in problems] == ["consent.decision"]
    assert "make a Duty to Notify instead" in problems[0].message


def test_a_ready_nrm_for_an_adult_needs_their_consent() -> None:
    nrm = nrm_for(consent=ConsentDecision.NOT_ASKED)
    problems = check_document("nrm", nrm.model_dump_json(), ready=True, as_of=TODAY)
    assert [(p.field, p.message) for p in problems] == [
        ("consent.decision", "Consent to the NRM is needed from an adult")]


def test_the_form_date_is_used_when_no_date_is_given() -> None:
    # 17 on the day found, although 18 by the test's "today": the form's own date decides.
    nrm = nrm_for(age_group=AgeGroup.NOT_SURE, born=date(2007, 6, 1),
                  consent=ConsentDecision.NOT_ASKED)
    assert check_document("nrm", nrm.model_dump_json(), ready=True) == []
    later = check_document("nrm", nrm.model_dump_json(), ready=True, as_of=date(2026, 1, 1))
    assert [p.field for p in later] == ["consent.decision"]
