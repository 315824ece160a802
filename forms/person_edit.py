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


MISTAKE = "registered_in_error"


def edit_person(before: PersonReceived, values: Mapping[str, Any], now: datetime) -> PersonEdit:
    """:func:`forms.reception.edited_person`, keeping the valid fields when some are not.

    "Registered by mistake" is for a reference typed wrongly at the door, with nothing else
    recorded: ticked on a record holding details (an age, a consent, a step done), it is not
    kept and the problem says what the record holds; details typed for a reference already
    ticked mean a real person, so the tick is taken off (and said so)."""
    edit = _edit_fields(before, values, now)
    person = edit.person
    details = person.recorded_details() if person.registered_in_error else []
    if not details:
        return edit
    if not before.registered_in_error:  # ticked now, on a record with details: not kept
        untick = {name: value for name, value in values.items() if name != MISTAKE}
        kept = _edit_fields(before, untick, now)
        return PersonEdit(kept.person, [*kept.problems, FieldProblem(MISTAKE, (
            "Registered by mistake is only for a reference typed wrongly with nothing else "
            f"recorded, and this record holds: {', '.join(details)}. It is kept as a person; "
            "correct what is wrong instead."))])
    unticked = _edit_fields(before, {**values, MISTAKE: False}, now)
    return PersonEdit(unticked.person, [*unticked.problems, FieldProblem(MISTAKE, (
        "Registered by mistake was taken off: details were recorded for this reference "
        f"({', '.join(details)}), so it is a person received."))])


def _edit_fields(before: PersonReceived, values: Mapping[str, Any], now: datetime) -> PersonEdit:
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
