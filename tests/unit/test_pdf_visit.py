"""The visit report: premises, notes in the order written, a correction beside its struck-through
original with both times, and every exhibit with its SHA-256."""

from __future__ import annotations

import re

from fieldkit import cases, documents, exhibits, notes
from fieldkit.demo import demo_photo
from fieldkit.pdf import render_visit, render_visit_report
from fieldkit.pdf.values import stamp_text
from fieldkit.pdf.visit import SECTIONS
from fieldkit.store import Store
from tests.unit.test_pdf_tools import (
    assert_page_furniture,
    content_streams,
    pdf_text,
    qpdf_check,
)

ORIGINAL = "Two women working at the front desk & one <in the back room>."
CORRECTION = "Three women working at the front desk; one in the back room."


def _visit_with_notes(store: Store) -> tuple[str, str, list[notes.NoteEntry]]:
    case = cases.create_case(store, "Operation Bluebell")
    visit = cases.create_visit(store, case.id, "Glow Nails", "5 Sample Parade, Testville")
    first = notes.add_note(store, visit.id, "09:58 Arrived; shop open, music loud.")
    wrong = notes.add_note(store, visit.id, ORIGINAL)
    notes.add_note(store, visit.id, "10:12 Manager says staff are 'family'.")
    fixed = notes.correct_note(store, wrong.id, CORRECTION)
    exhibits.add_exhibit(store, case.id, demo_photo(), "front-desk.png", visit_id=visit.id,
                         description="Front desk rota", sensitive=True)
    documents.save_document(store, case.id, "visit", {
        "premises": {"name": "Glow Nails", "address": "5 Sample Parade, Testville",
                     "business_type": "nail_bar"},
        "lead_officer": "Officer Test", "workers_seen": 3,
        "indicators_ticked": ["general.isolation"],
    }, visit_id=visit.id)
    return case.reference, visit.id, [first, wrong, fixed]


def test_visit_report_shows_a_correction_beside_its_struck_through_original(
    store: Store,
) -> None:
    reference, visit_id, (first, wrong, fixed) = _visit_with_notes(store)
    name, pdf = render_visit(store, visit_id)
    assert name == f"{reference}-visit-1.pdf"
    qpdf_check(pdf)
    assert_page_furniture(pdf, reference)
    text = pdf_text(pdf)
    for heading in SECTIONS:
        assert heading in text, heading
    assert text.count(ORIGINAL) == 2  # struck through in place, and above its correction
    assert CORRECTION in text
    assert f"Corrected by entry {fixed.seq}, written {stamp_text(fixed.written_at)}" in text
    assert f"Correction of entry {wrong.seq}, written {stamp_text(wrong.written_at)}" in text
    assert text.index(first.text) < text.index(ORIGINAL) < text.index("'family'") < text.index(
        CORRECTION)
    for value in ("Glow Nails", "Nail bar", "Officer Test", "Isolated; someone else in control",
                  "OT/1", "front-desk.png", "Front desk rota", "Sensitive"):
        assert value in text, value


def test_the_strike_through_is_drawn_over_the_original(store: Store) -> None:
    _reference, visit_id, _entries = _visit_with_notes(store)
    drawn = content_streams(render_visit(store, visit_id)[1])
    # reportlab draws a strike as a stroked line ("x y m x y l S") just before the text it
    # crosses: the original's first words, once in place and once above its correction
    struck = re.findall(rb"m [\d.]+ [\d.]+ l S\s*BT [^\n]*?\((Two women[^)]*)\)", drawn)
    assert len(struck) == 2


def test_exhibit_hashes_are_printed_whole(store: Store) -> None:
    _reference, visit_id, _entries = _visit_with_notes(store)
    case_id = cases.get_visit(store, visit_id).case_id
    digest = exhibits.list_exhibits(store, case_id)[0].sha256
    assert digest in pdf_text(render_visit(store, visit_id)[1])


def test_a_visit_form_alone_renders_without_notes_or_exhibits() -> None:
    pdf = render_visit_report("FK-2026-0007")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "No notes recorded." in text and "No exhibits captured." in text


def test_worker_counts_not_entered_print_as_not_recorded(store: Store) -> None:
    """A count left blank is "Not recorded" on the report, never 0; a 0 entered prints 0."""
    from fieldkit.pdf.layout import NOT_RECORDED
    from forms import PremisesVisit

    blank = pdf_text(render_visit_report("FK-2026-0001", form=PremisesVisit(workers_seen=0)))
    assert re.search(r"Workers seen\s+0\b", blank)
    assert re.search(rf"Workers spoken to\s+{NOT_RECORDED}", blank)
    assert re.search(rf"Workers of concern\s+{NOT_RECORDED}", blank)
