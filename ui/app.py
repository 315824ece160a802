"""Start the desktop app."""

from __future__ import annotations

import sys
from importlib import resources as package_data

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from fieldkit.settings import Settings

ICON = "icon.png"
"""The app icon in ``resources/`` (drawn from icon.svg by packaging/make_icon.py)."""


def app_icon() -> QIcon:
    """fieldkit's icon, read through importlib.resources so a frozen build finds it too."""
    pixmap = QPixmap()
    pixmap.loadFromData(package_data.files("resources").joinpath(ICON).read_bytes())
    return QIcon(pixmap)


def make_application(offscreen: bool = False) -> QApplication:
    """The Qt application (the existing one if there is one), named and with its icon.

    ``offscreen`` draws nothing on screen (the self-test); it only applies when the
    application is created here."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        argv = [sys.argv[0], "-platform", "offscreen"] if offscreen else sys.argv
        app = QApplication(argv)
    app.setApplicationName("fieldkit")
    app.setApplicationDisplayName("fieldkit")
    app.setWindowIcon(app_icon())
    return app


def run_app(settings: Settings) -> int:
    """Create the Qt application and the main window, and run until it closes."""
    from ui.main_window import MainWindow

    app = make_application()
    window = MainWindow(settings)
    screen = app.primaryScreen()
    if screen is not None and screen.availableGeometry().width() <= 1440:
        window.showMaximized()  # a 1366x768 laptop: every pixel is needed (the board)
    else:
        window.resize(1280, 720)
        window.show()
    return int(app.exec())
