"""Reading core timestamps (``fieldkit.clock.parse_stamp``): the fast reading of the stamp's
own shape gives what ``strptime`` gives, and anything else is read or refused as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fieldkit.clock import parse_stamp, stamp

FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _strptime(text: str) -> datetime:
    return datetime.strptime(text, FORMAT).replace(tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "2026-11-22T07:41:35.123456Z", "2024-02-29T23:59:59.999999Z", "0001-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59.000001Z",
    "2026-3-4T5:06:07.1Z", "２０２６-11-22T07:41:35.123456Z",  # strptime's looser reading, kept
])
def test_a_stamp_reads_as_strptime_reads_it(text: str) -> None:
    assert parse_stamp(text) == _strptime(text)
    assert parse_stamp(text).tzinfo is UTC


def test_every_stamp_written_reads_back() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for step in range(0, 400 * 24 * 3600, 7919 * 37):
        written = stamp(moment + timedelta(seconds=step, microseconds=step % 1_000_000))
        assert parse_stamp(written) == moment + timedelta(seconds=step,
                                                          microseconds=step % 1_000_000)


@pytest.mark.parametrize("text", [
    "2026-13-22T07:41:35.123456Z", "2026-02-30T07:41:35.123456Z", "2026-11-22T24:41:35.123456Z",
    "2026-11-22T07:41:35,123456Z", "2026-11-22 07:41:35.123456Z", "2026-11-22T07:41:35.123456",
    "2026-11-22T07:41:35.123456+00:00", "", "garbage",
])
def test_what_strptime_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        _strptime(text)
    with pytest.raises(ValueError):
        parse_stamp(text)
