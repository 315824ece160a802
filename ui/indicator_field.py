"""The NRM's "Indicators observed": the council's indicator checklist (the same widget as the
visit's), so nobody has to know an indicator's id. Own words go in the field beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.checklist import Checklist
from ui.field_widgets import FieldWidget
from ui.indicators import indicator_groups


class IndicatorField(FieldWidget):
    """Tick the indicators observed from every list the council keeps."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        box = QVBoxLayout()
        hint = QLabel(self.tr("Tick each indicator observed (Space ticks; arrows move). Add "
                              "anything else in your own words in the next box."), self)
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.checklist = Checklist(title, self)
        self.checklist.setMinimumHeight(220)
        box.addWidget(self.checklist)
        self._layout.addLayout(box)
        self.setFocusProxy(self.checklist)
        self.checklist.changed.connect(self.changed)
        self.checklist.set_groups(indicator_groups(None), set())

    def value(self) -> Any:
        return self.checklist.ticked()

    def set_value(self, value: Any) -> None:
        ticked = {str(item) for item in (value or [])}
        self.checklist.blockSignals(True)
        self.checklist.set_groups(indicator_groups(None), ticked)
        self.checklist.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.checklist.view
