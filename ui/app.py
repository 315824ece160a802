"""Start the desktop app, or its self-test: the command line's one way into ``ui``."""

from __future__ import annotations

import os
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

    ``offscreen`` draws nothing on screen (the self-test) unless ``QT_QPA_PLATFORM`` names a
    platform; it only applies when the application is created here."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        chosen = os.environ.get("QT_QPA_PLATFORM")
        argv = [sys.argv[0], "-platform", "offscreen"] if offscreen and not chosen else sys.argv
        app = QApplication(argv)
    app.setApplicationName("fieldkit")
    app.setApplicationDisplayName("fieldkit")
    app.setWindowIcon(app_icon())
    return app


def run_app(settings: Settings, *, lead: bool = False) -> int:
    """Create the Qt application and the main window (the Lead's window in the Lead role),
    and run until it closes."""
    from PySide6.QtWidgets import QMainWindow

    app = make_application()
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


def run_self_test(settings: Settings, passphrase: str) -> int:
    """``fieldkit self-test``: offscreen, unlock, the cases list, close (ui/self_test.py)."""
    from ui import self_test

    return self_test.run(make_application(offscreen=True), settings, passphrase)


def qt_version() -> str:
    """The version of Qt this process loads (``fieldkit --version``)."""
    from ui.about import running_qt_version  # the About box brings keyring: not at start

    return running_qt_version()
