"""Contemporaneous notes: Enter commits a timed entry, Shift+Enter starts a new line.

Committed entries are never edited. A correction is a new entry; the original stays readable,
struck through and labelled, directly above its correction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, notes
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.records import NoteEntry
from fieldkit.store import Store
from ui.controls import heading, local_time, named, pressable
from ui.drafts import DraftSaver
from ui.messages import error_text
from ui.roles import ENTRY_ROLE

Index = QModelIndex | QPersistentModelIndex


def reading_order(entries: list[NoteEntry]) -> list[NoteEntry]:
    """Entries in the order written, each correction placed straight after what it corrects."""
    children: dict[str, list[NoteEntry]] = {}
    for entry in entries:
        if entry.corrects:
            children.setdefault(entry.corrects, []).append(entry)
    ordered: list[NoteEntry] = []

    def place(entry: NoteEntry) -> None:
        ordered.append(entry)
        for child in children.get(entry.id, []):
            place(child)

    known = {entry.id for entry in entries}
    for entry in entries:
        if not entry.corrects or entry.corrects not in known:
            place(entry)
    return ordered


class NotesModel(QAbstractListModel):
    """A visit's note entries in reading order; corrected originals are struck through."""

    def __init__(self, parent: Any = None, device_officer: str = "") -> None:
        super().__init__(parent)
        self._entries: list[NoteEntry] = []
        self._seq: dict[str, int] = {}
        self._corrected_by: dict[str, list[int]] = {}
        self._clock_went_back: set[str] = set()
        self._written_after: set[str] = set()
        self._device_officer = device_officer

    def set_entries(self, entries: list[NoteEntry], written_after: set[str] | None = None
                    ) -> None:
        """Show ``entries`` (as returned by the core, in written order); ``written_after``:
        the ids of those written after the visit ended (:func:`fieldkit.notes.written_after`)."""
        self.beginResetModel()
        self._written_after = written_after or set()
        self._entries = reading_order(entries)
        self._seq = {entry.id: entry.seq for entry in entries}
        self._corrected_by = {original: [e.seq for e in later]
                              for original, later in notes.corrections_of(entries).items()}
        # Entries keep the order they were written (their number); a time earlier than the
        # entry before it means the computer's clock was changed between them: say so.
        self._clock_went_back = notes.clock_went_back(sorted(entries, key=lambda e: e.seq))
        self.endResetModel()

    def entry(self, row: int) -> NoteEntry:
        """The entry shown in ``row``."""
        return self._entries[row]

    def is_corrected(self, entry: NoteEntry) -> bool:
        """True when a later entry corrects ``entry``."""
        return entry.id in self._corrected_by

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(entry)
        if role == Qt.ItemDataRole.FontRole and self.is_corrected(entry):
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == ENTRY_ROLE:
            return entry.id
        return None

    def describe(self, entry: NoteEntry) -> str:
        """The entry as shown: number, local time, text, and its correction status in words."""
        when = local_time(entry.written_at, with_zone=True)
        if entry.author and entry.author != self._device_officer:
            when = self.tr("{time}, by {author}").format(time=when, author=entry.author)
        if entry.id in self._clock_went_back:
            when += " " + self.tr("(earlier than the entry before: the clock was changed)")
        if entry.id in self._written_after:
            when += " " + self.tr("(written after the visit ended)")
        if entry.corrects:
            head = self.tr("#{seq} {time}  ↳ correction of #{original}:").format(
                seq=entry.seq, time=when, original=self._seq.get(entry.corrects, "?"))
        else:
            head = self.tr("#{seq} {time}").format(seq=entry.seq, time=when)
        text = f"{head}  {entry.text}"
        if self.is_corrected(entry):
            text += "  " + self.tr("[corrected by {seqs}]").format(
                seqs=", ".join(f"#{seq}" for seq in self._corrected_by[entry.id]))
        return text


class NoteInput(QPlainTextEdit):
    """The note box: Enter commits, Shift+Enter adds a line, Escape cancels a correction."""

    commit = Signal()
    cancel = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.commit.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel.emit()
            return
        super().keyPressEvent(event)


