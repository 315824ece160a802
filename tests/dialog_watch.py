"""A watch for modal dialogs no widget test answers (used by tests/conftest.py).

A question or a file chooser that a test did not expect waits for ever inside Qt's event loop,
where neither pytest-timeout's alarm nor anything else in Python gets to run: the whole suite
then hangs until CI gives up. The watch closes such a dialog (as Escape would) once it has been
open ``limit`` seconds, and remembers what it was, for the test to fail naming it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


class DialogWatch(QObject):
    """Looks at the active modal dialog every ``interval_ms`` while started."""

    def __init__(self, limit: float, interval_ms: int = 1000) -> None:
        super().__init__()
        self.limit = limit
        self.left: list[str] = []  # the dialogs closed, each as its kind, title and text
        self._opened: dict[int, float] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _check(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            self._opened.clear()
            return
        since = self._opened.setdefault(id(modal), time.monotonic())
        if time.monotonic() - since < self.limit:
            return
        text = modal.text() if isinstance(modal, QMessageBox) else ""
        self.left.append(f"{type(modal).__name__} {modal.windowTitle()!r} {text!r}")
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()
