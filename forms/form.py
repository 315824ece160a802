"""What every form shares: a schema version, strict fields, and the problems that stop it being
marked ready. Drafts may be incomplete; only a form marked ready must be complete."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

TYPED: dict[str, bool] = {"typed": True}
"""Validation context for what is being typed or saved now: the format checks (a phone number,
a postcode, an email address) apply. Without it, a form read back from the store or from a
device's bundle is read as it was saved, even one saved before a format check existed: never
refused, so it still prints, syncs and reaches the Lead (its problems are listed when it is
next checked or saved)."""


def typed_now(context: object) -> bool:
    """True when validating with :data:`TYPED` (what is being typed or saved now)."""
    return isinstance(context, dict) and bool(context.get("typed"))


@dataclass(frozen=True)
class FieldProblem:
    """One missing or invalid field: a dotted path (``potential_victim.date_of_birth``) and a
    plain-English message naming the field and what is wrong."""

    field: str
    message: str


class Problems(list[FieldProblem]):
    """The problems found while checking a form, in the order of the form."""

    def add(self, field: str, message: str) -> None:
        """Record a problem with ``field``."""
        self.append(FieldProblem(field, message))

    def need(self, field: str, value: Any, message: str) -> None:
        """Record ``message`` against ``field`` when ``value`` is empty (None, blank or [])."""
        if is_empty(value):
            self.add(field, message)

    def not_future(self, field: str, value: date | None, today: date | None,
                   name: str, now: datetime | None = None) -> None:
        """Record "``name`` cannot be in the future" against ``field`` when ``value`` (a date, or
        a time) records something that has already happened but is after ``today`` (a time:
        after ``now``, when given, by more than :data:`FUTURE_SLACK`; else by its date).
        Nothing is checked without a ``today``: the forms never read the clock, the caller
        says what day (and time) it is."""
        if value is None:
            return
        if isinstance(value, datetime) and now is not None:
            if _wall_time(value) > _wall_time(now) + FUTURE_SLACK:
                self.add(field, f"{name} cannot be in the future")
            return
        if today is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        if day > today:
            self.add(field, f"{name} cannot be in the future")

    def nested(self, prefix: str, inner: list[FieldProblem]) -> None:
        """Add a section's or a list item's problems under ``prefix``."""
        for problem in inner:
            self.add(f"{prefix}.{problem.field}", problem.message)


FUTURE_SLACK = timedelta(minutes=5)
"""How far after now a time of something already done may be (a time rounded up to the next
five minutes as it is written down) before it is refused as in the future."""


def _wall_time(moment: datetime) -> datetime:
    """``moment`` as the officer's local wall-clock time, without a zone (typed times have
    none; the clock's has one)."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def is_empty(value: Any) -> bool:
    """True for a value an officer has not filled in yet."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | dict):
        return len(value) == 0
    return False


def entry_title(model: type[BaseModel]) -> str | None:
    """What one entry of a list of ``model`` sections is called ("Action", not "Actions"): the
    section model's own title (``model_config`` ``title``), or None when it has none."""
    title = model.model_config.get("title")
    return str(title) if title else None


class FormSection(BaseModel):
    """A part of a form. Unknown fields are refused, so nothing typed is ever silently dropped."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, str_strip_whitespace=True
    )


class Form(FormSection):
    """A whole form document, saved as JSON with the version of its schema."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = ""

    schema_version: int = Field(default=1, title="Form version")

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be 1 or more")
        if value > cls.SCHEMA_VERSION:
            raise ValueError(
                "is newer than this app understands: update fieldkit to open this form"
            )
        return value

    def ready_problems(self, as_of: date | None = None) -> list[FieldProblem]:
        """Everything missing or inconsistent that stops this form being marked ready."""
        return []


_Model = TypeVar("_Model", bound=BaseModel)


def without_invalid(model: type[_Model], data: dict[str, Any], *,
                    tries: int = 20, context: dict[str, Any] | None = None) -> _Model | None:
    """The form made of what is valid in ``data``: each field that fails is left out, as if
    not answered yet, so the rules (a child, or an adult who refused) and what is still
    missing hold while something typed is being corrected. ``None`` when a fault cannot be
    left out that way (one about the whole form). ``context``: :data:`TYPED` for what is being
    typed now (a badly typed phone number is left out too)."""
    current = copy.deepcopy(data)
    for _ in range(tries):
        try:
            return model.model_validate(current, context=context)
        except ValidationError as error:
            dropped = [_drop(current, problem["loc"]) for problem in error.errors()]
            if not any(dropped):
                return None
    return None


def _drop(data: Any, location: tuple[int | str, ...]) -> bool:
    """Remove the value at ``location`` (keys and list positions); False if not there."""
    if not location:
        return False
    node = data
    for key in location[:-1]:
        if not _holds(node, key):
            return False
        node = node[key]
    if not _holds(node, location[-1]):
        return False
    del node[location[-1]]
    return True


def _holds(node: Any, key: int | str) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
