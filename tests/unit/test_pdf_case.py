"""A whole case as PDFs from the store: names from references only, one PDF per visit and form,
each well formed; printing one form gives the same file as the whole export."""

from __future__ import annotations

import pytest

from fieldkit import demo, documents
from fieldkit.pdf import plan_case_pdfs, render_case_pdfs, render_document
from fieldkit.store import Store
from tests.unit.test_pdf_tools import pdf_text, qpdf_check

PERSONAL = ("Andrei", "Dobrescu", "Luca", "Florin", "Mateescu", "Rowan", "Hallam", "Kam")


@pytest.fixture
def demo_case(store: Store) -> str:
    """The demo operation, with its forms."""
    return demo.create_demo_operation(store).id


def test_the_demo_case_prints_one_pdf_per_visit_and_form(store: Store, demo_case: str) -> None:
    pdfs = render_case_pdfs(store, demo_case)
    reference = next(iter(pdfs)).rsplit("-visit", 1)[0]
    assert sorted(pdfs) == sorted(f"{reference}-{rest}.pdf" for rest in (
        "visit-1", "nrm-1", "dtn-1", "nrm-2", "reception-1", "intel-1",
        "referral-1", "referral-2", "referral-3",
    ))
    for name, pdf in pdfs.items():
        assert not any(word in name for word in PERSONAL)
        assert not any(ref in name for ref in ("W1", "W2", "W3"))  # no person reference
        qpdf_check(pdf)
        assert reference in pdf_text(pdf)
    visit = pdf_text(pdfs[f"{reference}-visit-1.pdf"])
    assert "Shine Bright Hand Car Wash" in visit and "five mattresses" in visit
    assert "Corrected by entry 6" in visit and "OT/1" in visit
    assert "Hand car wash" in visit  # from the linked visit form
    nrm = pdf_text(pdfs[f"{reference}-nrm-1.pdf"])
    assert "Andrei" in nrm
    # The pack names the person's reference under the case's, to match it to the person on
    # the board and at the Lead; the anonymous Duty to Notify never does.
    assert f"Case {reference} Person W1 " in nrm
    assert "Person W3" in pdf_text(pdfs[f"{reference}-nrm-2.pdf"])
    dtn = pdf_text(pdfs[f"{reference}-dtn-1.pdf"])
    assert not any(word in dtn for word in ("Florin", "Mateescu", "Kam", "Foleshill Road"))
    assert "W2" not in dtn and "Person " not in dtn


def test_printing_one_form_matches_the_export_name(store: Store, demo_case: str) -> None:
    plan = {p.name: p for p in plan_case_pdfs(store, demo_case)}
    for document in documents.list_documents(store, demo_case):
        name, pdf = render_document(store, document.id)
        assert name in plan
        assert pdf.startswith(b"%PDF-")
    visit_form = documents.list_documents(store, demo_case, "visit")[0]
    assert render_document(store, visit_form.id)[0].endswith("-visit-1.pdf")


def test_an_empty_case_prints_nothing(store: Store) -> None:
    from fieldkit import cases

    case = cases.create_case(store, "Operation Empty")
    assert render_case_pdfs(store, case.id) == {}
