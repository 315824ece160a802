"""The shape of a council's pathway: steps in order, each with the conditions over a case's facts
that make it apply. The condition vocabulary is small and declarative: ``{child: true}``,
``{nrm_stage: [positive_rg, negative_rg]}``, ``{all: [...]}``, ``{any: [...]}``,
``{not: {...}}`` and ``{done: step.id}``. The pathways themselves are data (resources/)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from forms.choices import AgeGroup, ConsentDecision, NrmStage, ResponderDuty
from forms.kinds import KINDS

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
"""A stable id such as ``ts.notify_lead``: lower case, digits and underscores, dotted."""

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
"""Text that must not be blank."""

BOOLEAN_FACTS = frozenset({
    "child", "adult", "immediate_risk", "transition_due", "migrant", "care_and_support_needs",
    "accommodation_needed", "housing_needs", "first_responder", "ictg_service",
    "exploitation_present", "perpetrator_concern", "location_concern", "business_concern",
    "business_exploiting_workers", "business_broke_law", "housing_concern", "capacity_concern",
    "destitute", "wants_support", "new_evidence", "nrm_route", "dtn_route",
})
"""Yes/no facts a condition may test."""

CHOICE_FACTS: dict[str, tuple[str, ...]] = {
    "age": tuple(AgeGroup),
    "consent": tuple(ConsentDecision),
    "nrm_stage": tuple(NrmStage),
    "responder": tuple(ResponderDuty),
}
"""Facts with a fixed set of values a condition may test."""

FactValue = bool | str | None
"""A fact's value; None means not known yet, which matches no condition on that fact."""


class Condition(BaseModel):
    """When a step applies, over the case facts: a fact's value(s), ``done`` (another step is
    done), or ``all``/``any``/``not`` of other conditions. Written in YAML as a mapping; several
    keys in one mapping must all hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()
    negated: Condition | None = None
    fact: str | None = None
    values: tuple[bool | str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, raw: Any) -> Any:
        if not isinstance(raw, dict) or not raw:
            raise ValueError("a condition must be a mapping such as {child: true}")
        if set(raw) <= {"all_of", "any_of", "negated", "fact", "values"}:
            return raw  # already in the internal form
        if len(raw) > 1:
            return {"all_of": [{key: value} for key, value in raw.items()]}
        ((key, value),) = raw.items()
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ValueError(f"'{key}' needs a list of conditions")
            return {f"{key}_of": value}
        if key == "not":
            return {"negated": value}
        values = value if isinstance(value, list) else [value]
        return {"fact": key, "values": _checked_values(str(key), values)}

    def holds(self, facts: Mapping[str, FactValue], done: Set[str] = frozenset()) -> bool:
        """Whether the condition is true of ``facts``, with ``done`` the ids of steps done."""
        if self.fact == "done":
            return any(value in done for value in self.values)
        if self.fact is not None:
            value = facts.get(self.fact)
            return value is not None and value in self.values
        if self.negated is not None:
            return not self.negated.holds(facts, done)
        if self.any_of:
            return any(part.holds(facts, done) for part in self.any_of)
        return all(part.holds(facts, done) for part in self.all_of)

    def steps_named(self) -> set[str]:
        """The step ids tested with ``done`` (so a loader can check they exist)."""
        found = {str(v) for v in self.values} if self.fact == "done" else set()
        for part in (*self.all_of, *self.any_of, *([self.negated] if self.negated else [])):
            found |= part.steps_named()
        return found


def _checked_values(fact: str, values: list[Any]) -> list[Any]:
    """The values given for ``fact``, refused with a plain message if they cannot match."""
    if fact == "done":
        if not all(isinstance(v, str) for v in values):
            raise ValueError("'done' needs a step id")
        return values
    if fact in BOOLEAN_FACTS:
        if not all(isinstance(v, bool) for v in values):
            raise ValueError(f"the fact '{fact}' is true or false")
        return values
    if fact in CHOICE_FACTS:
        allowed = CHOICE_FACTS[fact]
        wrong = [str(v) for v in values if v not in allowed]
        if wrong:
            raise ValueError(
                f"the fact '{fact}' is one of {', '.join(allowed)}, not {', '.join(wrong)}"
            )
        return values
    known = sorted(BOOLEAN_FACTS | set(CHOICE_FACTS) | {"done", "all", "any", "not"})
    raise ValueError(f"unknown fact '{fact}': use one of {', '.join(known)}")


class Step(BaseModel):
    """One step of a pathway: what to do, when it applies, whom to contact or which form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    text: Text
    number: int | None = None
    when: Condition | None = None
    done_when: Condition | None = None
    contacts: list[Id] = []
    form: str | None = None
    timeline: Id | None = None
    go_to: Id | None = None
    urgent: bool = False
    after: list[Id] = []
    """Steps that must be done first where they apply (a child's NRM after the MASH referral:
    children's services come first); until then this step waits and cannot be ticked."""

    @field_validator("form")
    @classmethod
    def _known_form(cls, value: str | None) -> str | None:
        if value is not None and value not in KINDS:
            raise ValueError(f"there is no form called {value!r}: use one of {', '.join(KINDS)}")
        return value


class Pathway(BaseModel):
    """A pathway of the council's protocol: its steps in order, and when it applies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    title: Text
    when: Condition | None = None
    steps: list[Step] = Field(min_length=1)
