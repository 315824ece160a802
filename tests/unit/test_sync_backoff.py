"""Retry delays: one minute to start, doubling with jitter, never more than an hour."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.backoff import MAX_DELAY_SECONDS, retry_delay


def test_first_retry_is_about_a_minute() -> None:
    assert retry_delay(1, rng=lambda: 0.0) == 60.0
    assert 60.0 <= retry_delay(1, rng=lambda: 0.999) < 120.0


def test_windows_double_then_cap_at_an_hour() -> None:
    lows = [retry_delay(n, rng=lambda: 0.0) for n in range(1, 9)]
    assert lows == [60.0, 120.0, 240.0, 480.0, 960.0, 1800.0, 1800.0, 1800.0]
    assert retry_delay(50, rng=lambda: 1.0) == MAX_DELAY_SECONDS
    assert retry_delay(10**9, rng=lambda: 0.5) <= MAX_DELAY_SECONDS


def test_jitter_spreads_devices_out() -> None:
    rng = random.Random(7)
    delays = {round(retry_delay(4, rng=rng.random)) for _ in range(50)}
    assert len(delays) > 10


def test_failures_start_at_one() -> None:
    with pytest.raises(ValueError):
        retry_delay(0)


@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0.0, max_value=1.0))
def test_always_between_a_minute_and_an_hour(failures: int, r: float) -> None:
    assert 60.0 <= retry_delay(failures, rng=lambda: r) <= 3600.0
