"""Search everything (Ctrl+F): notes, forms, people, exhibits and cases, inside the encrypted
store. Enter on a result opens the record it is about."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from fieldkit import search
from fieldkit.errors import FieldkitError
from fieldkit.search import HitKind, SearchHit
from fieldkit.store import Store
from ui.controls import heading, named
from ui.messages import error_text
from ui.page import Page
from ui.table import record_table

Index = QModelIndex | QPersistentModelIndex

KIND_WORDS = {HitKind.NOTE: "Note", HitKind.FORM: "Form", HitKind.PERSON: "Person",
              HitKind.EXHIBIT: "Exhibit", HitKind.CASE: "Case"}


class SearchModel(QAbstractTableModel):
    """Results: what, case, title, the words around the match."""

    HEADERS = ("What", "Case", "Record", "Found")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Show ``hits`` (a new search: a reset is right)."""
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        hit = self.hits[index.row()]
        return (self.tr(KIND_WORDS[hit.kind]), hit.case_reference, hit.title,
                hit.snippet)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None


class SearchPage(Page):
    """Type words and press Enter; every record holding all of them is listed."""

    openHit = Signal(object)  # the SearchHit to open

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self._store = store
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Search everything"), self, 2))
        self.query = named(QLineEdit(self), self.tr("Search words"))
        self.query.setPlaceholderText(self.tr(
            "Words to find in notes, forms, people, exhibits and cases; Enter searches"))
        layout.addWidget(self.query)
        self.message = QLabel(self)
        self.message.setWordWrap(True)  # a long message wraps, never widens the window
        self.message.setAccessibleName(self.tr("Search message"))
        layout.addWidget(self.message)
        self.model = SearchModel(self)
        self.table: QTableView = record_table(self.tr("Search results"), self.model, self)
        layout.addWidget(self.table, 1)
        self.query.returnPressed.connect(self.run)
        self.table.activated.connect(lambda index: self.openHit.emit(
            self.model.hits[index.row()]))
        self.setFocusProxy(self.query)

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking (the words are not kept)."""
        return ("search",)

    def run(self) -> None:
        """Search for what is typed and show the results (Enter on one opens it)."""
        try:
            hits = search.search_all(self._store, self.query.text())
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self.model.set_hits(hits)
        self.message.setText(self.tr("%n record(s) found. Enter on a result opens it.", "",
                                     len(hits)))
        if hits:
            self.table.setFocus()
            self.table.selectRow(0)
