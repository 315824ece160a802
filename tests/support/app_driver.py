"""Drives the real app for the kill-and-restart test; run as
``python tests/support/app_driver.py DATA_DIR HOOK`` (the test suite's, never shipped).

``type:TEXT`` unlocks with ``FIELDKIT_PASSPHRASE``, opens the first case's first visit, types
TEXT into the note box with real key events and prints ``DRAFT-SAVED`` once the autosave has
written it (the test then kills the process). ``typed:TEXT`` types the same and prints
``TYPED`` at once, before the autosave (the test then asks the process to stop, as a shutdown
does). ``show`` unlocks, opens the same visit and prints ``NOTE-BOX:`` and the note box's text
as JSON, then quits.
"""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest

from fieldkit import cases
from ui.main_window import MainWindow
from ui.termination import CloseOnTermination


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def start_hook(window: MainWindow, hook: str) -> None:
    """Unlock, open the demo visit, then type or show, as ``hook`` says."""

    def unlocked(_key: object) -> None:
        workspace = window.workspace
        if workspace is None:
            _say("HOOK-FAILED: not unlocked")
            return
        first_case = cases.list_cases(workspace.store)[-1]
        visit = cases.list_visits(workspace.store, first_case.id)[0]
        workspace.open_case(first_case.id)
        page = workspace.open_visit(visit.id)
        if hook.startswith("type:"):
            page.notes.draft.saved.connect(lambda _key: _say("DRAFT-SAVED"))
            page.notes.input.setFocus()
            QTest.keyClicks(page.notes.input, hook.removeprefix("type:"))
        elif hook.startswith("typed:"):  # said at once, before the autosave's second
            page.notes.input.setFocus()
            QTest.keyClicks(page.notes.input, hook.removeprefix("typed:"))
            _say("TYPED")
        else:
            _say("NOTE-BOX:" + json.dumps(page.notes.input.toPlainText()))
            QCoreApplication.quit()

    # Connected after the window's own handler, so the store is open when this runs.
    window.unlock_page.keyReady.connect(unlocked)
    window.unlock_page.passphrase.setText(os.environ["FIELDKIT_PASSPHRASE"])
    window.unlock_page.submit()


def main() -> int:
    """Start the real main window on DATA_DIR and drive it as HOOK says."""
    from PySide6.QtWidgets import QApplication

    from fieldkit.settings import Settings

    data_dir, hook = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    window = MainWindow(Settings(data_dir=data_dir, kdf_min_seconds=0.001, kdf_memory_kib=8192))
    window.resize(1280, 720)
    window.show()
    CloseOnTermination(window)  # as run_app does
    start_hook(window, hook)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
