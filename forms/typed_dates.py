"""Dates as officers type them into a form's date fields.

The forms keep dates as ISO text (2026-05-31, 2026-05-31 14:30); officers in England write the
day first (31/05/2026). A field's typed text is turned into the form's own spelling here, once,
before the form's model reads it: ``31/05/2026`` and ``31.05.2026`` and ``31-05-2026`` (day,
month, four-figure year), with a time after a space when the field has one. Anything else is
handed on as typed, for the model to refuse with the field's own plain words; two-figure years
(``31/05/26``) are refused that way too, rather than guessed.
"""

from __future__ import annotations

import re

_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?"
)


def typed_date(text: str, *, with_time: bool) -> str:
    """The form's spelling of a date (or date and time, ``with_time``) typed day first, or
    ``text`` stripped and otherwise unchanged when it is not one (ISO already, or not a date:
    the model says which). A day and month that cannot be a date (31/02/2026) are spelled out
    all the same, so the model's refusal names the field."""
    typed = text.strip()
    found = _DAY_FIRST.fullmatch(typed)
    if found is None:
        return typed
    day = f"{found['year']}-{int(found['month']):02d}-{int(found['day']):02d}"
    if found["hour"] is None:
        return day
    if not with_time:
        return typed  # a time where only a date is asked: refused as typed
    return f"{day} {int(found['hour']):02d}:{found['minute']}"  # as the "Now" button writes
