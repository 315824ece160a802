"""An edit of a person on the reception board's panel, kept field by field: what was typed
validly is kept though another field holds something not valid (a date of birth of 31/02/1997
threw away the gender, language and interpreter typed after it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from forms.check import plain_problems
from forms.form import FieldProblem
from forms.reception import PersonReceived, edited_person


@dataclass(frozen=True)
class PersonEdit:
    """The person with every valid field typed, and what was typed and is not valid (not
    kept: the record holds what it had for those fields)."""

    person: PersonReceived
    problems: list[FieldProblem] = field(default_factory=list)


def edit_person(before: PersonReceived, values: Mapping[str, Any], now: datetime) -> PersonEdit:
    """:func:`forms.reception.edited_person`, keeping the valid fields when some are not."""
    try:
        return PersonEdit(edited_person(before, values, now))
    except ValidationError as error:
        problems = plain_problems(PersonReceived, error)
        wrong = {str(item["loc"][0]) for item in error.errors() if item["loc"]}
    kept = {name: value for name, value in values.items() if name not in wrong}
    try:
        return PersonEdit(edited_person(before, kept, now), problems)
    except ValidationError:  # a fault of the whole record: nothing typed is kept
        return PersonEdit(before, problems)
