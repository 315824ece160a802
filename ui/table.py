"""A read-only table model for the short lists on a case page (visits, people, forms)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.controls import named
from ui.roles import ID_ROLE

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    """Rows of display strings, each row carrying the id of the record it shows."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[tuple[str, list[str]]] = []

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Replace the rows; these lists are short, so a reset is the simple, right tool."""
        self.beginResetModel()
        self._rows = [(record_id, list(values)) for record_id, values in rows]
        self.endResetModel()

    def record_id(self, row: int) -> str:
        """The id of the record shown in ``row``."""
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record_id, values = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return values[index.column()]
        if role == ID_ROLE:
            return record_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


def record_table(
    name: str, model: QAbstractTableModel, parent: QWidget | None = None
) -> QTableView:
    """A keyboard-friendly, whole-row-selecting table view for ``model``."""
    view = named(QTableView(parent), name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(False)
    return view


def select_id(view: QTableView, record_id: str) -> bool:
    """Make the row showing ``record_id`` the view's current row; False if none shows it."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(ID_ROLE) == record_id:
            view.setCurrentIndex(index)
            return True
    return False


def current_id(view: QTableView) -> str | None:
    """The record id of the view's current row, or None."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    value = index.siblingAtColumn(0).data(ID_ROLE)
    return str(value) if value is not None else None
