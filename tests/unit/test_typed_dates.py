"""Dates typed day first, as officers in England write them, reach the forms in the forms' own
spelling; anything else is left for the form to refuse with the field's name."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from forms import PersonReceived
from forms.check import plain_problems
from forms.typed_dates import typed_date


@pytest.mark.parametrize(("typed", "spelled"), [
    ("12/05/1990", "1990-05-12"),
    ("1/2/2026", "2026-02-01"),
    (" 31.05.2024 ", "2024-05-31"),
    ("31-05-2024", "2024-05-31"),
    ("2024-05-31", "2024-05-31"),  # the form's own spelling, as it was
    ("", ""),
])
def test_a_date_typed_day_first_is_spelled_as_the_form_keeps_it(typed: str,
                                                                spelled: str) -> None:
    assert typed_date(typed, with_time=False) == spelled


@pytest.mark.parametrize(("typed", "spelled"), [
    ("22/11/2026 10:05", "2026-11-22 10:05"),
    ("22/11/2026 9.05", "2026-11-22 09:05"),
    ("2026-11-22 10:05", "2026-11-22 10:05"),
])
def test_a_time_after_the_date_is_kept_where_the_field_has_one(typed: str,
                                                                spelled: str) -> None:
    assert typed_date(typed, with_time=True) == spelled


@pytest.mark.parametrize("typed", ["31/05/24", "05/31/2024", "31/02/2026", "yesterday",
                                   "12/05/1990 10:00"])
def test_what_is_not_a_date_is_refused_by_the_form_naming_the_field(typed: str) -> None:
    """Two-figure years are not guessed; a month 31 or a 31 February is no date; a time where
    only a date is asked is refused as typed."""
    with pytest.raises(ValueError) as raised:
        PersonReceived.model_validate({"reference": "R001",
                                       "date_of_birth": typed_date(typed, with_time=False)})
    problems = plain_problems(PersonReceived, raised.value)  # type: ignore[arg-type]
    assert [p.message for p in problems] == [
        "Date of birth must be a date (for example 31/05/2024 or 2024-05-31)"]


def test_the_spelled_dates_are_what_the_forms_read() -> None:
    person = PersonReceived.model_validate({
        "reference": "R001", "date_of_birth": typed_date("12/05/1990", with_time=False),
        "arrived_at": typed_date("22/11/2026 10:05", with_time=True)})
    assert person.date_of_birth == date(1990, 5, 12)
    assert person.arrived_at == datetime(2026, 11, 22, 10, 5)
