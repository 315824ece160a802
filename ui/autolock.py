"""Auto-lock: notices when nobody has touched the keyboard or mouse for a while."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

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

    @property
    def interval_ms(self) -> int:
        """Idle time before ``idle`` is emitted."""
        return int(self._timer.interval())

    def set_interval_ms(self, interval_ms: int) -> None:
        """Change the idle time; restarts the count when running."""
        self._timer.setInterval(max(1, interval_ms))
        if self._timer.isActive():
            self._timer.start()

    def start(self, watched: QObject) -> None:
        """Watch ``watched`` (normally the QApplication) for input and start counting."""
        if self._watched is None:
            watched.installEventFilter(self)
            self._watched = watched
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (while locked there is nothing to protect)."""
        self._timer.stop()
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
