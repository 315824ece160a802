"""The schedule of notes and exhibits: what an officer's record of a case consists of, listed
for disclosure (CPIA 1996). Every note entry with its corrections, every exhibit with its
SHA-256 and who captured it, every form version, and the audit trail's head at printing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from fieldkit.notes import corrections_of
from fieldkit.pdf import values as v
from fieldkit.pdf.layout import (
    Paragraph,
    build_pdf,
    bullet_list,
    content_width,
    grid,
    para,
    styles,
    text,
    title_block,
)
from fieldkit.pdf.layout import section_flowables as section
from fieldkit.records import Exhibit, NoteEntry, Visit
from forms.kinds import KIND_TITLES

SECTIONS = ("Notes", "Exhibits", "Form versions", "Audit trail")
"""The section headings of the schedule, in order."""


@dataclass(frozen=True)
class FormVersionLine:
    """One saved version of a form, as the schedule lists it."""

    kind: str
    document_number: int
    version: int
    saved_at: str
    status: str
    withdrawn: bool


@dataclass(frozen=True)
class ScheduleContent:
    """Everything the schedule lists, read from the store by the caller."""

    case_reference: str
    case_title: str
    visits: Sequence[Visit]
    notes: Sequence[NoteEntry]
    exhibits: Sequence[Exhibit]
    captured_by: dict[str, str]  # exhibit id -> who captured it
    forms: Sequence[FormVersionLine]
    audit_seq: int
    audit_hash: str
    printed_at: str


def schedule_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Schedule of notes and exhibits {case_reference}"


def render_schedule(content: ScheduleContent) -> bytes:
    """The schedule as PDF bytes (landscape: the hashes need the width)."""
    lines = [f"Printed {v.stamp_text(content.printed_at)}",
             f"{_count(len(content.notes), 'note entry', 'note entries')}, "
             f"{_count(len(content.exhibits), 'exhibit', 'exhibits')}, "
             f"{_count(len(content.forms), 'form version', 'form versions')}"]
    story: list[Flowable] = title_block("Schedule of notes and exhibits",
                                        content.case_reference, lines)
    story += section(SECTIONS[0], _notes(content))
    story += section(SECTIONS[1], _exhibits(content))
    story += section(SECTIONS[2], _forms(content.forms))
    story += section(SECTIONS[3], [
        para("This schedule was printed from fieldkit's encrypted store. At the time of "
             "printing the store's audit trail was whole up to event "
             f"{content.audit_seq}, whose hash is:"),
        Spacer(1, 4),
        Paragraph(text(content.audit_hash), styles().mono),
    ])
    return build_pdf(story, title=schedule_title(content.case_reference),
                     case_reference=content.case_reference, wide=True)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _notes(content: ScheduleContent) -> list[Flowable]:
    if not content.notes:
        return bullet_list([], empty="No notes recorded.")
    premises = {visit.id: visit.premises_name for visit in content.visits}
    corrected_by = corrections_of(list(content.notes))
    seq_of = {n.id: n.seq for n in content.notes}
    rows: list[list[str | Paragraph]] = []
    s = styles()
    for entry in sorted(content.notes, key=lambda n: (n.visit_id, n.seq)):
        words = text(entry.text)
        later = corrected_by.get(entry.id, [])
        if later:
            words = f"<strike>{words}</strike>"
        remarks = []
        if later:
            entries = "entry" if len(later) == 1 else "entries"
            remarks.append(f"Corrected by {entries} {v.numbers(n.seq for n in later)}")
        if entry.corrects:
            remarks.append(f"Corrects entry {seq_of.get(entry.corrects, '?')}")
        rows.append([str(entry.seq), premises.get(entry.visit_id, ""),
                     v.stamp_text(entry.written_at), entry.author, Paragraph(words, s.cell),
                     "; ".join(remarks) or "None"])
    width = content_width(wide=True)
    return [grid(["No.", "Visit", "Written (UTC)", "Author", "Entry", "Corrections"], rows,
                 [width * f for f in (0.04, 0.13, 0.14, 0.11, 0.43, 0.15)])]


def _exhibits(content: ScheduleContent) -> list[Flowable]:
    if not content.exhibits:
        return bullet_list([], empty="No exhibits captured.")
    s = styles()
    rows: list[list[str | Paragraph]] = []
    for item in content.exhibits:
        rows.append([item.exhibit_ref, item.description or "(no description)",
                     content.captured_by.get(item.id, ""), v.stamp_text(item.captured_at),
                     Paragraph(item.sha256, s.mono), "Sensitive" if item.sensitive else "No"])
    width = content_width(wide=True)
    return [grid(["Ref", "Description", "Captured by", "Captured (UTC)", "SHA-256",
                  "Sensitive"], rows,
                 [width * f for f in (0.06, 0.22, 0.12, 0.14, 0.38, 0.08)])]


def _forms(forms: Sequence[FormVersionLine]) -> list[Flowable]:
    if not forms:
        return bullet_list([], empty="No forms saved.")
    newest: dict[tuple[str, int], int] = {}
    for f in forms:
        key = (f.kind, f.document_number)
        newest[key] = max(newest.get(key, 0), f.version)

    def note(f: FormVersionLine) -> str:  # only a form's newest version is current
        if f.version < newest[(f.kind, f.document_number)]:
            return f"Earlier version (kept; version {newest[(f.kind, f.document_number)]} " \
                   "is newer)"
        return "Withdrawn (kept, not sent)" if f.withdrawn else "Current"

    rows: list[list[str | Paragraph]] = [
        [f"{KIND_TITLES.get(f.kind, f.kind)} {f.document_number}", str(f.version),
         v.stamp_text(f.saved_at), "Ready" if f.status == "ready" else "Draft", note(f)]
        for f in forms
    ]
    width = content_width(wide=True)
    return [grid(["Form", "Version", "Saved (UTC)", "Ready or draft", "Note"], rows,
                 [width * f for f in (0.3, 0.08, 0.22, 0.14, 0.26)])]
