"""What every benchmark shares: timing with warm-up, the spread of the runs, the machine it ran
on, and the one results file (``bench/results.json``).

A benchmark module has ``run(scale) -> list[Result]``; ``scale`` is 1.0 for ``make bench`` and
0.1 for ``make bench-quick`` (each workload at a tenth of its size).
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results.json"


@dataclass(frozen=True)
class Spread:
    """The median of some measured runs, with their minimum and maximum."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """The spread of ``values`` (at least one)."""
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass
class Result:
    """One benchmark's line in results.json (seconds, or bytes for memory)."""

    name: str
    unit: str
    fieldkit: float
    fieldkit_min: float
    fieldkit_max: float
    baseline: float
    baseline_min: float
    baseline_max: float
    runs: int
    ratio: float
    goal: str
    met: bool
    load_before: float
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def compare(cls, name: str, ours: Spread, base: Spread, *, goal: str, met: bool,
                load_before: float, unit: str = "seconds",
                details: dict[str, Any] | None = None) -> Result:
        """A result from both spreads; ``met`` is decided by the benchmark against its goal."""
        return cls(name=name, unit=unit, fieldkit=ours.median, fieldkit_min=ours.low,
                   fieldkit_max=ours.high, baseline=base.median, baseline_min=base.low,
                   baseline_max=base.high, runs=min(ours.runs, base.runs),
                   ratio=ours.median / base.median, goal=goal, met=met,
                   load_before=load_before, details=details or {})


def load_now() -> float:
    """The one-minute load average (how busy the machine was)."""
    return round(os.getloadavg()[0], 2)


def scaled(size: int, scale: float, *, least: int = 1) -> int:
    """``size`` at ``scale``, never below ``least``."""
    return max(least, math.ceil(size * scale))


def runs_at(full: int, scale: float) -> int:
    """How many measured runs: ``full`` for ``make bench``, one for the quick check (which
    shows the code runs; its figures are not the benchmark's)."""
    return full if scale >= 1 else 1


def warmups_at(scale: float) -> int:
    """Unmeasured warm-up runs: one for ``make bench``, none for the quick check."""
    return 1 if scale >= 1 else 0


def timed(work: Callable[[], object]) -> float:
    """Seconds one call of ``work`` took."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def interleaved(ours: Callable[[], float], base: Callable[[], float], *, runs: int,
                warmup: int = 1) -> tuple[Spread, Spread]:
    """Run both sides alternately (so a busy moment on a shared machine hits both), after
    ``warmup`` unmeasured runs of each; each callable returns the seconds it measured."""
    for _ in range(warmup):
        base()
        ours()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        theirs.append(base())
        mine.append(ours())
    return Spread.of(mine), Spread.of(theirs)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0..1) percentile of ``values``, nearest rank."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def machine() -> dict[str, Any]:
    """Cores, Python, SQLCipher and Qt versions, and the load before the run."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    sqlcipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    conn.close()
    import PySide6
    from PySide6 import QtCore

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlcipher": sqlcipher,
        "sqlite": sqlite,
        "pyside6": PySide6.__version__,
        "qt": QtCore.qVersion(),
        "platform": platform.platform(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def write_results(results: list[Result], path: Path, *, scale: float,
                  machine_info: dict[str, Any], seconds: float) -> None:
    """Write the results file (whole, replacing the last one)."""
    document = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": scale,
        "machine": machine_info,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "total_seconds": round(seconds, 1),
        "benchmarks": [asdict(result) for result in results],
    }
    temp = path.with_suffix(".json.tmp")
    temp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, path)
