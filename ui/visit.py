"""A premises visit: safety reminders, the premises record, the indicator checklist for the type
of business, contemporaneous notes, and photos and documents as exhibits."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, documents
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from forms import PremisesVisit, check_document
from ui.checklist import Checklist
from ui.controls import heading, named
from ui.drafts import DraftSaver
from ui.exhibits_view import ExhibitsView
from ui.form_editor import SectionEditor
from ui.indicators import indicator_groups
from ui.messages import error_text
from ui.notes_view import NotesView
from ui.page import Page
from ui.worker import Worker


def safety_panel(parent: QWidget) -> QFrame:
    """The reminders every officer sees before speaking to anyone on a visit."""
    frame = QFrame(parent)
    frame.setObjectName("safetyPanel")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("#safetyPanel { border: 2px solid #8a5a00; border-radius: 4px; }")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(8, 4, 8, 4)
    text = QLabel(frame.tr(
        "<b>Safety first.</b> Do not confront a potential perpetrator. "
        "Speak to a person alone, in a safe space; if that is not possible, take contact "
        "details and make an appointment. Immediate risk of serious harm: call 999 first."),
        frame)
    text.setWordWrap(True)
    text.setAccessibleName(frame.tr("Safety reminders"))
    layout.addWidget(text)
    return frame


class VisitPage(Page):
    """Everything recorded on one premises visit."""

    def __init__(
        self, store: Store, visit_id: str, worker: Worker, parent: QWidget | None = None
    ) -> None:
        super().__init__(cases.get_visit(store, visit_id).case_id, parent)
        self._store = store
        self.visit = cases.get_visit(store, visit_id)
        self._document_id: str | None = None
        self._business: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Visit: {premises}").format(
            premises=self.visit.premises_name), self, 2))
        layout.addWidget(safety_panel(self))

        self.tabs = named(QTabWidget(self), self.tr("Visit sections"))
        self.form = SectionEditor(PremisesVisit, self, skip=("indicators_ticked",))
        form_page = QWidget(self)
        form_layout = QVBoxLayout(form_page)
        scroll = QScrollArea(form_page)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        form_layout.addWidget(scroll, 1)
        self.form_message = QLabel(form_page)
        self.form_message.setWordWrap(True)
        self.form_message.setAccessibleName(self.tr("Visit record problems"))
        form_layout.addWidget(self.form_message)
        self.save_button = named(QPushButton(self.tr("&Save visit record (Ctrl+S)"), form_page),
                                 self.tr("Save visit record"))
        form_layout.addWidget(self.save_button)
        self.tabs.addTab(form_page, self.tr("Premises &record"))

        self.indicators = Checklist(self.tr("Indicators seen"), self)
        self.tabs.addTab(self.indicators, self.tr("&Indicators"))
        self.exhibits = ExhibitsView(store, self.visit.case_id, visit_id, worker, self)
        self.tabs.addTab(self.exhibits, self.tr("P&hotos and documents"))

        self.notes = NotesView(store, visit_id, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.notes)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        self.draft = DraftSaver(
            store, DraftOwner(DraftKind.VISIT_FORM, self.visit.case_id, visit_id=visit_id),
            self.form_data, self)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(300)
        self._check_timer.timeout.connect(self.show_problems)
        self._load()
        self.form.changed.connect(self._form_changed)
        self.indicators.changed.connect(self._form_changed)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.setTabOrder(self.notes.input, self.tabs)
        self.notes.input.setFocus()

    def _load(self) -> None:
        saved = [d for d in documents.list_documents(self._store, self.visit.case_id, "visit")
                 if d.visit_id == self.visit.id]
        data: dict[str, Any] = {"premises": {"name": self.visit.premises_name,
                                             "address": self.visit.address}}
        if saved:
            self._document_id = saved[-1].id
            data = json.loads(saved[-1].data)
        draft = self.draft.load()
        if draft is not None:
            data = draft
            self.form_message.setText(self.tr("Restored changes that had not been saved."))
        self.form.set_value(data)
        self._refresh_indicators(set(data.get("indicators_ticked", [])))

    def form_data(self) -> dict[str, Any]:
        """The visit record as typed, including the ticked indicators."""
        data = self.form.value()
        data["indicators_ticked"] = self.indicators.ticked()
        return data

    def _refresh_indicators(self, ticked: set[str]) -> None:
        self._business = self.form.value().get("premises", {}).get("business_type")
        self.indicators.set_groups(indicator_groups(self._business), ticked)

    @Slot()
    def _form_changed(self) -> None:
        # A different type of business brings a different checklist; ticks are kept.
        if self.form.value().get("premises", {}).get("business_type") != self._business:
            self._refresh_indicators(set(self.indicators.ticked()))
        self.draft.touch()
        self._check_timer.start()

    @Slot()
    def show_problems(self) -> list[str]:
        """Check the record as typed; show and return every problem in plain words."""
        problems = [p.message for p in check_document("visit", self.form_data(), ready=False)]
        self.form_message.setText("\n".join(problems))
        return problems

    @Slot()
    def save(self) -> None:
        """Save the visit record as a new version (earlier versions are kept)."""
        if self.show_problems():
            return
        try:
            saved = documents.save_document(
                self._store, self.visit.case_id, "visit", self.form_data(),
                document_id=self._document_id, visit_id=self.visit.id)
        except FieldkitError as error:
            self.form_message.setText(error_text(error))
            return
        self._document_id = saved.id
        self.draft.discard()
        self.form_message.setText(self.tr("Visit record saved (version {n}).").format(
            n=saved.version))

    @property
    def pending_work(self) -> str:
        """Files chosen as exhibits and still being read when a lock comes are not added."""
        if self.exhibits.reading:
            return self.tr("{n} file(s) chosen as exhibits for {premises} were not added "
                           "before fieldkit locked: add them again.").format(
                n=self.exhibits.reading, premises=self.visit.premises_name)
        return ""

    def flush_drafts(self) -> None:
        """Write any pending drafts now (before locking or closing)."""
        self.draft.flush()
        self.notes.draft.flush()
