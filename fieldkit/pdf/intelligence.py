"""The intelligence report with its 3x5x2 grading block, and the record of a referral made to
another agency (a short form, printed the same way)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from fieldkit.clock import today
from fieldkit.pdf import values as v
from fieldkit.pdf.layout import (
    RULE,
    SHADE,
    Paragraph,
    build_pdf,
    content_width,
    field_table,
    para,
    section_flowables,
    styles,
    text,
    title_block,
)
from fieldkit.pdf.nrm import checklist
from forms import IntelligenceReport, Referral, check_document
from forms.intelligence import HandlingCode, IntelligenceAssessment, SourceEvaluation

INTEL_SECTIONS = ("Grading (3x5x2)", "Subject", "Intelligence (sanitised)", "Handling and "
                  "destination", "Checklist before sharing")
"""The section headings of the intelligence report, in order."""
REFERRAL_SECTIONS = ("Referral", "Outcome", "Checklist")
"""The section headings of the referral record, in order."""

GRADING_ROWS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Source evaluation", (
        (SourceEvaluation.RELIABLE, "Reliable"), (SourceEvaluation.UNTESTED, "Untested"),
        (SourceEvaluation.NOT_RELIABLE, "Not reliable"))),
    ("Intelligence assessment", (
        (IntelligenceAssessment.KNOWN_DIRECTLY, "Known directly to the source"),
        (IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
         "Known indirectly but corroborated"),
        (IntelligenceAssessment.KNOWN_INDIRECTLY, "Known indirectly"),
        (IntelligenceAssessment.NOT_KNOWN, "Not known"),
        (IntelligenceAssessment.SUSPECTED_FALSE, "Suspected to be false"))),
    ("Handling code", (
        (HandlingCode.PERMITTED, "Lawful sharing permitted"),
        (HandlingCode.CONDITIONS, "Lawful sharing permitted subject to conditions"))),
)
CHOSEN = colors.HexColor("#1f2933")
# Which columns each option of a row covers: three, five or two options across five columns.
_SPANS = {3: ((1, 1), (2, 2), (3, 5)), 5: ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5)),
          2: ((1, 2), (3, 5))}


def intel_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Intelligence report {case_reference}"


def referral_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Referral {case_reference}"


def render_intelligence_report(report: IntelligenceReport, case_reference: str) -> bytes:
    """The intelligence report as PDF bytes, with its grading block."""
    problems = check_document("intel", report.model_dump(mode="json"), ready=True,
                              today=today())
    story: list[Flowable] = title_block(
        f"Intelligence report, graded {report.grading}", case_reference,
        ["Sanitised: it must never identify the source or a sensitive address."],
    )
    bodies: list[list[Flowable]] = [
        [grading_block(report)],
        [field_table([("What it is about", v.choice(report.subject_type)),
                      ("Subject", report.subject)])],
        [para(report.sanitised_text)],
        [field_table([
            ("Handling conditions", report.handling_conditions),
            ("Destination", _destination(report)),
            ("Recorded", v.moment(report.recorded_at)), ("Recorded by", report.recorded_by),
        ])],
        checklist(problems, done="Nothing is missing: it is ready to share."),
    ]
    for title, body in zip(INTEL_SECTIONS, bodies, strict=True):
        story += section_flowables(title, body)
    return build_pdf(story, title=intel_title(case_reference), case_reference=case_reference)


def _destination(report: IntelligenceReport) -> str:
    names = {"trading_standards_idb": "Trading Standards Intelligence Database (IDB)",
             "police_pir": "Police Partnership Information Report"}
    return "" if report.destination is None else names.get(report.destination.value,
                                                           v.choice(report.destination))


def grading_block(report: IntelligenceReport) -> Table:
    """Every grade of the 3x5x2 system, the chosen ones dark, and the grading as written."""
    s = styles()
    chosen = (report.source_evaluation, report.intelligence_assessment, report.handling_code)
    width = content_width()
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.25, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
    ]
    for row, ((name, options), picked) in enumerate(zip(GRADING_ROWS, chosen, strict=True)):
        spans = _SPANS[len(options)]
        line: list[Any] = [Paragraph(f"<b>{name}</b>", s.cell), "", "", "", "", ""]
        for (code, meaning), (first, last) in zip(options, spans, strict=True):
            mark = picked is not None and picked.value == code
            colour = ' color="#ffffff"' if mark else ""
            line[first] = Paragraph(f'<font{colour}><b>{code}</b> {text(meaning)}'
                                    f'{" (chosen)" if mark else ""}</font>', s.cell)
            if last > first:
                commands.append(("SPAN", (first, row), (last, row)))
            if mark:
                commands.append(("BACKGROUND", (first, row), (last, row), CHOSEN))
        rows.append(line)
    rows.append([Paragraph("<b>Grading</b>", s.cell),
                 Paragraph(f"<b>{text(report.grading)}</b>", s.cell), "", "", "", ""])
    commands.append(("SPAN", (1, 3), (5, 3)))
    table = Table(rows, colWidths=[width * 0.2] + [width * 0.16] * 5, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def render_referral(referral: Referral, case_reference: str) -> bytes:
    """The record of one referral as PDF bytes."""
    problems = check_document("referral", referral.model_dump(mode="json"), ready=True,
                              today=today())
    destination = v.choice(referral.destination)
    if referral.other_destination:
        destination = v.joined([destination, referral.other_destination])
    story: list[Flowable] = title_block("Referral to another agency", case_reference)
    bodies: list[list[Flowable]] = [
        [field_table([
            ("Referred to", destination), ("Person's reference", referral.person_reference),
            ("Time of the referral", v.moment(referral.made_at)),
            ("Referred by", referral.made_by), ("How", v.choice(referral.method)),
            ("Their reference", referral.their_reference),
        ])],
        [field_table([("Outcome", v.choice(referral.outcome)),
                      ("Outcome notes", referral.outcome_notes)])],
        checklist(problems, done="Nothing is missing from this referral record."),
    ]
    for title, body in zip(REFERRAL_SECTIONS, bodies, strict=True):
        story += section_flowables(title, body)
    return build_pdf(story, title=referral_title(case_reference), case_reference=case_reference)
