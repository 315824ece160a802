"""Wrong passphrases in a row, counted in a small file in the store folder (not in memory), so
quitting the app or running the command line again does not reset the growing wait.

The file holds a count and a time, nothing personal. It slows guessing at the keyboard or the
command line; someone who can copy the folder can guess offline instead, which the key
derivation (Argon2id) and the device secret in the keyring are there to slow or stop.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fieldkit.atomicfile import write_atomic
from fieldkit.clock import parse_stamp, stamp, utc_now

FAILURES_NAME = "unlock-failures.json"
MAX_DELAY_SECONDS = 60
MAX_FAILURES_IF_UNREADABLE = 5
"""An unreadable counter is treated as this many failures (an 8-second wait), not as none."""


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 1, 2, 4, ... 60.

    One slip is free; after that each attempt costs twice the last, which barely slows an
    officer who mistyped and makes guessing at the keyboard pointless.
    """
    if failures < 2:
        return 0
    return int(min(MAX_DELAY_SECONDS, 2 ** (failures - 2)))


@dataclass(frozen=True)
class Failures:
    """Wrong passphrases in a row, and when the last one was given."""

    count: int
    last: datetime | None

    def wait_left(self, now: datetime | None = None) -> int:
        """Whole seconds before the next attempt is allowed (0: now). A clock set back never
        shortens the wait below the full delay counted from now."""
        delay = delay_after(self.count)
        if not delay or self.last is None:
            return 0
        left = (self.last + timedelta(seconds=delay) - (now or utc_now())).total_seconds()
        return max(0, min(delay, math.ceil(left)))


def read_failures(folder: Path) -> Failures:
    """The count kept in ``folder``: none when there is no file; an unreadable file counts as
    several failures, never as a clean slate someone could get by spoiling it."""
    path = folder / FAILURES_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Failures(int(raw["count"]), parse_stamp(str(raw["last"])))
    except FileNotFoundError:
        return Failures(0, None)
    except (OSError, ValueError, KeyError, TypeError):
        return Failures(MAX_FAILURES_IF_UNREADABLE, utc_now())


def record_failure(folder: Path) -> Failures:
    """Count one more wrong passphrase; returns the new count."""
    now = utc_now()
    found = Failures(read_failures(folder).count + 1, now)
    body = json.dumps({"count": found.count, "last": stamp(now)}).encode("utf-8")
    write_atomic(folder / FAILURES_NAME, body, 0o600)
    return found


def clear_failures(folder: Path) -> None:
    """Forget the count after a successful unlock."""
    path = folder / FAILURES_NAME
    if path.exists():
        path.unlink()
