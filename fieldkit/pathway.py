"""The pathway engine: from what a case has recorded so far, the steps of each of the council's
pathways that apply, in order, each with whom to contact or which form to fill, done or not.

The pathways and their conditions are data (``resources/pathways.yaml``); this module only
turns a case into facts and evaluates them; the last part reads a case's facts and the officer's
ticks from the store. No Qt; "today" comes from the clock module."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fieldkit import cases, clock, consent_withdrawal, documents, officer
from fieldkit.clock import stamp
from fieldkit.first_responders import officer_duty, responder_duty
from fieldkit.resources import Contact, Resources, Timeline, load_resources
from fieldkit.store import Store
from forms import DutyToNotify
from forms.choices import AgeGroup, Agency, ConsentDecision, NrmStage, ResponderDuty
from forms.form import without_invalid
from forms.intelligence import IntelligenceDestination
from forms.kinds import KIND_TITLES
from forms.nrm import NrmReferral
from forms.pathways import FactValue, Step
from forms.reception import PersonReceived
from forms.rules import AgeStatus, Route, route_for
from forms.visit import PremisesVisit, VisitActionKind

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
    person_recorded: bool = Field(True, title="A potential victim has been recorded")
    consent: ConsentDecision = Field(ConsentDecision.NOT_ASKED, title="Consent to the NRM")
    immediate_risk: bool = Field(False, title="Immediate risk of serious harm")
    transition_due: bool = Field(False, title="Child within 6 months of turning 18")
    migrant: bool | None = Field(None, title="The person is a migrant")
    care_and_support_needs: bool | None = Field(None, title="Care and support needs")
    accommodation_needed: bool | None = Field(
        None, title="Needs emergency or safe accommodation now"
    )
    housing_needs: bool | None = Field(
        None, title="Meets the criteria for council housing (a housing assessment is asked for)"
    )
    first_responder: bool = Field(True, title="The officer works for a first responder")
    responder: ResponderDuty | None = Field(
        None, title="The officer's organisation as a first responder (statutory or not)"
    )
    ictg_service: bool | None = Field(
        None, title="The area has the Independent Child Trafficking Guardian service"
    )
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

    @property
    def duty(self) -> ResponderDuty:
        """What the officer's organisation is as a first responder: not one when the officer
        says so; otherwise as worked out from the organisation's name, and statutory (must
        notify) when that is not known, so a duty is never silently dropped."""
        if not self.first_responder:
            return ResponderDuty.NOT_FIRST_RESPONDER
        return self.responder or ResponderDuty.STATUTORY

    def facts(self) -> dict[str, FactValue]:
        """The facts pathway conditions test, including those worked out from the others."""
        recorded = self.model_dump(exclude={"done", "person_recorded"})
        # No person recorded yet: no step about a person (child, adult, NRM or DtN) applies.
        person = self.person_recorded
        child = person and self.age is not AgeGroup.ADULT
        recorded.update(
            child=child,
            adult=person and not child,
            nrm_route=person and self.route is Route.NRM,
            dtn_route=person and self.route is Route.DUTY_TO_NOTIFY,
            responder=self.duty,
            first_responder=self.duty is not ResponderDuty.NOT_FIRST_RESPONDER,
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
    waiting_for: tuple[str, ...] = ()
    """The ids of steps to do first (``after`` in the pathways) that apply and are not done:
    until then this step is not offered as next and cannot be ticked."""

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
        """The first step not yet done and waiting for nothing (None when there is none)."""
        return next((step for step in self.steps if not step.done and not step.waiting_for),
                    None)

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

    def waits_for(self, step_id: str) -> list[PathwayStep]:
        """The steps to do before ``step_id`` can be ticked (none: it can be)."""
        return [self.step(first) for first in self.step(step_id).waiting_for]

    def next_steps(self) -> list[PathwayStep]:
        """What to do now: urgent steps not done (the 999 call) first, then the next step of
        each pathway, without repeats."""
        urgent = [s for p in self.pathways for s in p.steps
                  if s.urgent and not s.done and not s.waiting_for]
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
    return _with_waiting(CasePlan(tuple(progress)), resources)


def _with_waiting(plan: CasePlan, resources: Resources) -> CasePlan:
    """Each step's ``waiting_for``: its ``after`` steps that apply here and are not done."""
    after = {step.id: step.after for pathway in resources.pathways for step in pathway.steps
             if step.after}
    if not after:
        return plan
    shown = {step.id: step for progress in plan.pathways for step in progress.steps}

    def waiting(step: PathwayStep) -> PathwayStep:
        first = tuple(i for i in after.get(step.id, ()) if i in shown and not shown[i].done)
        return replace(step, waiting_for=first) if first and not step.done else step

    return CasePlan(tuple(replace(progress, steps=tuple(waiting(s) for s in progress.steps))
                          for progress in plan.pathways))


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
    destitution, support wanted, accommodation needed now and, asked for separately, a council
    housing assessment; the first responder's duty from their organisation); ``more`` sets any
    other fact, e.g. ``migrant=True``."""
    rules = nrm.obligations(as_of)
    support = nrm.support
    read: dict[str, object] = {
        "age": _AGE_OF_STATUS[nrm.age_status(as_of)],
        "consent": nrm.counted_decision(),  # not informed: not yet asked, as the form says
        "immediate_risk": nrm.immediate_risk,
        "transition_due": rules.transition_to_adulthood,
        "destitute": support.destitute,
        "wants_support": support.victim_care_contract,
        "accommodation_needed": support.accommodation_needed,
        "housing_needs": support.council_housing_referral,
        "done": frozenset(done),
    }
    if nrm.first_responder.organisation.strip():
        read["responder"] = responder_duty(nrm.first_responder.organisation)
    read.update(more)
    return CaseFacts.model_validate(read)


def facts_from_dtn(
    dtn: DutyToNotify, *, done: Iterable[str] = (), **more: object
) -> CaseFacts:
    """Case facts read from a Duty to Notify: an adult without consent, exploitation present,
    and the immediate risk the notice keeps (so the 999 step stays until it is done); the
    first responder's duty from their organisation. ``more`` sets any other fact (e.g.
    ``consent=ConsentDecision.WITHDRAWN`` when the NRM it replaced says so)."""
    read: dict[str, object] = {
        "age": AgeGroup.ADULT,
        "consent": ConsentDecision.REFUSED,
        "immediate_risk": dtn.immediate_risk,
        "exploitation_present": True,
        "done": frozenset(done),
    }
    if dtn.first_responder.organisation.strip():
        read["responder"] = responder_duty(dtn.first_responder.organisation)
    read.update(more)
    return CaseFacts.model_validate(read)


def facts_from_person(
    person: PersonReceived, *, as_of: date, done: Iterable[str] = (), **more: object
) -> CaseFacts:
    """Case facts read from a person received at a reception centre on ``as_of``: consent as
    the board's rules act on it (:meth:`PersonReceived.decision`: given before it was informed,
    it does not count yet)."""
    rules = person.obligations(as_of)
    read: dict[str, object] = {
        "age": _AGE_OF_STATUS[person.age_status(as_of)],
        "consent": person.decision(),
        "transition_due": rules.transition_to_adulthood,
        "wants_support": person.wants_support,
        "accommodation_needed": person.accommodation_needed,
        "exploitation_present": person.potential_victim,
        "done": frozenset(done),
    }
    read.update(more)
    return CaseFacts.model_validate(read)


# -- a case's facts and ticks, read from the store ---------------------------------------------

CASE_SCOPE = "case"
"""The scope of steps about the case as a whole; other scopes are person ids."""


def load_ticks(store: Store, case_id: str) -> dict[str, set[str]]:
    """Steps the officer ticked as done, by scope (``case`` or a person id)."""
    ticks: dict[str, set[str]] = {}
    for scope, step_id in store.conn.execute(
            "SELECT scope, step_id FROM pathway_ticks WHERE case_id = ?", (case_id,)):
        ticks.setdefault(str(scope), set()).add(str(step_id))
    return ticks


def set_tick(store: Store, case_id: str, scope: str, step_id: str, done: bool) -> None:
    """Tick (or untick) one step for a scope; audited either way."""
    with store.transaction() as conn:
        if done:
            conn.execute(
                "INSERT OR IGNORE INTO pathway_ticks VALUES (?, ?, ?, ?, ?)",
                (case_id, scope, step_id, stamp(), store.actor))
        else:
            conn.execute(
                "DELETE FROM pathway_ticks WHERE case_id = ? AND scope = ? AND step_id = ?",
                (case_id, scope, step_id))
        store.audit("pathway.tick" if done else "pathway.untick", "case", case_id)


_DONE_BY_ACTION = {
    VisitActionKind.LEAD_NOTIFIED: ("ts.notify_lead", "init.report_to_lead"),
    VisitActionKind.GLAA_CONTACTED: ("init.glaa",),
    VisitActionKind.POLICE_CALLED_101: ("init.police_intelligence", "init.report_101"),
    VisitActionKind.POLICE_CALLED_999: ("init.call_999",),
    VisitActionKind.MASH_CONTACTED: ("init.mash",),
}
"""The pathway steps a timed action recorded on a visit does (the officer need not tick
them too)."""
_DONE_BY_PRESENCE = {
    Agency.GLAA: ("init.glaa",),
    Agency.TRADING_STANDARDS: ("init.trading_standards",),
    Agency.COUNCIL_HOUSING: ("init.housing_enforcement",),
}
"""The steps an agency present on the visit makes done (it saw the business for itself)."""


def _visit_records(store: Store, case_id: str) -> list[PremisesVisit]:
    return [record for _, record in _visit_records_by_visit(store, case_id)]


def _visit_records_by_visit(store: Store, case_id: str) -> list[tuple[str | None, PremisesVisit]]:
    records = []
    for document in documents.list_documents(store, case_id, "visit"):
        try:
            records.append((document.visit_id,
                            PremisesVisit.model_validate_json(document.data)))
        except ValidationError:
            continue
    return records


def mash_contacted_for(store: Store, case_id: str, person_id: str) -> bool:
    """Whether the records show MASH was told about this person: a referral to MASH for them
    (by the person or their reference), their MASH referral on the reception board, or MASH
    contacted on the visit where they were found. A call about another child of the case, or
    at another visit, is not about them: their own MASH step stays to do."""
    person = cases.get_person(store, person_id)
    reference = documents.board_reference(person.reference)
    for doc in documents.list_documents(store, case_id, "referral"):
        data = json.loads(doc.data)
        if data.get("destination") == "mash" and (
                doc.person_id == person_id
                or documents.board_reference(str(data.get("person_reference") or ""))
                == reference):
            return True
    received = documents.on_the_board(store, case_id, person_id)
    if received is not None and received.mash_referred_at is not None:
        return True
    return person.visit_id is not None and any(
        visit_id == person.visit_id and any(
            action.action is VisitActionKind.MASH_CONTACTED for action in record.actions)
        for visit_id, record in _visit_records_by_visit(store, case_id))


def derived_done(store: Store, case_id: str) -> set[str]:
    """Steps the records themselves show are done (a case exists; a visit was made; an action
    recorded on a visit: the Lead notified, the GLAA contacted, the police called; an agency
    present on the visit; an intelligence report marked ready)."""
    done = {"ts.identify_concern"}
    if cases.list_visits(store, case_id):
        done.add("ts.visit")
    for record in _visit_records(store, case_id):
        for action in record.actions:
            done.update(_DONE_BY_ACTION.get(action.action, ()))
        for agency in record.agencies_present:
            done.update(_DONE_BY_PRESENCE.get(agency, ()))
    for report in documents.list_documents(store, case_id, "intel"):
        # A Partnership Information Report to the police is the police step; the Trading
        # Standards database (IDB) is a step of its own (protocol 4.1 and step 10).
        if report.status == "ready" and json.loads(report.data).get("destination") \
                == IntelligenceDestination.POLICE_PARTNERSHIP_INFORMATION_REPORT.value:
            done.add("init.police_intelligence")
    profile = officer.load_profile(store)
    if profile is not None and "trading standards" in profile.organisation.casefold():
        done.add("init.trading_standards")  # the officer is Trading Standards
    return done


def concern_facts(store: Store, case_id: str,
                  resources: Resources | None = None) -> dict[str, bool]:
    """What the indicators seen at the case's premises (on its visit records and its NRM and
    Duty to Notify forms) say about the business: a concern about it (the police on 101 or a
    Partnership Information Report), and, as the council's indicator lists say, workers
    exploited (the GLAA), the law broken (Trading Standards), housing (Housing Enforcement),
    a perpetrator."""
    resources = resources or load_resources()
    seen: set[str] = set()
    for record in _visit_records(store, case_id):
        seen.update(record.indicators_ticked)
    for document in documents.list_documents(store, case_id):
        if document.kind in ("nrm", "dtn"):
            data = json.loads(document.data)
            seen.update(data.get("indicator_ids") or [])
            seen.update((data.get("came_to_notice") or {}).get("indicator_ids") or [])
    concerns = resources.indicators.concerns_of(seen)
    facts = {concern: True for concern in concerns}
    if seen and cases.list_visits(store, case_id):
        facts["business_concern"] = True  # indicators seen at premises: a business
    return facts


def person_facts(
    store: Store, case_id: str, person_id: str, live: dict[str, Any] | None = None,
    *, as_of: date | None = None,
) -> CaseFacts:
    """Facts for one person: from the form being edited (``live``), else their saved forms (an
    NRM withdrawn because they withdrew consent still counts until a Duty to Notify replaces
    it); the officer's duty as a first responder from their profile."""
    done = load_ticks(store, case_id).get(person_id, set()) | (
        derived_done(store, case_id) - {"init.mash"})
    if "init.mash" not in done and mash_contacted_for(store, case_id, person_id):
        done.add("init.mash")
    more: dict[str, object] = {"first_responder": officer.is_first_responder(store)}
    duty = officer_duty(store)
    if duty is not None:
        more["responder"] = duty
    withdrawn = [doc for doc in consent_withdrawal.withdrawn_by_consent_in_case(store, case_id)
                 if doc.person_id == person_id]
    nrm_data = live
    dtn: DutyToNotify | None = None
    if nrm_data is None:
        for doc in documents.list_documents(store, case_id):
            if doc.person_id == person_id and doc.kind == "nrm":
                nrm_data = json.loads(doc.data)
            elif doc.person_id == person_id and doc.kind == "dtn":
                dtn = DutyToNotify.model_validate_json(doc.data)
        if nrm_data is None and dtn is None and withdrawn:
            nrm_data = json.loads(withdrawn[-1].data)
    if nrm_data is not None:
        # Read from what validates: a field typed wrong (an email, a date) is left out as if
        # not answered, so it cannot turn an adult who consents into "age not known, treat as
        # a child" while the form's own rules banner still says an adult.
        nrm = without_invalid(NrmReferral, nrm_data)
        if nrm is not None:
            when = nrm.where_found.encountered_on or as_of or clock.today()
            needs = nrm.needs
            more.update(migrant=needs.migrant, care_and_support_needs=needs.care_and_support_needs,
                        capacity_concern=needs.capacity_concern, nrm_stage=needs.nrm_stage)
            return facts_from_nrm(nrm, as_of=when, done=done, exploitation_present=True, **more)
    if dtn is not None:
        if withdrawn:
            more["consent"] = ConsentDecision.WITHDRAWN
        return facts_from_dtn(dtn, done=done, **more)
    received = documents.on_the_board(store, case_id, person_id)
    if received is not None:  # no form yet: what the reception board records of them
        when = received.arrived_at.date() if received.arrived_at else as_of or clock.today()
        return facts_from_person(received, as_of=when, done=done, **more)
    return CaseFacts.model_validate({"done": frozenset(done), **more})


