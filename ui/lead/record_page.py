"""One received case, read-only: as the officer recorded it, its forms answer by answer, notes
with corrections, exhibits in a viewer (decoded in memory, never a temporary file), and its
history (every version received, with what changed, and what the Lead recorded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.settings import Settings
from fieldkit.store import Store
from forms.kinds import KIND_TITLES
from sync.desk.casefile import case_lines, export_packs, history_lines
from sync.desk.received import exhibit_content, form_model, load_case
from sync.desk.submission import form_sections
from ui.controls import TabKeysFocus, heading, local_time, named, pressable, wrapping
from ui.exhibit_viewer import fitted_image
from ui.messages import error_text
from ui.worker import Worker


def choose_folder(parent: QWidget) -> str:
    """Ask where to save the packs ('' when the Lead cancels)."""
    return QFileDialog.getExistingDirectory(parent, parent.tr("Save the packs into"))


def _export_in_worker(settings: Settings, key: Any, case_id: str, out: Path) -> int:
    """Runs on a pool thread, with its own connection: render and write every pack."""
    store = Store.open_unwrapped(settings, key, worker=True)
    try:
        return len(export_packs(store, case_id, out))
    finally:
        store.lock()


def _reader(name: str, text: str, parent: QWidget) -> QPlainTextEdit:
    box = named(QPlainTextEdit(parent), name)
    box.setReadOnly(True)
    box.setPlainText(text)
    return box


class RecordPage(QWidget):
    """A received case in tabs: Overview, Forms, Exhibits, History."""

    def __init__(self, store: Store, case_id: str, settings: Settings, key: Any,
                 worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.case_id = store, case_id
        self._settings, self._key, self._worker = settings, key, worker
        self.case = load_case(store, case_id)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"{self.case.case.reference}: {self.case.case.title}", self, 2))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Read-only: as the officer recorded it. Sent by %1.")
                             .replace("%1", self.case.officer), self), 1)
        self.packs_message = named(QLabel(self), self.tr("Packs message"))
        self.packs_button = pressable(QPushButton(self.tr("Save the &packs to a folder..."), self),
                                  self.tr("Save the case's PDF packs to a folder"))
        row.addWidget(self.packs_message)
        row.addWidget(self.packs_button)
        layout.addLayout(row)
        self.packs_button.clicked.connect(self.save_packs)
        self.tabs = named(QTabWidget(self), self.tr("Record views"))
        TabKeysFocus(self.tabs)  # a tab's Alt key puts the cursor in what it shows
        layout.addWidget(self.tabs, 1)
        self.overview = _reader(self.tr("The case as received"),
                                "\n".join(case_lines(store, case_id)), self)
        self.tabs.addTab(self.overview, self.tr("&Overview"))
        self.tabs.addTab(self._forms_tab(), self.tr("For&ms"))
        self.tabs.addTab(self._exhibits_tab(), self.tr("E&xhibits"))
        self.history = _reader(self.tr("History of the case"), self.history_text(), self)
        self.tabs.addTab(self.history, self.tr("&History"))

    @Slot()
    def save_packs(self) -> None:
        """Render the packs from what was received and write them where the Lead chooses
        (audited; off the GUI thread)."""
        folder = choose_folder(self)
        if not folder:
            return
        self.packs_button.setEnabled(False)
        self.packs_message.setText(self.tr("Saving the packs..."))
        settings, key, case_id = self._settings, self._key, self.case_id
        self._worker.run(lambda: _export_in_worker(settings, key, case_id, Path(folder)),
                         self._saved, self._failed)

    def _saved(self, count: int) -> None:
        self.packs_button.setEnabled(True)
        self.packs_message.setText(self.tr("%1 packs saved.").replace("%1", str(count)))

    def _failed(self, error: BaseException) -> None:
        self.packs_button.setEnabled(True)
        self.packs_message.setText(error_text(error))

    def _forms_tab(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.forms = wrapping(named(QListWidget(split), self.tr("Forms received")))
        self._readable = self.case.forms_to_read()
        for form, note in self._readable:
            who = self.case.person_reference(form.person_id)
            self.forms.addItem(f"{KIND_TITLES[form.kind]}{' (' + who + ')' if who else ''} "
                               f"- {note or form.status}, version {form.version}")
        self.form_text = _reader(self.tr("The selected form"), "", split)
        split.setStretchFactor(1, 3)
        self.forms.currentRowChanged.connect(self._show_form)
        if self._readable:
            self.forms.setCurrentRow(0)
        return split

    @Slot(int)
    def _show_form(self, row: int) -> None:
        if row < 0:
            return
        lines = []
        for section in form_sections(form_model(self._readable[row][0])):
            lines.append(f"== {section.title} ==")
            lines += [f"{a.question}: {a.answer or '-'}" for a in section.answers]
            lines.append("")
        self.form_text.setPlainText("\n".join(lines))

    def _exhibits_tab(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.exhibits = wrapping(named(QListWidget(split), self.tr("Exhibits received")))
        for exhibit in self.case.exhibits:
            mark = self.tr(" (sensitive)") if exhibit.sensitive else ""
            self.exhibits.addItem(f"{exhibit.exhibit_ref}{mark}: {exhibit.description}")
        shown = QWidget(split)
        column = QVBoxLayout(shown)
        column.setContentsMargins(0, 0, 0, 0)
        # What a disclosure schedule needs of it: the hash, when captured, the file (the tab
        # showed only the picture and its description).
        self.exhibit_facts = named(QLabel(shown), self.tr("Exhibit details"))
        self.exhibit_facts.setWordWrap(True)
        self.exhibit_facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.exhibit_facts)
        scroll = QScrollArea(shown)
        column.addWidget(scroll, 1)
        self.viewer_area = scroll
        self.viewer = named(QLabel(scroll), self.tr("Exhibit viewer"))
        self.viewer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll.setWidget(self.viewer)
        scroll.setWidgetResizable(True)
        split.setStretchFactor(1, 3)
        self.exhibits.currentRowChanged.connect(self.show_exhibit)
        if self.case.exhibits:
            self.exhibits.setCurrentRow(0)
        else:
            self.viewer.setText(self.tr("No exhibits were received for this case."))
        return split

    @Slot(int)
    def show_exhibit(self, row: int) -> None:
        """Show an exhibit from its bytes in memory (images); other files are described."""
        if row < 0:
            return
        exhibit = self.case.exhibits[row]
        self.exhibit_facts.setText(
            self.tr("%1: %2 (%3, %4 bytes), captured %5%6. SHA-256 %7.")
            .replace("%1", exhibit.exhibit_ref).replace("%2", exhibit.filename)
            .replace("%3", exhibit.media_type).replace("%4", str(exhibit.size))
            .replace("%5", local_time(exhibit.captured_at))
            .replace("%6", self.tr(", sensitive") if exhibit.sensitive else "")
            .replace("%7", exhibit.sha256))
        content = exhibit_content(self.store, exhibit.sha256)
        # Fitted to the space beside the list (a picture was blown up four times: cropped,
        # and a phone photo took the app to 958 MB).
        area = self.viewer_area.viewport().size()
        width, height = max(area.width() - 8, 480), max(area.height() - 8, 320)
        image = fitted_image(content, width, height) \
            if exhibit.media_type.startswith("image/") else None
        if image is not None and not image.isNull():
            self.viewer.setPixmap(QPixmap.fromImage(image))
        else:
            self.viewer.setText(self.tr("%1: %2, %3 bytes. SHA-256 %4.")
                                .replace("%1", exhibit.exhibit_ref)
                                .replace("%2", exhibit.media_type)
                                .replace("%3", str(exhibit.size))
                                .replace("%4", exhibit.sha256))

    def history_text(self) -> str:
        """Every version received with what changed, then what the Lead recorded."""
        return "\n".join(history_lines(self.store, self.case_id))
