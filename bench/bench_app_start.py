"""``unlock_to_list`` and ``rss_10k``, from the same process starts.

fieldkit: a new process starts, opens the store (1,000 cases, 10,000 visits, 100,000 note
entries) with a key derived beforehand, and shows the cases list, laid out and painted.
Baseline: a new process starts and shows a bare PySide6 window. Both are timed from just before
the process is spawned to the moment the window has been painted (``bench/app_process.py``).

Key derivation is excluded from the clock: it is the passphrase's protection, calibrated to
take at least ``kdf_min_seconds``; it is measured apart (the store is made with the default,
calibrated cost) and reported in the details.

``rss_10k`` is the peak resident memory of those same processes (the median of the runs).

fieldkit's modules are compiled to bytecode before the runs, as an installed copy has them (pip
compiles at install; a frozen build carries them) and as PySide6 has them for the baseline: a
checkout run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every fieldkit module
from source in every start, which no officer's laptop does. The ``bench`` package, which both
sides' processes run, is compiled too.
"""

from __future__ import annotations

import compileall
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import fill
from bench.harness import Result, Spread, load_now, runs_at, scaled, timed, warmups_at
from bench.rig import PASSPHRASE

RUNS = 11
"""Each run is one process start on each side (about a second in all): eleven rather than five,
so that one start slowed or sped by the rest of the machine moves the median less."""
GOAL_RATIO = 2.0
GOAL_RSS = 250 * 1024 * 1024
PACKAGES = ("forms", "fieldkit", "sync", "ui", "resources", "bench")
"""fieldkit's own packages (compiled beforehand, untimed), and this benchmark's own, which both
sides' processes import (``bench.app_process``): neither compiles source at its start."""


def _start(kind: str, order: str = "") -> tuple[float, dict[str, object]]:
    """Spawn one process; seconds from spawn to painted window, and what it reported."""
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "bench.app_process", kind], input=order,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} process failed:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return float(report["shown"]) - started, report


def run(scale: float) -> list[Result]:
    """Measure ``unlock_to_list`` and ``rss_10k`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    from fieldkit.settings import Settings
    from fieldkit.store import Store

    keyring.set_keyring(fail.Keyring())
    visits = scaled(10_000, scale)
    with tempfile.TemporaryDirectory() as temp:
        settings = Settings(data_dir=Path(temp) / "store")  # the calibrated key derivation
        store = Store.create(settings, PASSPHRASE, officer="Bench Officer")
        fill(store.conn, cases=scaled(1000, scale), visits=visits, entries=visits * 10)
        store.lock()
        unwrapped = None

        def derive() -> None:
            nonlocal unwrapped
            unwrapped = Store.unwrap_key(settings, PASSPHRASE)

        kdf_seconds = timed(derive)
        assert unwrapped is not None
        order = json.dumps({"data_dir": str(settings.data_dir), "key": unwrapped.key.hex(),
                            "device_secret": unwrapped.uses_device_secret,
                            "page_hmac": unwrapped.page_hmac}) + "\n"
        root = Path(__file__).resolve().parents[1]
        compiled = all(compileall.compile_dir(root / package, quiet=1) for package in PACKAGES)
        load = load_now()
        for _ in range(warmups_at(scale)):  # the OS file cache holds Python, Qt and the store
            _start("bare")
            _start("fieldkit", order)
        ours, base, ours_rss, base_rss, shown = [], [], [], [], 0
        for _ in range(runs_at(RUNS, scale)):
            took, report = _start("bare")
            base.append(took)
            base_rss.append(float(report["peak_rss_bytes"]))  # type: ignore[arg-type]
            took, report = _start("fieldkit", order)
            ours.append(took)
            ours_rss.append(float(report["peak_rss_bytes"]))  # type: ignore[arg-type]
            shown = int(report["visits"])  # type: ignore[call-overload]
    assert shown == visits, f"the cases list showed {shown} visits, not {visits}"
    mine, theirs = Spread.of(ours), Spread.of(base)
    ratio = mine.median / theirs.median
    memory, bare_memory = Spread.of(ours_rss), Spread.of(base_rss)
    return [
        Result.compare("unlock_to_list", mine, theirs, goal=f"ratio <= {GOAL_RATIO}",
                       met=ratio <= GOAL_RATIO, load_before=load,
                       details={"visits_shown": shown, "kdf_seconds_excluded": round(
                           kdf_seconds, 3), "kdf_min_seconds": settings.kdf_min_seconds,
                           "kdf_memory_kib": settings.kdf_memory_kib,
                           "bytecode_compiled_beforehand": bool(compiled)}),
        Result.compare("rss_10k", memory, bare_memory, unit="bytes",
                       goal=f"under {GOAL_RSS // (1024 * 1024)} MB",
                       met=memory.median < GOAL_RSS, load_before=load,
                       details={"fieldkit_mb": round(memory.median / 1024 / 1024, 1),
                                "baseline_mb": round(bare_memory.median / 1024 / 1024, 1)}),
    ]
