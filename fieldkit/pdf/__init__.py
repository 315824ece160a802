"""Every PDF fieldkit makes, in one place (all reportlab code lives in this package).

PDFs hold personal data: they are rendered to bytes in memory and written only where the caller
asks (``fieldkit export pdf --out DIR`` writes them atomically). Every page carries the
protective marking, the case reference and "Page x of y"; the PDF title names the document and
case, never a person.

- :func:`render_case_pdfs` - every PDF of a case, file name to bytes (the sync bundle, export).
- :func:`render_document` / :func:`render_visit` - one form or visit from the store ("Print").
- :func:`plan_case_pdfs` + :func:`render_planned` - the same, one file at a time (export).
- ``render_nrm_pack``, ``render_dtn``, ``render_visit_report``, ``render_reception_summary``,
  ``render_intelligence_report``, ``render_referral`` - one document from its model.
"""

from __future__ import annotations

from fieldkit.pdf.case import (
    PlannedPdf,
    pdf_name,
    plan_case_pdfs,
    render_case_pdfs,
    render_document,
    render_form,
    render_planned,
    render_visit,
    visit_renderer,
)
from fieldkit.pdf.dtn import render_dtn
from fieldkit.pdf.intelligence import render_intelligence_report, render_referral
from fieldkit.pdf.layout import MARKING
from fieldkit.pdf.nrm import render_nrm_pack
from fieldkit.pdf.reception import render_reception_summary
from fieldkit.pdf.visit import render_visit_report

__all__ = [
    "MARKING",
    "PlannedPdf",
    "pdf_name",
    "plan_case_pdfs",
    "render_case_pdfs",
    "render_document",
    "render_dtn",
    "render_form",
    "render_intelligence_report",
    "render_nrm_pack",
    "render_planned",
    "render_reception_summary",
    "render_referral",
    "render_visit",
    "render_visit_report",
    "visit_renderer",
]
