"""The schedule of what is held lists every version of every form, a withdrawn one too: an NRM
referral replaced by a Duty to Notify (the adult refused) was left off, though every version of
it is still held and disclosable."""

from __future__ import annotations

from fieldkit import cases, clock, documents
from fieldkit.demo.forms import w1_nrm
from fieldkit.export import schedule_content
from fieldkit.pdf.schedule import render_schedule
from fieldkit.store import Store
from forms import nrm_to_dtn
from tests.unit.test_pdf_tools import pdf_text


def test_a_replaced_nrm_and_its_versions_are_on_the_schedule(store: Store) -> None:
    case = cases.create_case(store, "Operation Aspen")
    person = cases.add_person(store, case.id, "A1")
    data = w1_nrm(clock.today()).model_dump(mode="json")
    nrm = documents.save_document(store, case.id, "nrm", data, person_id=person.id)
    documents.save_document(store, case.id, "nrm", data, status="ready", document_id=nrm.id)
    notice = nrm_to_dtn(w1_nrm(clock.today()).model_copy(update={
        "consent": w1_nrm(clock.today()).consent.model_copy(update={"decision": "refused"})}))[0]
    documents.save_document(store, case.id, "dtn", notice.model_dump(mode="json"),
                            person_id=person.id)
    assert documents.is_withdrawn(store, nrm.id)
    assert [d.kind for d in documents.list_documents(store, case.id)] == ["dtn"]
    assert [d.id for d in documents.withdrawn_documents(store, case.id)] == [nrm.id]

    lines = schedule_content(store, case.id).forms
    held = [(line.kind, line.document_number, line.version, line.status, line.withdrawn)
            for line in lines]
    assert held == [("dtn", 1, 1, "draft", False),
                    ("nrm", 1, 1, "draft", True), ("nrm", 1, 2, "ready", True)]
    text = " ".join(pdf_text(render_schedule(schedule_content(store, case.id))).split())
    # Only a form's newest version is current or withdrawn: every version read "Current",
    # misleading on a disclosure document.
    assert text.count("Withdrawn (kept, not sent)") == 1
    assert text.count("Earlier version (kept; version 2 is newer)") == 1
    assert text.count("Current") == 1  # the Duty to Notify
