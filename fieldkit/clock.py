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
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    """Read a timestamp written by :func:`stamp`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def local_now() -> datetime:
    """The current time in the officer's own time zone (the computer's), zone attached."""
    return datetime.now().astimezone()


def today() -> date:
    """Today's date where the officer is: the one "today" every rule and form default uses."""
    return local_now().date()


def local_display(utc_stamp: str, with_date: bool = True) -> str:
    """A stamp in the computer's local time, naming the zone (``14:05:03 BST``), so a time
    written before a GMT/BST change, or on a laptop set to another zone, is never ambiguous.
    Text that is not a stamp (or is out of range) is shown as it is."""
    try:
        moment = parse_stamp(utc_stamp).astimezone()
    except (ValueError, OverflowError):  # e.g. the outbox's "never" date east of UTC
        return utc_stamp
    shown = moment.strftime("%d %b %Y %H:%M:%S" if with_date else "%H:%M:%S")
    return f"{shown} {moment.tzname() or moment.strftime('%z')}"