class NotesView(QWidget):
    """The list of entries and the box to write the next one (autosaved as a draft)."""

    committed = Signal(str)  # the new entry's id

    def __init__(self, store: Store, visit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._visit_id = visit_id
        self._corrects: str | None = None
        self.model = NotesModel(self, device_officer=store.actor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Contemporaneous notes"), self))
        self.list = named(QListView(self), self.tr("Note entries"))
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        layout.addWidget(self.list, 3)
        self.mode = QLabel(self)
        self.mode.setWordWrap(True)
        self.mode.setAccessibleName(self.tr("Note mode"))
        layout.addWidget(self.mode)
        self.input = named(NoteInput(self), self.tr("New note entry"),
                           self.tr("Enter saves the entry with the time. Shift+Enter: new line."))
        self.input.setTabChangesFocus(True)
        self.input.setMaximumHeight(110)
        layout.addWidget(self.input, 1)
        buttons = QHBoxLayout()
        self.add_button = pressable(QPushButton(self.tr("Save entry (Enter)"), self),
                                    self.tr("Save note entry"))
        self.correct_button = pressable(QPushButton(self.tr("&Correct selected entry"), self),
                                        self.tr("Correct selected entry"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Notes message"))
        layout.addWidget(self.message)

        self.draft = DraftSaver(
            store, DraftOwner(DraftKind.NOTE, cases.get_visit(store, visit_id).case_id,
                              visit_id=visit_id),
            self._draft_data, self)
        self.input.textChanged.connect(self.draft.touch)
        self.input.commit.connect(self.commit_entry)
        self.input.cancel.connect(self.cancel_correction)
        self.add_button.clicked.connect(self.commit_entry)
        self.correct_button.clicked.connect(self.start_correction)
        self.list.activated.connect(lambda _index: self.start_correction())
        QShortcut(QKeySequence(self.tr("Ctrl+E")), self, self.start_correction,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Tab as the notes read, top to bottom: Shift+Tab from the box goes to the entries
        # above it (it went to whatever came before the notes on the screen).
        self.setTabOrder(self.list, self.input)
        self.setTabOrder(self.input, self.add_button)
        self.setTabOrder(self.add_button, self.correct_button)
        self.list.installEventFilter(self)
        self.reload()
        self._restore_draft()
        self._show_mode()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.FocusIn \
                and not self.list.currentIndex().isValid() and self.model.rowCount():
            # Into the entries with none chosen: the newest, as the notes are read back (Qt
            # chose the first, so Up from Shift+Tab went nowhere near the entry just written).
            self.list.setCurrentIndex(self.model.index(self.model.rowCount() - 1, 0))
        return super().eventFilter(watched, event)

    def show_entry(self, note_id: str) -> bool:
        """Select and show the entry ``note_id`` (a search found it), saying in words whether
        it was corrected since; False if it is not in this visit."""
        for row in range(self.model.rowCount()):
            entry = self.model.entry(row)
            if entry.id != note_id:
                continue
            index = self.model.index(row, 0)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
            self.list.setFocus()
            if self.model.is_corrected(entry):
                self.message.setText(self.tr(
                    "Found entry #{seq}; it was corrected later: the correction is right "
                    "beneath it.").format(seq=entry.seq))
            else:
                self.message.setText(self.tr("Found entry #{seq}.").format(seq=entry.seq))
            return True
        return False

    def reload(self) -> None:
        """Re-read the entries from the store and keep the newest in view."""
        from fieldkit.documents import visit_ended_at

        entries = notes.list_notes(self._store, self._visit_id)
        ended = visit_ended_at(self._store, self._visit_id)
        self.model.set_entries(entries, notes.written_after(entries, ended))
        self.list.scrollToBottom()

    def _draft_data(self) -> dict[str, Any] | None:
        text = self.input.toPlainText()
        if not text.strip():
            return None
        return {"text": text, "corrects": self._corrects}

    def _restore_draft(self) -> None:
        draft = self.draft.load_draft()
        if draft is None or not draft.data:
            return
        saved = draft.data
        corrects = saved.get("corrects")
        known = {self.model.entry(r).id for r in range(self.model.rowCount())}
        self._corrects = corrects if corrects in known else None
        self.input.blockSignals(True)  # restoring is not a change worth saving again
        self.input.setPlainText(str(saved.get("text", "")))
        self.input.blockSignals(False)
        self.input.moveCursor(self.input.textCursor().MoveOperation.End)
        self.message.setText(self.tr(
            "Restored the note you were typing (first typed {time}).").format(
                time=local_time(draft.first_saved_at, with_zone=True)))

    def _show_mode(self) -> None:
        if self._corrects is None:
            self.mode.setText(self.tr("New entry: type and press Enter to save it with the time."))
            return
        seq = next((self.model.entry(r).seq for r in range(self.model.rowCount())
                    if self.model.entry(r).id == self._corrects), "?")
        self.mode.setText(self.tr(
            "Correcting entry #{seq}: the original stays on record, struck through, with "
            "the correction beneath it.").format(seq=seq))

    @Slot()
    def start_correction(self) -> None:
        """Begin a correction of the selected entry, starting from its text."""
        index = self.list.currentIndex()
        if not index.isValid() or (self.input.hasFocus() and not self.list.hasFocus()):
            # From the entry box: go to the entries, the newest chosen, to pick the one meant.
            rows = self.model.rowCount()
            if rows == 0:
                self.message.setText(self.tr("There is no entry to correct yet."))
                return
            if not index.isValid():
                self.list.setCurrentIndex(self.model.index(rows - 1, 0))
            self.list.setFocus()
            self.message.setText(self.tr(
                "Choose the entry to correct with Up and Down, then press Enter."))
            return
        entry = self.model.entry(index.row())
        if self._unsaved_text():
            # Never typed over: what is in the box was typed and not yet added.
            self.message.setText(self.tr(
                "The note box holds words not yet added: press Enter there to add them (or "
                "clear them) before correcting an entry."))
            self.input.setFocus()
            return
        latest = notes.latest_version(self._store, entry.id)
        said = ""
        if latest.id != entry.id:  # corrected already: its latest version is what stands
            said = self.tr("Entry #{seq} was corrected since; as it stands now it is #{latest}: "
                           "correcting #{latest}. ").format(seq=entry.seq, latest=latest.seq)
            entry = latest
        self._corrects = entry.id
        self.input.setPlainText(entry.text)
        # The original, selected: what is typed replaces it, an arrow key keeps it to edit
        # (the cursor at its end ran what was typed on: "…answer.Correction to #2: …").
        self.input.selectAll()
        self.input.setFocus()
        self._show_mode()
        self.message.setText(said + self.tr(
            "Type the corrected entry; Enter saves it as a new timed entry; Esc cancels."))

    def _unsaved_text(self) -> bool:
        """The box holds words typed and not added: a new entry's, or a correction changed."""
        text = self.input.toPlainText()
        if not text.strip():
            return False
        if self._corrects is None:
            return True
        corrected = next((self.model.entry(row) for row in range(self.model.rowCount())
                          if self.model.entry(row).id == self._corrects), None)
        return corrected is None or text != corrected.text

    @Slot()
    def cancel_correction(self) -> None:
        """Leave correction mode, discarding the correction text."""
        if self._corrects is None:
            return
        self._corrects = None
        self.input.clear()
        self._show_mode()
        self.message.clear()  # the correction's instructions no longer apply

    @Slot()
    def commit_entry(self) -> None:
        """Save the typed text as a new entry (or a correction), timed now."""
        text = self.input.toPlainText()
        if not text.strip():
            return
        try:
            if self._corrects is None:
                entry = notes.add_note(self._store, self._visit_id, text)
            else:
                entry = notes.correct_note(self._store, self._corrects, text)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self._corrects = None
        self.input.blockSignals(True)
        self.input.clear()
        self.input.blockSignals(False)
        self.draft.discard()
        self.message.setText(self.tr("Saved entry #{seq} at {time}.").format(
            seq=entry.seq, time=local_time(entry.written_at, with_date=False)))
        self._show_mode()
        self.reload()
        self.input.setFocus()
        self.committed.emit(entry.id)
