"""The reception-centre summary: the centre, then one row per person received with the status of
each step on the board (landscape, the header row repeated on every page), so anyone can see at
a glance who is waiting for what. Built for 200 people: status cells are plain strings, and
only user text goes through Paragraph."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from fieldkit.clock import utc_now
from fieldkit.pdf import values as v
from fieldkit.pdf.fonts import SANS, SANS_BOLD
from fieldkit.pdf.layout import (
    RULE,
    SHADE,
    WAITING,
    Paragraph,
    build_pdf,
    bullet_list,
    content_width,
    field_table,
    para,
    styles,
    text,
    title_block,
)
from fieldkit.pdf.layout import section_flowables as section
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from forms.choices import ConsentDecision
from forms.reception import ReferralForm
from forms.rules import AgeStatus, Route

SECTIONS = ("The centre", "Set-up checklist done", "Who is waiting for what", "The board",
            "People received", "Times of each step", "Screenings and welfare notes",
            "Property, documents and phones")
"""The section headings of the summary, in order."""

STEP_HEADERS: dict[BoardStep, str] = {
    BoardStep.ARRIVED: "Arrived", BoardStep.WELFARE: "Welfare", BoardStep.MEDICAL: "Medical",
    BoardStep.INTERPRETER: "Inter-<br/>preter", BoardStep.SCREENED: "Screened",
    BoardStep.MASH: "MASH", BoardStep.NRM_EXPLAINED: "NRM<br/>explained",
    BoardStep.CONSENT: "Consent", BoardStep.NRM_OR_DTN: "NRM or<br/>DtN",
    BoardStep.SALVATION_ARMY: "Salvation<br/>Army", BoardStep.ACCOMMODATION: "Accom-<br/>modation",
    BoardStep.PROPERTY: "Property", BoardStep.LEFT: "Left",
}
STATUS_TEXT = {StepStatus.DONE: "Done", StepStatus.WAITING: "WAITING", StepStatus.NOT_NEEDED: "–"}
AGE_TEXT = {AgeStatus.ADULT: "Adult", AgeStatus.CHILD: "Child",
            AgeStatus.POSSIBLY_CHILD: "Possibly a child"}
FORM_TEXT = {ReferralForm.NONE: "", ReferralForm.NRM: "NRM",
             ReferralForm.DUTY_TO_NOTIFY: "Duty to Notify"}


def _age_text(person: PersonReceived, when: date) -> str:
    """Adult, Child or Possibly a child; a disputed age says so, pending assessment (one
    estimated at 16, disputed, was printed "Child")."""
    if person.age_disputed:
        return "Possibly a child (age disputed)"
    return AGE_TEXT[person.age_status(when)]


def reception_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Reception centre summary {case_reference}"


@dataclass(frozen=True)
class PrintedFrom:
    """Which saved version of the board a printed summary shows, and when it was printed: two
    printouts handed round a centre are told apart (the one the sync sends has none)."""

    version: int
    at: datetime


def render_reception_summary(
    centre: ReceptionCentre, case_reference: str, *, as_of: date | None = None,
    printed: PrintedFrom | None = None,
) -> bytes:
    """The reception-centre summary as PDF bytes. ``as_of`` is the date the age rules are
    applied on (default: the day the centre was held, else today)."""
    when = as_of or centre.held_on or utc_now().date()
    people = centre.received()  # a reference registered by mistake is no one: named apart
    boards = [person.board(when) for person in people]
    lines = [_counts(people, when)]
    mistaken = [p.reference for p in centre.people if p.no_one]
    if mistaken:
        lines.append(f"Registered by mistake, not counted: {', '.join(mistaken)}.")
    doubted = [p.reference for p in centre.people if p.registered_in_error and not p.no_one]
    if doubted:  # a tick cannot hide a person: details were recorded for them
        lines.append("Ticked as registered by mistake, but details are recorded for them, so "
                     f"counted: {', '.join(doubted)}.")
    if printed is not None:
        lines.append(f"Printed {v.day(printed.at.date())} at {printed.at:%H:%M}, from version "
                     f"{printed.version} of the board: a later printout supersedes it.")
    lines.append("Board steps: Done; WAITING (still to do); – (not needed for this person).")
    story: list[Flowable] = title_block("Reception centre summary", case_reference, lines)
    bodies: list[list[Flowable]] = [
        [_centre(centre)],
        bullet_list((v.item_text(i) for i in centre.setup_ticked), empty="None ticked."),
        [para(_waiting_summary(people, boards)), para(_still_owed(people, when)),
         *_to_arrange(centre, when)],
        [board_table(people, boards, when)],
        [people_table(people, when)],
        [times_table(people, when)],
        _screenings(people, when),
        _property(people),
    ]
    for title, body in zip(SECTIONS, bodies, strict=True):
        story += section(title, body)
    return build_pdf(story, title=reception_title(case_reference),
                     case_reference=case_reference, wide=True)


def _to_arrange(centre: ReceptionCentre, when: date) -> list[Flowable]:
    """What the board says is still to arrange (an interpreter none is booked for, children's
    services): printed too (the summary left it out)."""
    prompts = centre.to_arrange(when)
    return bullet_list(f"Still to arrange: {prompt}." for prompt in prompts) if prompts else []


def _counts(people: list[PersonReceived], when: date) -> str:
    """How many were received, by age and by route, and how many left: the figures a
    coordinator reads out (the summary said only "9 people received")."""
    ages = Counter(person.age_status(when) for person in people)
    routes = Counter(person.obligations(when).route for person in people
                     if person.potential_victim is not False)
    forms = Counter(person.referral_form for person in people
                    if person.referral_form_done_at is not None)
    left = sum(1 for person in people if person.departed_at is not None)
    received = f"{len(people)} {'person' if len(people) == 1 else 'people'} received"
    by_age = ", ".join(_some(ages[status], *AGE_COUNT[status]) for status in AgeStatus
                       if ages[status]) or "none yet"
    return (f"{received}: {by_age}. Routes: NRM {routes[Route.NRM]}, Duty to Notify "
            f"{routes[Route.DUTY_TO_NOTIFY]}, not decided yet {routes[Route.UNDECIDED]}. "
            f"Made: NRM referrals {forms[ReferralForm.NRM]}, Duty to Notify "
            f"{forms[ReferralForm.DUTY_TO_NOTIFY]}. Left {left}.")


def _some(count: int, one: str, more: str) -> str:
    return f"{count} {one if count == 1 else more}"


AGE_COUNT = {AgeStatus.ADULT: ("adult", "adults"), AgeStatus.CHILD: ("child", "children"),
             AgeStatus.POSSIBLY_CHILD: ("possibly a child", "possibly children")}


def _still_owed(people: list[PersonReceived], when: date) -> str:
    """Who is still owed an NRM referral or a Duty to Notify, by reference (a duty that does
    not end when they leave), and whose route waits on their consent."""
    owed: dict[str, list[str]] = {"NRM referral": [], "Duty to Notify": [], "consent": []}
    for person in people:
        if BoardStep.NRM_OR_DTN not in person.waiting_for(when):
            continue
        route = person.obligations(when).route
        key = ("NRM referral" if route is Route.NRM else "Duty to Notify"
               if route is Route.DUTY_TO_NOTIFY else "consent")
        owed[key].append(person.reference or "–")
    said = [f"{what} for {', '.join(refs)}" for what, refs in owed.items()
            if refs and what != "consent"]
    if owed["consent"]:
        said.append(f"the route waits on the consent decision of {', '.join(owed['consent'])}")
    return ("Still to be made: " + "; ".join(said) + ".") if said else (
        "No NRM referral or Duty to Notify is still to be made.")


def _centre(centre: ReceptionCentre) -> Flowable:
    interpreters = [
        f"{v.language(b.language) or 'Language not set'} x{b.count}"
        f"{'' if b.present else ' (not yet present)'}" for b in centre.interpreters
    ]
    return field_table([
        ("Operation", centre.operation), ("Venue", centre.venue), ("Date", v.day(centre.held_on)),
        ("Lead agency", v.choice(centre.lead_agency)),
        ("Agencies present", v.choices(centre.agencies_present)),
        ("Interpreters", "; ".join(interpreters)),
    ], wide=True)


def _waiting_summary(people: list[PersonReceived],
                     boards: list[dict[BoardStep, StepStatus]]) -> str:
    """Who is waiting, by step, as the board counts them: someone who left waits only for
    what must still be done without them (:meth:`PersonReceived.waiting_for`); who is still
    at the centre and who left are counted apart (no one waits to leave)."""
    counts: Counter[BoardStep] = Counter(
        step for person, board in zip(people, boards, strict=True)
        for step in person.waiting_in(board))
    left = sum(person.departed_at is not None for person in people)
    here = f"Still at the centre: {len(people) - left}; left: {left}."
    if not counts:
        return "Nobody is waiting for any step. " + here
    parts = [f"{STEP_HEADERS[step].replace('-<br/>', '').replace('<br/>', ' ')}: {counts[step]}"
             for step in BoardStep if counts[step]]
    return "People waiting, by step: " + "; ".join(parts) + ". " + here


def board_table(
    people: list[PersonReceived], boards: list[dict[BoardStep, StepStatus]], when: date
) -> Table:
    """One row per person: reference, age status, each board step's status, steps waiting."""
    s = styles()
    width = content_width(wide=True)
    fixed = [width * 0.06, width * 0.07, width * 0.05]
    step_width = (width - sum(fixed)) / len(BoardStep)
    small = ParagraphStyle("board_header", s.cell_bold, fontSize=7, leading=8.5)
    cell = ParagraphStyle("board_cell", s.cell, fontSize=7.5, leading=9)
    header: list[Any] = [Paragraph("Ref", small), Paragraph("Adult or child", small)]
    header += [Paragraph(STEP_HEADERS[step], small) for step in BoardStep]
    header.append(Paragraph("Steps waiting", small))
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 1), (-1, -1), SANS), ("FONTSIZE", (0, 1), (-1, -1), 7.5),
        ("LEADING", (0, 1), (-1, -1), 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for row, (person, board) in enumerate(zip(people, boards, strict=True), start=1):
        line: list[Any] = [Paragraph(text(person.reference) or "–", s.cell),
                           Paragraph(_age_text(person, when), cell)]
        for column, step in enumerate(BoardStep, start=2):
            status = board[step]
            line.append(_step_text(person, step, status, when))
            if status is StepStatus.WAITING and not person.left_before(step, status):
                commands.append(("BACKGROUND", (column, row), (column, row), WAITING))
                commands.append(("FONTNAME", (column, row), (column, row), SANS_BOLD))
        line.append(str(len(person.waiting_in(board))))  # as the board counts (left: fewer)
        rows.append(line)
    table = Table(rows, colWidths=[*fixed[:2], *[step_width] * len(BoardStep), fixed[2]],
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _step_text(person: PersonReceived, step: BoardStep, status: StepStatus, when: date) -> str:
    """A board cell in words: consent given or refused, which form was made (or is due), a
    step the person left before (no longer waited for, as the board counts it)."""
    if person.left_before(step, status):
        return "Left before"
    if step is BoardStep.CONSENT and status is StepStatus.WAITING \
            and person.consent_not_informed() is not None:
        return "Ask again"  # given before it was informed: it does not count
    if step is BoardStep.CONSENT and status is StepStatus.DONE:
        return "Refused" if person.consent is ConsentDecision.REFUSED else "Given"
    if step is BoardStep.LEFT and status is StepStatus.WAITING:
        return "Still here"
    if step is BoardStep.NRM_OR_DTN:
        due = person.form_due_instead(when)
        if due is not None:
            return f"{'NRM' if due is ReferralForm.NRM else 'DtN'} due"
        if status is StepStatus.DONE:
            return "DtN" if person.referral_form is ReferralForm.DUTY_TO_NOTIFY else "NRM"
    return STATUS_TEXT[status]


def _consent(person: PersonReceived, when: date, s: Any) -> str | Paragraph:
    if not person.obligations(when).ask_consent:
        possibly = person.age_disputed or person.age_status(when) is AgeStatus.POSSIBLY_CHILD
        return "Not needed (possibly a child)" if possibly else "Not needed (child)"
    if person.consent_not_informed() is not None:  # the longer words wrap in the cell
        return Paragraph("Given before it was informed: ask again", s.cell)
    return v.choice(person.consent)


def people_table(people: list[PersonReceived], when: date) -> Table:
    """One row per person: language, consent, NRM or Duty to Notify, accommodation, where to."""
    s = styles()
    width = content_width(wide=True)
    header = ["Ref", "Language", "Consent to the NRM", "NRM or Duty to Notify",
              "Accommodation arranged", "Safe contact taken", "Onward destination", "Left (time)"]
    widths = [width * f for f in (0.07, 0.11, 0.11, 0.11, 0.18, 0.08, 0.22, 0.12)]
    rows: list[list[Any]] = [[Paragraph(h, s.cell_bold) for h in header]]
    for person in people:
        rows.append([
            Paragraph(text(person.reference) or "–", s.cell),
            Paragraph(text(v.language(person.language)), s.cell),
            _consent(person, when, s), FORM_TEXT[person.referral_form],
            Paragraph(text(person.accommodation_arranged), s.cell),
            v.yes_no(person.safe_contact_taken),
            Paragraph(text(person.onward_destination), s.cell), v.clock(person.departed_at, when),
        ])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 1), (-1, -1), SANS), ("FONTSIZE", (0, 1), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.25, RULE), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def times_table(people: list[PersonReceived], when: date | None = None) -> Table:
    """One row per person: gender, age as recorded, and the time each step was done, the
    consent decision's beside the NRM explained and the interpreter provided, so the record
    shows whether consent was informed (blank for a decision recorded before its time was
    kept). A time not on ``when`` (the centre's day) shows its date too."""
    width = content_width(wide=True)
    header = ["Ref", "Gender", "Estimated age", "Date of birth", "Separated from controllers",
              "Arrived", "Inter-<br/>preter provided", "Food, water and rest", "Medical triage",
              "MASH referral", "NRM explained", "Consent decision", "NRM or DtN made",
              "Salvation Army referral", "Accom-<br/>modation arranged"]
    rows: list[list[Any]] = [[Paragraph(h, _small_bold()) for h in header]]
    for person in people:
        rows.append([
            Paragraph(text(person.reference) or "–", styles().cell), v.choice(person.gender),
            "" if person.estimated_age is None else str(person.estimated_age),
            v.day(person.date_of_birth), v.yes_no(person.separated_from_controllers),
            *(v.clock(at, when) for at in (
                person.arrived_at, person.interpreter_provided_at, person.welfare_given_at,
                person.medical_triage_at, person.mash_referred_at, person.nrm_explained_at,
                person.consent_recorded_at, person.referral_form_done_at,
                person.salvation_army_referred_at, person.accommodation_arranged_at)),
        ])
    fixed = [0.05, 0.07, 0.07, 0.09, 0.08]
    rest = (1 - sum(fixed)) / (len(header) - len(fixed))
    return _plain_table(rows, [width * f for f in (*fixed, *[rest] * (len(header) - len(fixed)))])