def _received(store: Store, case_id: str) -> list[PersonReceived]:
    """The potential victims (or people not yet screened) on the case's reception boards, each
    once by reference, as the newest board records them."""
    found: dict[str, PersonReceived] = {}
    for centre in documents.reception_centres(store, case_id):
        for person in centre.received():
            if person.potential_victim is not False:
                found.setdefault(documents.board_reference(person.reference), person)
    return list(found.values())


def case_people(store: Store, case_id: str) -> list[str]:
    """Ids of the people of a case who have an NRM or a Duty to Notify (or an NRM withdrawn
    because they withdrew consent, whose Duty to Notify is still to be made), and of those
    the reception board records as potential victims (a child there needs the MASH before
    any form is begun)."""
    current = [d for d in documents.list_documents(store, case_id) if d.kind in ("nrm", "dtn")]
    withdrawn = consent_withdrawal.withdrawn_by_consent_in_case(store, case_id)
    ids = {d.person_id for d in (*current, *withdrawn) if d.person_id}
    on_board = {documents.board_reference(p.reference) for p in _received(store, case_id)}
    ids |= {p.id for p in cases.list_people(store, case_id)
            if documents.board_reference(p.reference) in on_board}
    return sorted(ids)


def _board_only_ages(store: Store, case_id: str, people: list[str]) -> set[AgeGroup]:
    """The ages, as the rules read them, of the board's people with no person record yet."""
    recorded = set(people)
    known = {documents.board_reference(p.reference)
             for p in cases.list_people(store, case_id) if p.id in recorded}
    ages = set()
    for received in _received(store, case_id):
        if documents.board_reference(received.reference) not in known:
            when = received.arrived_at.date() if received.arrived_at else clock.today()
            ages.add(facts_from_person(received, as_of=when).age)
    return ages


