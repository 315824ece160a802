"""Start the desktop app, or its self-test: the command line's one way into ``ui``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit import start_gc
from fieldkit.settings import Settings
from ui.first_paint import FirstPaint

ICON = "icon.png"
"""The app icon in ``resources/`` (drawn from icon.svg by packaging/make_icon.py)."""


def icon_bytes() -> bytes:
    """The icon's PNG: the file beside the ``resources`` package (a checkout, an installed copy,
    the frozen build's folder), else through importlib.resources (any other loader).
    importlib.resources alone costs about 10 ms of CPU at every start (its import and its
    readers), before the window can show."""
    import resources

    beside = Path(resources.__file__).with_name(ICON) if resources.__file__ else None
    if beside is not None and beside.is_file():
        return beside.read_bytes()
    from importlib import resources as package_data

    return package_data.files("resources").joinpath(ICON).read_bytes()


def app_icon() -> QIcon:
    """fieldkit's icon. Decoded as PNG, as it is: without the format Qt asks every image
    plugin whether it can read the bytes (about half the decoding time)."""
    pixmap = QPixmap()
    pixmap.loadFromData(icon_bytes(), "PNG")
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
    release_gc_when_painted(window)
    from ui.termination import CloseOnTermination

    CloseOnTermination(window)  # a shutdown or logout closes it as Quit does: nothing typed lost
    screen = app.primaryScreen()
    if screen is not None and screen.availableGeometry().width() <= 1440:
        window.showMaximized()  # a 1366x768 laptop: every pixel is needed (the board)
    else:
        window.resize(1280, 720)
        window.show()
    return int(app.exec())


def release_gc_when_painted(window: QWidget) -> None:
    """Put the garbage collector's usual thresholds back (``fieldkit.start_gc``) in the
    event-loop turn after ``window`` is first painted: the start is over."""
    FirstPaint(window).painted.connect(start_gc.release)


def run_self_test(settings: Settings, passphrase: str) -> int:
    """``fieldkit self-test``: offscreen, unlock, the cases list, close (ui/self_test.py)."""
    from ui import self_test

    return self_test.run(make_application(offscreen=True), settings, passphrase)


def qt_version() -> str:
    """The version of Qt this process loads (``fieldkit --version``)."""
    from ui.about import running_qt_version  # the About box brings keyring: not at start

    return running_qt_version()
