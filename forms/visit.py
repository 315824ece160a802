"""A premises visit: the premises, who attended, safety, the indicator checklist for the type of
business, the workers seen, and the timed actions taken."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator

from forms.choices import Agency, BusinessType, register_labels
from forms.contact import PhoneText, PostcodeText
from forms.countries import LanguageCode
from forms.form import FieldProblem, Form, FormSection, Problems

_INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


def _indicator_id(value: str) -> str:
    if not _INDICATOR_ID.match(value):
        raise ValueError(
            "must be an indicator id from the council's lists, such as general.isolation"
        )
    return value


IndicatorId = Annotated[str, AfterValidator(_indicator_id)]
"""The stable id of an indicator in the council's resources."""


class Premises(FormSection):
    """The premises visited."""

    name: str = Field("", title="Premises name")
    address: str = Field("", title="Premises address")
    postcode: PostcodeText = Field("", title="Premises postcode")
    business_type: BusinessType | None = Field(None, title="Type of business")


class VisitActionKind(StrEnum):
    """Timed actions taken during a visit."""

    LEAD_NOTIFIED = "lead_notified"
    BORDER_FORCE_CONTACTED = "border_force_contacted"
    POLICE_CALLED_999 = "police_called_999"
    POLICE_CALLED_101 = "police_called_101"
    GLAA_CONTACTED = "glaa_contacted"
    MASH_CONTACTED = "mash_contacted"
    SALVATION_ARMY_CONTACTED = "salvation_army_contacted"
    RECEPTION_CENTRE_OPENED = "reception_centre_opened"
    OTHER = "other"


register_labels(VisitActionKind, {
    "police_called_999": "Police called (999)",
    "police_called_101": "Police called (101)",
    "lead_notified": "Modern Slavery Lead notified",
})


class VisitAction(FormSection):
    """One action and when it was taken."""

    model_config = ConfigDict(title="Action")  # one entry of "Actions"

    at: datetime | None = Field(None, title="Time of the action")
    action: VisitActionKind = Field(VisitActionKind.OTHER, title="Action")
    details: str = Field("", title="Action details")


