"""The Lead reads each form answer in words: times kept as the officer recorded them, and
indicators by their text (the Forms tab showed 'labour.spokesperson' and dropped the times)."""

from __future__ import annotations

from datetime import datetime

from forms.visit import PremisesVisit
from sync.desk.submission import form_sections


def _answers(form: PremisesVisit) -> dict[str, str]:
    return {a.question: a.answer for s in form_sections(form) for a in s.answers}


def test_times_and_indicators_read_as_the_officer_recorded_them() -> None:
    visit = PremisesVisit(started_at=datetime(2026, 12, 3, 9, 15),
                        ended_at=datetime(2026, 12, 3, 10, 50),
                        indicators_ticked=["general.isolation"])
    answers = _answers(visit)
    assert "3 December 2026 09:15 (local time)" in answers.values()
    assert "3 December 2026 10:50 (local time)" in answers.values()
    shown = " ".join(answers.values())
    assert "general.isolation" not in shown and "Isolated" in shown


def test_answers_between_sections_are_headed_by_the_form_not_their_first_question() -> None:
    """The Lead's Forms tab headed a Duty to Notify's risk, gender, age and nationality
    "== Date the person was found ==" (the first loose answer's question)."""
    from datetime import date

    from fieldkit.demo import forms as demo_forms
    from forms.dtn import nrm_to_dtn
    from sync.desk.submission import form_sections

    notice, _removed = nrm_to_dtn(demo_forms.w2_nrm_draft(date(2026, 12, 1)))
    titles = [section.title for section in form_sections(notice)]
    assert "Date the person was found" not in titles
    assert titles.count("Duty to Notify") == 1 and "Duty to Notify (continued)" in titles


def test_a_childs_nrm_says_consent_is_not_needed_not_that_it_is_not_asked() -> None:
    """The Lead's submitting page showed "Consent: Not asked yet" for a child's NRM (the
    officer's form hides the section): it read as something still to do."""
    from datetime import date

    from fieldkit.demo.forms import w1_nrm, w3_nrm
    from sync.desk.submission import portal_sections

    child = {s.title: [a.answer for a in s.answers]
             for s in portal_sections(w3_nrm(date(2026, 12, 3)))}
    assert child["Consent"] == [
        "Not needed: a child (or possibly a child) is referred without consent"]
    adult = {s.title: [a.answer for a in s.answers]
             for s in portal_sections(w1_nrm(date(2026, 12, 3)))}
    assert "Given" in adult["Consent"]


def test_every_language_and_country_field_is_read_as_words() -> None:
    """The Lead's Forms tab showed "Interpreters booked (languages): sqi": a language field
    of the visit plan was missing from the list of fields the desk names in words."""
    import typing

    from pydantic import BaseModel

    from forms import KINDS
    from forms.countries import _country_code, _language_code
    from sync.desk.submission import COUNTRY_FIELDS, LANGUAGE_FIELDS

    def validators(annotation: object) -> set[object]:
        found: set[object] = set()
        for meta in getattr(annotation, "__metadata__", ()):
            found.add(getattr(meta, "func", None))
        for argument in typing.get_args(annotation):
            found |= validators(argument)
        return found

    def walk(model: type[BaseModel]) -> list[tuple[str, set[object]]]:
        fields = []
        for name, info in model.model_fields.items():
            fields.append((name, validators(info.annotation)))
            for argument in (info.annotation, *typing.get_args(info.annotation)):
                if isinstance(argument, type) and issubclass(argument, BaseModel):
                    fields += walk(argument)
        return fields

    every = [field for model in KINDS.values() for field in walk(model)]
    languages = {name for name, found in every if _language_code in found}
    countries = {name for name, found in every if _country_code in found}
    assert "interpreter_languages" in languages and "nationalities" in countries
    assert languages <= LANGUAGE_FIELDS and countries <= COUNTRY_FIELDS
