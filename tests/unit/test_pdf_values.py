"""How the packs write times: which clock each is on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from fieldkit.pdf import values


def test_a_time_written_on_a_form_says_which_clock_it_is() -> None:
    """A visit's start (typed on the officer's clock) printed with no zone beside the record's
    UTC times: a reader could not tell them apart."""
    assert values.moment(datetime(2026, 12, 3, 4, 14)) == "3 December 2026 04:14 (local time)"
    assert values.moment(datetime(2026, 12, 3, 4, 14, tzinfo=UTC)) == "3 December 2026 04:14 UTC"
    summer = timezone(timedelta(hours=1))
    assert values.moment(datetime(2026, 6, 3, 4, 14, tzinfo=summer)) == (
        "3 June 2026 04:14 (UTC+01:00)")
    assert values.moment(None) == ""


def test_where_exploited_unticked_is_not_answered_never_no_and_no() -> None:
    """The packs printed "In the UK: No / Abroad: No" for a question not answered yet."""
    assert values.where_exploited(False, False) == ("Not answered", "Not answered")
    assert values.where_exploited(True, False) == ("Yes", "No")
    assert values.where_exploited(True, True) == ("Yes", "Yes")
