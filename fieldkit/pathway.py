"""The pathway engine: from what a case has recorded so far, the steps of each of the council's
pathways that apply, in order, each with whom to contact or which form to fill, done or not.

The pathways and their conditions are data (``resources/pathways.yaml``); this module only
turns a case into facts and evaluates them. No Qt, no clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from fieldkit.resources import Contact, Resources, Timeline, load_resources
from forms.choices import AgeGroup, ConsentDecision, NrmStage
from forms.kinds import KIND_TITLES
from forms.nrm import NrmReferral
from forms.pathways import FactValue, Step
from forms.reception import PersonReceived
from forms.rules import AgeStatus, Route, route_for

_STATUS_OF_AGE = {
    AgeGroup.ADULT: AgeStatus.ADULT,
    AgeGroup.CHILD: AgeStatus.CHILD,
    AgeGroup.NOT_SURE: AgeStatus.POSSIBLY_CHILD,
}
_AGE_OF_STATUS = {status: group for group, status in _STATUS_OF_AGE.items()}


class CaseFacts(BaseModel):
    """What a case has recorded so far about one potential victim and the concern. Unknown
    yes/no facts are None: a step that depends on one is not shown until it is known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: AgeGroup = Field(AgeGroup.NOT_SURE, title="Adult, child, or not sure")
    consent: ConsentDecision = Field(ConsentDecision.NOT_ASKED, title="Consent to the NRM")
    immediate_risk: bool = Field(False, title="Immediate risk of serious harm")
    transition_due: bool = Field(False, title="Child within 6 months of turning 18")
    migrant: bool | None = Field(None, title="The person is a migrant")
    care_and_support_needs: bool | None = Field(None, title="Care and support needs")
    housing_needs: bool | None = Field(None, title="Housing needs (meets the criteria)")
    first_responder: bool = Field(True, title="The officer works for a first responder")
    exploitation_present: bool | None = Field(None, title="Exploitation is present")
    perpetrator_concern: bool = Field(False, title="Concern about a perpetrator")
    location_concern: bool = Field(False, title="Concern about a location")
    business_concern: bool = Field(False, title="Concern about a business")
    business_exploiting_workers: bool = Field(False, title="A business exploits its workers")
    business_broke_law: bool = Field(False, title="A business broke the law or acted unfairly")
    housing_concern: bool = Field(False, title="Concern about housing conditions")
    capacity_concern: bool = Field(False, title="Concern about capacity to decide")
    destitute: bool | None = Field(None, title="Destitute, needs urgent support")
    wants_support: bool | None = Field(None, title="Wants support or accommodation")
    new_evidence: bool = Field(False, title="Discrepancies or new evidence after a decision")
    nrm_stage: NrmStage = Field(NrmStage.NOT_REFERRED, title="NRM stage")
    done: frozenset[str] = Field(frozenset(), title="Steps done")

    @property
    def route(self) -> Route:
        """NRM, Duty to Notify (never both), or undecided while an adult has not been asked."""
        return route_for(_STATUS_OF_AGE[self.age], self.consent)

    def facts(self) -> dict[str, FactValue]:
        """The facts pathway conditions test, including those worked out from the others."""
        recorded = self.model_dump(exclude={"done"})
        child = self.age is not AgeGroup.ADULT
        recorded.update(
            child=child,
            adult=not child,
            nrm_route=self.route is Route.NRM,
            dtn_route=self.route is Route.DUTY_TO_NOTIFY,
        )
        return recorded


@dataclass(frozen=True)
class PathwayStep:
    """One applicable step: what to do, whom to contact or which form to fill, and whether done."""

    pathway_id: str
    id: str
    number: int | None
    text: str
    done: bool
    urgent: bool
    contacts: tuple[Contact, ...]
    form: str | None
    timeline: Timeline | None
    go_to: str | None

    @property
    def form_title(self) -> str | None:
        """The plain name of the form to fill, e.g. ``NRM referral``."""
        return KIND_TITLES.get(self.form) if self.form else None


@dataclass(frozen=True)
class PathwayProgress:
    """A pathway's applicable steps for this case, in order."""

    id: str
    title: str
    steps: tuple[PathwayStep, ...]

    @property
    def next_step(self) -> PathwayStep | None:
        """The first step not yet done (None when all are done)."""
        return next((step for step in self.steps if not step.done), None)

    @property
    def complete(self) -> bool:
        """Every applicable step is done."""
        return all(step.done for step in self.steps)


