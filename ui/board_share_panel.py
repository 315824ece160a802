"""The reception board's Sharing tab: share this board (the address and join code shown large,
to read out), join another laptop's board, the laptops connected, and the conflicts to resolve
(each value with who set it, on which laptop and when; Resolve keeps the value chosen).

It only shows and asks: the board page does the sharing through ``BoardSharing`` and the core."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import PersonReceived
from sync.board_share.changes import REGISTRATION
from ui.controls import named, pressable

VALUE_CLOCK = Qt.ItemDataRole.UserRole
"""Where a listed value keeps the clock of the change that set it."""
FOUND_ADDRESS = Qt.ItemDataRole.UserRole + 1
VALUE_DEVICE = Qt.ItemDataRole.UserRole + 2
"""Where a listed value keeps the enrolled id of the laptop that set it."""
"""Where a board found on the network keeps its address (HOST:PORT)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("SharePanel", text)


def field_title(field: str) -> str:
    """A person's field as the board names it."""
    info = PersonReceived.model_fields.get(field)
    return str(info.title) if info is not None and info.title else field.replace("_", " ")


def value_text(value: Any) -> str:
    """A value as an officer reads it."""
    if value is None or value == "" or value == []:
        return _tr("not recorded")
    if value is True:
        return _tr("yes")
    if value is False:
        return _tr("no")
    if isinstance(value, str):
        try:  # a time recorded on the board: as the officer's clock shows it
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value.replace("_", " ")
        if moment.tzinfo is None:
            return value
        local = moment.astimezone()
        return f"{local:%H:%M:%S} on {local.day} {local:%b %Y}"
    if isinstance(value, list):
        return _tr("{n} entries").format(n=len(value))
    return str(value)


def device_text(device_id: str) -> str:
    """A laptop as listed: the start of its enrolled id (as the Lead's devices list shows)."""
    return _tr("laptop {id}").format(id=device_id[:8])


def when_text(moment: datetime) -> str:
    """A time in the officer's zone, hours and minutes."""
    return moment.astimezone().strftime("%H:%M:%S")


def registration_text(conflict: Any) -> str:
    """A reference registered on several laptops, in words: by whom, where and when."""
    by = _tr(" and ").join(_tr("by {officer} on {device} at {when}").format(
        officer=v.officer, device=device_text(v.device_id), when=when_text(v.at))
        for v in conflict.values)
    return _tr("{ref} was registered on {n} laptops: {by}.").format(
        ref=conflict.person, by=by,
        n=_tr("two") if len(conflict.values) == 2 else str(len(conflict.values)))


