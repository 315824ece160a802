"""One check for every form, used by the store, the command line and the desktop app: invalid
fields (pydantic errors translated into plain words, using the fields' titles) and, for a form
marked ready, everything still missing."""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from forms.choices import label
from forms.dtn import DutyToNotify
from forms.form import TYPED, FieldProblem, Form, without_invalid
from forms.intelligence import IntelligenceReport
from forms.kinds import KIND_TITLES, KINDS
from forms.nrm import NrmReferral
from forms.referral import Referral
from forms.visit import PremisesVisit

_DATE_TIME = "must be a date and time (for example 31/05/2024 14:30 or 2024-05-31T14:30)"
_PROBLEMS = {
    "missing": "is needed",
    "date_parsing": "must be a date (for example 31/05/2024 or 2024-05-31)",
    "date_type": "must be a date (for example 31/05/2024 or 2024-05-31)",
    "date_from_datetime_parsing": "must be a date (for example 31/05/2024 or 2024-05-31)",
    "date_from_datetime_inexact": "must be a date without a time",
    "datetime_parsing": _DATE_TIME,
    "datetime_type": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be filled in as a section",
    "model_attributes_type": "must be filled in as a section",
    "dict_type": "must be filled in as a section",
}


def check_document(
    kind: str,
    data: Mapping[str, Any] | str | bytes,
    *,
    ready: bool,
    as_of: date | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    premises: Sequence[str] = (),
    today: date | None = None,
    typed: bool = True,
    now: datetime | None = None,
) -> list[FieldProblem]:
    """Every problem with a form of ``kind`` given as JSON text or a dict: invalid fields always,
    and missing ones when it is marked ``ready``. An empty list means it may be saved. ``as_of``
    is the date for age rules (default: the date recorded on the form); ``names`` and
    ``addresses`` are the person's recorded ones, which a Duty to Notify must never contain,
    draft or ready (for an intelligence report, those recorded in its case, which it must not
    contain once ready, subject included; ``premises``, the other places recorded in its case,
    it may hold only as its subject). ``today`` is the date today: what has already happened
    (a person found, a consent decision, a visit's end, a referral made...) may not be dated
    after it (default: ``as_of`` for the forms without age rules, and not checked for the NRM
    referral and the Duty to Notify, whose ``as_of`` is the date found).

    While some fields are invalid, their problems come first, then the problems of the form
    made of the rest (as if the invalid fields were not answered yet, see
    :func:`forms.form.without_invalid`), so one mistyped date does not hide what else is
    missing; a field (or section) already named as invalid is not named again.

    ``now``: the time now, so a time of something done (a visit's end, a referral made) later
    today is refused too (without it, times are checked by their date only).

    ``typed``: the form is being typed or saved now, so the format checks apply (a phone
    number, a postcode, an email address: see :data:`forms.form.TYPED`); ``False`` for a form
    as it was saved (a device's bundle at the Lead), which they never refuse."""
    context = TYPED if typed else None
    model = KINDS.get(kind)
    if model is None:
        known = ", ".join(f"{k} ({title})" for k, title in KIND_TITLES.items())
        return [FieldProblem("kind", f"There is no kind of form called {kind!r}: use {known}")]
    try:
        document = read_document(model, data, context)
    except ValidationError as error:
        invalid = plain_problems(model, error)
        rest = _valid_part(model, data, context)
        if rest is None:
            return invalid
        found = _rule_problems(rest, ready=ready, as_of=as_of, names=names,
                               addresses=addresses, premises=premises, today=today, now=now)
        return _without_repeats(invalid, found)
    return _rule_problems(document, ready=ready, as_of=as_of, names=names,
                          addresses=addresses, premises=premises, today=today, now=now)


def _rule_problems(
    document: Form, *, ready: bool, as_of: date | None, names: Sequence[str],
    addresses: Sequence[str], premises: Sequence[str], today: date | None,
    now: datetime | None = None,
) -> list[FieldProblem]:
    """The form's own rules on a valid ``document``: what is missing when ``ready``; what
    identifies the person on a Duty to Notify, draft or ready."""
    if isinstance(document, DutyToNotify):
        if ready:
            return document.ready_problems(as_of, names, addresses, today=today)
        return document.identifying_problems(names, addresses)
    if not ready:
        return []
    if isinstance(document, NrmReferral):
        return document.ready_problems(as_of, today=today)
    if isinstance(document, IntelligenceReport):
        return document.ready_problems(today or as_of, names, addresses, premises, now=now)
    if isinstance(document, PremisesVisit | Referral):
        return document.ready_problems(today or as_of, now=now)
    return document.ready_problems(as_of)


