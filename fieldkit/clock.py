"""The one place the core reads the wall clock: records are timed in UTC; "today" is the local
date of the officer's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """The current time in UTC, to the microsecond."""
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """An ISO 8601 UTC timestamp, e.g. ``2026-11-22T07:41:35.123456Z``, sortable as text."""
    moment = moment or utc_now()
    if moment.tzinfo is not UTC:  # another zone, or none (local time): the instant in UTC
        moment = moment.astimezone(UTC)
    # isoformat is the same text as strftime("%Y-%m-%dT%H:%M:%S.%fZ") for years 1000-9999, at
    # a third of the cost (three stamps a note: the entry, the case, the audit event).
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def parse_stamp(text: str) -> datetime:
    """Read a timestamp written by :func:`stamp`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def local_now() -> datetime:
    """The current time in the officer's own time zone (the computer's), zone attached."""
    return datetime.now().astimezone()


def today() -> date:
    """Today's date where the officer is: the one "today" every rule and form default uses."""
    return local_now().date()
