"""A referral or intelligence report: the form, live problems, and versioned saves."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit import documents, prefill
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from forms import KIND_TITLES, KINDS
from ui.controls import focus_by_key, form_scroll, heading, pressable
from ui.drafts import DraftSaver
from ui.form_editor import SectionEditor
from ui.messages import error_text
from ui.page import Page
from ui.problems import ProblemList
from ui.save_state import SaveState


class DocumentPage(Page):
    """Edit one form document of ``kind``; Ctrl+S saves a new version, drafts autosave."""

    def __init__(
        self, store: Store, case_id: str, kind: str, document_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(case_id, parent)
        self._store, self._case_id, self.kind = store, case_id, kind
        self._document_id = document_id
        self._refused = False
        self.title = KIND_TITLES.get(kind, kind)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.title, self, 2))
        self.editor = SectionEditor(KINDS[kind], self)
        self.scroll_area = form_scroll(self)
        self.scroll_area.setWidget(self.editor)
        layout.addWidget(self.scroll_area, 1)
        self.problems = ProblemList(self)
        self.problems.setMaximumHeight(110)
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        self.save_button = pressable(QPushButton(self.tr("&Save draft (Ctrl+S)"), self),
                                     self.tr("Save draft"))
        self.ready_button = pressable(QPushButton(self.tr("Mark read&y"), self),
                                      self.tr("Mark ready"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)  # a long message wraps, never widens the window
        self.message.setAccessibleName(self.tr("Form message"))
        row.addWidget(self.save_button)
        row.addWidget(self.ready_button)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        self.save_state = SaveState(self)
        layout.addWidget(self.save_state)
        owner = DraftOwner(DraftKind.DOCUMENT, case_id, form_kind=kind, document_id=document_id)
        self.draft = DraftSaver(store, owner, self.editor.value, self)
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(300)
        self._check.timeout.connect(self.check)
        data: dict[str, Any] = prefill.new_document(store, case_id, kind)
        if document_id:
            data = json.loads(documents.get_document(store, document_id).data)
        restored = self.draft.load()
        data = restored or data
        self.editor.set_value(data)
        if restored:
            self.save_state.restored()  # changes made before, not yet saved as a version
        self.editor.changed.connect(self.draft.touch)
        self.editor.changed.connect(self._forget_refusal)
        self.editor.changed.connect(self.save_state.changed)
        self.draft.saved.connect(lambda _key: self.save_state.saved_draft())
        self.editor.changed.connect(self._check.start)
        self.problems.goTo.connect(self._go_to)
        self.save_button.clicked.connect(lambda: self.save("draft"))
        self.ready_button.clicked.connect(lambda: self.save("ready"))
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save("draft"))
        self.check()

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("document", self._case_id, self.kind, self._document_id or "")

    @Slot()
    def check(self) -> None:
        """Show what is invalid, and what is still missing before it can be marked ready."""
        self.problems.show_problems(documents.case_form_problems(
            self._store, self._case_id, self.kind, self.editor.value()))

    def _go_to(self, field: str) -> None:
        widget = self.editor.widget_at(field)
        if widget is not None:
            focus_by_key(widget)
            self.scroll_area.ensureWidgetVisible(widget)  # never typing into a field out of sight

    @Slot()
    def _forget_refusal(self) -> None:
        """Why a save was refused goes once the form changes (the problems list says what is
        still wrong, live)."""
        if self._refused:
            self._refused = False
            self.message.clear()

    def save(self, status: str) -> None:
        """Save a new version (``draft`` or ``ready``)."""
        try:
            saved = documents.save_document(self._store, self._case_id, self.kind,
                                            self.editor.value(), status=status,
                                            document_id=self._document_id)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            self._refused = True
            return
        self._document_id = saved.id
        self.draft.discard()
        self.save_state.saved()
        self.draft.owner = self.draft.owner.saved_as(saved.id)
        self.message.setText(
            (self.tr("Marked ready (version {n}).") if saved.status == "ready"
             else self.tr("Saved as a draft (version {n}).")).format(n=saved.version))

    def flush_drafts(self) -> None:
        """Write the pending draft now."""
        self.draft.flush()
