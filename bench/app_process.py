"""One process start for ``unlock_to_list`` and ``rss_10k``: ``python -m bench.app_process
fieldkit|bare``. It prints one JSON line: when the window was shown (wall clock), the peak
memory of the process, and (fieldkit) how many visits the cases list shows.

``fieldkit`` reads the store folder and the already derived key from stdin (never argv or a
file) and starts as the ``fieldkit`` command starts the app (``fieldkit.cli.main.main`` then
``ui.app.run_app``): core dumps off, the command line parsed (``--data-dir DIR``), the settings
read, the garbage collector held until the first paint (``fieldkit.start_gc``), the application
made with its name and icon (``make_application``), the main window; then
it opens the store with the key and shows the cases list, as the app does once the officer's
passphrase has been turned into the key. ``bare`` shows a bare PySide6 window.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _shown(window: object) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.grab()  # type: ignore[attr-defined]  # laid out and painted


def _bare() -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Cases"))
    window.resize(1366, 768)
    window.show()
    _shown(window)
    shown = time.time()
    del app
    return {"shown": shown}


def _fieldkit(order: dict[str, str]) -> dict[str, object]:
    from fieldkit import start_gc
    from fieldkit.cli.main import parse_arguments
    from fieldkit.process_guard import disable_core_dumps
    from fieldkit.settings import Settings

    disable_core_dumps()  # as fieldkit.cli.main.main, before anything else
    arguments = parse_arguments(["--data-dir", order["data_dir"]])
    settings = Settings.from_env(arguments.data_dir)
    start_gc.hold()  # as fieldkit.cli.main.cmd_app

    from fieldkit.keys import Unwrapped
    from ui.app import make_application, release_gc_when_painted
    from ui.main_window import MainWindow

    app = make_application()  # as ui.app.run_app: named, with the window icon
    window = MainWindow(settings)
    release_gc_when_painted(window)
    window.resize(1366, 768)
    window.open_store(Unwrapped(bytes.fromhex(order["key"]), bool(order["device_secret"]),
                                order["page_hmac"]))  # type: ignore[arg-type]  # from JSON
    window.show()
    _shown(window)
    shown = time.time()
    assert window.workspace is not None
    model = window.workspace.cases.model
    visits = sum(int(model.index(r, 3).data()) for r in range(model.rowCount()))
    window.lock()
    del app
    return {"shown": shown, "visits": visits, "cases": model.rowCount()}


def _peak_rss() -> int:
    """This process's peak resident memory. Not ``getrusage``: on Linux its maximum carries
    over from the parent through fork and exec, so a child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(kind: str) -> int:
    """Start, show, report."""
    report = _fieldkit(json.loads(sys.stdin.readline())) if kind == "fieldkit" else _bare()
    report["peak_rss_bytes"] = _peak_rss()
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
