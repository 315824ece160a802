"""A whole case as PDFs, straight from the store: one visit report per visit, one PDF per form.
File names come from the case reference, the form kind and a number only
(``FK-2026-0001-nrm-1.pdf``): never a person's reference (officers sometimes type a name there)
nor anyone's name. Everything is rendered in memory."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fieldkit.cases import get_case, get_person, get_visit, list_visits
from fieldkit.documents import get_document, list_documents
from fieldkit.errors import NotFound
from fieldkit.exhibits import list_exhibits
from fieldkit.notes import list_notes
from fieldkit.pdf.dtn import render_dtn
from fieldkit.pdf.intelligence import render_intelligence_report, render_referral
from fieldkit.pdf.nrm import render_nrm_pack
from fieldkit.pdf.reception import render_reception_summary
from fieldkit.pdf.visit import render_visit_report
from fieldkit.records import FormDocument, Visit
from fieldkit.store import Store
from forms import (
    KINDS,
    DutyToNotify,
    Form,
    IntelligenceReport,
    NrmReferral,
    PremisesVisit,
    ReceptionCentre,
    Referral,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name_part(words: str, limit: int = 32) -> str:
    """A piece of a file name: letters, digits, ``-`` and ``_`` only."""
    return _UNSAFE.sub("-", words).strip("-")[:limit] or "x"


def pdf_name(case_reference: str, kind: str, number: int) -> str:
    """The file name of one PDF of a case: case reference, kind and number, nothing else."""
    return f"{safe_name_part(case_reference)}-{kind}-{number}.pdf"


def render_form(form: Form, case_reference: str, person_reference: str = "") -> bytes:
    """Any form as PDF bytes (a visit form alone, without its notes and exhibits); an NRM
    pack names the person's reference (``person_reference``) under the case's."""
    if isinstance(form, NrmReferral):
        return render_nrm_pack(form, case_reference, person_reference=person_reference)
    if isinstance(form, DutyToNotify):
        return render_dtn(form, case_reference)
    if isinstance(form, ReceptionCentre):
        return render_reception_summary(form, case_reference)
    if isinstance(form, IntelligenceReport):
        return render_intelligence_report(form, case_reference)
    if isinstance(form, Referral):
        return render_referral(form, case_reference)
    if isinstance(form, PremisesVisit):
        return render_visit_report(case_reference, form=form)
    raise TypeError(f"No PDF layout for {type(form).__name__}")


@dataclass(frozen=True)
class PlannedPdf:
    """One PDF of a case: its file name, and the visit and/or form it prints."""

    name: str
    visit: Visit | None
    document: FormDocument | None


def plan_case_pdfs(store: Store, case_id: str) -> list[PlannedPdf]:
    """The PDFs a case prints, in order, without rendering them: a report per visit (with its
    first linked visit form), then one per other form."""
    case = get_case(store, case_id)
    documents = list_documents(store, case_id)
    visits = list_visits(store, case_id)
    plan: list[PlannedPdf] = []
    printed: set[str] = set()
    for number, visit in enumerate(visits, start=1):
        linked = [d for d in documents if d.kind == "visit" and d.visit_id == visit.id][:1]
        plan.append(PlannedPdf(pdf_name(case.reference, "visit", number), visit,
                               linked[0] if linked else None))
        printed.update(d.id for d in linked)
    counts = dict.fromkeys(KINDS, 0)
    counts["visit"] = len(visits)
    for document in documents:
        if document.id in printed:
            continue
        counts[document.kind] += 1
        plan.append(PlannedPdf(pdf_name(case.reference, document.kind, counts[document.kind]),
                               None, document))
    return plan


def render_planned(store: Store, case_reference: str, planned: PlannedPdf) -> bytes:
    """Render one entry of :func:`plan_case_pdfs`."""
    return _renderer(store, case_reference, planned)()


def _renderer(store: Store, case_reference: str, planned: PlannedPdf) -> Callable[[], bytes]:
    """Read what one entry of :func:`plan_case_pdfs` prints now, on the store's thread; the
    function returned renders it without the store (on a worker thread, say)."""
    form = _model(planned.document) if planned.document is not None else None
    if planned.visit is None:
        if form is None:
            raise ValueError("A planned PDF needs a visit or a form")
        read_form = form
        person_id = planned.document.person_id if planned.document is not None else None
        person = get_person(store, person_id).reference if person_id is not None else ""
        return lambda: render_form(read_form, case_reference, person)
    visit = planned.visit
    exhibits = [e for e in list_exhibits(store, visit.case_id) if e.visit_id == visit.id]
    notes = list_notes(store, visit.id)
    visit_form = form if isinstance(form, PremisesVisit) else None
    return lambda: render_visit_report(case_reference, visit=visit, form=visit_form,
                                       notes=notes, exhibits=exhibits)


def render_case_pdfs(store: Store, case_id: str) -> dict[str, bytes]:
    """Every PDF of a case, as file name to PDF bytes: a report per visit (with its visit form,
    notes in time order and exhibits), then one PDF per other form (NRM packs, Duty to Notify
    notices, reception-centre summaries, intelligence reports, referrals)."""
    reference = get_case(store, case_id).reference
    return {p.name: render_planned(store, reference, p) for p in plan_case_pdfs(store, case_id)}


def render_visit(store: Store, visit_id: str) -> tuple[str, bytes]:
    """One visit's full report as (file name, PDF bytes)."""
    name, render = visit_renderer(store, visit_id)
    return name, render()


def visit_renderer(store: Store, visit_id: str) -> tuple[str, Callable[[], bytes]]:
    """One visit's full report: its file name, and a function that renders it from what was
    read now, without the store (a store's connection stays on its own thread: the app reads
    on the window's thread and renders on the worker)."""
    visit = get_visit(store, visit_id)
    reference = get_case(store, visit.case_id).reference
    for planned in plan_case_pdfs(store, visit.case_id):
        if planned.visit is not None and planned.visit.id == visit_id:
            return planned.name, _renderer(store, reference, planned)
    raise NotFound("visit", visit_id)  # pragma: no cover - every visit of a case is planned


def render_document(store: Store, document_id: str) -> tuple[str, bytes]:
    """One form as (file name, PDF bytes), named as in the whole case's export: the "Print" of
    a single form. A visit form linked to a visit prints as that visit's full report."""
    document = get_document(store, document_id)
    reference = get_case(store, document.case_id).reference
    for planned in plan_case_pdfs(store, document.case_id):
        if planned.document is not None and planned.document.id == document_id:
            return planned.name, render_planned(store, reference, planned)
    raise NotFound("form", document_id)  # pragma: no cover - every form of a case is planned


def _model(document: FormDocument) -> Form:
    return KINDS[document.kind].model_validate_json(document.data)
