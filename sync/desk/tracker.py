"""The NRM tracker: the dates the Lead records for each referral (submitted, RG and CG decisions,
reconsideration, support ended, move-on) and what is due next, from ``resources/timelines.yaml``.

Every change is a new, audited row in an append-only table: a correction is a newer event of the
same kind, and the newest of each kind counts.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from fieldkit import clock
from fieldkit.clock import stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.records import FormDocument
from fieldkit.resources import Timeline, load_resources
from fieldkit.store import Store
from forms import NrmReferral
from forms.choices import ConsentDecision
from forms.rules import eighteenth_birthday
from forms.working_days import add_days
from sync.desk.received import (
    ReceivedCase,
    form_model,
    load_all,
    load_case,
    received_on,
    senders,
    treated_as_child,
)

RECOVERY_PERIOD = timedelta(days=30)
"""The least time between a positive reasonable grounds decision and the conclusive grounds
decision (the recovery period; 45 days before 2023)."""


class EventKind(StrEnum):
    """What the Lead records about a referral."""

    SUBMITTED = "submitted"
    RG = "rg"
    CG = "cg"
    RECONSIDERATION_REQUEST = "reconsideration_request"
    RECONSIDERATION_OUTCOME = "reconsideration_outcome"
    SUPPORT_ENDED = "support_ended"
    MOVE_ON = "move_on"
    SERAC = "serac"


class Outcome(StrEnum):
    """A decision's outcome; ``none`` for events that have none."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NONE = "none"


DECISIONS = frozenset({EventKind.RG, EventKind.CG, EventKind.RECONSIDERATION_OUTCOME})
"""The events that have a positive or negative outcome."""

EVENT_WORDS = {
    EventKind.SUBMITTED: "submitted", EventKind.RG: "reasonable grounds decision",
    EventKind.CG: "conclusive grounds decision",
    EventKind.RECONSIDERATION_REQUEST: "reconsideration requested",
    EventKind.RECONSIDERATION_OUTCOME: "reconsideration outcome",
    EventKind.SUPPORT_ENDED: "support ended", EventKind.MOVE_ON: "move-on",
    EventKind.SERAC: "discussed at SERAC",
}
"""Each event in plain words."""


WITHDRAWAL_DUE = ("Consent withdrawn after the NRM was submitted: send the NRM withdrawal "
                  "form to the Single Competent Authority (not a Duty to Notify), then record "
                  "support ended, since")
"""What is due when a person withdraws consent after their NRM referral was made (the item
reads with its date: '..., since 20 November 2026')."""

CHANGED_DUE = ("Answers changed after it was submitted: tell the Single Competent Authority "
               "(the Submitting tab names each change), then record the submission again, "
               "since")
"""What is due when the officer's form changes an answer of a referral already submitted:
the Home Office holds the earlier answers (the item reads with the day the change arrived)."""

NOT_SUBMITTED_DUE = "Received, not yet submitted to the Home Office, since"
"""A referral the officer sent that the Lead has not recorded as submitted (the item reads
with the day it was received); listed by :func:`sync.desk.submission.waiting_items`."""

ACTIONS = frozenset({"nrm_withdrawal", "adult_consent", "changed_after_submission",
                     "not_submitted"})
"""Due items that are something the Lead must do now, not dates (see :data:`WITHDRAWAL_DUE`,
:data:`ADULT_SINCE_DUE`)."""

ADULT_SINCE_DUE = ("Referred as a child, now recorded as an adult with no consent recorded: "
                   "ask the officer to record the adult's informed consent (or their refusal), "
                   "and tell the Single Competent Authority, since")
"""What is due when the officer's form, after the NRM referral was submitted as a child's,
records an adult (an age assessment, a date of birth corrected) without their consent: an
adult is referred only with it (the item reads with the day the form said so)."""


