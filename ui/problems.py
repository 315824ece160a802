"""A live list of a form's problems; choosing one jumps to the field it names."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from forms import FieldProblem
from ui.controls import named
from ui.roles import FIELD_ROLE


class ProblemList(QListWidget):
    """Each problem in plain words; Enter or a double click emits ``goTo(field path)``."""

    goTo = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, self.tr("Problems to fix"))
        self.setWordWrap(True)
        # Wrapped problems ran together: a gap and alternate shading set each apart.
        self.setSpacing(3)
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(lambda item: self.goTo.emit(item.data(FIELD_ROLE)))

    def show_problems(self, problems: list[FieldProblem]) -> None:
        """Replace the list with ``problems`` (a short list: a reset is fine)."""
        self.clear()
        for problem in problems:
            item = QListWidgetItem(problem.message)
            item.setData(FIELD_ROLE, problem.field)
            self.addItem(item)
        if not problems:
            done = QListWidgetItem(self.tr("No problems found."))
            done.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addItem(done)

    def messages(self) -> list[str]:
        """The problems shown, as text."""
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).data(FIELD_ROLE) is not None]
