"""Form documents in the store: validated by the forms models, every version kept, a form
marked ready only when complete, indicators checked against the council's lists."""

from __future__ import annotations

import json

import pytest

from fieldkit import audit, cases, documents
from fieldkit.errors import InvalidInput
from fieldkit.store import Store


@pytest.fixture
def case_and_visit(store: Store) -> tuple[str, str]:
    case = cases.create_case(store, "Operation Forms")
    visit = cases.create_visit(store, case.id, "Example Car Wash", "Example Road")
    return case.id, visit.id


def test_a_draft_saves_and_each_save_is_a_new_version(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, visit_id = case_and_visit
    first = documents.save_document(store, case_id, "visit", {"premises": {"name": "Wash"}},
                                    visit_id=visit_id)
    second = documents.save_document(
        store, case_id, "visit",
        {"premises": {"name": "Wash"}, "indicators_ticked": ["general.isolation"]},
        document_id=first.id, visit_id=visit_id,
    )
    assert (first.version, second.version) == (1, 2)
    versions = documents.document_versions(store, first.id)
    assert [v[0] for v in versions] == [1, 2]
    assert json.loads(versions[0][3])["indicators_ticked"] == []
    assert json.loads(documents.get_document(store, first.id).data)["indicators_ticked"] == [
        "general.isolation"]
    assert [e.action for e in audit.events(store.conn)][-2:] == ["form.create", "form.update"]


def test_ready_is_refused_until_complete_with_each_problem_in_plain_words(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, _ = case_and_visit
    with pytest.raises(InvalidInput) as refused:
        documents.save_document(store, case_id, "nrm", {}, status="ready")
    message = str(refused.value)
    assert "Date of birth or estimated age is needed" in message
    assert "Traceback" not in message and "pydantic" not in message
    assert documents.list_documents(store, case_id) == []


def test_unknown_indicators_and_fields_are_refused(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, visit_id = case_and_visit
    with pytest.raises(InvalidInput, match="not in the council's indicator lists"):
        documents.save_document(store, case_id, "visit",
                                {"indicators_ticked": ["general.made_up"]}, visit_id=visit_id)
    with pytest.raises(InvalidInput, match="nrm"):
        documents.save_document(store, case_id, "letter", {})
    with pytest.raises(InvalidInput):
        documents.save_document(store, case_id, "dtn", {"victim_name": "Not allowed"})
    assert documents.list_documents(store, case_id) == []


def test_form_versions_cannot_be_rewritten(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, _ = case_and_visit
    documents.save_document(store, case_id, "intel", {})
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE form_versions SET data = '{}'")


def test_one_person_never_has_both_an_nrm_and_a_dtn(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, _ = case_and_visit
    person = cases.add_person(store, case_id, "W2")
    other = cases.add_person(store, case_id, "W9")
    nrm = documents.save_document(store, case_id, "nrm",
                                  {"where_found": {"age_group": "adult"},
                                   "potential_victim": {"given_names": "Fictional"}},
                                  person_id=person.id)
    kept = documents.save_document(store, case_id, "nrm", {}, person_id=other.id)
    dtn = documents.save_document(store, case_id, "dtn", {}, person_id=person.id)
    current = {(d.kind, d.person_id) for d in documents.list_documents(store, case_id)}
    assert current == {("dtn", person.id), ("nrm", other.id)}
    assert documents.is_withdrawn(store, nrm.id) and not documents.is_withdrawn(store, kept.id)
    # Withdrawn, not erased: every version stays in the record, and it cannot be edited.
    assert len(documents.document_versions(store, nrm.id)) == 1
    with pytest.raises(InvalidInput, match="withdrawn"):
        documents.save_document(store, case_id, "nrm", {}, document_id=nrm.id,
                                person_id=person.id)
    assert "form.withdraw" in [e.action for e in audit.events(store.conn)]
    # The person later consents: the NRM discharges the duty, so the DtN is withdrawn.
    documents.save_document(store, case_id, "nrm", {}, person_id=person.id)
    assert documents.is_withdrawn(store, dtn.id)


def test_a_dtn_never_holds_what_the_nrm_recorded_and_is_never_for_a_child(
    store: Store, case_and_visit: tuple[str, str]
) -> None:
    case_id, _ = case_and_visit
    adult = cases.add_person(store, case_id, "W2")
    documents.save_document(store, case_id, "nrm", {
        "where_found": {"age_group": "adult"},
        "potential_victim": {"given_names": "Zofia", "family_name": "Examplewska"}},
        person_id=adult.id)
    for text in ("Zofia said the boss kept her passport", "Call her on 07700 900123",
                 "She lives at 12 Station Road"):
        with pytest.raises(InvalidInput, match="must not identify anyone") as refused:
            documents.save_document(store, case_id, "dtn", {"account": text},
                                    person_id=adult.id)  # a draft too, not only when ready
        assert "Zofia" not in str(refused.value) and "07700" not in str(refused.value)
    with pytest.raises(InvalidInput, match="indicator lists") as refused:
        documents.save_document(store, case_id, "dtn",
                                {"indicator_ids": ["Zofia Examplewska, 07700 900123"]},
                                person_id=adult.id)
    assert "Zofia" not in str(refused.value)
    child = cases.add_person(store, case_id, "W3")
    documents.save_document(store, case_id, "nrm", {"where_found": {"age_group": "child"}},
                            person_id=child.id)
    with pytest.raises(InvalidInput, match="child"):
        documents.save_document(store, case_id, "dtn", {}, person_id=child.id)
    other = cases.create_case(store, "Another case")
    with pytest.raises(InvalidInput, match="another case"):
        documents.save_document(store, other.id, "dtn", {}, person_id=adult.id)
