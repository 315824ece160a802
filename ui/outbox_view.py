"""What has gone, or is waiting to go, to the Modern Slavery Lead: the outbox page (View >
Outbox) and the "Sent to Lead" tab of a case. Both show the same model: one row per bundle,
its state in words and colour (never colour alone), attempts, last error, next try, and when
it was delivered and imported by the Lead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import device, outbox
from sync.engine import SyncOutcome
from sync.outbox import OutboxItem, OutboxState, OutboxSummary, summarise
from sync.profile import FolderDestination, LeadProfile
from ui.controls import heading, local_time, pressable
from ui.messages import outbox_error_text
from ui.page import Page
from ui.roles import CASE_ROLE, ID_ROLE, STATE_ROLE
from ui.status import sending_text
from ui.table import record_table

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("Outbox", text)


@dataclass(frozen=True)
class StateStyle:
    """How a state reads: its words first, then a background that agrees with them."""

    words: str
    background: str
    foreground: str = "#1a1a1a"


def item_style(item: OutboxItem) -> StateStyle:
    """Words and colours for an outbox item."""
    return state_style(item.state)


def state_style(state: OutboxState) -> StateStyle:
    """Words and colours for an outbox state."""
    styles = {
        OutboxState.QUEUED: StateStyle(_tr("Queued"), "#e4ebf5"),
        OutboxState.SENDING: StateStyle(_tr("Sending"), "#fff1c2"),
        OutboxState.DELIVERED: StateStyle(_tr("Delivered"), "#d8f0dc"),
        OutboxState.FAILED: StateStyle(_tr("Failed, will retry"), "#f9d9da"),
        OutboxState.REFUSED: StateStyle(_tr("Refused by the Lead"), "#f4c7c9"),
    }
    return styles[state]


def next_try_text(item: OutboxItem) -> str:
    """When a waiting bundle goes next, in words an officer can act on."""
    if item.state is OutboxState.DELIVERED:
        return ""
    if item.state is OutboxState.SENDING:
        return _tr("Now")
    if item.state is OutboxState.REFUSED:
        return _tr("Not by itself: send the case again")
    if item.is_due() or item.next_attempt_at is None:
        return _tr("When the Lead can be reached")
    return local_time(item.next_attempt_at)


def imported_text(item: OutboxItem) -> str:
    """When the Lead imported the bundle (their signed receipt came back)."""
    if item.acknowledged_at:
        return local_time(item.acknowledged_at)
    return _tr("Not yet") if item.state is OutboxState.DELIVERED else ""


COLUMNS: dict[str, str] = {
    "case": "Case",
    "created": "Made",
    "state": "State",
    "attempts": "Attempts",
    "error": "Last error",
    "next": "Next try",
    "delivered": "Delivered",
    "imported": "Lead imported",
}
ALL_COLUMNS = ("case", "state", "attempts", "error", "next", "delivered", "imported")
CASE_COLUMNS = ("created", "state", "attempts", "next", "delivered", "imported", "error")


class OutboxModel(QAbstractTableModel):
    """The outbox (or one case's part of it). Refreshes in place: changed rows get
    ``dataChanged``, new bundles are inserted; a reset only if rows went away."""

    def __init__(self, store: Store, case_id: str | None = None,
                 columns: tuple[str, ...] = ALL_COLUMNS, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._case_id = case_id
        self._columns = columns
        self._items: list[OutboxItem] = []
        self._references: dict[str, str] = {}
        self.refresh()

    @property
    def items(self) -> list[OutboxItem]:
        """The bundles shown, oldest first."""
        return list(self._items)

    def column(self, key: str) -> int:
        """The column showing ``key`` (see COLUMNS)."""
        return self._columns.index(key)

    def refresh(self) -> None:
        """Read the outbox again and update what changed."""
        if not self._store.is_open:
            return
        items = outbox.list_items(self._store)
        if self._case_id is not None:
            items = [item for item in items if item.case_id == self._case_id]
        old_ids = [item.bundle_id for item in self._items]
        new_ids = [item.bundle_id for item in items]
        if new_ids[:len(old_ids)] != old_ids:
            self.beginResetModel()
            self._items = items
            self.endResetModel()
            return
        last = len(self._columns) - 1
        for row, (before, after) in enumerate(zip(self._items, items, strict=False)):
            if before != after:
                self._items[row] = after
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        if len(items) > len(old_ids):
            self.beginInsertRows(QModelIndex(), len(old_ids), len(items) - 1)
            self._items = items
            self.endInsertRows()

    def _reference(self, case_id: str) -> str:
        if case_id not in self._references:
            try:
                self._references[case_id] = cases.get_case(self._store, case_id).reference
            except FieldkitError:
                self._references[case_id] = _tr("(case removed)")
        return self._references[case_id]

    def _text(self, item: OutboxItem, key: str) -> str:
        if key == "case":
            return self._reference(item.case_id)
        if key == "created":
            return local_time(item.created_at)
        if key == "state":
            return item_style(item).words
        if key == "attempts":
            return str(item.attempts)
        if key == "error":
            if item.error is None or item.state is OutboxState.DELIVERED:
                return ""
            return outbox_error_text(item.error.code, item.error.params)
        if key == "next":
            return next_try_text(item)
        if key == "delivered":
            return local_time(item.delivered_at) if item.delivered_at else ""
        if key == "imported":
            return imported_text(item)
        return ""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        key = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, key)
        if key == "state" and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(item_style(item).background)
        if key == "state" and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(item_style(item).foreground)
        if role == ID_ROLE:
            return item.bundle_id
        if role == CASE_ROLE:
            return item.case_id
        if role == STATE_ROLE:
            return item.state
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[self._columns[section]])
        return None


def summary_text(counts: OutboxSummary) -> str:
    """"3 waiting, 1 failed (will retry), 12 delivered (10 imported by the Lead)"."""
    if counts == OutboxSummary():
        return _tr("Nothing has been sent to the Lead yet.")
    parts = [_tr("{n} waiting").format(n=counts.waiting)]
    if counts.failed:
        parts.append(_tr("{n} failed (will retry)").format(n=counts.failed))
    if counts.refused:
        parts.append(_tr("{n} refused by the Lead (send the case again)").format(
            n=counts.refused))
    imported = counts.delivered - counts.awaiting_receipt
    parts.append(_tr("{n} delivered ({m} imported by the Lead)").format(n=counts.delivered,
                                                                          m=imported))
    return ", ".join(parts) + "."


def destination_text(profile: LeadProfile | None) -> str:
    """Where bundles go, or that this laptop is not set up."""
    if profile is None:
        return _tr("This laptop is not set up to send to your Modern Slavery Lead yet. Import "
                   "the Lead profile file your Lead gave you (Lead > Lead profile…, also in "
                   "the File menu).")
    where = (_tr("the shared folder {path}").format(path=profile.destination.path)
             if isinstance(profile.destination, FolderDestination)
             else _tr("the inbox at {url}").format(url=profile.destination.url))
    return _tr("Records go to {lead}, {council}, through {where}. Everything is encrypted so "
               "only the Lead can open it.").format(lead=profile.lead_name,
                                                    council=profile.council, where=where)


class SyncProgressRow(QWidget):
    """A progress bar and its words, shown only while a sync runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setAccessibleName(self.tr("Sending progress"))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Sending progress"))
        self.bar.setMaximumWidth(240)
        self.bar.setTextVisible(False)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addStretch(1)
        self.hide()

    def set_running(self, running: bool) -> None:
        """Show an indeterminate bar at the start of a run; hide it at the end."""
        if running:
            self.bar.setRange(0, 0)
            self.label.setText(self.tr("Contacting the Lead…"))
        self.setVisible(running)

    def show_progress(self, done: int, total: int) -> None:
        """"Sending 3 of 10 to the Lead"."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(sending_text(done, total))


class OutboxPage(Page):
    """View > Outbox: every bundle, and "Retry now" (which ignores the back-off)."""

    shows_outbox = True

    retryRequested = Signal()
    openCase = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self._store = store
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Outbox: sending to the Lead"), self, 2))
        self.destination = QLabel(self)
        self.destination.setWordWrap(True)
        self.destination.setAccessibleName(self.tr("Where records go"))
        layout.addWidget(self.destination)
        self.summary = QLabel(self)
        self.summary.setAccessibleName(self.tr("Outbox summary"))
        layout.addWidget(self.summary)
        self.model = OutboxModel(store, parent=self)
        self.table: QTableView = record_table(self.tr("Outbox"), self.model, self)
        layout.addWidget(self.table, 1)
        hint = QLabel(self.tr("Enter on a row opens its case. Failed items are tried again by "
                              "themselves; Retry now tries everything waiting straight away."),
                      self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.progress = SyncProgressRow(self)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.retry_button = pressable(QPushButton(self.tr("&Retry now"), self),
                                      self.tr("Retry now"),
                                      self.tr("Try to send everything waiting, straight away"))
        row.addWidget(self.retry_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Outbox message"))
        layout.addWidget(self.message)
        self.retry_button.clicked.connect(self.retryRequested)
        self.table.activated.connect(self._open_case)
        self.refresh()

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("outbox",)

    def refresh(self) -> None:
        """Re-read the outbox and the profile."""
        if not self._store.is_open:
            return
        self.model.refresh()
        profile = device.current_profile(self._store)
        self.destination.setText(destination_text(profile))
        self.summary.setText(summary_text(summarise(self.model.items)))
        self.retry_button.setEnabled(profile is not None and self._waiting() > 0
                                     and not self.progress.isVisibleTo(self))

    def refresh_outbox(self) -> None:
        """The outbox changed: show it again."""
        self.refresh()

    def _waiting(self) -> int:
        return summarise(self.model.items).waiting

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        """A sync started or ended."""
        self.progress.set_running(running)
        self.refresh()

    @Slot(int, int)
    def show_progress(self, done: int, total: int) -> None:
        """Progress of the current sync."""
        self.progress.show_progress(done, total)

    def show_outcome(self, outcome: SyncOutcome) -> None:
        """What the last sync did, in a sentence."""
        if not outcome.reachable:
            # The core says what: the shared folder (by its path) or the inbox.
            text = (outcome.unreachable or self.tr("The Lead could not be reached.")) + " " + \
                self.tr("What is waiting stays here and goes when it can be reached.")
        elif outcome.failed:
            text = self.tr("{n} could not be sent this time; fieldkit will try again by "
                           "itself.").format(n=outcome.failed)
        elif outcome.delivered:
            text = self.tr("{n} delivered to the Lead.").format(n=outcome.delivered)
        else:
            text = self.tr("Checked with the Lead: nothing new to send.")
        self.message.setText(text)

    def show_error(self, text: str) -> None:
        """A sync failed before it could start (for example, not set up)."""
        self.message.setText(text)

    def _open_case(self, index: QModelIndex) -> None:
        case_id = index.siblingAtColumn(0).data(CASE_ROLE)
        if case_id:
            self.openCase.emit(str(case_id))


class SentToLeadPanel(QWidget):
    """A case's "Sent to Lead" tab: its bundles, and Send (or set up sending)."""

    sendRequested = Signal()
    setUpRequested = Signal()

    def __init__(self, store: Store, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Sent to the Lead"))
        layout.addWidget(self.status)
        self.model = OutboxModel(store, case_id, CASE_COLUMNS, self)
        self.table = record_table(self.tr("Bundles sent to the Lead for this case"), self.model,
                                  self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.send_button = pressable(
            QPushButton(self.tr("Se&nd this case to the Lead (Ctrl+Shift+S)"), self),
            self.tr("Send this case to the Lead"),
            self.tr("Seal everything in this case into an encrypted bundle for the Lead"))
        self.setup_button = pressable(QPushButton(self.tr("Set &up sending to the Lead…"), self),
                                      self.tr("Set up sending to the Lead"))
        row.addWidget(self.send_button)
        row.addWidget(self.setup_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.send_button.clicked.connect(self.sendRequested)
        self.setup_button.clicked.connect(self.setUpRequested)
        self.refresh()

    def refresh(self) -> None:
        """Re-read this case's bundles and whether a profile is set up."""
        if not self._store.is_open:
            return
        self.model.refresh()
        profile = device.current_profile(self._store)
        self.setup_button.setVisible(profile is None)
        self.table.setVisible(bool(self.model.items))
        if profile is None:
            self.status.setText(destination_text(None))
        elif not self.model.items:
            self.status.setText(self.tr("Nothing from this case has been sent to {lead} yet.")
                                .format(lead=profile.lead_name))
        else:
            self.status.setText(self.tr("Sent to {lead}, {council}: {summary}").format(
                lead=profile.lead_name, council=profile.council,
                summary=summary_text(summarise(self.model.items))))

    def text(self) -> str:
        """The tab's message (what a screen reader reads first)."""
        return self.status.text()
