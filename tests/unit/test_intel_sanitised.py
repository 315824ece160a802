"""An intelligence report marked ready must not identify its source: its sanitised text is
checked as a Duty to Notify's is (a report naming its source, with her address, postcode and
phone, was passed as ready to share)."""

from __future__ import annotations

import pytest

from fieldkit import cases, documents
from fieldkit.errors import InvalidInput
from fieldkit.store import Store
from forms.intelligence import IntelligenceReport
from tests.unit.test_forms_roundtrip import full_examples

SUBJECT = "Sparkle Hand Car Wash, 12 Elm Street, Coventry"


def _problems(text: str) -> list[str]:
    report = IntelligenceReport(subject=SUBJECT, sanitised_text=text)
    return [p.message for p in report.ready_problems() if p.field == "sanitised_text"]


def test_a_source_named_or_reachable_is_a_problem_and_never_repeated() -> None:
    text = ("Source Maria Popescu of 14 Oak Road, Coventry CV6 5AH says workers sleep at the "
            "car wash; call 07700 900555.")
    [message] = _problems(text)
    assert "address" in message and "postcode" in message and "phone number" in message
    assert "source's name" in message
    assert "Popescu" not in message and "07700" not in message


def test_what_the_intelligence_is_about_may_be_named_in_the_subject_and_text() -> None:
    assert _problems("A source says workers sleep at 12 Elm Street and are driven each "
                     "morning in a white van. The source is reliable.") == []


def test_a_source_named_in_any_form_of_words_is_caught() -> None:
    for text in ("The source, Ion, works there.", "Information from source named Petra.",
                 "source: Dana said the manager keeps passports"):
        assert _problems(text), text


def test_a_worker_or_witness_named_is_caught_as_a_source_is() -> None:
    for text in ("The worker Florin says the manager holds passports.",
                 "A neighbour, Dana, saw workers arrive at night."):
        assert _problems(text), text
    assert _problems("The worker says the manager holds passports.") == []


def test_a_person_recorded_in_the_case_is_caught_when_saved(store: Store) -> None:
    """The person found is often who told the officers: their name on the case's NRM forms,
    or their reference, in the sanitised text stops the report being marked ready, and the
    screen's check says so before saving (the same check)."""
    case = cases.create_case(store, "Operation Sanitised")
    person = cases.add_person(store, case.id, "W1")
    documents.save_document(store, case.id, "nrm", {
        "where_found": {"age_group": "adult"},
        "potential_victim": {"given_names": "Andrei", "family_name": "Dobrescu"}},
        person_id=person.id)
    report = full_examples()["intel"].model_copy(update={
        "sanitised_text": "Andrei, a worker at the wash, told officers the manager keeps "
                          "passports."})
    data = report.model_dump(mode="json")
    problems = documents.case_form_problems(store, case.id, "intel", data)
    assert [p.field for p in problems] == ["sanitised_text"]
    assert "a name" in problems[0].message and "Andrei" not in problems[0].message
    with pytest.raises(InvalidInput, match="sanitised"):
        documents.save_document(store, case.id, "intel", data, status="ready")
    by_reference = dict(data, sanitised_text="W1 told officers the manager keeps passports.")
    assert documents.case_form_problems(store, case.id, "intel", by_reference)
    clean = dict(data, sanitised_text="A worker told officers the manager keeps passports.")
    assert documents.case_form_problems(store, case.id, "intel", clean) == []
    documents.save_document(store, case.id, "intel", clean, status="ready")


def test_a_recorded_sensitive_address_is_caught_even_when_put_in_the_subject(
        store: Store) -> None:
    """R-INTEL-SENSITIVE-ADDRESS: where a person in the case stays (the safe house on their
    NRM) is caught in the sanitised text even when the subject holds it too, and in the
    subject itself; the premises where they were exploited may still be the subject."""
    safe_house = "14 Acacia Avenue, Coventry CV2 4AB"
    report = IntelligenceReport(
        subject_type="location", subject=safe_house,
        sanitised_text=f"Two women moved from {safe_house} were collected by the same driver.")
    fields = [p.field for p in report.ready_problems(addresses=[safe_house])
              if p.field in ("subject", "sanitised_text")]
    assert fields == ["subject", "sanitised_text"]
    case = cases.create_case(store, "Operation Safe House")
    person = cases.add_person(store, case.id, "W1")
    documents.save_document(store, case.id, "nrm", {
        "where_found": {"age_group": "adult"},
        "potential_victim": {"current_location": safe_house},
        "exploitation": {"places": [{"address": "Unit 9, Brookvale Estate"}]}},
        person_id=person.id)
    data = full_examples()["intel"].model_dump(mode="json")
    leaked = dict(data, subject=safe_house, sanitised_text=report.sanitised_text)
    problems = documents.case_form_problems(store, case.id, "intel", leaked)
    assert {p.field for p in problems} == {"subject", "sanitised_text"}
    assert all("Acacia" not in p.message for p in problems)
    premises = dict(data, subject="Car wash, Unit 9, Brookvale Estate",
                    sanitised_text="Workers sleep at Unit 9, Brookvale Estate.")
    assert documents.case_form_problems(store, case.id, "intel", premises) == []