class SharePanel(QWidget):
    """Share, join, connected laptops and conflicts. Signals carry what the officer asked."""

    shareRequested = Signal()
    stopRequested = Signal()
    joinRequested = Signal(str, str)  # address, code
    lookRequested = Signal()
    devicesFileRequested = Signal()
    resolveRequested = Signal(str, str, str)  # reference, field, the chosen value's clock
    newReferenceRequested = Signal(str, str, str)  # reference, device id, the new reference

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        layout.addLayout(right, 1)

        share = QGroupBox(self.tr("Share this board"), self)
        share_layout = QVBoxLayout(share)
        explain = QLabel(self.tr(
            "Other laptops at the centre enrolled with the same Lead can join with the address "
            "and code shown here. Read the code out; never send it by message."), share)
        explain.setWordWrap(True)
        share_layout.addWidget(explain)
        self.share_button = pressable(QPushButton(self.tr("Share the boar&d"), share),
                                      self.tr("Share board"))
        self.stop_button = pressable(QPushButton(self.tr("Sto&p sharing"), share),
                                     self.tr("Stop sharing"))
        self.stop_button.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.share_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        share_layout.addLayout(buttons)
        self.address = named(QLabel(share), self.tr("Address to type on the other laptops"))
        self.code = named(QLabel(share), self.tr("Join code to read out"))
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2)
        big.setBold(True)
        for label in (self.address, self.code):
            label.setFont(big)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            share_layout.addWidget(label)
        left.addWidget(share)

        join = self.join_group = QGroupBox(self.tr("Join a board another laptop shares"), self)
        grid = QGridLayout(join)
        self.look_button = pressable(QPushButton(self.tr("L&ook for boards"), join),
                                     self.tr("Look for boards shared on this network"))
        self.looking = named(QProgressBar(join), self.tr("Looking for boards"))
        self.looking.setRange(0, 0)  # busy: how long looking takes is not known
        self.looking.setTextVisible(False)
        self.looking.setVisible(False)
        found_label = QLabel(self.tr("Boards fo&und (choose one)"), join)
        self.found = named(QListWidget(join), self.tr("Boards found on this network"),
                           self.tr("Choosing one fills in its address"))
        self.found.setMaximumHeight(self.found.fontMetrics().height() * 5)
        found_label.setBuddy(self.found)
        self.found_state = named(QLabel(join), self.tr("Looking for boards"))
        self.found_state.setWordWrap(True)
        address_label = QLabel(self.tr("Add&ress"), join)
        self.join_address = named(QLineEdit(join), self.tr("Address of the sharing laptop"),
                                  self.tr("As the sharing laptop shows it, "
                                          "for example 192.168.1.20:8450"))
        self.join_address.setPlaceholderText("192.168.1.20:8450")
        address_label.setBuddy(self.join_address)
        code_label = QLabel(self.tr("&Join code"), join)
        self.join_code = named(QLineEdit(join), self.tr("Join code"),
                               self.tr("The eight letters and numbers read out"))
        self.join_code.setPlaceholderText("ABCD-EF23")
        code_label.setBuddy(self.join_code)
        self.join_button = pressable(QPushButton(self.tr("Joi&n"), join), self.tr("Join the board"))
        grid.addWidget(self.look_button, 0, 0)
        grid.addWidget(self.looking, 0, 1)
        grid.addWidget(self.found_state, 1, 0, 1, 2)
        grid.addWidget(found_label, 2, 0)
        grid.addWidget(self.found, 2, 1)
        grid.addWidget(address_label, 3, 0)
        grid.addWidget(self.join_address, 3, 1)
        grid.addWidget(code_label, 4, 0)
        grid.addWidget(self.join_code, 4, 1)
        grid.addWidget(self.join_button, 5, 1, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(join)
        devices = QGroupBox(self.tr("The Lead's list of enrolled laptops"), self)
        devices_layout = QVBoxLayout(devices)
        devices_explain = QLabel(self.tr(
            "Only laptops on the Lead's signed list may share a board. When the Lead sends a "
            "new devices file (a laptop added or revoked), import it here."), devices)
        devices_explain.setWordWrap(True)
        devices_layout.addWidget(devices_explain)
        self.devices_button = pressable(
            QPushButton(self.tr("&Import the Lead's devices file…"), devices),
            self.tr("Import the Lead's devices file"))
        devices_layout.addWidget(self.devices_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.devices_state = named(QLabel(devices), self.tr("Devices file imported"))
        self.devices_state.setWordWrap(True)
        devices_layout.addWidget(self.devices_state)
        left.addWidget(devices)
        self.state = named(QLabel(self), self.tr("Sharing state"))
        self.state.setWordWrap(True)
        left.addWidget(self.state)
        left.addStretch(1)

        peers_label = QLabel(self.tr("Lap&tops connected"), self)
        right.addWidget(peers_label)
        self.peers = named(QTableWidget(0, 4, self), self.tr("Laptops connected"))
        peers_label.setBuddy(self.peers)
        self.peers.setHorizontalHeaderLabels([
            self.tr("Officer"), self.tr("Laptop"), self.tr("Last seen"),
            self.tr("Changes not yet there")])
        for table in (self.peers,):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setTabKeyNavigation(False)
        right.addWidget(self.peers, 1)

        conflicts_label = QLabel(self.tr("&Conflicts to resolve"), self)
        right.addWidget(conflicts_label)
        self.conflicts = named(QListWidget(self), self.tr("Conflicts to resolve"),
                               self.tr("A person's detail recorded differently on two laptops"))
        conflicts_label.setBuddy(self.conflicts)
        right.addWidget(self.conflicts, 1)
        values_label = QLabel(self.tr("&Values recorded (choose the one to keep)"), self)
        right.addWidget(values_label)
        self.conflict_said = named(QLabel(self), self.tr("The conflict in words"))
        self.conflict_said.setWordWrap(True)
        right.addWidget(self.conflict_said)
        self.values = named(QListWidget(self), self.tr("Values recorded"))
        values_label.setBuddy(self.values)
        right.addWidget(self.values, 1)
        self.resolve_button = pressable(QPushButton(self.tr("&Keep the chosen value"), self),
                                        self.tr("Resolve the conflict with the chosen value"))
        self.resolve_button.setEnabled(False)
        right.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignLeft)
        renumber = self.renumber = QWidget(self)  # a reference registered twice only
        renumber_layout = QHBoxLayout(renumber)
        renumber_layout.setContentsMargins(0, 0, 0, 0)
        self.new_reference = named(
            QLineEdit(renumber), self.tr("New reference for the person registered on the "
                                         "chosen laptop"),
            self.tr("Type it, then press Enter"))
        self.new_reference_button = pressable(
            QPushButton(self.tr("Giv&e one a new reference"), renumber),
            self.tr("Give the person registered on the chosen laptop a new reference"))
        renumber_layout.addWidget(self.new_reference_button)
        renumber_layout.addWidget(self.new_reference, 1)
        renumber.setVisible(False)
        right.addWidget(renumber)

        self._conflicts: list[Any] = []
        self.share_button.clicked.connect(self.shareRequested)
        self.stop_button.clicked.connect(self.stopRequested)
        self.join_button.clicked.connect(self._join)
        self.devices_button.clicked.connect(self.devicesFileRequested)
        self.join_code.returnPressed.connect(self._join)
        self.look_button.clicked.connect(self._look)
        self.found.currentItemChanged.connect(self._found_chosen)
        self.conflicts.currentRowChanged.connect(self._show_values)
        self.values.currentRowChanged.connect(
            lambda row: self.resolve_button.setEnabled(row >= 0))
        self.values.itemActivated.connect(lambda _item: self._resolve())
        self.resolve_button.clicked.connect(self._resolve)
        self.new_reference_button.clicked.connect(self._renumber)
        self.new_reference.returnPressed.connect(self._renumber)
        self.show_sharing(None)

    def _join(self) -> None:
        self.joinRequested.emit(self.join_address.text(), self.join_code.text())

    def _look(self) -> None:
        self.look_button.setEnabled(False)
        self.looking.setVisible(True)
        self.found_state.setText(self.tr("Looking for boards shared on this network…"))
        self.lookRequested.emit()

    def show_found(self, boards: list[tuple[str, str | None]], set_aside: int = 0) -> None:
        """The boards that may be joined: each address with the officer whose laptop shares it
        (None when this laptop has no devices file to name it by); ``set_aside`` boards were
        found but are shared by laptops the Lead did not enrol or has revoked."""
        self.look_button.setEnabled(True)
        self.looking.setVisible(False)
        self.found.clear()
        for address, officer in boards:
            item = QListWidgetItem(self.tr("{officer}'s laptop, at {address}").format(
                officer=officer, address=address) if officer else self.tr(
                "A laptop at {address} (import the Lead's devices file to see whose)").format(
                address=address))
            item.setData(FOUND_ADDRESS, address)
            self.found.addItem(item)
        text = (self.tr(
            "No shared board was found on this network. Ask the sharing laptop for its "
            "address and type it below.") if not boards else self.tr(
            "1 board found: choose it, then type the join code.") if len(boards) == 1
            else self.tr("{n} boards found: choose one, then type the join code.").format(
                n=len(boards)))
        if set_aside:
            text += " " + (self.tr(
                "1 other board on this network cannot be joined: the laptop sharing it is not "
                "enrolled with your Lead, or was revoked.") if set_aside == 1 else self.tr(
                "{n} other boards on this network cannot be joined: the laptops sharing them "
                "are not enrolled with your Lead, or were revoked.").format(n=set_aside))
        self.found_state.setText(text)

    def show_looking_failed(self, why: str) -> None:
        """Looking could not be done (``why`` in plain words); typing the address still works."""
        self.look_button.setEnabled(True)
        self.looking.setVisible(False)
        self.found_state.setText(why)

    def _found_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.join_address.setText(str(item.data(FOUND_ADDRESS)))

    def show_sharing(self, sharing: Any) -> None:
        """Show the address(es) and code while sharing (None: not sharing)."""
        sharing_now = sharing is not None
        self.share_button.setVisible(not sharing_now)
        self.stop_button.setVisible(sharing_now)
        self.address.setVisible(sharing_now)
        self.code.setVisible(sharing_now)
        self.join_group.setEnabled(not sharing_now)  # this laptop is the one others join
        if sharing_now:
            self.address.setText(self.tr("Address: {where}").format(where="  ".join(
                f"{address}:{sharing.port}" for address in sharing.addresses)))
            self.code.setText(self.tr("Join code: {code}").format(code=sharing.code))

    def show_peers(self, peers: tuple[Any, ...]) -> None:
        """The laptops this board exchanged with, connected ones first."""
        self.peers.setRowCount(len(peers))
        for row, peer in enumerate(sorted(peers, key=lambda p: (not p.connected, p.officer))):
            seen = self.tr("connected now") if peer.connected else \
                self.tr("{n} minutes ago").format(n=int(peer.seconds_ago // 60))
            for column, text in enumerate((peer.officer, device_text(peer.device_id), seen,
                                           str(peer.unseen_there))):
                self.peers.setItem(row, column, QTableWidgetItem(text))

    def show_conflicts(self, conflicts: list[Any]) -> None:
        """The conflicts; the one selected stays selected if it is still there, and nothing
        is redrawn (the value being chosen stays chosen) when they have not changed."""
        if [(c.person, c.field, c.values) for c in conflicts] == \
                [(c.person, c.field, c.values) for c in self._conflicts]:
            return
        current = self.conflicts.currentRow()
        key = (self._conflicts[current].person, self._conflicts[current].field) \
            if 0 <= current < len(self._conflicts) else None
        self._conflicts = list(conflicts)
        self.conflicts.blockSignals(True)
        self.conflicts.clear()
        for conflict in self._conflicts:
            self.conflicts.addItem(self.tr("{ref}: registered on {n} laptops").format(
                ref=conflict.person, n=len(conflict.values)) if conflict.field == REGISTRATION
                else self.tr("{ref}: {field} ({n} values)").format(
                ref=conflict.person, field=field_title(conflict.field),
                n=len(conflict.values)))
        keys = [(c.person, c.field) for c in self._conflicts]
        self.conflicts.setCurrentRow(keys.index(key) if key in keys else
                                     (0 if keys else -1))
        self.conflicts.blockSignals(False)
        self._show_values(self.conflicts.currentRow())

    def _show_values(self, row: int) -> None:
        self.values.clear()
        self.resolve_button.setEnabled(False)
        registration = 0 <= row < len(self._conflicts) and \
            self._conflicts[row].field == REGISTRATION
        self.renumber.setVisible(registration)
        self.new_reference.clear()
        self.resolve_button.setText(self.tr("&Keep as one person") if registration
                                    else self.tr("&Keep the chosen value"))
        self.conflict_said.setText(registration_text(self._conflicts[row]) if registration
                                   else "")
        if not 0 <= row < len(self._conflicts):
            return
        for value in self._conflicts[row].values:
            said = {"officer": value.officer, "device": device_text(value.device_id),
                    "when": when_text(value.at), "value": value_text(value.value)}
            item = QListWidgetItem((self.tr("Registered by {officer} on {device} at {when}")
                                    if registration else self.tr(
                                        "{value} — set by {officer}, {device}, at {when}"))
                                   .format(**said))
            item.setData(VALUE_CLOCK, value.clock)
            item.setData(VALUE_DEVICE, value.device_id)
            self.values.addItem(item)

    def _renumber(self) -> None:
        row, item = self.conflicts.currentRow(), self.values.currentItem()
        if not 0 <= row < len(self._conflicts) or \
                self._conflicts[row].field != REGISTRATION:
            return
        if item is None:
            self.values.setFocus()
            self.conflict_said.setText(self.tr(
                "{said} Choose the laptop whose person gets a new reference, then type the "
                "new reference.").format(said=registration_text(self._conflicts[row])))
            return
        if not self.new_reference.text().strip():
            self.new_reference.setFocus()
            self.conflict_said.setText(self.tr(
                "Type the new reference for the person registered on {device}, then press "
                "Enter.").format(device=device_text(str(item.data(VALUE_DEVICE)))))
            return
        self.newReferenceRequested.emit(self._conflicts[row].person,
                                        str(item.data(VALUE_DEVICE)),
                                        self.new_reference.text().strip())

    def _resolve(self) -> None:
        row, item = self.conflicts.currentRow(), self.values.currentItem()
        if not 0 <= row < len(self._conflicts) or item is None:
            return
        conflict = self._conflicts[row]
        self.resolveRequested.emit(conflict.person, conflict.field,
                                   str(item.data(VALUE_CLOCK)))
