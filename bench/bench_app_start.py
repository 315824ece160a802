"""From unlock to the cases list on screen with 10,000 visits in the store, against a bare
PySide6 window start measured in the same run.

Key derivation is excluded (the key is derived once in setup): the clock starts at
``Store.open_unwrapped`` and stops when the cases list has been laid out and painted. The
baseline is a bare PySide6 window started as an app starts (a new process, until shown); a
stricter figure against building a bare window inside a running app is printed too.

Run: .venv/bin/python -m bench.bench_app_start   (goal: ratio under 2x)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.clock import stamp
from fieldkit.settings import Settings
from fieldkit.store import Store

CASES = int(os.environ.get("BENCH_CASES", "1000"))
VISITS = int(os.environ.get("BENCH_VISITS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PASSPHRASE = "bench passphrase for a throwaway store"


def _fill(settings: Settings) -> None:
    """CASES cases and VISITS visits by direct SQL, in one transaction (setup is not timed)."""
    store = Store.create(settings, PASSPHRASE, officer="Bench Officer")
    now = stamp()
    case_ids = [str(uuid.uuid4()) for _ in range(CASES)]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO cases(id, reference, title, status, created_at, updated_at) "
            "VALUES (?, ?, ?, 'open', ?, ?)",
            [(cid, f"FK-2026-{n + 1:05d}", f"Fictional operation {n + 1}", now, now)
             for n, cid in enumerate(case_ids)])
        conn.executemany(
            "INSERT INTO visits(id, case_id, premises_name, address, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(str(uuid.uuid4()), case_ids[n % CASES], f"Unit {n}", "1 Example Road", now)
             for n in range(VISITS)])
    store.lock()


def _show(window: QWidget) -> None:
    """Lay out and paint the window now (what 'shown' means for both measurements)."""
    QApplication.processEvents()
    window.grab()


_BARE_PROCESS = """
import sys, time
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Cases"))
window.resize(1366, 768)
window.show()
app.processEvents()
window.grab()
print(time.time())
"""


def _bare_process() -> float:
    """A bare PySide6 window started the way an app starts: a new process, until shown."""
    started = time.time()
    done = subprocess.run([sys.executable, "-c", _BARE_PROCESS], capture_output=True, text=True,
                          check=True, env=dict(os.environ, QT_QPA_PLATFORM=os.environ.get(
                              "QT_QPA_PLATFORM", "offscreen")))
    return float(done.stdout.strip().splitlines()[-1]) - started


def _bare_window() -> float:
    started = time.perf_counter()
    window = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(QLabel("Cases"))
    layout.addWidget(QTableView())
    window.setCentralWidget(body)
    window.resize(1366, 768)
    window.show()
    _show(window)
    took = time.perf_counter() - started
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return took


def _fieldkit(settings: Settings, unwrapped: object) -> tuple[float, int]:
    from ui.main_window import MainWindow

    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()
    _show(window)  # the unlock screen is up, as when the officer types the passphrase
    started = time.perf_counter()
    window.open_store(unwrapped)  # Store.open_unwrapped, then the workspace and cases list
    _show(window)
    took = time.perf_counter() - started
    assert window.workspace is not None
    rows = window.workspace.cases.model.rowCount()
    visits = sum(int(window.workspace.cases.model.index(r, 3).data()) for r in range(rows))
    window.lock()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return took, visits


def main() -> None:
    """Print both medians and their ratio."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as temp:
        settings = Settings(data_dir=Path(temp) / "store", kdf_min_seconds=0.01,
                            kdf_memory_kib=8192)
        _fill(settings)
        unwrapped = Store.unwrap_key(settings, PASSPHRASE)  # the slow KDF, outside the clock
        _bare_window()  # warm up both paths (imports, fonts, style) before timing
        _fieldkit(settings, unwrapped)
        bare, process, ours, visits = [], [], [], 0
        for _ in range(RUNS):
            bare.append(_bare_window())
            process.append(_bare_process())
            took, visits = _fieldkit(settings, unwrapped)
            ours.append(took)
    base, started = statistics.median(bare), statistics.median(process)
    app_start = statistics.median(ours)
    print(f"unlock to cases list ({CASES} cases, {visits} visits): "
          f"{app_start * 1000:.1f} ms (median of {RUNS})")
    print(f"bare PySide6 window start (new process until shown): {started * 1000:.1f} ms")
    print(f"bare PySide6 window built in a running app:         {base * 1000:.1f} ms")
    print(f"ratio against the bare window start: {app_start / started:.2f}x (goal: under 2x)")
    print(f"ratio against building a bare window in-process: {app_start / base:.1f}x "
          "(stricter; unlock also opens the database and writes the audit event durably)")
    del app


if __name__ == "__main__":
    main()
