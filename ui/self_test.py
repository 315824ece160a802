"""``fieldkit self-test``: the installed app checks that it starts and does its first job.

It opens the real main window offscreen, expects the unlock screen, unlocks through the same
path an officer uses (the passphrase box and the Unlock button, the key derived on the worker),
expects the cases list, then closes the window (which locks the store) and exits 0. It prints
what it saw in a few lines, never any record content (only how many cases the list shows). IT
support can run it on a council laptop; CI runs it on the frozen build."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from fieldkit.settings import Settings
from ui.main_window import MainWindow

TIMEOUT_MS = 180_000
"""Long enough for a calibrated key derivation on a slow, busy laptop."""


class SelfTest(QObject):
    """Drives ``window`` from the unlock screen to the cases list and closes it.

    ``finished(status)`` carries the exit status: 0 when every step was seen, else 1."""

    finished = Signal(int)

    def __init__(self, window: MainWindow, passphrase: str, say: Callable[[str], None],
                 timeout_ms: int = TIMEOUT_MS) -> None:
        super().__init__(window)
        self._window = window
        self._passphrase = passphrase
        self._say = say
        self._done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._timed_out)

    @Slot()
    def start(self) -> None:
        """Check the unlock screen shows, then unlock with the passphrase."""
        window = self._window
        if window.pages.currentWidget() is not window.unlock_page:
            self._fail("the unlock screen did not show: there is no store in this data folder "
                       "(run 'fieldkit init' first)")
            return
        self._say("unlock screen shown")
        page = window.unlock_page
        # Queued, so the window's own handler has opened the store when this runs.
        page.keyReady.connect(self._unlocked, Qt.ConnectionType.QueuedConnection)
        page.refused.connect(self._refused)
        self._timer.start()
        page.passphrase.setText(self._passphrase)
        page.unlock_button.click()

    @Slot(object)
    def _unlocked(self, _key: object) -> None:
        window = self._window
        workspace = window.workspace
        if workspace is None or window.pages.currentWidget() is not workspace:
            self._fail(f"unlocking did not open the records ({window.unlock_page.message.text()})")
            return
        if workspace.current() is not workspace.cases or not workspace.cases.isVisible():
            self._fail("the cases list did not show after unlocking")
            return
        self._say(f"unlocked; cases list shown (cases: {workspace.cases.model.rowCount()})")
        window.close()
        if window.store is not None or window.pages.currentWidget() is not window.unlock_page:
            self._fail("closing the window did not lock the records")
            return
        self._say("window closed and records locked")
        self._finish(0)

    @Slot(str)
    def _refused(self, message: str) -> None:
        self._fail(f"unlocking was refused: {message}")

    @Slot()
    def _timed_out(self) -> None:
        seconds = self._timer.interval() // 1000
        self._fail(f"nothing happened within {seconds} s of pressing Unlock")

    def _fail(self, reason: str) -> None:
        self._say(f"FAILED: {reason}")
        self._window.close()
        self._finish(1)

    def _finish(self, status: int) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self.finished.emit(status)


def say_line(line: str) -> None:
    """Print one line of the self-test's report on standard output."""
    sys.stdout.write(f"self-test: {line}\n")
    sys.stdout.flush()


def run(app: QApplication, settings: Settings, passphrase: str,
        say: Callable[[str], None] = say_line) -> int:
    """Run the self-test in ``app`` against the store in ``settings``; the exit status."""
    window = MainWindow(settings)
    window.resize(1280, 720)
    window.show()
    test = SelfTest(window, passphrase, say)
    status: list[int] = []
    test.finished.connect(status.append)
    test.finished.connect(app.quit, Qt.ConnectionType.QueuedConnection)
    QTimer.singleShot(0, test.start)
    app.exec()
    window.deleteLater()
    return status[0] if status else 1
