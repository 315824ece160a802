"""The rules between the facts on a form: who is treated as a child, whether consent is asked,
NRM or Duty to Notify (never both), MASH, and the transition to adulthood.

Pure functions: every date comes in as an argument (``as_of``); nothing reads the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from forms.choices import NO_CONSENT, AgeGroup, ConsentDecision

ADULT_AGE = 18
TRANSITION_MONTHS = 6


class AgeStatus(StrEnum):
    """How the rules see a person's age."""

    ADULT = "adult"
    CHILD = "child"
    POSSIBLY_CHILD = "possibly_child"


class Route(StrEnum):
    """Which notification a person's case needs. Never both."""

    NRM = "nrm"
    DUTY_TO_NOTIFY = "dtn"
    UNDECIDED = "undecided"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover - 28 always exists


def eighteenth_birthday(date_of_birth: date) -> date:
    """The day a person turns 18 (29 February birthdays fall on 1 March in other years)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def age_on(date_of_birth: date, as_of: date) -> int:
    """Age in whole years on ``as_of``."""
    years = as_of.year - date_of_birth.year
    if (as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_status(
    *,
    as_of: date,
    age_group: AgeGroup = AgeGroup.NOT_SURE,
    date_of_birth: date | None = None,
    estimated_age: int | None = None,
    age_disputed: bool = False,
) -> AgeStatus:
    """Whether the person is a child, an adult, or possibly a child (treated as a child).

    Any sign of being under 18 wins: a date of birth or estimate under 18, or the officer's
    judgement. Without a date of birth or estimate, only a judgement of "adult" makes an adult.
    """
    if date_of_birth is not None and age_on(date_of_birth, as_of) < ADULT_AGE:
        return AgeStatus.CHILD
    if estimated_age is not None and estimated_age < ADULT_AGE:
        return AgeStatus.CHILD
    if age_group is AgeGroup.CHILD:
        return AgeStatus.CHILD
    if age_disputed:
        return AgeStatus.POSSIBLY_CHILD
    if date_of_birth is None and estimated_age is None and age_group is not AgeGroup.ADULT:
        return AgeStatus.POSSIBLY_CHILD
    return AgeStatus.ADULT


def transition_due(
    *, as_of: date, date_of_birth: date | None = None, estimated_age: int | None = None
) -> bool:
    """True when a child is within six months of turning 18 (the Transition to Adulthood
    pathway). With only an estimated age of 17 it cannot be ruled out, so it is flagged."""
    if date_of_birth is not None:
        birthday = eighteenth_birthday(date_of_birth)
        return add_months(birthday, -TRANSITION_MONTHS) <= as_of < birthday
    return estimated_age == ADULT_AGE - 1


@dataclass(frozen=True)
class Obligations:
    """What the rules require for one person."""

    treated_as_child: bool
    ask_consent: bool
    route: Route
    mash_referral: bool
    transition_to_adulthood: bool

    @property
    def nrm_required(self) -> bool:
        """An NRM referral must be made."""
        return self.route is Route.NRM

    @property
    def duty_to_notify_required(self) -> bool:
        """An anonymous Duty to Notify must be made instead of an NRM referral."""
        return self.route is Route.DUTY_TO_NOTIFY


def route_for(status: AgeStatus, consent: ConsentDecision) -> Route:
    """NRM for a child (consent is not needed, so no decision of theirs changes it) or a
    consenting adult; Duty to Notify for an adult who refused or withdrew consent; undecided
    while an adult has not been asked."""
    if status is not AgeStatus.ADULT or consent is ConsentDecision.GIVEN:
        return Route.NRM
    if consent in NO_CONSENT:
        return Route.DUTY_TO_NOTIFY
    return Route.UNDECIDED


def obligations(
    status: AgeStatus, consent: ConsentDecision, *, transition: bool = False
) -> Obligations:
    """Apply the rules to a person's age status and consent decision."""
    child = status is not AgeStatus.ADULT
    return Obligations(
        treated_as_child=child,
        ask_consent=not child,
        route=route_for(status, consent),
        mash_referral=child,
        transition_to_adulthood=child and transition,
    )
