"""The desk counts and dates as the rules do: a child by the rules (not the adult/child box
alone), and the day something happened on the Lead's own clock (a British operation at 00:30
BST on 1 October belongs to October's quarter)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from fieldkit.records import FormDocument
from forms.nrm import NrmReferral
from sync.desk.received import received_on, treated_as_child


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_day_is_the_leads_local_day(london: None) -> None:
    assert received_on("2026-09-30T23:30:00.000000Z") == date(2026, 10, 1)  # 00:30 BST
    assert received_on("2026-12-31T23:30:00.000000Z") == date(2026, 12, 31)  # GMT: the same day


def _form(**where_found: object) -> tuple[NrmReferral, FormDocument]:
    model = NrmReferral.model_validate({"where_found": {"encountered_on": "2026-11-02",
                                                        **where_found},
                                        "potential_victim": {"date_of_birth": "2010-05-01"}})
    form = FormDocument(id="f", case_id="c", visit_id=None, person_id="p", kind="nrm",
                        status="ready", version=1, created_at="2026-11-02T10:00:00Z",
                        updated_at="2026-11-02T10:00:00Z", data=model.model_dump_json())
    return model, form


def test_a_16_year_old_ticked_adult_is_a_child_on_the_desk() -> None:
    assert treated_as_child(*_form(age_group="adult"))
    model, form = _form(age_group="adult")
    grown = model.model_copy(update={"potential_victim": model.potential_victim.model_copy(
        update={"date_of_birth": date(1990, 5, 1)})})
    assert not treated_as_child(grown, form)


@pytest.mark.parametrize(("reference", "printed"), [
    ("W1", "W1"), ("R-002", "R-002"), ("p 17", "p 17"), ("N12a", "N12a"),
    ("Maria Fictiva", "(not shown)"), ("Ion", "(not shown)"), ("W1 Ion", "(not shown)"),
])
def test_the_partnership_report_prints_a_reference_only_when_it_is_a_code(
        reference: str, printed: str) -> None:
    """Officers sometimes use a name as a person's reference: the quarterly report (for the
    partnership) leaves any reference that is not a code out of its open deadlines."""
    from sync.desk.report import published_reference

    assert published_reference(reference) == printed


def test_history_names_changed_fields_in_words() -> None:
    from sync.desk.register import _field_words

    assert _field_words("data.potential_victim.given_names") == "given names"
    assert _field_words("data.people.3.consent") == "consent"


def test_a_reception_centres_setup_checklist_reads_in_words_on_the_desk() -> None:
    from forms.reception import ReceptionCentre
    from sync.desk.submission import form_sections

    centre = ReceptionCentre(setup_ticked=["setup.venue_ready"])
    answers = {a.question: a.answer for section in form_sections(centre)
               for a in section.answers}
    assert answers["Set-up checklist items done"] == "Venue undisclosed and ready"
