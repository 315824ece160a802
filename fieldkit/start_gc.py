"""The cyclic garbage collector while the app starts (issue 12, ``unlock_to_list``).

Starting the app imports PySide6 and fieldkit and builds the window: a few hundred thousand
objects, nearly all kept for the life of the process. With the usual thresholds the collector's
youngest generation fills some fifty times on the way and it walks what was just made again and
again (about 10 ms of CPU before the first screen, freeing nothing that matters). While the app
starts, that generation's threshold is raised, so those walks wait; once the first window has
been painted the thresholds are put back, and the next collection looks at everything as it
would have. Reference counting frees objects as always; only reference cycles wait. Should the
window never be painted, collections still run, only less often.
"""

from __future__ import annotations

import gc

START_THRESHOLD = 100_000
"""Allocations (less deallocations) before a young collection while the app starts."""

_held: list[tuple[int, int, int]] = []  # the thresholds to put back, while held


def hold() -> None:
    """Raise the young generation's threshold until :func:`release` (once; idempotent)."""
    if not _held:
        first, second, third = gc.get_threshold()
        _held.append((first, second, third))
        gc.set_threshold(max(START_THRESHOLD, first), second, third)


def release() -> None:
    """Put the thresholds back as they were before :func:`hold`."""
    if _held:
        gc.set_threshold(*_held.pop())


def held() -> bool:
    """True between :func:`hold` and :func:`release`."""
    return bool(_held)
