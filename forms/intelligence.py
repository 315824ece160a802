"""An intelligence report graded on the 3x5x2 system, sanitised before it is shared: it never
identifies the source or a sensitive address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from forms.choices import register_labels
from forms.form import FieldProblem, Form, Problems
from forms.identifying import describe_found, find_identifying_text, find_recorded_addresses

_NAMED_SOURCE = re.compile(
    r"(?i:\b(?:source|informant|witness|caller|worker|employee|colleague|neighbour|tenant|"
    r"victim|the\s+man|the\s+woman))\b[\s:,-]+(?:is\s+|was\s+|called\s+|named\s+)?"
    r"[^\W\d_a-z][^\W\d_]+")
""""Source" (or "worker", "witness", "neighbour"...) followed by a capitalised word: the name
of whoever told it (the text never names them)."""


class SubjectType(StrEnum):
    """What the intelligence is about."""

    PERSON = "person"
    LOCATION = "location"
    BUSINESS = "business"
    VEHICLE = "vehicle"


class SourceEvaluation(StrEnum):
    """3x5x2 source evaluation."""

    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    """3x5x2 intelligence assessment."""

    KNOWN_DIRECTLY = "A"
    KNOWN_INDIRECTLY_CORROBORATED = "B"
    KNOWN_INDIRECTLY = "C"
    NOT_KNOWN = "D"
    SUSPECTED_FALSE = "E"


class HandlingCode(StrEnum):
    """3x5x2 handling code."""

    PERMITTED = "P"
    CONDITIONS = "C"


register_labels(SourceEvaluation, {
    "1": "1: reliable source", "2": "2: untested source", "3": "3: not reliable source"})
register_labels(IntelligenceAssessment, {
    "A": "A: known directly to the source",
    "B": "B: known indirectly, corroborated",
    "C": "C: known indirectly",
    "D": "D: not known",
    "E": "E: suspected to be false",
})
register_labels(HandlingCode, {
    "P": "P: lawful sharing permitted",
    "C": "C: lawful sharing permitted with conditions (state them)",
})


class IntelligenceDestination(StrEnum):
    """Where the report goes."""

    TRADING_STANDARDS_IDB = "trading_standards_idb"
    POLICE_PARTNERSHIP_INFORMATION_REPORT = "police_pir"


register_labels(IntelligenceDestination, {
    "trading_standards_idb": "Trading Standards intelligence database (IDB)",
    "police_pir": "Police: Partnership Information Report (PIR)",
})


class IntelligenceReport(Form):
    """One sanitised, graded piece of intelligence."""

    KIND: ClassVar[str] = "intel"

    subject_type: SubjectType | None = Field(None, title="What the intelligence is about")
    subject: str = Field("", title="Subject")
    sanitised_text: str = Field("", title="Intelligence (sanitised)")
    source_evaluation: SourceEvaluation | None = Field(None, title="Source evaluation (1-3)")
    intelligence_assessment: IntelligenceAssessment | None = Field(
        None, title="Intelligence assessment (A-E)"
    )
    handling_code: HandlingCode | None = Field(None, title="Handling code (P or C)")
    handling_conditions: str = Field("", title="Handling conditions")
    destination: IntelligenceDestination | None = Field(None, title="Destination")
    recorded_at: datetime | None = Field(None, title="Time recorded")
    recorded_by: str = Field("", title="Recorded by")

    @property
    def grading(self) -> str:
        """The grading as officers write it, e.g. ``1/B/P``; blank parts show as ``?``."""
        parts = (self.source_evaluation, self.intelligence_assessment, self.handling_code)
        return "/".join(part.value if part is not None else "?" for part in parts)

    def ready_problems(self, as_of: date | None = None, names: Sequence[str] = (),
                       addresses: Sequence[str] = (), premises: Sequence[str] = (),
                       now: datetime | None = None) -> list[FieldProblem]:
        """Everything missing before the report can be marked ready; ``names`` and
        ``addresses``: the people's names and sensitive addresses (where they stay, how to
        reach them) recorded in the case, which the report must not hold (a person found is
        often the source); ``premises``: other places recorded (where people were found or
        exploited, exploiters' addresses), which the text may hold only as its subject.
        ``as_of`` is the date today: the time recorded may not be after it (not checked
        without it: the forms never read the clock; ``now``: the time, to check it by)."""
        problems = Problems()
        problems.need("subject_type", self.subject_type, "Say what the intelligence is about")
        problems.need("subject", self.subject, "Subject is needed")
        problems.need("sanitised_text", self.sanitised_text, "The sanitised intelligence is needed")
        problems.need("source_evaluation", self.source_evaluation,
                      "Source evaluation (1, 2 or 3) is needed")
        problems.need("intelligence_assessment", self.intelligence_assessment,
                      "Intelligence assessment (A to E) is needed")
        problems.need("handling_code", self.handling_code, "Handling code (P or C) is needed")
        if self.handling_code is HandlingCode.CONDITIONS:
            problems.need("handling_conditions", self.handling_conditions,
                          "Handling code C needs the conditions for sharing")
        problems.need("destination", self.destination, "Destination is needed")
        problems.need("recorded_by", self.recorded_by, "Recorded by is needed")
        problems.not_future("recorded_at", self.recorded_at, as_of, "Time recorded", now)
        problems.extend(self.identifying_problems(as_of, names, addresses, premises))
        return problems

    def identifying_problems(self, as_of: date | None = None, names: Sequence[str] = (),
                             addresses: Sequence[str] = (),
                             premises: Sequence[str] = ()) -> list[FieldProblem]:
        """The sanitised text must not identify the source: a name after a title or after
        "source", a phone, email, postcode, house-number address, date of birth (anything
        ``forms.identifying`` finds) is a problem, unless it is in the subject (the premises
        or person the intelligence is about may be named there). A recorded sensitive address
        (``addresses``) is a problem wherever it is, in the subject too: putting it there
        does not make it shareable. Never repeats what was found."""
        problems: list[FieldProblem] = []
        if find_recorded_addresses(self.subject, addresses):
            problems.append(FieldProblem("subject", (
                "Subject seems to contain an address recorded for a person in the case (where "
                "they stay or how to reach them): a sanitised report never identifies a "
                "sensitive address, so remove it")))
        text = self.sanitised_text
        subject = " ".join(self.subject.split()).casefold()
        sensitive = find_recorded_addresses(text, addresses)

        def exempt(start: int, end: int) -> bool:
            if any(start < s_end and s_start < end for s_start, s_end in sensitive):
                return False
            return " ".join(text[start:end].split()).casefold() in subject

        found = [item for item in find_identifying_text(text, names, [*addresses, *premises],
                                                        as_of)
                 if not exempt(item.start, item.end)]
        named = _NAMED_SOURCE.search(text)
        if not found and named is None:
            return problems
        what = describe_found(found) if found else "the source's name"
        if found and named is not None:
            what += " and the source's name"
        problems.append(FieldProblem("sanitised_text", (
            f"Intelligence (sanitised) seems to contain {what}: a sanitised report never "
            "identifies the source, so remove it (the premises or person it is about belong "
            "in the subject)")))
        return problems
