"""Start the desktop app."""

from __future__ import annotations

import sys

from fieldkit.settings import Settings


def run_app(settings: Settings) -> int:
    """Create the Qt application and the main window, and run until it closes."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("fieldkit")
    label = QLabel(
        QApplication.translate(
            "App",
            "fieldkit: the desktop screens are being built. Use the fieldkit command for now.",
        )
    )
    label.setWordWrap(True)
    window.setCentralWidget(label)
    window.resize(800, 500)
    window.show()
    return int(app.exec())
