"""Hybrid logical clocks: a wall-clock time in milliseconds, a counter for changes made within
the same millisecond (or after seeing a peer's clock ahead of ours), and the device id, written
as text that sorts in clock order. Every device's own clocks only ever go up."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TEXT = re.compile(r"(\d{13})\.(\d{6})\.([0-9a-f-]{36})")


@dataclass(frozen=True, order=True)
class Hlc:
    """One hybrid logical clock reading (ordered by time, then counter, then device)."""

    wall_ms: int
    counter: int
    device_id: str

    def text(self) -> str:
        """The reading as fixed-width text; text order is clock order."""
        return f"{self.wall_ms:013d}.{self.counter:06d}.{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Hlc:
        """Read :meth:`text`; ``ValueError`` if it is not a clock reading."""
        match = _TEXT.fullmatch(text)
        if match is None:
            raise ValueError("not a hybrid logical clock reading")
        return cls(int(match[1]), int(match[2]), match[3])


def next_clock(last: Hlc | None, now_ms: int, device_id: str) -> Hlc:
    """The clock for a new local change: later than ``last`` (this device's latest reading,
    including anything seen from peers) even if the wall clock went backwards."""
    if last is None or now_ms > last.wall_ms:
        return Hlc(now_ms, 0, device_id)
    return Hlc(last.wall_ms, last.counter + 1, device_id)


def seen_clock(last: Hlc | None, remote: Hlc, device_id: str) -> Hlc:
    """This device's latest reading after receiving a change stamped ``remote``."""
    if last is None or (remote.wall_ms, remote.counter) > (last.wall_ms, last.counter):
        return Hlc(remote.wall_ms, remote.counter, device_id)
    return last