class RiskRating(StrEnum):
    """The risk assessed before a visit."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


register_labels(RiskRating, {"low": "Low", "medium": "Medium", "high": "High"})


class PartnerAttending(FormSection):
    """A partner agency attending the visit, and whom to reach there."""

    model_config = ConfigDict(title="Partner agency")

    agency: Agency = Field(Agency.OTHER, title="Partner agency")
    contact_name: str = Field("", title="Partner's contact")
    contact_phone: PhoneText = Field("", title="Partner's phone")


class VisitPlan(FormSection):
    """The plan made before the visit: when, the risk and why, who comes, interpreters booked."""

    planned_for: datetime | None = Field(None, title="Planned date and time")
    risk_rating: RiskRating | None = Field(None, title="Risk rating")
    risk_reasons: str = Field("", title="Reasons for the risk rating")
    partners: list[PartnerAttending] = Field(default_factory=list, title="Partner agencies")
    interpreter_languages: list[LanguageCode] = Field(default_factory=list,
                                                      title="Interpreters booked (languages)")
    briefing_notes: str = Field("", title="Briefing notes")

    def ready_problems(self) -> list[FieldProblem]:
        """A high or medium risk needs its reasons written down."""
        problems = Problems()
        if self.risk_rating in (RiskRating.MEDIUM, RiskRating.HIGH):
            problems.need("risk_reasons", self.risk_reasons,
                          "Reasons for the risk rating are needed")
        return problems


class PremisesVisit(Form):
    """The record of one premises visit."""

    KIND: ClassVar[str] = "visit"

    premises: Premises = Field(default_factory=Premises, title="Premises")
    plan: VisitPlan = Field(default_factory=VisitPlan, title="Visit plan")
    started_at: datetime | None = Field(None, title="Start time")
    ended_at: datetime | None = Field(None, title="End time")
    lead_officer: str = Field("", title="Lead officer")
    officers_present: list[str] = Field(default_factory=list, title="Officers present")
    agencies_present: list[Agency] = Field(default_factory=list, title="Agencies present")
    other_agencies: list[str] = Field(default_factory=list, title="Other agencies present")
    police_force: str = Field("", title="Police force present")
    police_reference: str = Field("", title="Police reference")
    safety_notes: str = Field("", title="Safety notes")
    risk_notes: str = Field("", title="Risk notes")
    indicators_ticked: list[IndicatorId] = Field(default_factory=list, title="Indicators seen")
    # Not recorded (None) until the officer enters a number: 0 is a count, not a blank.
    workers_seen: int | None = Field(None, ge=0, title="Workers seen")
    workers_spoken_to: int | None = Field(None, ge=0, title="Workers spoken to")
    workers_of_concern: int | None = Field(None, ge=0, title="Workers of concern")
    actions: list[VisitAction] = Field(default_factory=list, title="Actions")

    @field_validator("ended_at")
    @classmethod
    def _ends_after_it_starts(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        started = info.data.get("started_at")
        if value is not None and started is not None and value < started:
            raise ValueError("cannot be before the start time")
        return value

    def _worker_problems(self) -> list[FieldProblem]:
        """The workers counted. "Workers seen" is always needed: it is what the visit found,
        and a blank must never read as none (a record saved before these were asked keeps the
        0 it was saved with). "Workers spoken to" and "Workers of concern" are needed once any
        worker was seen: then how many were spoken to and how many gave concern is the
        outcome of the visit the Lead counts, and 0 must be said, not left blank; when none
        was seen there is no one to count, so they may stay blank. Neither may be more than
        the workers seen."""
        problems = Problems()
        seen = self.workers_seen
        problems.need("workers_seen", seen, "Workers seen is needed (0 if there were none)")
        for field, title in (("workers_spoken_to", "Workers spoken to"),
                             ("workers_of_concern", "Workers of concern")):
            count = getattr(self, field)
            if seen and count is None:
                problems.add(field, f"{title} is needed when workers were seen (0 if none)")
            if count is not None and seen is not None and count > seen:
                problems.add(field, f"{title} cannot be more than workers seen")
        return problems

    def action_times(self, kind: VisitActionKind) -> list[datetime]:
        """When an action of ``kind`` was taken, in order."""
        return sorted(a.at for a in self.actions if a.action is kind and a.at is not None)

    def ready_problems(self, as_of: date | None = None,
                       now: datetime | None = None) -> list[FieldProblem]:
        """Everything missing before the visit record can be marked ready. ``as_of`` is the
        date today (``now``, the time): the start, the end and the actions have happened, so
        none may be after it (the planned date may be); without it they are not checked (the
        forms never read the clock)."""
        problems = Problems()
        problems.need("premises.name", self.premises.name, "Premises name is needed")
        problems.need("premises.address", self.premises.address, "Premises address is needed")
        problems.need("premises.business_type", self.premises.business_type,
                      "Type of business is needed")
        problems.need("started_at", self.started_at, "Start time is needed")
        problems.need("ended_at", self.ended_at, "End time is needed")
        problems.not_future("started_at", self.started_at, as_of, "Start time", now)
        problems.not_future("ended_at", self.ended_at, as_of, "End time", now)
        problems.need("lead_officer", self.lead_officer, "Lead officer is needed")
        problems.nested("plan", self.plan.ready_problems())
        problems.extend(self._worker_problems())
        for index, action in enumerate(self.actions):
            problems.need(f"actions.{index}.at", action.at, f"Time of action {index + 1} is needed")
            problems.not_future(f"actions.{index}.at", action.at, as_of,
                                f"Time of action {index + 1}", now)
            if action.action is VisitActionKind.OTHER:
                problems.need(f"actions.{index}.details", action.details,
                              f"Details of action {index + 1} are needed")
        return problems
