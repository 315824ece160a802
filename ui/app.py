"""Start the desktop app."""

from __future__ import annotations

import os
import sys

from fieldkit.settings import Settings


def run_app(settings: Settings) -> int:
    """Create the Qt application and the main window, and run until it closes."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("fieldkit")
    app.setApplicationDisplayName("fieldkit")
    window = MainWindow(settings)
    window.resize(1280, 720)
    window.show()
    hook = os.environ.get("FIELDKIT_UI_TEST_HOOK")
    if hook:
        # Only for the kill-and-restart test: drives the real app the way an officer would.
        from ui.test_hook import start_hook

        start_hook(window, hook)
    return int(app.exec())