def _valid_part(model: type[Form], data: Mapping[str, Any] | str | bytes,
                context: dict[str, Any] | None) -> Form | None:
    """The form made of the valid fields of ``data``, or None when there is none (text that is
    not a JSON object, a fault of the whole form)."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if not isinstance(data, Mapping):
        return None
    return without_invalid(model, dict(data), context=context)


def _without_repeats(invalid: list[FieldProblem],
                     found: list[FieldProblem]) -> list[FieldProblem]:
    """``invalid`` then those of ``found`` about neither a field named in ``invalid`` nor a
    field inside a section named there, each once."""
    named = {problem.field for problem in invalid}
    problems = list(invalid)
    for problem in found:
        parts = problem.field.split(".")
        inside = any(".".join(parts[:end]) in named for end in range(1, len(parts) + 1))
        if not inside and problem not in problems:
            problems.append(problem)
    return problems


def recorded_details(
    names: Sequence[str] = (), addresses: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """The person's recorded names and addresses as given on the command line: each name option
    may hold several names separated by commas (``"A B,C"``), each address option several
    addresses separated by semicolons (an address has commas of its own). Blanks are dropped."""
    found_names = [part.strip() for text in names for part in text.split(",") if part.strip()]
    found_addresses = [
        part.strip() for text in addresses for part in text.split(";") if part.strip()
    ]
    return found_names, found_addresses


def read_document(model: type[Form], data: Mapping[str, Any] | str | bytes,
                  context: dict[str, Any] | None = TYPED) -> Form:
    """Validate ``data`` (JSON text or a dict) as ``model`` (as typed now, by default: see
    :data:`forms.form.TYPED`); raises pydantic's ValidationError."""
    if isinstance(data, str | bytes):
        return model.model_validate_json(data, context=context)
    return model.model_validate(dict(data), context=context)


def plain_problems(model: type[BaseModel], error: ValidationError) -> list[FieldProblem]:
    """Translate pydantic's errors into one plain-English problem per field."""
    problems: list[FieldProblem] = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"])
        titles, annotation = _titles(model, item["loc"])
        problems.append(FieldProblem(field, _message(model, item, titles, annotation)))
    return problems


def _message(
    model: type[BaseModel], item: ErrorDetails, titles: list[str], annotation: Any
) -> str:
    kind = item["type"]
    if kind == "json_invalid":
        return "The form could not be read: it is not valid JSON"
    context = ", ".join(titles[:-1])
    name = titles[-1] if titles else "This form"
    if kind == "extra_forbidden":
        if model is DutyToNotify:
            problem = "is not allowed on a Duty to Notify: it must never identify the person"
        else:
            problem = "is not a field of this form"
    elif kind in ("value_error", "assertion_error"):
        ctx = item.get("ctx") or {}
        problem = str(ctx.get("error", item["msg"])).removeprefix("Value error, ")
        if problem[:1].isupper():
            return f"{context}: {problem}" if context else problem
    elif kind in ("enum", "literal_error"):
        choices = _choices_in(annotation)
        expected = (item.get("ctx") or {}).get("expected", "the listed choices")
        problem = f"must be one of: {choices}" if choices else f"must be one of {expected}"
    elif kind in ("greater_than_equal", "greater_than"):
        problem = f"must be {(item.get('ctx') or {}).get('ge', 0)} or more"
    elif kind in ("less_than_equal", "less_than"):
        problem = f"must be {(item.get('ctx') or {}).get('le', '')} or less"
    else:
        problem = _PROBLEMS.get(kind, "is not valid")
    sentence = f"{name} {problem}"
    return f"{context}: {_lower_first(sentence)}" if context else sentence


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a title inside a sentence, but not of NRM, UK, MASH..."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _titles(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[list[str], Any]:
    """The plain titles along a pydantic error location (list positions become ``item N``),
    and the annotation of the last field."""
    titles: list[str] = []
    current: type[BaseModel] | None = model
    annotation: Any = None
    for part in loc:
        if isinstance(part, int):
            if titles:
                titles[-1] = f"{titles[-1]} (item {part + 1})"
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            titles.append(_humanise(part))
            current = annotation = None
            continue
        titles.append(info.title or _humanise(part))
        annotation = info.annotation
        current = _model_in(annotation)
    return titles, annotation


def _humanise(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _choices_in(annotation: Any) -> str:
    """The display labels of the choices in an annotation such as ``Gender | None``."""
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return ", ".join(label(member) for member in annotation)
    for arg in typing.get_args(annotation):
        found = _choices_in(arg)
        if found:
            return found
    return ""


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``list[Place]`` or ``Consent | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