@dataclass(frozen=True)
class Referral:
    """An NRM referral or Duty to Notify received for one person."""

    case_id: str
    case_reference: str
    person_id: str
    person_reference: str
    route: str
    """``nrm`` or ``dtn`` (the form kind)."""
    child: bool
    received: date
    officer: str = ""
    """Who sent the case (case references are each laptop's own: two officers' cases may
    share one, so the Lead is shown whose it is); in the submissions list, with the laptop's
    name too when that officer sent from two (:func:`sync.desk.received.senders`)."""
    found_on: date | None = None
    """When the person was found, as the form says (nothing about them happens before)."""
    draft: bool = False
    """The officer saved it as a draft, not marked ready: the Lead checks with them first."""
    consent_given: bool = True
    """For an adult's NRM referral: the form records the adult's informed consent (a child
    needs none; a Duty to Notify none)."""
    withdrawn_after_submission: bool = False
    """The person withdrew consent after the Lead recorded their NRM as submitted: still an
    NRM referral (the officer's laptop sent a Duty to Notify), its withdrawal form due."""
    turns_18_on: date | None = None
    """A child's 18th birthday by the date of birth on the form (``None`` when not recorded):
    referred on or after it, they are an adult, and an adult needs to consent."""
    adult_consent: bool = False
    """The form records the person's informed consent to the NRM."""


@dataclass(frozen=True)
class RecordedEvent:
    """One version: an event the Lead recorded about a referral."""

    seq: int
    kind: EventKind
    outcome: Outcome
    happened_on: date
    reference: str
    recorded_at: str
    route: str = ""
    """``nrm`` or ``dtn``: the route of the referral it was recorded for."""


@dataclass(frozen=True)
class DueItem:
    """Something due for a referral: a decision expected, a deadline, a period ending."""

    due_on: date
    case_reference: str
    person_reference: str
    what: str
    timeline_id: str
    deadline: bool
    sent_by: str = ""
    """The officer who sent the case (and the laptop, when they use more than one): case
    references are each laptop's own, so two officers' FK-2026-0011 are told apart."""

    note: str = ""
    """Said after the date: working days counted past the bank holidays the council listed."""

    def what_on(self) -> str:
        """What is due with its date, as one phrase: ``RG decision expected by 9 December
        2026``."""
        return f"{self.what} {_day(self.due_on)}{self.note}"

    def overdue(self, today: date) -> bool:
        """A deadline whose date has passed with nothing recorded."""
        return self.deadline and self.due_on < today

    @property
    def to_act_on(self) -> bool:
        """A deadline, or something the Lead must do (the NRM withdrawal form); not a date
        only to know (the recovery period's end, the earliest CG)."""
        return self.deadline or self.timeline_id in ACTIONS

    def state(self, today: date) -> str:
        """In words: "OVERDUE" (a deadline gone by), "to do" (something the Lead must do now:
        the NRM withdrawal form), "date reached 12 days ago" (a date that is no deadline, such
        as the earliest date of a CG decision, has come: how long it has waited since) or
        "open"."""
        if self.overdue(today):
            return "OVERDUE"
        if self.timeline_id in ACTIONS:
            return "to do"
        if self.due_on < today:  # how long ago: a CG awaited for months is seen waiting
            return f"date reached {_days(today - self.due_on)} ago"
        return "open"


def referrals_of(case: ReceivedCase) -> list[Referral]:
    """The case's NRM referrals and Duty to Notify notices that name a person."""
    found = []
    for form in case.forms:
        if form.kind not in ("nrm", "dtn") or form.person_id is None:
            continue
        model = form_model(form)
        child = isinstance(model, NrmReferral) and treated_as_child(model, form)
        found_on = (model.where_found.encountered_on if isinstance(model, NrmReferral)
                    else getattr(model, "encountered_on", None))
        consented = not isinstance(model, NrmReferral) or child \
            or model.counted_decision() is ConsentDecision.GIVEN
        withdrawn = form.kind == "dtn" and form.person_id in case.nrm_submitted
        born = model.potential_victim.date_of_birth if isinstance(model, NrmReferral) else None
        found.append(Referral(case.case.id, case.case.reference, form.person_id,
                              case.person_reference(form.person_id),
                              "nrm" if withdrawn else form.kind, child,
                              received_on(form.updated_at), case.officer, found_on,
                              form.status != "ready", consented, withdrawn,
                              eighteenth_birthday(born) if child and born else None,
                              isinstance(model, NrmReferral)
                              and model.counted_decision() is ConsentDecision.GIVEN))
    return found


