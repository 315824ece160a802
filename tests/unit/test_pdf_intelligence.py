"""The intelligence report with its 3x5x2 grading block, and the referral record."""

from __future__ import annotations

from datetime import datetime

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import render_intelligence_report, render_referral
from fieldkit.pdf.intelligence import GRADING_ROWS, INTEL_SECTIONS, REFERRAL_SECTIONS
from forms import IntelligenceReport, Referral
from tests.unit.test_pdf_tools import assert_page_furniture, pdf_text, qpdf_check

REF = "FK-2026-0009"
START = datetime(2026, 5, 14, 6, 0)


def test_intelligence_report_has_the_grading_block() -> None:
    report = IntelligenceReport.model_validate(demo_forms.intel_form(START))
    pdf = render_intelligence_report(report, REF)
    qpdf_check(pdf)
    assert_page_furniture(pdf, REF)
    text = pdf_text(pdf)
    for heading in INTEL_SECTIONS:
        assert heading in text, heading
    for row, options in GRADING_ROWS:
        assert row in text
        for code, meaning in options:
            assert f"{code} {meaning}" in text, meaning
    assert "graded 2/B/C" in text
    assert "2 Untested (chosen)" in text
    assert "B Known indirectly but corroborated (chosen)" in text
    assert "C Lawful sharing permitted subject to conditions (chosen)" in text
    assert text.count("(chosen)") == 3
    assert "Share with police and GLAA only" in text
    assert "Trading Standards Intelligence Database (IDB)" in text


def test_an_ungraded_report_shows_question_marks_and_what_is_missing() -> None:
    text = pdf_text(render_intelligence_report(IntelligenceReport(), REF))
    assert "?/?/?" in text and "(chosen)" not in text
    assert "Source evaluation (1, 2 or 3) is needed" in text


def test_referral_record() -> None:
    _person, data = demo_forms.referral_forms(START)[1]
    pdf = render_referral(Referral.model_validate(data), REF)
    qpdf_check(pdf)
    text = pdf_text(pdf)
    for heading in REFERRAL_SECTIONS:
        assert heading in text
    for value in ("Multi-Agency Safeguarding Hub (MASH)", "W3", "MASH-D-0412", "Accepted",
                  "Emergency foster placement tonight."):
        assert value in text, value
