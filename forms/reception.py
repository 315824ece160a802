"""A multi-agency reception centre: the centre and its set-up checklist, and every person
received, with the status of each step on the board so everyone sees who is waiting for what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import ConfigDict, Field, field_validator

from forms.choices import AgeGroup, Agency, ConsentDecision, Gender
from forms.countries import LanguageCode, language_name
from forms.form import FieldProblem, Form, FormSection, Problems
from forms.rules import AgeStatus, Obligations, Route, age_status, obligations, transition_due


class StepStatus(StrEnum):
    """The state of one board step for one person."""

    NOT_NEEDED = "not_needed"
    WAITING = "waiting"
    DONE = "done"


class BoardStep(StrEnum):
    """The columns of the reception board, in the order a person moves through them."""

    ARRIVED = "arrived"
    WELFARE = "welfare"
    MEDICAL = "medical"
    INTERPRETER = "interpreter"
    SCREENED = "screened"
    MASH = "mash"
    NRM_EXPLAINED = "nrm_explained"
    CONSENT = "consent"
    NRM_OR_DTN = "nrm_or_dtn"
    SALVATION_ARMY = "salvation_army"
    ACCOMMODATION = "accommodation"
    PROPERTY = "property"
    LEFT = "left"


_RULE_FIELDS = frozenset({"mash_referred_at", "nrm_explained_at", "consent", "referral_form",
                          "salvation_army_referred_at"})
STILL_DUE_AFTER_LEAVING = frozenset({BoardStep.MASH, BoardStep.NRM_OR_DTN})
"""The steps a person who left the centre still waits for: the centre must still make them."""


class StepWait(StrEnum):
    """Why Space on a board step changes nothing (the board says so in words)."""

    CONSENT_FIRST = "consent_first"  # NRM or Duty to Notify: the adult's consent decides
    NOT_FOR_A_CHILD = "not_for_a_child"  # NRM explained, consent, Salvation Army: a child
    ONLY_FOR_A_CHILD = "only_for_a_child"  # the MASH referral, for an adult
    NOT_ON_THE_DTN_ROUTE = "not_on_the_dtn_route"  # Salvation Army: an adult who refused
    NOT_A_POTENTIAL_VICTIM = "not_a_potential_victim"  # recorded as not a potential victim
    MASH_FIRST = "mash_first"  # a child's NRM: children's services (the MASH) are told first
    SUPPORT_AFTER_CONSENT = "support_after_consent"  # Salvation Army: NRM support needs consent
    REGISTERED_IN_ERROR = "registered_in_error"  # a reference typed wrongly: no one
    DETAILS_RECORDED = "details_recorded"  # accommodation, screenings: details; changed in F6
    INTERPRETER_FIRST = "interpreter_first"  # NRM explained: in a language they understand


class ReferralForm(StrEnum):
    """Which notification was made for the person: one, never both."""

    NONE = "none"
    NRM = "nrm"
    DUTY_TO_NOTIFY = "dtn"


class PropertyOutcome(StrEnum):
    """What happened to an item of property."""

    PENDING = "pending"
    KEPT = "kept"
    RETURNED = "returned"


class PropertyItem(FormSection):
    """A document, phone or other item logged at the centre."""

    model_config = ConfigDict(title="Property item")  # one entry of a list

    description: str = Field("", title="Item")
    is_identity_document: bool = Field(False, title="Identity document")
    outcome: PropertyOutcome = Field(PropertyOutcome.PENDING, title="Kept or returned")
    exhibit_reference: str = Field("", title="Exhibit reference")


class Screening(FormSection):
    """A screening or welfare interview by one agency."""

    model_config = ConfigDict(title="Screening")  # one entry of a list

    agency: Agency | None = Field(None, title="Screening agency")
    """None until named: a screening marked done from the board names no agency ("Other" was
    printed for one nobody chose)."""
    done_at: datetime | None = Field(None, title="Screening time")
    notes: str = Field("", title="Screening notes")


_DOOR_FIELDS = frozenset({"reference", "arrived_at", "departed_at", "registered_in_error"})
"""What a reference registered by mistake may hold: what was typed at the door."""


class PersonReceived(FormSection):
    """One person received at the centre, known by a reference (no name needed)."""

    model_config = ConfigDict(title="Person received")  # one entry of a list

    reference: str = Field("", title="Reference")
    arrived_at: datetime | None = Field(None, title="Arrival time")
    gender: Gender | None = Field(None, title="Gender")
    language: LanguageCode | None = Field(None, title="Language")
    interpreter_needed: bool | None = Field(None, title="Interpreter needed")
    interpreter_provided_at: datetime | None = Field(None, title="Interpreter provided")
    age_group: AgeGroup = Field(AgeGroup.NOT_SURE, title="Adult or child")
    estimated_age: int | None = Field(None, ge=0, le=120, title="Estimated age")
    date_of_birth: date | None = Field(None, title="Date of birth")
    age_disputed: bool = Field(
        False, title="Age disputed (may be under 18; treated as a child until assessed)"
    )
    welfare_given_at: datetime | None = Field(None, title="Food, water and rest given")
    welfare_notes: str = Field("", title="Welfare notes")
    medical_triage_needed: bool | None = Field(None, title="Medical triage needed")
    medical_triage_at: datetime | None = Field(None, title="Medical triage time")
    separated_from_controllers: bool | None = Field(
        None, title="Separated from suspected controllers"
    )
    screenings: list[Screening] = Field(default_factory=list, title="Screenings")
    mash_referred_at: datetime | None = Field(None, title="MASH referral time")
    potential_victim: bool | None = Field(None, title="Potential victim of modern slavery")
    nrm_explained_at: datetime | None = Field(None, title="NRM explained with the booklet")
    consent: ConsentDecision = Field(ConsentDecision.NOT_ASKED, title="Consent to the NRM")
    consent_recorded_at: datetime | None = Field(None, title="Consent decision recorded at")
    """When the consent decision was recorded: stamped by :meth:`toggle_step` and
    :func:`edited_person` whenever the decision changes (and when it is asked again), never
    typed. None for a decision recorded before this time was kept (an older record): its order
    against the explanation is unknown, so it is not checked."""
    referral_form: ReferralForm = Field(ReferralForm.NONE, title="NRM or Duty to Notify")
    referral_form_done_at: datetime | None = Field(None, title="NRM or Duty to Notify completed")
    wants_support: bool | None = Field(None, title="Wants Salvation Army support")
    salvation_army_referred_at: datetime | None = Field(None, title="Salvation Army referral")
    accommodation_needed: bool | None = Field(None, title="Accommodation needed")
    accommodation_arranged: str = Field("", title="Accommodation arranged")
    accommodation_arranged_at: datetime | None = Field(None, title="Accommodation arranged at")
    property_logged: bool = Field(False, title="Property, documents and phones logged")
    property_items: list[PropertyItem] = Field(default_factory=list, title="Property")
    safe_contact_taken: bool = Field(False, title="Safe contact details taken")
    onward_destination: str = Field("", title="Onward destination")
    departed_at: datetime | None = Field(None, title="Departure time")
    registered_in_error: bool = Field(False, title="Registered by mistake")
    """A reference typed wrongly at the door ("A3a3"): kept on the board (a record is never
    erased) but no one, so nothing is asked, counted or waited for."""

    def age_status(self, as_of: date) -> AgeStatus:
        """Whether the person is treated as a child (not sure, or an age disputed, counts as a
        child until an age assessment)."""
        return age_status(as_of=as_of, age_group=self.age_group,
                          date_of_birth=self.date_of_birth, estimated_age=self.estimated_age,
                          age_disputed=self.age_disputed)

    def obligations(self, as_of: date) -> Obligations:
        """What the rules require for this person on ``as_of`` (with the consent decision
        that counts: :meth:`decision`). An adult who left before giving informed consent did
        not consent: they are owed a Duty to Notify (the panel asked for the NRM to be
        explained to someone no longer there, and the step could not be marked done)."""
        near_18 = transition_due(as_of=as_of, date_of_birth=self.date_of_birth,
                                 estimated_age=self.estimated_age)
        decision = self.decision()
        if self.left_unasked():
            decision = ConsentDecision.REFUSED  # for the route only: never shown as refused
        return obligations(self.age_status(as_of), decision, transition=near_18)

    def left_unasked(self) -> bool:
        """True when the person left the centre before giving informed consent (never asked,
        or asked before it was explained)."""
        return self.departed_at is not None and self.decision() is ConsentDecision.NOT_ASKED

    def decision(self) -> ConsentDecision:
        """The consent decision the rules act on: as recorded, except that consent given before
        it was informed (:meth:`consent_not_informed`) does not count yet: the adult is still to
        be asked, so the route waits (no NRM on consent that was not informed).

        A refusal (or withdrawal) counts whenever it was recorded, even before the NRM was
        explained: a no is never turned into a yes, and an adult without informed consent is
        owed a Duty to Notify either way, so the route is the same. They may still be asked
        again once it is explained; recording their answer again restamps its time."""
        if self.consent is ConsentDecision.GIVEN and self.consent_not_informed() is not None:
            return ConsentDecision.NOT_ASKED
        return self.consent

    def consent_not_informed(self) -> str | None:
        """Why consent recorded as given does not count yet, in plain words: it was recorded
        before the NRM was explained with the booklet, or (when the person needs an interpreter)
        before the interpreter was provided, or neither has been recorded since. None when it
        counts, when it is not given, and when the time of the decision is unknown (a record
        made before that time was kept: today's checks apply, not the order)."""
        at = self.consent_recorded_at
        if self.consent is not ConsentDecision.GIVEN or at is None:
            return None
        late: list[str] = []
        if self.nrm_explained_at is None:
            late.append("the NRM has not been recorded as explained with the booklet")
        elif _later(self.nrm_explained_at, at):
            late.append(f"before the NRM was explained at {_time_text(self.nrm_explained_at, at)}")
        if self.interpreter_needed:
            if self.interpreter_provided_at is None:
                late.append("the interpreter the person needs has not been recorded as provided")
            elif _later(self.interpreter_provided_at, at):
                late.append("before the interpreter was provided at "
                            f"{_time_text(self.interpreter_provided_at, at)}")
        if not late:
            return None
        before = [part for part in late if part.startswith("before")]
        missing = [part for part in late if not part.startswith("before")]
        first = next((t for t in (self.nrm_explained_at, self.interpreter_provided_at)
                      if t is not None and _later(t, at)), at)
        said = f"Consent was recorded at {_time_text(at, first)}"
        if before:
            said += ", " + " and ".join(before)
        if missing:
            said += ", but " + " and ".join(missing)
        what = ("with the interpreter, explain the NRM with the booklet in a language the "
                "person understands" if any("interpreter" in part for part in late)
                else "explain the NRM with the booklet")
        unrecorded = [name for name, at_time in (
            ("the explanation", self.nrm_explained_at),
            ("the interpreter", self.interpreter_provided_at if self.interpreter_needed
             else at)) if at_time is None]
        if unrecorded:  # Space on Consent asks again only once they are recorded
            what += f" (record {' and '.join(unrecorded)} on the board)"
        return (f"{said}: {what}, then ask again and record their answer (Space on the "
                "board's Consent cell)")

    @property
    def no_one(self) -> bool:
        """True for a reference registered by mistake that holds nothing but what was typed
        at the door. A ticked record holding details (made by an older fieldkit, or a shared
        board's peer) is still a person: a tick never hides someone recorded."""
        return self.registered_in_error and not self.recorded_details()

    def recorded_details(self) -> list[str]:
        """The titles of the fields holding something beyond the reference typed at the door
        and its arrival and departure times: what a record registered by mistake never has (a
        tick must not hide a real person: a child of 15 with the MASH not called)."""
        blank = PersonReceived()
        return [str(info.title or name) for name, info in type(self).model_fields.items()
                if name not in _DOOR_FIELDS and getattr(self, name) != getattr(blank, name)]

    def board(self, as_of: date) -> dict[BoardStep, StepStatus]:
        """The status of every board step, in board order (registered by mistake: nothing is
        needed but the arrival that was typed)."""
        if self.no_one:
            return {step: StepStatus.DONE if step is BoardStep.ARRIVED and self.arrived_at
                    else StepStatus.NOT_NEEDED for step in BoardStep}
        rules = self.obligations(as_of)
        victim = self.potential_victim is not False
        adult_victim = victim and not rules.treated_as_child
        return {
            BoardStep.ARRIVED: _done(self.arrived_at),
            BoardStep.WELFARE: _done(self.welfare_given_at),
            BoardStep.MEDICAL: _done(self.medical_triage_at, needed=self.medical_triage_needed),
            BoardStep.INTERPRETER: _done(
                self.interpreter_provided_at, needed=self.interpreter_needed
            ),
            BoardStep.SCREENED: StepStatus.DONE
            if self.screenings and all(s.done_at for s in self.screenings)
            else StepStatus.WAITING,
            BoardStep.MASH: _done(self.mash_referred_at, needed=rules.mash_referral),
            BoardStep.NRM_EXPLAINED: _done(self.nrm_explained_at, needed=adult_victim),
            BoardStep.CONSENT: StepStatus.NOT_NEEDED if not adult_victim
            else StepStatus.WAITING if self.decision() is ConsentDecision.NOT_ASKED
            else StepStatus.DONE,
            BoardStep.NRM_OR_DTN: StepStatus.WAITING
            if self._form_due(rules) or (self.referral_form_done_at is not None and victim
                                         and rules.route is Route.UNDECIDED)
            else _done(self.referral_form_done_at, needed=victim),
            BoardStep.SALVATION_ARMY: _done(
                self.salvation_army_referred_at,
                needed=adult_victim and rules.route is not Route.DUTY_TO_NOTIFY
                and self.wants_support is not False,
            ),
            BoardStep.ACCOMMODATION: _done(
                self.accommodation_arranged_at or self.accommodation_arranged or None,
                needed=self.accommodation_needed,
            ),
            BoardStep.PROPERTY: StepStatus.DONE
            if self.property_logged
            and all(i.outcome is not PropertyOutcome.PENDING for i in self.property_items)
            else StepStatus.WAITING,
            BoardStep.LEFT: _done(self.departed_at),
        }

    def form_due_instead(self, as_of: date) -> ReferralForm | None:
        """The form now needed when the one marked done no longer fits the person (found to be
        a child after a Duty to Notify, or consent changed in the record): that step waits
        again, for this form. ``None`` when the form done fits, or none is done."""
        return self._form_due(self.obligations(as_of))

    def _form_due(self, rules: Obligations) -> ReferralForm | None:
        """:meth:`form_due_instead` with the rules already worked out (``board`` has them)."""
        if self.referral_form_done_at is None or self.potential_victim is False:
            return None
        expected = {Route.NRM: ReferralForm.NRM, Route.DUTY_TO_NOTIFY:
                    ReferralForm.DUTY_TO_NOTIFY}.get(rules.route)
        return expected if expected is not None and expected is not self.referral_form \
            else None

    def waiting_for(self, as_of: date) -> list[BoardStep]:
        """The steps this person is still waiting for (leaving is not one: someone still at
        the centre is "still here", counted apart from who waits). Once they have left, only
        what must still be done without them: the MASH referral for a child (or possibly a
        child) and the NRM referral or Duty to Notify (a duty that does not end when the person
        leaves); the rest is in the record, but no one at the centre waits for it."""
        return self.waiting_in(self.board(as_of))

    def left_before(self, step: BoardStep, status: StepStatus) -> bool:
        """True for a step the person left the centre before it was done, and no longer waits
        for (only :data:`STILL_DUE_AFTER_LEAVING` are still made without them)."""
        return (self.departed_at is not None and status is StepStatus.WAITING
                and step is not BoardStep.LEFT and step not in STILL_DUE_AFTER_LEAVING)

    def waiting_in(self, board: dict[BoardStep, StepStatus]) -> list[BoardStep]:
        """:meth:`waiting_for` from this person's board already worked out."""
        waiting: list[BoardStep] = [
            step for step, status in board.items()
            if status is StepStatus.WAITING and step is not BoardStep.LEFT]
        if self.departed_at is not None:
            return [step for step in waiting if step in STILL_DUE_AFTER_LEAVING]
        return waiting

    def ready_problems(self, as_of: date) -> list[FieldProblem]:
        """What must be settled before the person's record is complete."""
        problems = Problems()
        if self.no_one:
            return problems  # no one: nothing to settle
        problems.need("reference", self.reference, "Reference is needed")
        problems.need("arrived_at", self.arrived_at, "Arrival time is needed")
        rules = self.obligations(as_of)
        if rules.mash_referral:
            problems.need("mash_referred_at", self.mash_referred_at,
                          "A child (or possibly a child) needs a MASH referral")
        adult_victim = self.potential_victim is not False and not rules.treated_as_child
        not_informed = self.consent_not_informed() if adult_victim else None
        if not_informed is not None:  # given at a known time, before it was informed
            problems.add("consent", not_informed)
        elif adult_victim and self.consent is not ConsentDecision.NOT_ASKED \
                and self.nrm_explained_at is None:
            problems.add("nrm_explained_at",
                         "Record when the NRM was explained with the booklet: consent counts "
                         "only once the person was told what the NRM is")
        if not_informed is None and adult_victim and self.consent is ConsentDecision.GIVEN \
                and self.interpreter_needed and self.interpreter_provided_at is None:
            problems.add("consent",
                         "Consent is recorded as given but the interpreter the person needs has "
                         "not been provided: consent must be informed, in a language the person "
                         "understands (record the interpreter, or ask again with one)")
        if adult_victim and self.consent is ConsentDecision.REFUSED \
                and self.salvation_army_referred_at is not None:
            problems.add("salvation_army_referred_at",
                         "A Salvation Army referral is recorded but the person refused the NRM: "
                         "check it (Victim Care Contract support comes through the NRM)")
        if self.potential_victim is not False:
            expected = {Route.NRM: ReferralForm.NRM, Route.DUTY_TO_NOTIFY:
                        ReferralForm.DUTY_TO_NOTIFY}.get(rules.route)
            if expected is None:
                if not_informed is None:  # else said above: ask again, once informed
                    problems.add("consent", "Consent to the NRM is needed from an adult")
            elif self.referral_form is not expected:
                problems.add("referral_form", _wrong_form_message(expected))
        for index, item in enumerate(self.property_items):
            if item.outcome is PropertyOutcome.PENDING:
                problems.add(f"property_items.{index}.outcome",
                             f"Say whether property item {index + 1} was kept or returned")
            if item.is_identity_document and item.outcome is PropertyOutcome.KEPT \
                    and not item.exhibit_reference.strip():
                named = f" ({item.description.strip()})" if item.description.strip() else ""
                problems.add(f"property_items.{index}.exhibit_reference",
                             f"Property item {index + 1}{named} is an identity document that was "
                             "kept: give its exhibit reference")
        problems.need("onward_destination", self.onward_destination,
                      "Onward destination is needed")
        problems.need("departed_at", self.departed_at, "Departure time is needed")
        return problems


    def rule_problems(self, as_of: date) -> list[FieldProblem]:
        """What the rules still ask before this person's record is complete (the MASH
        referral, the NRM explained before consent, the form that fits): what the board
        says beside the person while they are still at the centre, unlike the departure time
        or onward destination :meth:`ready_problems` also asks for."""
        return [problem for problem in self.ready_problems(as_of)
                if problem.field in _RULE_FIELDS]

    # -- what a tap on the board does (the rules live here, the board only asks) -------------

    def step_waits(self, step: BoardStep, as_of: date) -> StepWait | None:
        """Why Space on ``step`` would change nothing now (None: it changes the step): a step
        the rules say this person does not need (a child's consent, the Salvation Army for an
        adult who refused) records nothing that would then be hidden; the NRM or Duty to
        Notify step waits for an adult not yet asked about consent, and for a child (or possibly
        a child) until the MASH referral is made: children's services first, then the NRM.
        Consent may change after the form was made (withdrawn, or recorded wrongly): the step
        then waits again for the form that fits (:meth:`form_due_instead`). The Salvation Army
        referral (Victim Care Contract support, which is NRM support) waits for an adult's
        consent too: not before they were asked (and not at all once they refused)."""
        if self.no_one and step is not BoardStep.ARRIVED:
            return StepWait.REGISTERED_IN_ERROR
        board = self.board(as_of)
        if self._ruled_out(step, as_of):
            return self._why_ruled_out(step, as_of)
        if step is BoardStep.NRM_OR_DTN and board[step] is not StepStatus.DONE:
            rules = self.obligations(as_of)
            if rules.route is Route.UNDECIDED:
                return StepWait.CONSENT_FIRST
            if rules.mash_referral and self.mash_referred_at is None:
                return StepWait.MASH_FIRST
        if step is BoardStep.SALVATION_ARMY and board[step] is not StepStatus.DONE \
                and self.obligations(as_of).route is Route.UNDECIDED:
            return StepWait.SUPPORT_AFTER_CONSENT
        if step is BoardStep.ACCOMMODATION and board[step] is StepStatus.DONE \
                and self.accommodation_arranged.strip():
            return StepWait.DETAILS_RECORDED  # one Space erased where they were to stay
        if step is BoardStep.SCREENED and board[step] is StepStatus.DONE and any(
                s.agency is not None or s.notes.strip() for s in self.screenings):
            return StepWait.DETAILS_RECORDED  # one Space lost when the screening was done
        if step is BoardStep.NRM_EXPLAINED and board[step] is not StepStatus.DONE \
                and self.interpreter_needed and self.interpreter_provided_at is None:
            return StepWait.INTERPRETER_FIRST  # explained in words they do not understand
        return None

    def _ruled_out(self, step: BoardStep, as_of: date) -> bool:
        """Not needed by the rules, whatever was chosen (Delete only chooses for the steps
        that are a choice, and Space undoes that choice)."""
        choice = _OPTIONAL.get(step)
        asked = self if choice is None else self.model_copy(update={choice: None})
        return asked.board(as_of)[step] is StepStatus.NOT_NEEDED

    def _why_ruled_out(self, step: BoardStep, as_of: date) -> StepWait:
        if step is BoardStep.MASH:
            return StepWait.ONLY_FOR_A_CHILD
        if self.potential_victim is False:
            return StepWait.NOT_A_POTENTIAL_VICTIM
        if self.obligations(as_of).treated_as_child:
            return StepWait.NOT_FOR_A_CHILD
        return StepWait.NOT_ON_THE_DTN_ROUTE

    def toggle_step(self, step: BoardStep, now: datetime, as_of: date) -> PersonReceived:
        """The person after Space on ``step``: the step is marked done at ``now``, or undone if
        it was done; consent cycles not asked, given, refused, its time stamped ``now`` (none
        when back to not asked). Consent given before it was informed (:meth:`decision`), once
        the explanation (and interpreter) it lacked are recorded, is asked again: Space records
        the answer again, given at ``now`` (Space once more for a refusal); until then Space goes
        on to refused as always. The NRM or Duty to Notify step
        stays waiting for an adult not yet asked about consent, and nothing changes where
        :meth:`step_waits` says why. Returns a new record."""
        if self.step_waits(step, as_of) is not None:
            return self
        done = self.board(as_of)[step] is StepStatus.DONE
        update: dict[str, object]
        if step in _TIMED:
            field, needed = _TIMED[step]
            update = {field: None if done else now}
            if needed and not done:
                update[needed] = True
        elif step is BoardStep.CONSENT:
            cycle = [ConsentDecision.NOT_ASKED, ConsentDecision.GIVEN, ConsentDecision.REFUSED]
            current = self.consent if self.consent in cycle else ConsentDecision.NOT_ASKED
            if self.consent is ConsentDecision.GIVEN and self.consent_not_informed() is not None \
                    and self.model_copy(update=_decided(self.consent, now)) \
                    .consent_not_informed() is None:
                current = ConsentDecision.NOT_ASKED  # asked again, now informed: given again
            update = _decided(cycle[(cycle.index(current) + 1) % len(cycle)], now)
        elif step is BoardStep.NRM_OR_DTN:
            route = self.obligations(as_of).route
            form = (ReferralForm.DUTY_TO_NOTIFY if route is Route.DUTY_TO_NOTIFY
                    else ReferralForm.NRM)
            update = {"referral_form_done_at": None if done else now,
                      "referral_form": ReferralForm.NONE if done else form}
        elif step is BoardStep.SCREENED:
            # Undone, each screening keeps its agency and notes, without a time (one Space
            # erased them); done, each gets one (a new one of no agency named, if none).
            update = {"screenings": [
                s.model_copy(update={"done_at": None if done else s.done_at or now})
                for s in self.screenings
            ] or ([] if done else [Screening(done_at=now)])}
        elif step is BoardStep.ACCOMMODATION:
            update = {"accommodation_arranged_at": None if done else now,
                      "accommodation_needed": True}
            if done:
                update["accommodation_arranged"] = ""
        else:  # property
            update = {"property_logged": not done}
        return self.model_copy(update=update)

    def with_form_made(self, form: ReferralForm, at: datetime, as_of: date) -> PersonReceived:
        """The person with ``form`` (an NRM referral or a Duty to Notify the officer marked
        ready) recorded on the board's NRM or DtN step at ``at``, when that step waits for
        it: the route the board's rules give for the person is that form's. Otherwise the
        person as they are (a step done already, one that waits for something else first, a
        form that does not fit the person)."""
        if self.step_waits(BoardStep.NRM_OR_DTN, as_of) is not None \
                or self.board(as_of)[BoardStep.NRM_OR_DTN] is not StepStatus.WAITING:
            return self
        route = self.obligations(as_of).route
        fits = (form is ReferralForm.NRM and route is Route.NRM) or (
            form is ReferralForm.DUTY_TO_NOTIFY and route is Route.DUTY_TO_NOTIFY)
        if not fits:
            return self
        return self.model_copy(update={"referral_form": form, "referral_form_done_at": at})

    def mark_not_needed(self, step: BoardStep) -> PersonReceived | None:
        """The person after Delete on ``step``: the step is not needed, where that is a choice
        (medical triage, interpreter, Salvation Army support, accommodation); else None."""
        field = _OPTIONAL.get(step)
        if field is None:
            return None
        return self.model_copy(update={field: False})


def _decided(decision: ConsentDecision, now: datetime) -> dict[str, object]:
    """The fields that record a consent decision made at ``now`` (not asked has no time)."""
    return {"consent": decision,
            "consent_recorded_at": None if decision is ConsentDecision.NOT_ASKED else now}


def edited_person(before: PersonReceived, values: Mapping[str, Any],
                  now: datetime) -> PersonReceived:
    """The person after an edit of their details (the board's person panel): ``values``, field
    names to the editor's JSON values, merged into ``before`` and checked (pydantic's
    ValidationError if they are not valid). The time of the consent decision is the core's,
    never typed: ``now`` when the decision changed (none when it went back to not asked), else
    kept as it was, whatever ``values`` held. Choosing not asked and then the decision again
    records it again at ``now``, as when the person is asked again."""
    data = before.model_dump(mode="json")
    data.update(values)
    data["consent_recorded_at"] = before.model_dump(mode="json")["consent_recorded_at"]
    person = PersonReceived.model_validate(data)
    if person.consent is before.consent:
        return person
    return person.model_copy(update=_decided(person.consent, now))


_TIMED: dict[BoardStep, tuple[str, str | None]] = {
    BoardStep.ARRIVED: ("arrived_at", None), BoardStep.WELFARE: ("welfare_given_at", None),
    BoardStep.MEDICAL: ("medical_triage_at", "medical_triage_needed"),
    BoardStep.INTERPRETER: ("interpreter_provided_at", "interpreter_needed"),
    BoardStep.MASH: ("mash_referred_at", None),
    BoardStep.NRM_EXPLAINED: ("nrm_explained_at", None),
    BoardStep.SALVATION_ARMY: ("salvation_army_referred_at", "wants_support"),
    BoardStep.LEFT: ("departed_at", None),
}
"""Steps recorded by a time: the time field, and the "needed" flag a tap also sets."""

_OPTIONAL: dict[BoardStep, str] = {
    BoardStep.MEDICAL: "medical_triage_needed",
    BoardStep.INTERPRETER: "interpreter_needed",
    BoardStep.SALVATION_ARMY: "wants_support",
    BoardStep.ACCOMMODATION: "accommodation_needed",
}
"""Steps that may be marked not needed, and the flag that says so."""


def _aware(moment: datetime) -> datetime:
    """``moment`` with its zone (a time with none is the laptop's local time)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _later(moment: datetime, than: datetime) -> bool:
    """True if ``moment`` is after ``than`` (at the same time is not later)."""
    return _aware(moment) > _aware(than)


def _time_text(moment: datetime, beside: datetime) -> str:
    """``moment`` as the board shows times (10:05), with its day when that differs from the
    day of ``beside``, and its seconds when both read the same minute (10:05:40)."""
    shown = f"{moment:%H:%M}"
    if moment != beside and shown == f"{beside:%H:%M}":
        shown = f"{moment:%H:%M:%S}"
    if moment.date() == beside.date():
        return shown
    return f"{shown} on {moment.day} {moment:%B}"


def _done(value: object, *, needed: bool | None = True) -> StepStatus:
    if needed is False:
        return StepStatus.NOT_NEEDED
    return StepStatus.DONE if value is not None else StepStatus.WAITING


def _wrong_form_message(expected: ReferralForm) -> str:
    if expected is ReferralForm.NRM:
        return (
            "An NRM referral is needed (a child, or an adult who consented), "
            "not a Duty to Notify"
        )
    return "A Duty to Notify is needed (an adult who did not consent), not an NRM referral"


class InterpreterBooking(FormSection):
    """Interpreters for one language at the centre."""

    model_config = ConfigDict(title="Interpreter")  # one entry of a list

    language: LanguageCode | None = Field(None, title="Interpreter language")
    count: int = Field(1, ge=0, title="Number of interpreters")
    present: bool = Field(False, title="Interpreter present")


class ReceptionCentre(Form):
    """One reception centre: where, who, its set-up checklist and the people received."""

    KIND: ClassVar[str] = "reception"

    operation: str = Field("", title="Operation name")
    venue: str = Field("", title="Venue")
    held_on: date | None = Field(None, title="Date")
    lead_agency: Agency | None = Field(None, title="Lead agency")
    agencies_present: list[Agency] = Field(default_factory=list, title="Agencies present")
    interpreters: list[InterpreterBooking] = Field(default_factory=list, title="Interpreters")
    setup_ticked: list[str] = Field(default_factory=list, title="Set-up checklist items done")
    people: list[PersonReceived] = Field(default_factory=list, title="People received")

    @field_validator("people")
    @classmethod
    def _references_are_unique(cls, people: list[PersonReceived]) -> list[PersonReceived]:
        seen: set[str] = set()
        for person in people:
            if person.reference and person.reference in seen:
                raise ValueError("need a different reference each (one is used twice)")
            seen.add(person.reference)
        return people

    def next_reference(self) -> str:
        """A suggested reference for the next person: R001, R002, ..."""
        taken = {person.reference for person in self.people}
        number = len(self.people) + 1
        while f"R{number:03d}" in taken:
            number += 1
        return f"R{number:03d}"

    def check_new_reference(self, reference: str) -> str:
        """``reference`` tidied, or ValueError naming what is wrong with it."""
        reference = " ".join(reference.split())
        if not reference:
            raise ValueError("Reference: a reference is needed (no name is needed).")
        taken = next((person.reference for person in self.people
                      if person.reference.casefold() == reference.casefold()), None)
        if taken is not None:  # "n1" and "N1" read out at a busy centre are one person
            raise ValueError(f"Reference: {taken} is already on the board.")
        return reference

    def received(self) -> list[PersonReceived]:
        """The people received: everyone on the board but a reference registered by mistake."""
        return [person for person in self.people if not person.no_one]

    def person(self, reference: str) -> PersonReceived:
        """The person received with ``reference``."""
        for person in self.people:
            if person.reference == reference:
                return person
        raise KeyError(reference)

    def to_arrange(self, as_of: date) -> list[str]:
        """What the people still at the centre need and the set-up does not record, in plain
        words: an interpreter for a language someone needs (none booked for it), and
        children's services while a child, or possibly a child, is here and they are not
        recorded as present. Prompts for the coordinator, never refusals."""
        here = [person for person in self.received() if person.departed_at is None]
        booked = {booking.language for booking in self.interpreters if booking.count > 0}
        needs: dict[str, list[str]] = {}
        for person in here:
            if person.interpreter_needed and person.language and person.language not in booked:
                needs.setdefault(person.language, []).append(person.reference)
        prompts = [f"{_language(code)} interpreter needed ({_some(refs)}): none is booked in "
                   "the set-up" for code, refs in needs.items()]
        children = [person for person in here if person.obligations(as_of).treated_as_child]
        if children and Agency.CHILDRENS_SERVICES not in self.agencies_present:
            unreferred = any(person.mash_referred_at is None for person in children)
            prompts.append(
                f"A child, or possibly a child, is here "
                f"({_some([person.reference for person in children])}): children's services "
                "are not recorded as present" + ("; call the MASH" if unreferred else ""))
        return prompts

    def ready_problems(self, as_of: date | None = None) -> list[FieldProblem]:
        """Everything missing before the centre's record can be marked ready (closed)."""
        problems = Problems()
        problems.need("operation", self.operation, "Operation name is needed")
        problems.need("venue", self.venue, "Venue is needed")
        problems.need("held_on", self.held_on, "Date of the reception centre is needed")
        problems.need("lead_agency", self.lead_agency, "Lead agency is needed")
        when = as_of or self.held_on
        if when is not None:
            for index, person in enumerate(self.people):
                inner = person.ready_problems(when)
                label = person.reference or f"person {index + 1}"
                problems.nested(f"people.{index}", [
                    FieldProblem(p.field, f"{label}: {p.message}") for p in inner
                ])
        return problems


def reference_key(reference: str) -> str:
    """A person's reference as boards and cases are matched by (``r 1`` is ``R 1``)."""
    return " ".join(reference.split()).casefold()


def mistaken_references(centres: Iterable[ReceptionCentre]) -> set[str]:
    """The references (:func:`reference_key`) registered by mistake on these boards and
    received on none of them: registering made the case's person too, who is no one (the
    caller also leaves out a person any form names)."""
    mistaken: set[str] = set()
    received: set[str] = set()
    for centre in centres:
        for person in centre.people:
            (mistaken if person.no_one else received).add(
                reference_key(person.reference))
    return mistaken - received


def _language(code: str) -> str:
    try:
        return language_name(code)
    except KeyError:
        return code


def _some(references: list[str], shown: int = 4) -> str:
    """``R001, R002, R003, R004 and 6 more``: a prompt stays one line on the board."""
    if len(references) <= shown:
        return ", ".join(references)
    return f"{', '.join(references[:shown])} and {len(references) - shown} more"