@dataclass(frozen=True)
class CasePlan:
    """Every pathway that applies to the case, with its steps."""

    pathways: tuple[PathwayProgress, ...]

    def pathway(self, pathway_id: str) -> PathwayProgress:
        """The progress through one pathway (KeyError if it does not apply)."""
        for progress in self.pathways:
            if progress.id == pathway_id:
                return progress
        raise KeyError(pathway_id)

    def step(self, step_id: str) -> PathwayStep:
        """An applicable step by id (KeyError if it does not apply)."""
        for progress in self.pathways:
            for step in progress.steps:
                if step.id == step_id:
                    return step
        raise KeyError(step_id)

    def applies(self, step_id: str) -> bool:
        """Whether a step applies to this case."""
        return any(step.id == step_id for p in self.pathways for step in p.steps)

    def next_steps(self) -> list[PathwayStep]:
        """What to do now: urgent steps not done (the 999 call) first, then the next step of
        each pathway, without repeats."""
        urgent = [s for p in self.pathways for s in p.steps if s.urgent and not s.done]
        following = [p.next_step for p in self.pathways if p.next_step is not None]
        found: list[PathwayStep] = []
        for step in (*urgent, *following):
            if step not in found:
                found.append(step)
        return found


def plan_case(facts: CaseFacts, resources: Resources | None = None) -> CasePlan:
    """The steps of each pathway that apply to ``facts`` (the council's packaged resources by
    default), each with its contacts or form and whether it is done."""
    resources = resources or load_resources()
    values = facts.facts()
    progress = []
    for pathway in resources.pathways:
        if pathway.when is not None and not pathway.when.holds(values, facts.done):
            continue
        steps = tuple(
            _view(pathway.id, step, facts, values, resources)
            for step in pathway.steps
            if step.when is None or step.when.holds(values, facts.done)
        )
        progress.append(PathwayProgress(pathway.id, pathway.title, steps))
    return CasePlan(tuple(progress))


def _view(
    pathway_id: str, step: Step, facts: CaseFacts, values: dict[str, FactValue],
    resources: Resources,
) -> PathwayStep:
    done = step.id in facts.done or (
        step.done_when is not None and step.done_when.holds(values, facts.done)
    )
    return PathwayStep(
        pathway_id=pathway_id,
        id=step.id,
        number=step.number,
        text=step.text,
        done=done,
        urgent=step.urgent,
        contacts=tuple(resources.contact(contact) for contact in step.contacts),
        form=step.form,
        timeline=resources.timelines.get(step.timeline) if step.timeline else None,
        go_to=step.go_to,
    )


def next_prompts(facts: CaseFacts, resources: Resources | None = None) -> list[PathwayStep]:
    """The prompts to show now; with an immediate risk recorded, the 999 call comes first."""
    return plan_case(facts, resources).next_steps()


def facts_from_nrm(
    nrm: NrmReferral, *, as_of: date, done: Iterable[str] = (), **more: object
) -> CaseFacts:
    """Case facts read from an NRM draft on ``as_of`` (age by the rules, consent, immediate risk,
    destitution, support wanted); ``more`` sets any other fact, e.g. ``migrant=True``."""
    rules = nrm.obligations(as_of)
    support = nrm.support
    read: dict[str, object] = {
        "age": _AGE_OF_STATUS[nrm.age_status(as_of)],
        "consent": nrm.consent.decision,
        "immediate_risk": nrm.immediate_risk,
        "transition_due": rules.transition_to_adulthood,
        "destitute": support.destitute,
        "wants_support": support.victim_care_contract,
        "housing_needs": support.accommodation_needed,
        "done": frozenset(done),
    }
    read.update(more)
    return CaseFacts.model_validate(read)


def facts_from_person(
    person: PersonReceived, *, as_of: date, done: Iterable[str] = (), **more: object
) -> CaseFacts:
    """Case facts read from a person received at a reception centre on ``as_of``."""
    rules = person.obligations(as_of)
    read: dict[str, object] = {
        "age": _AGE_OF_STATUS[person.age_status(as_of)],
        "consent": person.consent,
        "transition_due": rules.transition_to_adulthood,
        "wants_support": person.wants_support,
        "housing_needs": person.accommodation_needed,
        "exploitation_present": person.potential_victim,
        "done": frozenset(done),
    }
    read.update(more)
    return CaseFacts.model_validate(read)
