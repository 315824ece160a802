"""Start the desktop app."""

from __future__ import annotations

import sys

from fieldkit.settings import Settings


def run_app(settings: Settings, *, lead: bool = False) -> int:
    """Create the Qt application and the main window (the Lead's window in the Lead role),
    and run until it closes."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("fieldkit")
    app.setApplicationDisplayName("fieldkit")
    window: QMainWindow
    if lead:
        from ui.lead.window import LeadWindow

        window = LeadWindow(settings)
    else:
        from ui.main_window import MainWindow

        window = MainWindow(settings)
    screen = app.primaryScreen()
    if screen is not None and screen.availableGeometry().width() <= 1440:
        window.showMaximized()  # a 1366x768 laptop: every pixel is needed (the board)
    else:
        window.resize(1280, 720)
        window.show()
    return int(app.exec())
