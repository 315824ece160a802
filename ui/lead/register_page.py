"""The register: every case, person and form received, searchable and filterable by officer,
premises, business type, exploitation type, route, status and date. Enter opens the case."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.store import Store
from forms.choices import BusinessType, ExploitationType
from sync.desk.register import ROUTES, RegisterFilter, register_rows, words
from ui.controls import heading, named
from ui.lead.models import RegisterModel, RegisterProxy
from ui.roles import ROW_ROLE
from ui.table import record_table


class RegisterPage(QWidget):
    """Search and filters above the register table."""

    openCase = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Register"), self, 2))
        grid = QGridLayout()
        self.search = named(QLineEdit(self), self.tr("Search the register"))
        self.search.setPlaceholderText(self.tr("Search case, person, premises, officer"))
        self.officer = named(QLineEdit(self), self.tr("Officer"))
        self.premises = named(QLineEdit(self), self.tr("Premises"))
        self.business = self._choices(self.tr("Business type"),
                                      [(b.value, words(b.value)) for b in BusinessType])
        self.exploitation = self._choices(self.tr("Exploitation type"),
                                          [(e.value, words(e.value)) for e in ExploitationType])
        self.route = self._choices(self.tr("Route"), [(r, words(r)) for r in ROUTES])
        self.status = self._choices(self.tr("Status"), [
            ("open", self.tr("open")), ("closed", self.tr("closed")),
            ("ready", self.tr("ready")), ("draft", self.tr("draft")),
            ("submitted", self.tr("submitted (NRM or Duty to Notify)"))])
        self.kind = self._choices(self.tr("Record"), [
            ("case", self.tr("Cases")), ("person", self.tr("People")),
            ("form", self.tr("Forms"))])
        self.since_on = named(QCheckBox(self.tr("Received fro&m"), self),
                              self.tr("Only records received from a date"))
        self.since = named(QDateEdit(self), self.tr("Received from date"))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("d MMMM yyyy")
        self.since.setDate(QDate(2026, 1, 1))
        for column, (caption, widget) in enumerate([
            (self.tr("Sear&ch"), self.search), (self.tr("&Officer"), self.officer),
            (self.tr("&Premises"), self.premises), (self.tr("&Business"), self.business)]):
            self._add(grid, 0, column, caption, widget)
        for column, (caption, widget) in enumerate([
            (self.tr("&Exploitation"), self.exploitation), (self.tr("Ro&ute"), self.route),
            (self.tr("St&atus"), self.status), (self.tr("Record &kind"), self.kind)]):
            self._add(grid, 1, column, caption, widget)
        grid.addWidget(self.since_on, 2, 0)
        grid.addWidget(self.since, 2, 1)
        layout.addLayout(grid)
        self.model = RegisterModel(self)
        self.proxy = RegisterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_table(self.tr("Register"), self.model, self)
        self.table.setModel(self.proxy)
        # Newest first by the full time received, until the Lead sorts by a column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        layout.addWidget(self.table, 1)
        self.count = named(QLabel(self), self.tr("Records shown"))
        layout.addWidget(self.count)
        hint = QLabel(self.tr("Enter in a search box goes to the first line shown; Enter (or a "
                              "double-click) on a line opens its case."), self)
        layout.addWidget(hint)
        for line in (self.search, self.officer, self.premises):
            line.textChanged.connect(self.apply_filter)
            line.returnPressed.connect(self._focus_first_row)
        for box in (self.business, self.exploitation, self.route, self.status, self.kind):
            box.currentIndexChanged.connect(self.apply_filter)
        self.since_on.toggled.connect(self.apply_filter)
        self.since.dateChanged.connect(self.apply_filter)
        self.table.activated.connect(self._open)
        self.refresh()

    def _choices(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        box = named(QComboBox(self), name)
        box.addItem(self.tr("Any"), "")
        for code, text in items:
            box.addItem(text, code)
        return box

    def _add(self, grid: QGridLayout, row: int, column: int, caption: str,
             widget: QWidget) -> None:
        label = QLabel(caption, self)
        label.setBuddy(widget)
        cell = QVBoxLayout()
        cell.addWidget(label)
        cell.addWidget(widget)
        grid.addLayout(cell, row, column)

    def refresh(self) -> None:
        """Reload every register line."""
        self.model.set_rows(register_rows(self.store))
        self.apply_filter()

    def current_filter(self) -> RegisterFilter:
        """The Lead's choices as a filter."""
        since = self.since.date()
        return RegisterFilter(
            text=self.search.text(), officer=self.officer.text(), premises=self.premises.text(),
            business_type=str(self.business.currentData()),
            exploitation_type=str(self.exploitation.currentData()),
            route=str(self.route.currentData()), status=str(self.status.currentData()),
            kinds=frozenset({str(self.kind.currentData())} - {""}),
            received_from=date(since.year(), since.month(), since.day())
            if self.since_on.isChecked() else None)

    @Slot()
    def apply_filter(self) -> None:
        """Show only the lines the choices accept."""
        self.proxy.set_filter(self.current_filter())
        self.count.setText(self.tr("%1 of %2 records shown")
                           .replace("%1", str(self.proxy.rowCount()))
                           .replace("%2", str(self.model.rowCount())))

    @Slot()
    def _focus_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def open_row(self, row: int) -> None:
        """Open the case of the (filtered) row."""
        self._open(self.proxy.index(row, 0))

    @Slot(object)
    def _open(self, index: object) -> None:
        found = self.proxy.data(index, ROW_ROLE)  # type: ignore[arg-type]
        if found is not None:
            self.openCase.emit(found.case_id)
