"""The quarter's monitoring figures (Sandwell and Coventry plans) for the chosen quarter and the
four before it, counted from what officers sent and what the Lead recorded, with small-number
suppression: a count from 1 to 4 is withheld, and so is a second cell in any group with a total,
so the total cannot be used to work a withheld cell back. Referrals count only once made (see
:func:`referral_made`): a form the officer saved only as a draft is not a referral."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from fieldkit.errors import InvalidInput
from fieldkit.records import FormDocument
from fieldkit.store import Store
from forms import DutyToNotify, NrmReferral, PersonReceived, ReceptionCentre, Referral
from forms.choices import (
    ConsentDecision,
    ExploitationType,
    Gender,
    ReferralDestination,
    label,
)
from forms.countries import country_name
from forms.reception import ReferralForm, mistaken_references, reference_key
from sync.desk.received import (
    ReceivedCase,
    form_model,
    load_all,
    received_on,
    treated_as_child,
)
from sync.desk.tracker import EventKind, Outcome, latest, referrals_of
from sync.desk.tracker import events as referral_events

SMALLEST_SHOWN = 5
"""Counts from 1 to SMALLEST_SHOWN - 1 are withheld."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written ``2026Q4``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2026Q4``; a plain error otherwise."""
        found = re.fullmatch(r"(\d{4})[Qq]([1-4])", text.strip())
        if not found:
            raise InvalidInput(f"Quarter {text!r} is not like 2026Q4 (a year, Q, then 1 to 4).")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def before(self, count: int) -> Quarter:
        """The quarter ``count`` quarters earlier."""
        index = self.year * 4 + self.number - 1 - count
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass
class FigureGroup:
    """A block of figures. With ``has_total`` its last row is the total of the others."""

    key: str
    title: str
    rows: dict[str, list[int]]
    has_total: bool = False
    note: str = ""


@dataclass(frozen=True)
class Cell:
    """One figure as published: its true count and whether it is withheld (and why)."""

    count: int
    withheld: str = ""
    """'' shown; 'small' a count from 1 to 4; 'secondary' withheld to protect another cell."""


@dataclass
class QuarterFigures:
    """Every group of figures for five quarters, oldest first; the last is the quarter asked."""

    quarters: list[Quarter]
    groups: list[FigureGroup] = field(default_factory=list)

    def published(self, group: FigureGroup) -> dict[str, list[Cell]]:
        """The group's cells after suppression."""
        return suppress(group, len(self.quarters))


def suppress(group: FigureGroup, columns: int) -> dict[str, list[Cell]]:
    """Withhold counts from 1 to 4; where a group has a total, withhold more of its parts in a
    column (the smallest first) until what the withheld parts hold together is 5 or more, and
    never one alone, so the total never gives a withheld count away; with nothing left to
    withhold, the total is withheld."""
    names = list(group.rows)
    cells = {name: [Cell(c, "small" if 0 < c < SMALLEST_SHOWN else "")
                     for c in group.rows[name]] for name in names}
    if not group.has_total:
        return cells
    parts, total = names[:-1], names[-1]
    for column in range(columns):
        hidden = [p for p in parts if cells[p][column].withheld]
        if cells[total][column].withheld or not hidden:
            continue
        # The total less what is shown is what the withheld cells hold together: under 5, it
        # would give them away (adult 1, child 1 of a total 12 with 10 shown: each is 1).
        while sum(cells[p][column].count for p in hidden) < SMALLEST_SHOWN:
            shown = [p for p in parts if not cells[p][column].withheld
                     and cells[p][column].count > 0]
            if not shown:
                cells[total][column] = Cell(cells[total][column].count, "secondary")
                break
            pick = min(shown, key=lambda p: cells[p][column].count)
            cells[pick][column] = Cell(cells[pick][column].count, "secondary")
            hidden.append(pick)
    return cells