def case_facts(store: Store, case_id: str) -> CaseFacts:
    """Facts for the case as a whole: a child if anyone recorded is (or may be) a child, an
    adult if everyone with a form is an adult; with nobody recorded yet, no person steps."""
    ticked = load_ticks(store, case_id).get(CASE_SCOPE, set())
    done = ticked | derived_done(store, case_id)
    people = case_people(store, case_id)
    each = [person_facts(store, case_id, person) for person in people]
    ages = {facts.age for facts in each}
    if "init.mash" not in ticked and any(
            facts.age is not AgeGroup.ADULT and "init.mash" not in facts.done for facts in each):
        done.discard("init.mash")  # a child of the case MASH has not been told about yet
    board_only = _board_only_ages(store, case_id, people)
    children = [facts for facts in each if facts.age is not AgeGroup.ADULT]
    if children and all("init.mash" in facts.done for facts in children) \
            and board_only <= {AgeGroup.ADULT}:
        # MASH told about every child of the case (each on the board, a referral or the
        # visit): the case's own step is done too (it stayed listed as next).
        done.add("init.mash")
    ages |= board_only
    age = AgeGroup.NOT_SURE
    if ages:
        age = AgeGroup.ADULT if ages == {AgeGroup.ADULT} else AgeGroup.CHILD
    return CaseFacts.model_validate({
        "done": frozenset(done), "exploitation_present": True if people or ages else None,
        "age": age, "person_recorded": bool(people or ages),
        "first_responder": officer.is_first_responder(store),
        "responder": officer_duty(store), **concern_facts(store, case_id)})


def plan_for_case(store: Store, case_id: str) -> list[tuple[str, CasePlan]]:
    """The plan for the case as a whole, then for each person with a form, as (scope, plan).
    The app's pathway panel, ``fieldkit pathway`` and the tests all ask this."""
    plans = [(CASE_SCOPE, plan_case(case_facts(store, case_id)))]
    for person in case_people(store, case_id):
        plans.append((person, plan_case(person_facts(store, case_id, person))))
    return plans
