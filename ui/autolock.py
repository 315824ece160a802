"""Auto-lock: notices when nobody has touched the keyboard or mouse for a while."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, SignalInstance

# Only real user input counts as activity; paint, timer and focus events do not, otherwise a
# busy indicator or a blinking cursor would keep an unattended laptop unlocked forever.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``interval_ms`` without user input, while started."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.idle)
        self._watched: QObject | None = None
        self._waiting: tuple[QObject, SignalInstance] | None = None  # see start(wait_for=...)

    @property
    def interval_ms(self) -> int:
        """Idle time before ``idle`` is emitted."""
        return int(self._timer.interval())

    def set_interval_ms(self, interval_ms: int) -> None:
        """Change the idle time; restarts the count when running."""
        self._timer.setInterval(max(1, interval_ms))
        if self._timer.isActive():
            self._timer.start()

    def start(self, watched: QObject, wait_for: SignalInstance | None = None) -> None:
        """Watch ``watched`` (normally the QApplication) for input and start counting.

        With ``wait_for`` (the unlocked screen's first paint), the count starts now but input
        is watched from the event-loop turn after that signal: a filter on the whole
        application makes PySide build the Python type of every object it is shown, about a
        tenth of a second the first paint need not wait for. Input cannot reach a screen
        before it is painted; at worst the lock comes early, never late.
        """
        if self._watched is None and self._waiting is None:
            if wait_for is None:
                self._watch(watched)
            else:
                self._waiting = (watched, wait_for)
                wait_for.connect(self._watch_soon)
        self._timer.start()

    def _watch_soon(self) -> None:
        QTimer.singleShot(0, self, self._watch_waiting)

    def _watch_waiting(self) -> None:
        if self._waiting is not None:
            watched, signal = self._waiting
            self._waiting = None
            signal.disconnect(self._watch_soon)
            self._watch(watched)

    def _watch(self, watched: QObject) -> None:
        watched.installEventFilter(self)
        self._watched = watched

    def stop(self) -> None:
        """Stop counting (while locked there is nothing to protect)."""
        self._timer.stop()
        if self._waiting is not None:
            _, signal = self._waiting
            self._waiting = None
            # Its sender (the unlocked screens) may already be gone.
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(self._watch_soon)
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None

    def is_running(self) -> bool:
        """True while counting towards a lock."""
        return bool(self._timer.isActive())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
