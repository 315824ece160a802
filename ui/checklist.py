"""A checklist of ticked ids (indicators on a visit, the reception centre's set-up list).

A model-backed list with checkable items: keyboard users move with the arrows and tick with
Space; ticks are reported as the set of ids."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from ui.controls import named
from ui.roles import ID_ROLE

Groups = list[tuple[str, list[tuple[str, str]]]]
"""(group title, [(item id, item text)]) in display order."""


class Checklist(QWidget):
    """Checkable items under group headings; emits ``changed`` when a tick changes."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.view = named(QListView(self), name)
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)
        self.model.itemChanged.connect(lambda _item: self.changed.emit())

    def set_groups(self, groups: Groups, ticked: set[str]) -> None:
        """Show ``groups``; ids in ``ticked`` start ticked. Ticked ids no longer listed (a
        council changed its lists) are kept, so nothing recorded is lost."""
        self._orphans = set(ticked)
        self.model.blockSignals(True)
        self.model.clear()
        for title, items in groups:
            head = QStandardItem(title)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.model.appendRow(head)
            for item_id, text in items:
                item = QStandardItem(text)
                item.setCheckable(True)
                item.setEditable(False)
                item.setData(item_id, ID_ROLE)
                item.setCheckState(Qt.CheckState.Checked if item_id in ticked
                                   else Qt.CheckState.Unchecked)
                self._orphans.discard(item_id)
                self.model.appendRow(item)
        self.model.blockSignals(False)
        self.model.layoutChanged.emit()

    def ticked(self) -> list[str]:
        """The ids ticked, in list order (plus any kept from an older list)."""
        found = []
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.isCheckable() and item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(ID_ROLE)))
        return found + sorted(getattr(self, "_orphans", set()))

    def count(self) -> int:
        """How many ids are ticked."""
        return len(self.ticked())
