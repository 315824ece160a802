"""PDF rendering, each against plain reportlab doing the same amount of layout, in the same run:

- ``nrm_pdf``: one NRM pack, against a reportlab document of the same number of pages of plain
  text (full pages of paragraphs) set in the same embedded faces (regular, bold, italic of the
  pack's sans family: a pack must embed a font that prints names in any script, so embedding
  is work both sides do). The same document in reportlab's standard Helvetica, which is never
  embedded, is timed too and reported in the details.
- ``reception_pdf_200``: the reception-centre summary for 200 people (the board, the people and
  the step-times tables), against plain reportlab tables of the same rows and columns (plain
  strings).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bench.harness import Result, interleaved, load_now, runs_at, scaled, timed, warmups_at

if TYPE_CHECKING:
    from forms import ReceptionCentre

NRM_RUNS = 20
RECEPTION_RUNS = 5
PEOPLE = 200
NRM_GOAL_RATIO, NRM_GOAL_SECONDS = 3.0, 0.150
RECEPTION_GOAL_RATIO, RECEPTION_GOAL_SECONDS = 3.0, 3.0
BOARD_COLUMNS, PEOPLE_COLUMNS, TIMES_COLUMNS = 11, 8, 15
WORDS_PER_PAGE = 400  # a full A4 page of body text


def pages(pdf: bytes) -> int:
    """How many pages a PDF rendered by reportlab has."""
    return len(re.findall(rb"/Type /Page\b", pdf))


def plain_text_document(page_count: int, words: int, *, embedded: bool = True) -> bytes:
    """``words`` words of plain text in paragraphs, spread over ``page_count`` A4 pages: a bold
    heading, the words, an italic line, in the pack's embedded faces (or Helvetica)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from fieldkit.pdf.fonts import SANS_BOLD, SANS_ITALIC, register_fonts

    body = getSampleStyleSheet()["BodyText"]
    regular, bold, italic = ((register_fonts(), SANS_BOLD, SANS_ITALIC) if embedded
                             else ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"))
    style = ParagraphStyle("plain", parent=body, fontName=regular)
    heading = ParagraphStyle("plain-heading", parent=body, fontName=bold, fontSize=12)
    aside = ParagraphStyle("plain-aside", parent=body, fontName=italic)
    per_page = max(1, words // page_count)
    story = []
    for page in range(page_count):
        text = " ".join(f"word{n}" for n in range(per_page))
        story.append(Paragraph(f"Page {page + 1}", heading))
        story += [Paragraph(text[i:i + 600], style) for i in range(0, len(text), 600)]
        story.append(Paragraph("Plain text, for comparison.", aside))
        if page < page_count - 1:
            story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def plain_tables(rows: int) -> bytes:
    """Three plain reportlab tables of ``rows`` rows (the shapes of the summary's board, people
    and step-times tables)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table

    story = []
    for columns in (BOARD_COLUMNS, PEOPLE_COLUMNS, TIMES_COLUMNS):
        data = [[f"Heading {c}" for c in range(columns)]]
        data += [[f"P{r:03d} cell {c}" for c in range(columns)] for r in range(rows)]
        story.append(Table(data, repeatRows=1))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build(story)
    return buffer.getvalue()


def reception_centre(people: int) -> ReceptionCentre:
    """A centre of ``people`` at different steps of the board (fictional references)."""
    from forms import PersonReceived, ReceptionCentre

    start = datetime(2026, 5, 14, 6, 0)
    received = []
    for n in range(1, people + 1):
        at = start + timedelta(minutes=n)
        received.append(PersonReceived(
            reference=f"P{n:03d}", arrived_at=at, language="ron" if n % 3 else "sqi",
            age_group="child" if n % 9 == 0 else "adult",
            welfare_given_at=at if n % 2 else None, interpreter_needed=True,
            consent="given" if n % 4 == 0 else "not_asked",
            onward_destination="Salvation Army safe house" if n % 5 == 0 else "",
        ))
    return ReceptionCentre(operation="Operation Bench", venue="Hall", held_on=date(2026, 5, 14),
                           people=received)


def run(scale: float) -> list[Result]:
    """Measure ``nrm_pdf`` and ``reception_pdf_200`` (at ``scale``)."""
    from fieldkit.demo.forms import w1_nrm
    from fieldkit.pdf import render_nrm_pack, render_reception_summary

    nrm = w1_nrm(date(2026, 5, 14))
    pack = render_nrm_pack(nrm, "FK-2026-0001")
    nrm_pages = pages(pack)
    words = WORDS_PER_PAGE * nrm_pages
    load = load_now()
    mine, theirs = interleaved(
        lambda: timed(lambda: render_nrm_pack(nrm, "FK-2026-0001")),
        lambda: timed(lambda: plain_text_document(nrm_pages, words)),
        runs=runs_at(NRM_RUNS, scale), warmup=warmups_at(scale))
    ratio = mine.median / theirs.median
    _, helvetica = interleaved(
        lambda: 0.0, lambda: timed(lambda: plain_text_document(nrm_pages, words, embedded=False)),
        runs=runs_at(NRM_RUNS, scale), warmup=warmups_at(scale))
    results = [Result.compare(
        "nrm_pdf", mine, theirs,
        goal=f"ratio <= {NRM_GOAL_RATIO:.0f}, under {NRM_GOAL_SECONDS * 1000:.0f} ms",
        met=ratio <= NRM_GOAL_RATIO and mine.median < NRM_GOAL_SECONDS, load_before=load,
        details={"pages": nrm_pages,
                 "baseline_pages": pages(plain_text_document(nrm_pages, words)),
                 "baseline_fonts": "the pack's embedded sans faces (regular, bold, italic)",
                 "helvetica_baseline_seconds": helvetica.median,
                 "ratio_against_helvetica": mine.median / helvetica.median})]

    people = scaled(PEOPLE, scale)
    centre = reception_centre(people)
    load = load_now()
    mine, theirs = interleaved(
        lambda: timed(lambda: render_reception_summary(centre, "FK-2026-0001")),
        lambda: timed(lambda: plain_tables(people)),
        runs=runs_at(RECEPTION_RUNS, scale), warmup=warmups_at(scale))
    ratio = mine.median / theirs.median
    results.append(Result.compare(
        "reception_pdf_200", mine, theirs,
        goal=f"ratio <= {RECEPTION_GOAL_RATIO:.0f}, under {RECEPTION_GOAL_SECONDS:.0f} s",
        met=ratio <= RECEPTION_GOAL_RATIO and mine.median < RECEPTION_GOAL_SECONDS,
        load_before=load,
        details={"people": people,
                 "pages": pages(render_reception_summary(centre, "FK-2026-0001")),
                 "baseline_pages": pages(plain_tables(people))}))
    return results
