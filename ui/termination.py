"""A polite end when the system asks the app to stop (SIGTERM at shutdown, SIGHUP when the
session ends): the window closes as Quit closes it, so what was typed in the last second and
not yet kept is written as a draft and the store is locked, instead of the process just ending.

Python runs a signal handler only when it next runs code; the Qt event loop may sit in C++ for
a long time. So the signal also wakes the loop through a socket (``signal.set_wakeup_fd``)
watched by a ``QSocketNotifier``, and the window is closed from the loop.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QWidget

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class CloseOnTermination(QObject):
    """Closes ``window`` when the process receives SIGTERM or SIGHUP."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        for number in SIGNALS:
            signal.signal(number, self._asked_to_stop)

    def _drain(self) -> None:
        """The loop woke for a signal: Python runs its handler as this runs."""
        with contextlib.suppress(BlockingIOError):
            self._reader.recv(512)

    def _asked_to_stop(self, _number: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, self._window.close)
