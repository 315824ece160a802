"""A referral made to another agency: where, when, by whom, and what came of it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from forms.choices import ReferralDestination
from forms.form import FieldProblem, Form, Problems


class ReferralMethod(StrEnum):
    """How the referral was made."""

    PHONE = "phone"
    EMAIL = "email"
    ONLINE_FORM = "online_form"
    IN_PERSON = "in_person"


class ReferralOutcome(StrEnum):
    """Where the referral stands."""

    AWAITING = "awaiting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"


class Referral(Form):
    """One referral to another agency for a case or person."""

    KIND: ClassVar[str] = "referral"

    destination: ReferralDestination | None = Field(None, title="Referred to")
    other_destination: str = Field("", title="Other destination")
    person_reference: str = Field("", title="Person's reference")
    made_at: datetime | None = Field(None, title="Time of the referral")
    made_by: str = Field("", title="Referred by")
    method: ReferralMethod | None = Field(None, title="How the referral was made")
    their_reference: str = Field("", title="Their reference")
    outcome: ReferralOutcome = Field(ReferralOutcome.AWAITING, title="Outcome")
    outcome_notes: str = Field("", title="Outcome notes")

    def ready_problems(self, as_of: date | None = None,
                       now: datetime | None = None) -> list[FieldProblem]:
        """Everything missing before the referral record can be marked ready. ``as_of`` is the
        date today (``now``, the time): the referral has been made, so its time may not be
        after it (not checked without it: the forms never read the clock)."""
        problems = Problems()
        problems.need("destination", self.destination, "Say who the referral was made to")
        if self.destination is ReferralDestination.OTHER:
            problems.need("other_destination", self.other_destination,
                          "Name the other agency the referral was made to")
        problems.need("made_at", self.made_at, "Time of the referral is needed")
        problems.not_future("made_at", self.made_at, as_of, "Time of the referral", now)
        problems.need("made_by", self.made_by, "Who made the referral is needed")
        problems.need("method", self.method, "How the referral was made is needed")
        return problems
