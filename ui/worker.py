"""The one way slow work leaves the GUI thread: a QRunnable on the global QThreadPool whose
result or error comes back as a signal, delivered on the GUI thread (queued connection)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

BUSY_AFTER_MS = 1000
"""Work that takes longer than this shows the busy indicator (quick work never flickers it)."""


class TaskSignals(QObject):
    """Carries a task's outcome from the pool thread to the GUI thread."""

    result = Signal(object)
    error = Signal(object)
    finished = Signal(object)


class _Task(QRunnable):
    """Runs ``function`` on a pool thread and reports through its signals object."""

    def __init__(self, function: Callable[[], Any], signals: TaskSignals) -> None:
        super().__init__()
        self._function = function
        self.signals = signals
        # The pool must not delete the runnable while the signals object may still be emitting.
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value = self._function()
        except BaseException as error:
            self.signals.error.emit(error)
        else:
            self.signals.result.emit(value)
        self.signals.finished.emit(self.signals)


class Worker(QObject):
    """Starts tasks and tracks how many are running, so the window can show a busy indicator.

    ``busyChanged(True)`` is emitted only once a task has run for more than a second.
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, own_pool: bool = False) -> None:
        super().__init__(parent)
        # A worker with its own pool can be waited for without waiting for everyone else's.
        self._pool = QThreadPool(self) if own_pool else QThreadPool.globalInstance()
        self._running = 0
        self._busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._live: set[TaskSignals] = set()

    @property
    def running(self) -> int:
        """How many tasks have not finished yet."""
        return self._running

    def run(
        self,
        function: Callable[[], Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> TaskSignals:
        """Run ``function()`` off the GUI thread; call ``on_result``/``on_error`` on it after."""
        signals = TaskSignals()
        # Keep a Python reference until finished: otherwise the signals object could be
        # collected while the pool thread is still emitting through it.
        self._live.add(signals)
        if on_result is not None:
            signals.result.connect(on_result)
        if on_error is not None:
            signals.error.connect(on_error)
        signals.finished.connect(self._done)
        self._running += 1
        if not self._busy_timer.isActive() and not self._busy:
            self._busy_timer.start()
        self._pool.start(_Task(function, signals))
        return signals

    @Slot()
    def _show_busy(self) -> None:
        if self._running and not self._busy:
            self._busy = True
            self.busyChanged.emit(True)

    @Slot(object)
    def _done(self, signals: TaskSignals) -> None:
        self._live.discard(signals)
        self._running -= 1
        if self._running == 0:
            self._busy_timer.stop()
            if self._busy:
                self._busy = False
                self.busyChanged.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (used when quitting, so no task outlives the app; a
        worker with its own pool waits only for its own tasks)."""
        return bool(self._pool.waitForDone(msecs))
