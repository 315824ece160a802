"""The visit report: the premises and the visit record, the contemporaneous notes in the order
they were written (a corrected entry struck through but readable, its correction showing the
original above the new text, both with their times), and the exhibits with their SHA-256."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from fieldkit.notes import corrections_of, written_after
from fieldkit.pdf import values as v
from fieldkit.pdf.layout import (
    Paragraph,
    build_pdf,
    bullet_list,
    content_width,
    field_table,
    grid,
    styles,
    text,
    title_block,
)
from fieldkit.pdf.layout import section_flowables as section
from fieldkit.records import Exhibit, NoteEntry, Visit
from forms import PremisesVisit

SECTIONS = (
    "Premises",
    "The visit plan",
    "The visit",
    "Indicators seen",
    "Actions taken",
    "Contemporaneous notes",
    "Exhibits",
)
"""The section headings of the report, in order."""


def visit_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Visit report {case_reference}"


def render_visit_report(
    case_reference: str,
    *,
    visit: Visit | None = None,
    form: PremisesVisit | None = None,
    notes: Sequence[NoteEntry] = (),
    exhibits: Sequence[Exhibit] = (),
) -> bytes:
    """A premises visit as PDF bytes, from the visit record, its visit form, its notes and the
    exhibits captured on it (any of which may be missing)."""
    form = form or PremisesVisit()
    lines = [f"Visit recorded {v.stamp_text(visit.created_at)}"] if visit else []
    story: list[Flowable] = title_block("Premises visit report", case_reference, lines)
    bodies: list[list[Flowable]] = [
        [_premises(visit, form)],
        _plan(form),
        [_visit(form)],
        bullet_list(v.item_text(i) for i in form.indicators_ticked),
        _actions(form),
        notes_table(notes, written_after(list(notes), form.ended_at)),
        exhibits_table(exhibits),
    ]
    for title, body in zip(SECTIONS, bodies, strict=True):
        story += section(title, body)
    return build_pdf(story, title=visit_title(case_reference), case_reference=case_reference)


def _premises(visit: Visit | None, form: PremisesVisit) -> Flowable:
    premises = form.premises
    return field_table([
        ("Premises name", premises.name or (visit.premises_name if visit else "")),
        ("Address", premises.address or (visit.address if visit else "")),
        ("Postcode", premises.postcode),
        ("Type of business", v.choice(premises.business_type)),
    ])


def _plan(form: PremisesVisit) -> list[Flowable]:
    plan = form.plan
    story: list[Flowable] = [field_table([
        ("Planned date and time", v.moment(plan.planned_for)),
        ("Risk rating", v.choice(plan.risk_rating)),
        ("Reasons for the risk rating", plan.risk_reasons),
        ("Interpreters booked (languages)", v.languages(plan.interpreter_languages)),
        ("Briefing notes", plan.briefing_notes),
    ])]
    if plan.partners:
        width = content_width()
        rows = [[v.choice(p.agency), p.contact_name, p.contact_phone] for p in plan.partners]
        story.append(grid(["Partner agency", "Contact", "Phone"], rows,
                          [width * 0.4, width * 0.35, width * 0.25]))
    return story


def _visit(form: PremisesVisit) -> Flowable:
    return field_table([
        ("Start", v.moment(form.started_at)), ("End", v.moment(form.ended_at)),
        ("Lead officer", form.lead_officer),
        ("Officers present", v.joined(form.officers_present)),
        ("Agencies present", v.joined([v.choices(form.agencies_present),
                                       *form.other_agencies])),
        ("Police force present", form.police_force),
        ("Police reference", form.police_reference),
        ("Safety notes", form.safety_notes), ("Risk notes", form.risk_notes),
        ("Workers seen", _count(form.workers_seen)),
        ("Workers spoken to", _count(form.workers_spoken_to)),
        ("Workers of concern", _count(form.workers_of_concern)),
    ])


def _count(value: int | None) -> str:
    """A count as printed: blank (shown "Not recorded") until a number is entered; 0 is 0."""
    return "" if value is None else str(value)


def _actions(form: PremisesVisit) -> list[Flowable]:
    if not form.actions:
        return bullet_list([], empty="No actions recorded.")
    width = content_width()
    ordered = sorted(form.actions, key=lambda a: (a.at is None, a.at))
    rows = [[v.moment(a.at), v.choice(a.action), a.details]
            for a in ordered]
    return [grid(["Time", "Action", "Details"], rows, [width * 0.24, width * 0.3, width * 0.46])]


def notes_table(notes: Sequence[NoteEntry], later: set[str] | None = None) -> list[Flowable]:
    """The notes in the order written. An entry that was corrected stays readable, struck
    through, with every entry that corrected it and when; a correction shows the original above
    its text. An entry can be both (a correction later corrected): it shows both. An entry in
    ``later`` (written after the visit ended) says so."""
    if not notes:
        return bullet_list([], empty="No notes recorded.")
    written_up = later
    s = styles()
    by_id = {entry.id: entry for entry in notes}
    corrected_by = corrections_of(list(notes))
    rows: list[list[str | Paragraph]] = []
    for entry in sorted(notes, key=lambda e: e.seq):
        parts: list[str] = []
        later_ones = corrected_by.get(entry.id, [])
        original = by_id.get(entry.corrects) if entry.corrects else None
        if original is not None:
            parts.append(_remark(f"Correction of entry {original.seq}, written "
                                 f"{v.stamp_text(original.written_at)}. It read:"))
            parts.append(f'<font color="#52606d"><strike>{text(original.text)}</strike></font>')
            parts.append(_remark("Corrected to:"))
        elif entry.corrects:  # the original is not in this list
            parts.append(_remark("Correction of an earlier entry."))
        if entry.id in (written_up or ()):
            parts.append(_remark("Written after the visit ended."))
        parts.append(f"<strike>{text(entry.text)}</strike>" if later_ones else
                     text(entry.text))
        if later_ones:
            parts.append(_remark(_corrected_by(later_ones)))
        rows.append([str(entry.seq), v.stamp_text(entry.written_at), entry.author,
                     Paragraph("<br/>".join(parts), s.cell)])
    width = content_width()
    return [grid(["No.", "Written (UTC)", "By", "Entry"], rows,
                 [width * f for f in (0.05, 0.18, 0.13, 0.64)])]


def _corrected_by(later: Sequence[NoteEntry]) -> str:
    """"Corrected by entry 4, written ..." or, corrected more than once, every correction."""
    if len(later) == 1:
        return f"Corrected by entry {later[0].seq}, written {v.stamp_text(later[0].written_at)}."
    each = "; ".join(f"entry {e.seq} written {v.stamp_text(e.written_at)}" for e in later)
    return f"Corrected by entries {v.numbers(e.seq for e in later)}: {each}."


def _remark(words: str) -> str:
    return f'<font size="7.5" color="#52606d"><i>{text(words)}</i></font>'


def exhibits_table(exhibits: Sequence[Exhibit]) -> list[Flowable]:
    """The exhibits in number order with the SHA-256 taken at capture."""
    if not exhibits:
        return bullet_list([], empty="No exhibits captured.")
    s = styles()
    rows: list[list[str | Paragraph]] = []
    for item in sorted(exhibits, key=lambda e: (e.captured_at, e.exhibit_ref)):
        what = f"{text(item.filename)}<br/>{text(item.description)}" if item.description else \
            text(item.filename)
        if item.sensitive:
            what += "<br/><b>Sensitive</b>"
        rows.append([item.exhibit_ref, Paragraph(what, s.cell), v.stamp_text(item.captured_at),
                     Paragraph(item.sha256, s.mono)])
    width = content_width()
    return [grid(["Ref", "File and description", "Captured (UTC)", "SHA-256"], rows,
                 [width * f for f in (0.08, 0.22, 0.14, 0.56)])]