class _Counter:
    """Counts dated items into five quarters."""

    def __init__(self, quarters: list[Quarter]) -> None:
        self.index = {quarter: i for i, quarter in enumerate(quarters)}
        self.width = len(quarters)

    def rows(self, names: Iterable[str], items: Iterable[tuple[str, date]],
             *, total: bool = False) -> dict[str, list[int]]:
        rows = {name: [0] * self.width for name in names}
        for name, day in items:
            column = self.index.get(Quarter.of(day))
            if column is not None:
                rows.setdefault(name, [0] * self.width)[column] += 1
        if total:
            rows["Total"] = [sum(r[c] for r in rows.values()) for c in range(self.width)]
        return rows


@dataclass(frozen=True)
class _Referred:
    """A referral's facts for counting: when, route, age, gender, nationality, types."""

    day: date
    route: str
    gender: str
    nationality: str
    types: tuple[str, ...]


def referral_made(case: ReceivedCase, form: FormDocument) -> bool:
    """Whether a form counts in the quarter's figures as a referral (or notification) made:
    the officer marked it ready or, for an NRM referral or a Duty to Notify, the Lead recorded
    it as submitted (the officer's copy may still be a draft). A Duty to Notify the laptop sent
    after the person withdrew consent to an NRM the Lead had recorded as submitted counts too:
    that referral was made. A draft neither marked ready nor recorded as submitted is work in
    progress, not a referral; so is a draft record of a referral to another agency (the Lead
    records no submission of those). Whether an adult's NRM is a referral at all (their
    consent) :func:`_referred` decides."""
    if form.status == "ready":
        return True
    if form.kind == "nrm":
        return form.person_id in case.nrm_submitted
    if form.kind == "dtn":
        return form.person_id in case.dtn_submitted or form.person_id in case.nrm_submitted
    return False  # a referral to another agency: counted once the officer marks it ready


def _referred(case: ReceivedCase, board: list[BoardPerson]) -> Iterator[_Referred]:
    """The case's NRM referrals and Duty to Notify notifications made (:func:`referral_made`),
    each once, as the figures count them; then those only its reception boards record
    (:func:`_board_referrals`; ``board``: :func:`_board_people` of the case)."""
    from_forms = list(_form_referrals(case))
    yield from (referred for _, referred in from_forms)
    yield from _board_referrals(board, {person_id for person_id, _ in from_forms})


def _people_by_reference(case: ReceivedCase) -> dict[str, str]:
    return {person.reference: person.id for person in case.people}


BoardPerson = tuple[str, PersonReceived, date | None]
"""(case person id, the person as a reception board records them, the day it was held)."""


def _board_people(case: ReceivedCase) -> list[BoardPerson]:
    """Everyone on the case's reception boards, read once for both of the board's counts."""
    ids = _people_by_reference(case)
    return [(ids.get(person.reference, f"board:{person.reference}"), person, model.held_on)
            for model in (form_model(form) for form in case.forms if form.kind == "reception")
            if isinstance(model, ReceptionCentre) for person in model.received()]


def _registered_in_error(case: ReceivedCase) -> set[str]:
    """Ids of the case's people whose only trace is a reference registered by mistake on a
    reception board (:func:`forms.reception.mistaken_references`, as the officer's People tab
    marks them) and whom no form names: no one, never counted."""
    boards = [model for model in (form_model(f) for f in case.forms if f.kind == "reception")
              if isinstance(model, ReceptionCentre)]
    mistaken = mistaken_references(boards)
    with_forms = {form.person_id for form in case.forms}
    return {person.id for person in case.people
            if reference_key(person.reference) in mistaken and person.id not in with_forms}


def _board_referrals(board: list[BoardPerson], counted: set[str | None]
                     ) -> Iterator[_Referred]:
    """A referral the reception board records as made ("NRM or Duty to Notify completed" at a
    time) for someone with no NRM or Duty to Notify form counted: made by another first
    responder at the centre, or on paper, it is still a referral made. Counted on the day the
    board records; the board holds no nationality or exploitation type ("Not known", none)."""
    seen: set[str] = set()
    for person_id, person, held_on in board:
        done = person.referral_form_done_at
        if done is None or person.potential_victim is False or person_id in counted \
                or person_id in seen or person.referral_form is ReferralForm.NONE:
            continue
        seen.add(person_id)
        child = person.obligations(held_on or done.date()).treated_as_child
        route = ("Duty to Notify, adult" if person.referral_form is
                 ReferralForm.DUTY_TO_NOTIFY and not child else
                 "NRM referral, child" if child else "NRM referral, adult")
        yield _Referred(done.date(), route,
                        label(person.gender) if person.gender else "Not recorded",
                        "Not known", ())


