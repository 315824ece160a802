"""``clock.stamp`` writes the text every record and audit hash is built on: the same text as
``strftime("%Y-%m-%dT%H:%M:%S.%fZ")`` of the instant in UTC, whatever zone it is given in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from fieldkit import clock

MOMENTS = [
    datetime(2026, 11, 22, 7, 41, 35, 123456, tzinfo=UTC),
    datetime(2026, 11, 22, 7, 41, 35, tzinfo=UTC),  # no microseconds: still six digits
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, 0, 5, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2026, 3, 29, 1, 30, 0, 5, tzinfo=timezone(timedelta(hours=13, minutes=45))),
    datetime(2026, 3, 29, 1, 30, 0, 5),  # no zone: local time, as before
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_stamp_is_the_utc_text_it_always_was(moment: datetime) -> None:
    assert clock.stamp(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_stamp_of_now_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    local = datetime(2026, 6, 1, 12, 0, 0, 42, tzinfo=timezone(timedelta(hours=1)))
    monkeypatch.setattr(clock, "utc_now", lambda: local)
    assert clock.stamp() == "2026-06-01T11:00:00.000042Z"
    assert clock.parse_stamp(clock.stamp()) == local