def referral(store: Store, case_id: str, person_reference: str) -> Referral:
    """The referral for one person of a case, or a plain error."""
    case = load_case(store, case_id)
    person = case.person(person_reference)
    for found in referrals_of(case):
        if found.person_id == person.id:
            return found
    raise NotFound(f"NRM referral or Duty to Notify for {person.reference} in case",
                   case.case.reference)


def events(store: Store, case_id: str, person_id: str,
           route: str | None = None) -> list[RecordedEvent]:
    """Every version recorded for a person's referral, oldest first; with ``route`` (``nrm``
    or ``dtn``), only those recorded for that route: a Duty to Notify recorded as submitted
    and later replaced by an NRM referral (the person consented since) is not the NRM's
    submission."""
    rows = store.conn.execute(
        "SELECT seq, kind, outcome, happened_on, reference, recorded_at, route "
        "FROM lead_referral_events "
        "WHERE case_id = ? AND person_id = ? AND (? IS NULL OR route = ?) ORDER BY seq",
        (case_id, person_id, route, route),
    ).fetchall()
    return [RecordedEvent(int(r[0]), EventKind(r[1]), Outcome(r[2]), date.fromisoformat(r[3]),
                          str(r[4]), str(r[5]), str(r[6])) for r in rows]


def latest(recorded: Iterable[RecordedEvent]) -> dict[EventKind, RecordedEvent]:
    """The newest version of each kind of event."""
    return {event.kind: event for event in recorded}


def _check(found: Referral, kind: EventKind, outcome: Outcome, on: date,
           so_far: dict[EventKind, RecordedEvent], today: date) -> None:
    if on > today:
        raise InvalidInput(f"The date {_day(on)} is in the future.")
    if kind in DECISIONS and outcome == Outcome.NONE:
        raise InvalidInput(f"A {EVENT_WORDS[kind]} needs its outcome: positive or negative.")
    if kind not in DECISIONS and outcome != Outcome.NONE:
        raise InvalidInput(f"'{EVENT_WORDS[kind]}' has no outcome (positive or negative): "
                           "record it without one.")
    if found.route == "dtn" and kind not in (EventKind.SUBMITTED, EventKind.SERAC):
        raise InvalidInput(f"{found.person_reference} has a Duty to Notify, not an NRM "
                           "referral: there are no NRM decisions to record.")
    if kind is EventKind.SUBMITTED and not found.consent_given:
        raise InvalidInput(
            f"{found.person_reference}'s NRM referral does not record their informed consent "
            "(an adult is referred only with their informed consent, given in a language they "
            "understand, through an interpreter where one is needed; without it, a Duty to "
            "Notify is made instead): ask the officer to record the consent, or the Duty to "
            "Notify, and send the case again.")
    if kind is EventKind.SUBMITTED and found.turns_18_on is not None \
            and on >= found.turns_18_on and not found.adult_consent:
        raise InvalidInput(
            f"{found.person_reference} turned 18 on {_day(found.turns_18_on)}, before this "
            "submission: they are referred as an adult now, and an adult is referred only with "
            "their informed consent. Ask the officer to record their consent (or, if they do "
            "not consent, a Duty to Notify) and send the case again.")
    _check_order(found, kind, on, so_far)
    submitted = so_far.get(EventKind.SUBMITTED)
    if kind not in (EventKind.SUBMITTED, EventKind.SERAC):
        if submitted is None:
            raise InvalidInput(f"Record the submission of {found.person_reference}'s referral "
                               "before any decision.")
        if on < submitted.happened_on:
            raise InvalidInput(f"The date {_day(on)} is before the referral was submitted "
                               f"({_day(submitted.happened_on)}).")
    if found.found_on is not None and on < found.found_on:
        raise InvalidInput(f"The date {_day(on)} is before {found.person_reference} was found "
                           f"({_day(found.found_on)}): check the date.")


