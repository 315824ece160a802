"""Table models of the Lead's desk, fed rows by their pages: the register (with a filter proxy)
and the tracker's due items (overdue ones say so in words, and in bold)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from sync.desk.register import RegisterFilter, RegisterRow, words
from sync.desk.tracker import DueItem
from ui.controls import local_time
from ui.roles import ROW_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex


def day_words(day: date) -> str:
    """A date as the Lead reads it: ``2 March 2027``."""
    return f"{day.day} {day:%B %Y}"


class RegisterModel(QAbstractTableModel):
    """The register's rows: a case, a person or a form each."""

    KIND, CASE, WHAT, OFFICER, PREMISES, ROUTE, STATUS, RECEIVED = range(8)
    HEADERS = ("Record", "Case", "What", "Officer", "Premises", "Route", "Status", "Received")
    KIND_WORDS: ClassVar[dict[str, str]] = {"case": "Case", "person": "Person", "form": "Form"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RegisterRow] = []

    def set_rows(self, rows: Sequence[RegisterRow]) -> None:
        """Replace every row (the register is rebuilt after each import)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RegisterRow:
        """The register line shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, row: RegisterRow, column: int) -> str:
        values = {
            self.KIND: self.KIND_WORDS.get(row.kind, row.kind), self.CASE: row.case_reference,
            self.WHAT: row.what, self.OFFICER: row.officer, self.PREMISES: ", ".join(row.premises),
            self.ROUTE: ", ".join(words(r) for r in row.routes), self.STATUS: row.status,
            # newest first by the time: the time shown too (local, as the officer's watch)
            self.RECEIVED: f"{day_words(row.received)} "
                           f"{local_time(row.received_at, with_date=False)[:5]}",
        }
        return values[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return (row.received_at if index.column() == self.RECEIVED
                    else self._text(row, index.column()))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class RegisterProxy(QSortFilterProxyModel):
    """Filters the register with the Lead's choices (the rule lives in ``RegisterFilter``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = RegisterFilter()
        self.setSortRole(SORT_ROLE)

    def set_filter(self, wanted: RegisterFilter) -> None:
        """Apply new choices."""
        self.beginFilterChange()
        self._filter = wanted
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, RegisterModel):
            return True
        return self._filter.accepts(source.row_at(source_row))


class DueModel(QAbstractTableModel):
    """What is due, soonest first; an overdue deadline reads OVERDUE and is bold."""

    DUE, CASE, SENT_BY, PERSON, WHAT, STATE = range(6)
    HEADERS = ("Due", "Case", "Sent by", "Person", "What", "State")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[DueItem] = []
        self._today = date.min

    def set_items(self, items: Sequence[DueItem], today: date) -> None:
        """Replace the rows, judged against ``today``."""
        self.beginResetModel()
        self._items, self._today = list(items), today
        self.endResetModel()

    def item(self, row: int) -> DueItem:
        """The due item in ``row``."""
        return self._items[row]

    def state(self, item: DueItem) -> str:
        """OVERDUE, to do, date reached or open, in words (:meth:`DueItem.state`)."""
        return item.state(self._today)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return [day_words(item.due_on), item.case_reference, item.sent_by,
                    item.person_reference, item.what_on(), self.state(item)][index.column()]
        if role == Qt.ItemDataRole.FontRole and item.overdue(self._today):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
