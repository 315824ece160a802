"""How values read on paper: yes/no, times, dates, choices by their labels, countries and
languages by name, indicators and checklist items by their text from the council's resources."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from fieldkit.clock import parse_stamp
from fieldkit.resources import ResourceError, load_resources
from forms.choices import label
from forms.countries import country_name, language_name


def yes_no(value: bool | None) -> str:
    """``Yes``, ``No`` or blank (not answered)."""
    return "" if value is None else ("Yes" if value else "No")


def where_exploited(in_uk: bool, abroad: bool) -> tuple[str, str]:
    """"In the UK" and "Abroad" as printed: both unticked is a question not answered yet (the
    form keeps two ticks, not a yes or no each), never "No" and "No"."""
    if not in_uk and not abroad:
        return "Not answered", "Not answered"
    return yes_no(in_uk), yes_no(abroad)


def choice(value: StrEnum | None) -> str:
    """A choice by its display label; blank when not chosen."""
    return "" if value is None else label(value)


def choices(values: Iterable[StrEnum]) -> str:
    """Several choices, comma separated."""
    return ", ".join(label(v) for v in values)


def day(value: date | None) -> str:
    """A date as ``31 May 2026``."""
    return "" if value is None else f"{value.day} {value:%B %Y}"


def moment(value: datetime | None) -> str:
    """A time as written on the form, e.g. ``31 May 2026 10:15 (local time)``, or with its offset
    if it has one: beside the record's own times (UTC), a reader knows which clock it is."""
    if value is None:
        return ""
    shown = f"{value.day} {value:%B %Y %H:%M}"
    if value.utcoffset() is None:
        shown += " (local time)"
    else:
        offset = value.strftime("%z")
        shown += " UTC" if offset == "+0000" else f" (UTC{offset[:3]}:{offset[3:]})"
    return shown


def clock(value: datetime | None, day: date | None = None) -> str:
    """Only the time of day, e.g. ``14:05``, for a busy table; with its date on a second line
    (``14:05`` then ``23 Nov``) when it is not on ``day`` (the day the table is about), so a
    time after midnight is never read as the same day's."""
    if value is None:
        return ""
    if day is None or value.date() == day:
        return f"{value:%H:%M}"
    return f"{value:%H:%M}\n{value.day} {value:%b}"


def stamp_text(stamp: str) -> str:
    """A store timestamp (UTC) to the second, e.g. ``31 May 2026 10:15:02 UTC``."""
    try:
        when = parse_stamp(stamp)
    except ValueError:
        return stamp
    return f"{when.day} {when:%B %Y %H:%M:%S} UTC"


def clock_time(stamp: str) -> str:
    """Only the time of a store timestamp, e.g. ``10:15:02 UTC``."""
    try:
        return f"{parse_stamp(stamp):%H:%M:%S} UTC"
    except ValueError:
        return stamp


def country(code: str | None) -> str:
    """A country by name (the code itself if unknown)."""
    if not code:
        return ""
    try:
        return country_name(code)
    except KeyError:
        return code


def countries(codes: Iterable[str]) -> str:
    """Several countries by name."""
    return ", ".join(country(c) for c in codes)


def language(code: str | None) -> str:
    """A language by name (the code itself if unknown)."""
    if not code:
        return ""
    try:
        return language_name(code)
    except KeyError:
        return code


def languages(codes: Iterable[str]) -> str:
    """Several languages by name."""
    return ", ".join(language(c) for c in codes)


def joined(values: Iterable[str]) -> str:
    """Non-empty strings, comma separated."""
    return ", ".join(v for v in values if v.strip())


def numbers(values: Iterable[int]) -> str:
    """Numbers in words' order: "2", "2 and 4", "2, 4 and 5"."""
    words = [str(n) for n in values]
    return " and ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def _checklist_texts() -> dict[str, str]:
    """Every indicator and reception set-up item in the council's resources, id to text."""
    try:
        found = load_resources()
    except ResourceError:
        return {}  # a council's broken list must not stop a pack printing: ids are shown
    texts = {item.id: item.text for item in found.indicators.every_indicator()}
    texts.update((item.id, item.text) for item in found.reception_setup)
    return texts


def item_text(item_id: str) -> str:
    """An indicator or checklist item by its text; the id when the lists do not have it."""
    return _checklist_texts().get(item_id, item_id)