def _check_order(found: Referral, kind: EventKind, on: date,
                 so_far: dict[EventKind, RecordedEvent]) -> None:
    """Decisions come in their order: a conclusive grounds decision follows a positive
    reasonable grounds decision (or one overturned on reconsideration), and a reconsideration
    outcome follows its request."""
    who = found.person_reference
    rg = so_far.get(EventKind.RG)
    if kind is EventKind.CG:
        overturned = so_far.get(EventKind.RECONSIDERATION_OUTCOME)
        positive = (rg is not None and rg.outcome == Outcome.POSITIVE) or (
            overturned is not None and overturned.outcome == Outcome.POSITIVE)
        if not positive:
            raise InvalidInput(f"Record {who}'s positive reasonable grounds decision first: a "
                               "conclusive grounds decision follows a positive RG decision.")
        if rg is not None and on < rg.happened_on:
            raise InvalidInput(f"The date {_day(on)} is before {who}'s reasonable grounds "
                               f"decision ({_day(rg.happened_on)}): check the date.")
        made = rg if rg is not None and rg.outcome == Outcome.POSITIVE else overturned
        if made is not None and on < made.happened_on + RECOVERY_PERIOD:
            raise InvalidInput(
                f"The date {_day(on)} is {_days(on - made.happened_on)} after {who}'s "
                f"positive reasonable grounds decision ({_day(made.happened_on)}): a conclusive "
                f"grounds decision comes at least {RECOVERY_PERIOD.days} days after it (the "
                "recovery period). Check the date.")
    if kind is EventKind.RECONSIDERATION_REQUEST:
        negative = [e for e in (rg, so_far.get(EventKind.CG))
                    if e is not None and e.outcome == Outcome.NEGATIVE]
        if not negative:
            raise InvalidInput(f"A reconsideration is asked for after a negative decision: "
                               f"record {who}'s negative reasonable grounds or conclusive "
                               "grounds decision first.")
        if on < max(e.happened_on for e in negative):
            raise InvalidInput(f"The date {_day(on)} is before the negative decision "
                               f"({_day(max(e.happened_on for e in negative))}): check the "
                               "date.")
    if kind is EventKind.RECONSIDERATION_OUTCOME:
        request = so_far.get(EventKind.RECONSIDERATION_REQUEST)
        if request is None:
            raise InvalidInput(f"Record the request for {who}'s reconsideration before its "
                               "outcome.")
        if on < request.happened_on:
            raise InvalidInput(f"The date {_day(on)} is before the reconsideration was asked "
                               f"for ({_day(request.happened_on)}): check the date.")


def _days(gap: timedelta) -> str:
    return "1 day" if gap.days == 1 else f"{gap.days} days"


def _day(on: date) -> str:
    """A date in words, as the Lead's desk shows every date (``3 December 2026``)."""
    return f"{on.day} {on:%B %Y}"


def check_event(store: Store, case_id: str, person_reference: str, kind: EventKind,
                outcome: Outcome, on: date) -> Referral:
    """Refuse what cannot be right about one event (a date in the future or before the person
    was found, a decision out of order), recording nothing; the referral it is about."""
    found = referral(store, case_id, person_reference)
    _check(found, kind, outcome, on,
           latest(events(store, case_id, found.person_id, found.route)),
           clock.today())
    return found


class AlreadyDecided(InvalidInput):
    """The decision is already recorded: another one corrects it (the Lead says so)."""


