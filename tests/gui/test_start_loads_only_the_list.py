"""Starting to the cases list loads only what the list needs (issue 12, ``unlock_to_list``).

A new process starts as the ``fieldkit`` command starts the app (core dumps off, the command
line parsed, the application with its icon), opens the store with a key derived beforehand and
shows the cases list, as the benchmark does; the other screens, the form models, the command
line's other commands and the libraries only other work needs must not be loaded by then. What
is loaded, never how long it took (timings live in bench/).
"""

from __future__ import annotations

import json
import subprocess
import sys

from fieldkit.store import Store
from tests.conftest import PASSPHRASE, REPO
from tests.gui.conftest import Demo

CHILD = r"""
import json, os, sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from fieldkit.cli.main import parse_arguments
from fieldkit.process_guard import disable_core_dumps
from fieldkit.settings import Settings

order = json.loads(sys.stdin.readline())
disable_core_dumps()
settings = Settings.from_env(parse_arguments(["--data-dir", order["data_dir"]]).data_dir)

from fieldkit.keys import Unwrapped
from ui.app import make_application
from ui.main_window import MainWindow

app = make_application()
window = MainWindow(settings)
window.resize(1366, 768)
window.open_store(Unwrapped(bytes.fromhex(order["key"]), order["device_secret"],
                            order["page_hmac"]))
window.show()
app.processEvents()
window.grab()
rows = window.workspace.cases.model.rowCount()
modules = sorted(sys.modules)
window.lock()
print(json.dumps({"rows": rows, "modules": modules}))
"""

NOT_AT_START = ("pydantic", "keyring", "reportlab", "httpx", "yaml", "forms", "pyrage",
                "cryptography")
"""Libraries only other work needs: form models, key files, sealing, printing, sending, and
the key sealing audit events waiting for room (derived only when one has to wait,
``fieldkit.audit_waiting``)."""

AFTER_THE_FIRST_PAINT = ("PySide6.QtNetwork",)
"""Loaded in the event-loop turn after the window is first painted: the network state."""

OTHER_SCREENS = ("ui.case_view", "ui.visit", "ui.person_form", "ui.reception_board",
                 "ui.document_page", "ui.outbox_view", "ui.search_view", "ui.first_run",
                 "ui.lead_profile", "ui.about", "ui.help", "ui.print_pack", "ui.pathway_panel",
                 "fieldkit.pathway",
                 "fieldkit.resources", "sync.freeze", "sync.bundle", "sync.profile",
                 "sync.transport", "fieldkit.cases", "fieldkit.records",
                 "fieldkit.cli.store_commands", "fieldkit.cli.form_commands",
                 "fieldkit.cli.sync_commands", "fieldkit.cli.lead_commands",
                 "fieldkit.cli.reception_commands", "ctypes.util", "subprocess",
                 "importlib.resources")


def test_the_cases_list_starts_without_the_other_screens_or_their_libraries(demo: Demo) -> None:
    unwrapped = Store.unwrap_key(demo.settings, PASSPHRASE)
    order = json.dumps({"data_dir": str(demo.settings.data_dir), "key": unwrapped.key.hex(),
                        "device_secret": unwrapped.uses_device_secret,
                        "page_hmac": unwrapped.page_hmac}) + "\n"
    done = subprocess.run([sys.executable, "-c", CHILD], input=order, capture_output=True,
                          text=True, cwd=REPO, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rows"] == 1  # the demo operation is listed
    modules = set(report["modules"])
    loaded = {name.split(".")[0] for name in modules}
    assert loaded.isdisjoint(NOT_AT_START), sorted(loaded.intersection(NOT_AT_START))
    assert modules.isdisjoint(OTHER_SCREENS), sorted(modules.intersection(OTHER_SCREENS))
    assert modules.isdisjoint(AFTER_THE_FIRST_PAINT), sorted(
        modules.intersection(AFTER_THE_FIRST_PAINT))


def test_the_network_state_shows_once_the_window_is_painted(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The status bar's network slot is filled after the first paint, not before: the list
    shows first, the network state a moment later (and the lock state at once)."""
    assert window.status.lock_label.text() == "Unlocked"
    qtbot.waitUntil(lambda: window.status.network_label.text() != "", timeout=5_000)
    assert window.status.network_label.text() in ("Online", "Offline", "Network: unknown")
    assert "PySide6.QtNetwork" in sys.modules


def test_a_window_never_shown_has_not_asked_for_the_network_yet(qtbot, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    hidden = MainWindow(demo.settings)
    qtbot.addWidget(hidden)
    qtbot.wait(50)
    assert hidden.status.network_label.text() == ""
    hidden.status.watch_network()  # what the first paint starts
    assert hidden.status.network_label.text() in ("Online", "Offline", "Network: unknown")