def _board_mash(board: list[BoardPerson], referred: set[str | None]
                ) -> Iterator[tuple[str, date]]:
    """MASH referrals the reception board records (a time) for someone with no referral record
    to the MASH counted: counted under "Referrals made, by destination" as the records are."""
    seen: set[str] = set()
    for person_id, person, _ in board:
        if person.mash_referred_at is None or person_id in referred or person_id in seen:
            continue
        seen.add(person_id)
        yield label(ReferralDestination.MASH), person.mash_referred_at.date()


def _form_referrals(case: ReceivedCase) -> Iterator[tuple[str | None, _Referred]]:
    """(person id, referral) for each NRM or Duty to Notify form counted."""
    with_nrm = {form.person_id for form in case.forms if form.kind == "nrm"}
    for form in case.forms:
        if form.kind not in ("nrm", "dtn") or not referral_made(case, form):
            continue
        model = form_model(form)
        if isinstance(model, NrmReferral):
            who = model.potential_victim
            # As the rules treat them: under 18 by the date of birth or age recorded, or
            # possibly under 18 (not sure), is a child.
            child = treated_as_child(model, form)
            if not child and model.consent.decision is not ConsentDecision.GIVEN \
                    and form.person_id not in case.nrm_submitted:
                continue  # an adult's NRM without their consent is no referral (yet)
            route = "NRM referral, child" if child else "NRM referral, adult"
            yield form.person_id, _Referred(
                model.where_found.encountered_on or received_on(form.created_at),
                route, label(who.gender) if who.gender else "Not recorded",
                _nation(who.nationalities[0] if who.nationalities else None),
                tuple(t.value for t in model.exploitation.types))
        elif isinstance(model, DutyToNotify):
            if form.person_id in case.nrm_submitted and form.person_id in with_nrm:
                continue  # their NRM, still held, is counted
            # Consent withdrawn after the NRM was submitted: the referral was made (and stays
            # counted), whatever notice the laptop sent after.
            yield form.person_id, _notified(
                model, form, "NRM referral, adult" if form.person_id in case.nrm_submitted
                else "Duty to Notify, adult")
    for form in case.replaced_dtns.values():
        # Notified, then referred to the NRM once they consented: the notification was made,
        # and is counted beside the referral (counted above once it is made).
        model = form_model(form)
        if isinstance(model, DutyToNotify):
            yield form.person_id, _notified(model, form, "Duty to Notify, adult")


def _notified(model: DutyToNotify, form: FormDocument, route: str) -> _Referred:
    return _Referred(model.encountered_on or received_on(form.created_at), route,
                     label(model.gender) if model.gender else "Not recorded",
                     _nation(model.nationality),
                     tuple(t.value for t in model.exploitation_types))


def _nation(code: str | None) -> str:
    if not code:
        return "Not known"
    try:
        return country_name(code)
    except KeyError:
        return code