def record_event(
    store: Store, case_id: str, person_reference: str, kind: EventKind, outcome: Outcome,
    on: date, *, reference: str = "", correcting: bool = False,
) -> RecordedEvent:
    """Record one event as a new version (audited); refuses what cannot be right. A reasonable
    or conclusive grounds decision already recorded otherwise is recorded again only when
    ``correcting`` (a decision changed on reconsideration is a reconsideration outcome): the
    newest is the one counted, so a second one silently rewrote a quarter already reported."""
    found = check_event(store, case_id, person_reference, kind, outcome, on)
    if kind in (EventKind.RG, EventKind.CG) and not correcting:
        before = latest(events(store, case_id, found.person_id, found.route)).get(kind)
        if before is not None and (before.outcome, before.happened_on) != (outcome, on):
            raise AlreadyDecided(
                f"{found.person_reference}'s {EVENT_WORDS[kind]} is already recorded "
                f"({before.outcome.value}, {_day(before.happened_on)}). A decision changed on "
                "reconsideration is recorded as a reconsideration outcome; record this one "
                "only to correct a mistake (the first stays in the history).")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO lead_referral_events(case_id, person_id, route, kind, outcome, "
            "happened_on, reference, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, found.person_id, found.route, kind.value, outcome.value, on.isoformat(),
             reference, stamp()),
        )
        store.audit(f"lead.{kind.value}", "referral", f"{case_id}/{found.person_id}")
    return events(store, case_id, found.person_id, found.route)[-1]


def _tokens(recorded: list[RecordedEvent]) -> list[tuple[str, date]]:
    """What happened, as the timeline file names it: ``rg.negative``, ``cg``, ``move_on``..."""
    now = latest(recorded)
    found: list[tuple[str, date]] = []
    for kind, event in now.items():
        found.append((kind.value, event.happened_on))
        if event.outcome != Outcome.NONE:
            found.append((f"{kind.value}.{event.outcome.value}", event.happened_on))
    outcome = now.get(EventKind.RECONSIDERATION_OUTCOME)
    if outcome is not None and outcome.outcome == Outcome.POSITIVE:
        # A decision overturned on reconsideration counts as a positive decision of its kind:
        # the decision it was about, the last one made before it was asked for (a CG made
        # after an RG was overturned is not what was reconsidered).
        reconsidered = _reconsidered(now, outcome)
        if reconsidered is not None:
            found += [(reconsidered, outcome.happened_on),
                      (f"{reconsidered}.positive", outcome.happened_on)]
    return found


def _reconsidered(now: dict[EventKind, RecordedEvent], outcome: RecordedEvent) -> str | None:
    """``rg`` or ``cg``: the decision a reconsideration was about (None if neither is
    recorded before it)."""
    request = now.get(EventKind.RECONSIDERATION_REQUEST)
    asked_on = request.happened_on if request is not None else outcome.happened_on
    before = [(event.happened_on, kind is EventKind.CG, kind.value)
              for kind, event in now.items()
              if kind in (EventKind.RG, EventKind.CG) and event.happened_on <= asked_on]
    return max(before)[2] if before else None


def timeline_due(
    recorded: list[RecordedEvent], rules: Iterable[Timeline], bank_holidays: Collection[date],
) -> list[tuple[Timeline, date]]:
    """The open timelines of one referral and their dates: a rule whose latest start event has
    happened and no closing event on or after it."""
    tokens = _tokens(recorded)
    open_items = []
    for rule in rules:
        if rule.days is None or not rule.starts:
            continue
        starts = [on for name, on in tokens if name in rule.starts]
        if not starts:
            continue
        began = max(starts)
        if any(name in rule.closed_by and on >= began for name, on in tokens):
            continue
        due = add_days(began, rule.days, working=rule.working_days, bank_holidays=bank_holidays)
        open_items.append((rule, due))
    return open_items


def late_request(now: dict[EventKind, RecordedEvent], limit: int | None) -> str:
    """Said after a reconsideration request asked for later than ``limit`` days after the
    negative decision it is about (the Lead records it as it happened, and sees it was late)."""
    request = now.get(EventKind.RECONSIDERATION_REQUEST)
    if request is None or limit is None:
        return ""
    decided = [e.happened_on for e in (now.get(EventKind.RG), now.get(EventKind.CG))
               if e is not None and e.outcome == Outcome.NEGATIVE
               and e.happened_on <= request.happened_on]
    if not decided:
        return ""
    gap = (request.happened_on - max(decided)).days
    if gap <= limit:
        return ""
    return (f" ({gap} days after the negative decision: later than the {limit} days a "
            "reconsideration is asked for within)")


