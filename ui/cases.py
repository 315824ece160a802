"""The cases list: a table model of every case behind a search and sort proxy."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.case_list import CaseSummary, case_summaries
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from ui.controls import heading, local_time, named, pressable
from ui.messages import error_text
from ui.page import Page
from ui.roles import ID_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex

# Roles as plain numbers: data() is called for every role of every cell painted (some 1,600
# calls for the first screen), so it answers the roles it has no value for at once.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_SORT = int(SORT_ROLE)
_ID = int(ID_ROLE)
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _SORT, _ID})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _folded_title(row: CaseSummary) -> str:
    return row.title.casefold()


# What each column sorts by: counts as numbers and times as their UTC stamps, not as shown.
_SORT_KEYS: tuple[Callable[[CaseSummary], Any], ...] = (
    attrgetter("reference"), _folded_title, attrgetter("status"), attrgetter("visits"),
    attrgetter("people"), attrgetter("updated_at"))


class CasesModel(QAbstractTableModel):
    """Every case, one row each. Refreshes in place: changed rows get a targeted dataChanged."""

    REFERENCE, TITLE, STATUS, VISITS, PEOPLE, UPDATED = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseSummary] = []
        self._row_of: dict[str, int] = {}
        self._headers = [self.tr("Reference"), self.tr("Title"), self.tr("Status"),
                         self.tr("Visits"), self.tr("People"), self.tr("Last change")]
        self._status = {"open": self.tr("Open"), "closed": self.tr("Closed")}
        self._sort_column = self.UPDATED
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._times: dict[str, str] = {}  # each change time as shown, once worked out

    def set_rows(self, rows: list[CaseSummary]) -> None:
        """Bring the model up to date with ``rows`` without resetting it (selection stays)."""
        self._times.clear()  # worked out again for the rows shown (the zone may have changed)
        incoming = {row.id: row for row in rows}
        for gone in [row.id for row in self._rows if row.id not in incoming][::-1]:
            position = self._row_of[gone]
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()
            self._row_of = {row.id: i for i, row in enumerate(self._rows)}
        last = self.columnCount() - 1
        for case_id, row in incoming.items():
            found = self._row_of.get(case_id)
            if found is not None and self._rows[found] != row:
                self._rows[found] = row
                self.dataChanged.emit(self.index(found, 0), self.index(found, last))
        new = [row for row in rows if row.id not in self._row_of]
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self._row_of.update({row.id: start + i for i, row in enumerate(new)})
            self.endInsertRows()
            self.sort(self._sort_column, self._sort_order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves, once, with a Python key.

        Letting the proxy sort costs a data() call per comparison (about 12,000 for 1,000
        cases, a tenth of a second); sorting here costs one key per row. Persistent indexes
        (the selection) follow their rows.
        """
        self._sort_column, self._sort_order = column, order
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        was = [row.id for row in self._rows]
        self._rows.sort(key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {row.id: i for i, row in enumerate(self._rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [
            self.index(self._row_of[was[index.row()]], index.column()) for index in old])
        self.layoutChanged.emit()

    def case_id(self, row: int) -> str:
        """The id of the case in source ``row``."""
        return self._rows[row].id

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt API
        # The proxy asks for a source index at every call it maps (some 1,000 a paint); Qt's
        # own index() would ask rowCount() and columnCount() for each: two calls into Python.
        if 0 <= row < len(self._rows) and 0 <= column < 6 and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        column = index.column()
        if role == _ALIGNMENT:
            return _RIGHT if column in (self.VISITS, self.PEOPLE) else None
        row = self._rows[index.row()]
        if role == _DISPLAY:
            return self._display(row, column)
        if role == _SORT:
            return self._sort_key(row, column)
        return row.id

    def _display(self, row: CaseSummary, column: int) -> str:
        if column == self.REFERENCE:
            return row.reference
        if column == self.TITLE:
            return row.title
        if column == self.STATUS:
            return self._status.get(row.status, row.status)
        if column == self.VISITS:
            return str(row.visits)
        if column == self.PEOPLE:
            return str(row.people)
        shown = self._times.get(row.updated_at)
        if shown is None:
            shown = self._times[row.updated_at] = local_time(row.updated_at)
        return shown

    def _sort_key(self, row: CaseSummary, column: int) -> Any:
        return _SORT_KEYS[column](row)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class CasesProxy(QSortFilterProxyModel):
    """Searches across every column; sorting is handed to the source model (much faster)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


def cases_proxy(model: CasesModel, parent: QObject | None = None) -> CasesProxy:
    """The search and sort proxy over ``model``.

    The proxy is never the source model's child: deleting a model that owns its own proxy
    crashes PySide6 (the proxy outlives its source by a moment during destruction).
    """
    proxy = CasesProxy(parent)
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class CasesPage(Page):
    """Search, sort and open cases; start a new one. Emits ``openCase(case_id)``."""

    openCase = Signal(str)

    def __init__(self, store: Store, prefix: str = "FK", parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self._store = store
        self._prefix = prefix
        self.model = CasesModel(self)
        self.proxy = cases_proxy(self.model, self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Cases"), self, 2))
        top = QHBoxLayout()
        search_label = QLabel(self.tr("F&ilter cases"), self)
        self.search = named(QLineEdit(self), self.tr("Search cases"))
        self.search.setPlaceholderText(self.tr("Reference, title or status"))
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        top.addWidget(search_label)
        top.addWidget(self.search, 2)
        new_label = QLabel(self.tr("&New case"), self)
        self.new_title = named(QLineEdit(self), self.tr("New case title"))
        self.new_title.setPlaceholderText(self.tr("Title, e.g. the operation name"))
        new_label.setBuddy(self.new_title)
        self.create_button = pressable(QPushButton(self.tr("Create case"), self),
                                       self.tr("Create case"))
        top.addWidget(new_label)
        top.addWidget(self.new_title, 2)
        top.addWidget(self.create_button)
        layout.addLayout(top)
        self.table = named(QTableView(self), self.tr("Cases list"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CasesModel.UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Fixed widths, not ResizeToContents: measuring thousands of rows would stall the list.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CasesModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CasesModel.REFERENCE, 130), (CasesModel.STATUS, 80),
                              (CasesModel.VISITS, 70), (CasesModel.PEOPLE, 70),
                              (CasesModel.UPDATED, 170)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)  # a long message wraps, never widens the window
        self.message.setAccessibleName(self.tr("Cases message"))
        layout.addWidget(self.message)
        self.hint = QLabel(self.tr("Enter opens the selected case. Alt+I filters this list; "
                                   "Ctrl+F searches inside every record; Ctrl+N starts a new "
                                   "case."), self)
        layout.addWidget(self.hint)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.returnPressed.connect(self._focus_first_row)
        self.table.activated.connect(self._open_index)
        self.new_title.returnPressed.connect(self.create_case)
        self.create_button.clicked.connect(self.create_case)
        QShortcut(QKeySequence(self.tr("Ctrl+N")), self, self.new_title.setFocus)
        self.setTabOrder(self.search, self.new_title)
        self.setTabOrder(self.new_title, self.create_button)
        self.setTabOrder(self.create_button, self.table)
        self._shown_before = False
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again (back from a case): a message is about what was done before leaving,
        so it goes ("Case title is needed." stayed under a list that had moved on)."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous():
            self.message.clear()
        self._shown_before = True

    @Slot()
    def refresh(self) -> None:
        """Reload the cases from the store (in place)."""
        if self._store.is_open:
            self.model.set_rows(case_summaries(self._store))

    @Slot()
    def _focus_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.openCase.emit(self.model.case_id(source.row()))

    @Slot()
    def create_case(self) -> None:
        """Create a case with the typed title and open it."""
        from fieldkit import cases  # the record types and services: not needed to show the list

        try:
            case = cases.create_case(self._store, self.new_title.text(), prefix=self._prefix)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self.new_title.clear()
        self.message.setText(self.tr("Created case {reference}.").format(reference=case.reference))
        self.refresh()
        self.openCase.emit(case.id)