def quarter_figures(store: Store, quarter: Quarter) -> QuarterFigures:
    """The figures for ``quarter`` and the four before it."""
    quarters = [quarter.before(n) for n in range(4, -1, -1)]
    count = _Counter(quarters)
    cases = load_all(store)
    boards = [_board_people(case) for case in cases]
    referred = [r for case, board in zip(cases, boards, strict=True)
                for r in _referred(case, board)]
    figures = QuarterFigures(quarters)
    activity: list[tuple[str, date]] = []
    destinations: list[tuple[str, date]] = []
    for case, board in zip(cases, boards, strict=True):
        activity.append(("Concerns raised", received_on(case.case.created_at)))
        activity += [("Premises visits", received_on(v.created_at)) for v in case.visits]
        no_one = _registered_in_error(case)
        activity += [("People encountered", received_on(p.created_at))
                     for p in case.people if p.id not in no_one]
        to_mash: set[str | None] = set()  # people with a record of their MASH referral
        for form in case.forms:
            model = form_model(form)
            if isinstance(model, ReceptionCentre):
                activity.append(("Reception centres",
                                 model.held_on or received_on(form.created_at)))
            elif isinstance(model, Referral) and model.destination is not None \
                    and referral_made(case, form):
                made = model.made_at.date() if model.made_at else received_on(form.created_at)
                destinations.append((label(model.destination), made))
                if model.destination is ReferralDestination.MASH:
                    to_mash.add(form.person_id)
        destinations += _board_mash(board, to_mash)
    add = figures.groups.append
    add(FigureGroup("activity", "Concerns, visits and people", count.rows(
        ["Concerns raised", "Premises visits", "Reception centres", "People encountered"],
        activity)))
    add(FigureGroup("referrals", "NRM referrals and Duty to Notify notifications", count.rows(
        ["NRM referral, adult", "NRM referral, child", "Duty to Notify, adult"],
        [(r.route, r.day) for r in referred], total=True),
        has_total=True, note="A child is always referred to the NRM, never notified. Children "
        "are counted as the rules treat them: under 18 by the date of birth or age recorded, "
        "or possibly under 18. A form the officer saved only as a draft is not counted until "
        "it is marked ready or recorded as submitted."))
    add(FigureGroup("exploitation", "Exploitation types", count.rows(
        [label(t) for t in ExploitationType],
        [(label(ExploitationType(t)), r.day) for r in referred for t in r.types]),
        note="One person may have more than one type, so there is no total."))
    add(FigureGroup("nationality", "Nationality (first given)", count.rows(
        sorted({r.nationality for r in referred} | {"Not known"}),
        [(r.nationality, r.day) for r in referred], total=True), has_total=True))
    add(FigureGroup("gender", "Gender", count.rows(
        [label(g) for g in Gender] + ["Not recorded"], [(r.gender, r.day) for r in referred],
        total=True), has_total=True))
    add(FigureGroup("destinations", "Referrals made, by destination", count.rows(
        sorted({name for name, _ in destinations} | {"Other"}), destinations, total=True),
        has_total=True, note="A referral record the officer saved only as a draft is not "
        "counted until it is marked ready."))
    _decision_groups(store, cases, count, figures)
    return figures


def _decision_groups(store: Store, cases: list[ReceivedCase], count: _Counter,
                     figures: QuarterFigures) -> None:
    decided: dict[str, list[tuple[str, date]]] = {"rg": [], "cg": [], "recon": [], "serac": []}
    for case in cases:
        for found in referrals_of(case):
            now = latest(referral_events(store, found.case_id, found.person_id, found.route))
            for kind, key in ((EventKind.RG, "rg"), (EventKind.CG, "cg")):
                if kind in now:
                    decided[key].append((now[kind].outcome.value.capitalize(),
                                         now[kind].happened_on))
            if EventKind.RECONSIDERATION_REQUEST in now:
                decided["recon"].append(("Requested",
                                         now[EventKind.RECONSIDERATION_REQUEST].happened_on))
            outcome = now.get(EventKind.RECONSIDERATION_OUTCOME)
            if outcome is not None:
                word = "Decision changed" if outcome.outcome == Outcome.POSITIVE else "Upheld"
                decided["recon"].append((word, outcome.happened_on))
            if EventKind.SERAC in now:
                decided["serac"].append(("Discussed at SERAC", now[EventKind.SERAC].happened_on))
    add = figures.groups.append
    add(FigureGroup("serac", "SERAC discussions", count.rows(["Discussed at SERAC"],
                                                              decided["serac"])))
    add(FigureGroup("rg", "Reasonable grounds (RG) decisions", count.rows(
        ["Positive", "Negative"], decided["rg"], total=True), has_total=True))
    add(FigureGroup("cg", "Conclusive grounds (CG) decisions", count.rows(
        ["Positive", "Negative"], decided["cg"], total=True), has_total=True))
    add(FigureGroup("reconsideration", "Reconsiderations", count.rows(
        ["Requested", "Decision changed", "Upheld"], decided["recon"])))