def holidays_note(rule: Timeline, due: date, known_until: int) -> str:
    """What a date counted in working days past the last year of the council's bank holidays
    says after it (nothing otherwise)."""
    if not rule.working_days or due.year <= known_until:
        return ""
    return (f" (counted without {due.year}'s bank holidays, not yet in the council's list: "
            "check the date)")


def as_submitted(store: Store, case: ReceivedCase, found: Referral,
                 submitted: RecordedEvent) -> tuple[FormDocument, dict[str, object]] | None:
    """The referral's form as received now, and its values as held when the submission was
    recorded (the newest version by the laptop's counter then); None if either is missing."""
    form = next((f for f, _ in case.forms_to_read()
                 if f.kind == found.route and f.person_id == found.person_id), None)
    if form is None:
        return None
    row = store.conn.execute(
        "SELECT r.data FROM lead_records r JOIN lead_bundles b ON b.bundle_id = r.bundle_id "
        "WHERE r.case_id = ? AND r.record_type = 'form' AND r.record_id = ? "
        "AND b.imported_at <= ? ORDER BY COALESCE(b.counter, 0) DESC, b.created_at DESC "
        "LIMIT 1", (case.case.id, form.id, submitted.recorded_at)).fetchone()
    return None if row is None else (form, json.loads(row[0])["data"])


def _changed_after(store: Store, case: ReceivedCase, found: Referral,
                   submitted: RecordedEvent) -> bool:
    """Whether the referral's form as received now differs from the version held when its
    submission was recorded: the Home Office has the earlier answers
    (``sync.desk.submission.changed_since_submitted`` names them)."""
    held = as_submitted(store, case, found, submitted)
    return held is not None and held[1] != json.loads(held[0].data)


def due_items(store: Store) -> list[DueItem]:
    """Everything due for every NRM referral the Lead holds, soonest first."""
    resources = load_resources()
    known_until = max((day.year for day in resources.bank_holidays), default=0)
    items = []
    every = load_all(store)
    sent_by = senders(store, every)
    for case in every:
        for found in referrals_of(case):
            if found.route != "nrm":
                continue
            recorded = events(store, found.case_id, found.person_id, found.route)
            if found.withdrawn_after_submission \
                    and EventKind.SUPPORT_ENDED not in latest(recorded):
                items.append(DueItem(found.received, found.case_reference,
                                     found.person_reference, WITHDRAWAL_DUE, "nrm_withdrawal",
                                     False, sent_by[found.case_id]))
            now = latest(recorded)
            if not (found.child or found.consent_given or found.withdrawn_after_submission) \
                    and EventKind.SUBMITTED in now and EventKind.SUPPORT_ENDED not in now:
                items.append(DueItem(found.received, found.case_reference,
                                     found.person_reference, ADULT_SINCE_DUE, "adult_consent",
                                     False, sent_by[found.case_id]))
            if EventKind.SUBMITTED in now and _changed_after(store, case, found,
                                                              now[EventKind.SUBMITTED]):
                items.append(DueItem(found.received, found.case_reference,
                                     found.person_reference, CHANGED_DUE,
                                     "changed_after_submission", False,
                                     sent_by[found.case_id]))
            for rule, due in timeline_due(recorded, resources.timelines.values(),
                                          resources.bank_holidays):
                note = holidays_note(rule, due, known_until)
                if rule.id == "reconsideration_outcome":
                    note += late_request(now, resources.timelines["reconsideration"].days)
                items.append(DueItem(due, found.case_reference, found.person_reference,
                                     rule.due or rule.event, rule.id, rule.deadline,
                                     sent_by[found.case_id], note))
    return sorted(items, key=lambda i: (i.due_on, i.case_reference, i.sent_by,
                                        i.person_reference))
