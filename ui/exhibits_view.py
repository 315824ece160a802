"""Photos and documents captured as numbered exhibits, each with its hash and a thumbnail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from fieldkit import exhibits
from fieldkit.errors import FieldkitError
from fieldkit.records import Exhibit
from fieldkit.store import Store
from ui.clipboard import copy_text
from ui.controls import ask_no_by_default, heading, local_time, named, pressable
from ui.exhibit_viewer import ExhibitViewer
from ui.messages import error_text
from ui.worker import Worker

Index = QModelIndex | QPersistentModelIndex
THUMB = 56
THUMB_MAX_BYTES = 16 * 1024 * 1024


def pick_files(parent: QWidget) -> list[str]:
    """Ask which files to capture. Tests replace this function with a stub."""
    # Qt's own dialog (not the desktop's): locking can close it, so it never outlives the
    # screen that asked.
    names, _filter = QFileDialog.getOpenFileNames(
        parent, parent.tr("Add photos or documents as exhibits"), str(Path.home()),
        parent.tr("Photos and documents (*.jpg *.jpeg *.png *.heic *.pdf *.txt *.doc *.docx);;"
                  "All files (*)"), options=QFileDialog.Option.DontUseNativeDialog)
    return list(names)


def read_files(paths: list[str]) -> list[tuple[str, bytes]]:
    """Read the chosen files (on a worker: a phone's photos can be large)."""
    return [(path, Path(path).read_bytes()) for path in paths]


def confirm_same_file(parent: QWidget, reference: str) -> bool:
    """Ask before the same file becomes a second exhibit (No by default; replaced in
    tests)."""
    return ask_no_by_default(
        parent, parent.tr("Already an exhibit"),
        parent.tr("This file is already exhibit {reference} (the same content). Add it again "
                  "as a new exhibit?").format(reference=reference))


class ExhibitsModel(QAbstractTableModel):
    """A case's exhibits for one visit, with a thumbnail for each photo."""

    REF, DESCRIPTION, FILE, HASH, SIZE, CAPTURED = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Exhibit] = []
        self._thumbs: dict[str, QPixmap] = {}
        self._headers = [self.tr("Exhibit"), self.tr("Description"), self.tr("File"),
                         self.tr("SHA-256"), self.tr("Size"), self.tr("Captured")]

    def set_items(self, items: list[Exhibit], thumbs: dict[str, QPixmap]) -> None:
        """Show ``items``; ``thumbs`` maps exhibit ids to thumbnails."""
        self.beginResetModel()
        self._items = items
        self._thumbs = thumbs
        self.endResetModel()

    def item(self, row: int) -> Exhibit:
        """The exhibit in ``row``."""
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.REF:
                flag = self.tr(" (sensitive)") if item.sensitive else ""
                return item.exhibit_ref + flag
            if column == self.DESCRIPTION:
                return item.description
            if column == self.FILE:
                return item.filename
            if column == self.HASH:
                return item.sha256[:16] + "…"
            if column == self.SIZE:
                return self.tr("{kb} KB").format(kb=max(1, round(item.size / 1024)))
            return local_time(item.captured_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{ref}: {description}\nSHA-256 {hash}").format(
                ref=item.exhibit_ref, description=item.description or item.filename,
                hash=item.sha256)
        if role == Qt.ItemDataRole.DecorationRole and column == self.REF:
            return self._thumbs.get(item.id)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class ExhibitsView(QWidget):
    """Add files as exhibits of the visit; see their numbers, hashes and thumbnails."""

    def __init__(
        self, store: Store, case_id: str, visit_id: str, worker: Worker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._case_id, self._visit_id = store, case_id, visit_id
        self._worker = worker
        self._reading = 0
        self.model = ExhibitsModel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Photos and documents"), self))
        row = QHBoxLayout()
        self.description = named(QLineEdit(self), self.tr("Exhibit description"))
        self.description.setPlaceholderText(self.tr("What it shows (optional)"))
        self.sensitive = named(QCheckBox(self.tr("Sensitive"), self), self.tr("Sensitive exhibit"))
        row.addWidget(self.description, 1)
        row.addWidget(self.sensitive)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.add_button = pressable(QPushButton(self.tr("&Add files…"), self),
                                    self.tr("Add photos or documents"))
        self.copy_button = pressable(QPushButton(self.tr("Copy ha&sh"), self),
                                     self.tr("Copy the selected exhibit's hash"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = named(QTableView(self), self.tr("Exhibits"))
        self.table.setModel(self.model)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Exhibits message"))
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_files)
        self.table.activated.connect(lambda index: self.view_exhibit(index.row()))
        self.copy_button.clicked.connect(self.copy_hash)
        self.reload()

    def reload(self) -> None:
        """Re-read this visit's exhibits and make thumbnails of the photos."""
        items = exhibits.list_exhibits(self._store, self._case_id, self._visit_id)
        thumbs: dict[str, QPixmap] = {}
        for item in items:
            if item.media_type.startswith("image/") and item.size <= THUMB_MAX_BYTES:
                image = QImage.fromData(exhibits.exhibit_content(self._store, item.id))
                if not image.isNull():
                    thumbs[item.id] = QPixmap.fromImage(image.scaled(
                        THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation))
        self.model.set_items(items, thumbs)

    @Slot()
    def add_files(self) -> None:
        """Choose files, read them on a worker, then capture each as the next exhibit."""
        paths = pick_files(self)
        if not paths or not Shiboken.isValid(self) or not self._store.is_open:
            return  # nothing chosen, or fieldkit locked while the dialog was open (it closed)
        self._reading = len(paths)
        self.add_button.setEnabled(False)
        self.message.setText(self.tr("Reading {count} file(s)…").format(count=len(paths)))
        self._worker.run(lambda: read_files(paths), self._capture, self._failed)

    @property
    def reading(self) -> int:
        """How many chosen files are being read and not yet captured."""
        return self._reading

    def _capture(self, files: list[tuple[str, bytes]]) -> None:
        self._reading = 0
        self.add_button.setEnabled(True)
        if not self._store.is_open:
            return
        added: list[str] = []
        kept: list[str] = []
        try:
            for path, content in files:
                held = exhibits.held_as(self._store, self._case_id, content)
                if held is not None and not confirm_same_file(self, held.exhibit_ref):
                    kept.append(held.exhibit_ref)
                    continue
                exhibit = exhibits.add_exhibit(
                    self._store, self._case_id, content, path, visit_id=self._visit_id,
                    description=self.description.text(), sensitive=self.sensitive.isChecked())
                added.append(exhibit.exhibit_ref)
        except FieldkitError as error:
            self.message.setText(error_text(error))
        else:
            said = [self.tr("Added {refs}.").format(refs=", ".join(added))] if added else []
            if kept:
                said.append(self.tr("Not added again: already {refs}.").format(
                    refs=", ".join(kept)))
            self.message.setText(" ".join(said))
            self.description.clear()
            self.sensitive.setChecked(False)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._reading = 0
        self.add_button.setEnabled(True)
        self.message.setText(error_text(error))

    def view_exhibit(self, row: int) -> ExhibitViewer | None:
        """Enter on an exhibit: show it inside fieldkit (its hash is checked first)."""
        item = self.model.item(row)
        try:
            content = exhibits.exhibit_content(self._store, item.id)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return None
        viewer = ExhibitViewer(item, content, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()
        return viewer

    @Slot()
    def copy_hash(self) -> None:
        """Copy the selected exhibit's full hash (wiped from the clipboard on lock)."""
        index = self.table.currentIndex()
        if index.isValid():
            copy_text(self.model.item(index.row()).sha256)
            self.message.setText(self.tr("Hash copied."))
