"""Something to do once a widget has been painted the first time (the start to the cases list
shows the list before loading what can wait), with no Python code left in its later paints.

An event filter rather than a ``paintEvent`` override: the override would run at every paint
for the life of the widget, and with PySide6 6.12 on Python 3.11 each ``super().paintEvent``
(like any call of a Qt method that returns nothing) takes one reference to ``None`` that it
never gives back."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Emits ``painted`` once, in the event-loop turn after ``widget`` is first painted, then
    stops watching it. It belongs to the widget (goes with it)."""

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._seen = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            watched.removeEventFilter(self)  # safe from inside the filter (Qt's documentation)
            QTimer.singleShot(0, self, self._emit)  # once this paint is done
        return False

    def _emit(self) -> None:
        self.painted.emit()
