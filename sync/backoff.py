"""When to try a failed delivery again: exponential backoff with jitter, one minute to one hour."""

from __future__ import annotations

import random
from collections.abc import Callable

FIRST_DELAY_SECONDS = 60.0
MAX_DELAY_SECONDS = 3600.0


def retry_delay(failures: int, *, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after ``failures`` consecutive failed attempts (``failures >= 1``).

    The window doubles each time: after the first failure a delay in [60, 120) s, then
    [120, 240) s, and so on, until it settles at [1800, 3600] s. Jitter (``rng`` returns a float
    in [0, 1)) spreads devices out so they do not all retry the moment an inbox comes back.
    """
    if failures < 1:
        raise ValueError("failures counts failed attempts, starting at 1")
    exponent = min(failures, 32)  # 2**32 minutes is far past the cap; avoids huge floats
    high = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0**exponent)
    low = max(FIRST_DELAY_SECONDS, high / 2.0)
    return min(MAX_DELAY_SECONDS, low + (high - low) * rng())