def _screenings(people: list[PersonReceived], when: date | None = None) -> list[Flowable]:
    rows = [[person.reference, "Welfare", "", person.welfare_notes]
            for person in people if person.welfare_notes.strip()]
    rows += [[person.reference, v.choice(screening.agency) or "Not recorded",
              v.clock(screening.done_at, when),
              screening.notes] for person in people for screening in person.screenings]
    if not rows:
        return bullet_list([], empty="No screenings or welfare notes recorded.")
    width = content_width(wide=True)
    return [_text_table(["Ref", "Screening agency or welfare", "Time", "Notes"], rows,
                        [width * f for f in (0.07, 0.25, 0.08, 0.6)])]


def _property(people: list[PersonReceived]) -> list[Flowable]:
    rows = [[person.reference, item.description, v.yes_no(item.is_identity_document),
             v.choice(item.outcome), item.exhibit_reference]
            for person in people for item in person.property_items]
    logged = [person.reference for person in people
              if person.property_logged and not person.property_items]
    noted = [para("Property, documents and phones logged, no items listed: "
                  f"{', '.join(logged)}.")] if logged else []
    if not rows:
        return noted or bullet_list([], empty="No property recorded.")
    width = content_width(wide=True)
    return [_text_table(["Ref", "Item", "Identity document", "Kept or returned",
                         "Exhibit reference"], rows,
                        [width * f for f in (0.07, 0.45, 0.12, 0.2, 0.16)]), *noted]


def _small_bold() -> ParagraphStyle:
    return ParagraphStyle("times_header", styles().cell_bold, fontSize=7, leading=8.5)


def _text_table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    s = styles()
    cells: list[list[Any]] = [[Paragraph(h, s.cell_bold) for h in header]]
    cells += [[Paragraph(text(value), s.cell) for value in row] for row in rows]
    return _plain_table(cells, widths)


def _plain_table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 1), (-1, -1), SANS), ("FONTSIZE", (0, 1), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.25, RULE), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table
