"""A premises visit: safety reminders, the premises record, the indicator checklist for the type
of business, contemporaneous notes, and photos and documents as exhibits."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, clock, documents, prefill
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.export import export_file
from fieldkit.store import Store
from forms import PremisesVisit
from ui import print_pack
from ui.checklist import Checklist
from ui.controls import (
    TabKeysFocus,
    first_focusable,
    focus_by_key,
    heading,
    last_focusable,
    named,
    pressable,
)
from ui.drafts import DraftSaver
from ui.exhibits_view import ExhibitsView
from ui.form_editor import SectionEditor
from ui.indicators import indicator_groups
from ui.messages import error_text
from ui.notes_view import NotesView
from ui.page import Page
from ui.problems import ProblemList
from ui.save_state import SaveState
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


def confirm_replace_time(parent: QWidget, which: str, recorded: str, now: str) -> bool:
    """Ask before a recorded start or end time is replaced with now (replaced in tests): a
    second Alt+V, pressed by mistake, silently overwrote the time the visit started."""
    answer = QMessageBox.question(
        parent, parent.tr("Replace the recorded time"),
        parent.tr("The visit's {which} is recorded as {recorded}. Replace it with now ({now})?")
        .format(which=which, recorded=recorded, now=now),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _shown_time(recorded: str, now: datetime) -> str:
    """A recorded time as the officer reads it: "10:17" today, with its date on another day,
    as typed when it is not a time at all."""
    try:
        moment = datetime.fromisoformat(recorded)
    except ValueError:
        return recorded
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


class VisitPage(Page):
    """Everything recorded on one premises visit."""

    def __init__(
        self, store: Store, visit_id: str, worker: Worker, parent: QWidget | None = None
    ) -> None:
        super().__init__(cases.get_visit(store, visit_id).case_id, parent)
        self._store = store
        self._worker = worker
        self.visit = cases.get_visit(store, visit_id)
        self._document_id: str | None = None
        self._business: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Visit: {premises}").format(
            premises=self.visit.premises_name), self, 2))
        layout.addWidget(safety_panel(self))

        # The record's tabs, and beneath them (whichever tab shows) the message line, the
        # buttons and the save state: Ctrl+S on the Indicators said nothing where it showed,
        # and Alt+P (Print report) did nothing there.
        self.record_column = QWidget(self)
        column = QVBoxLayout(self.record_column)
        column.setContentsMargins(0, 0, 0, 0)
        self.tabs = named(QTabWidget(self), self.tr("Visit sections"))
        column.addWidget(self.tabs, 1)
        form_page = QWidget(self)
        form_layout = QVBoxLayout(form_page)
        self.record_scroll = QScrollArea(form_page)
        self.record_scroll.setWidgetResizable(True)
        # Not a Tab stop of its own (the cursor on it showed nothing): Tab goes into the
        # fields, and the area scrolls to each one as Tab reaches it.
        self.record_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Made after its scroll area, so the fields come in the Tab order where they show
        # (made before, they came before the tabs and Tab skipped them).
        self.form = SectionEditor(PremisesVisit, self.record_scroll, skip=("indicators_ticked",))
        self.record_scroll.setWidget(self.form)
        form_layout.addWidget(self.record_scroll, 1)
        self.problems = ProblemList(form_page)
        self.problems.setMaximumHeight(80)
        form_layout.addWidget(self.problems)
        below = self.record_column
        self.form_message = QLabel(below)
        self.form_message.setWordWrap(True)
        self.form_message.setAccessibleName(self.tr("Visit record message"))
        column.addWidget(self.form_message)
        row = QHBoxLayout()
        self.start_button = pressable(QPushButton(self.tr("Start &visit now"), below),
                                      self.tr("Start visit now"),
                                      self.tr("Record the start time as now"))
        self.end_button = pressable(QPushButton(self.tr("E&nd visit now"), below),
                                    self.tr("End visit now"), self.tr("Record the end time as now"))
        # No Alt key of its own: Ctrl+S saves from anywhere on the visit, and beneath the tabs
        # Alt+S is the exhibits' Copy hash.
        self.save_button = pressable(QPushButton(self.tr("Save (Ctrl+S)"), below),
                                     self.tr("Save visit record"))
        self.ready_button = pressable(QPushButton(self.tr("Mark read&y"), below),
                                      self.tr("Mark the visit record ready"))
        self.print_button = pressable(QPushButton(self.tr("&Print report…"), below),
                                      self.tr("Print the visit report"),
                                      self.tr("Notes with corrections, exhibits with their hashes"))
        for button in (self.start_button, self.end_button, self.save_button, self.ready_button,
                       self.print_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.save_state = SaveState(below)
        column.addWidget(self.save_state)
        self.tabs.addTab(form_page, self.tr("Premises &record"))

        self.indicators = Checklist(self.tr("Indicators seen"), self)
        self.tabs.addTab(self.indicators, self.tr("&Indicators"))
        self.exhibits = ExhibitsView(store, self.visit.case_id, visit_id, worker, self)
        self.tabs.addTab(self.exhibits, self.tr("Ph&otos and documents"))

        self.notes = NotesView(store, visit_id, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.record_column)
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
        self.save_button.clicked.connect(lambda: self.save("draft"))
        self.ready_button.clicked.connect(lambda: self.save("ready"))
        self.start_button.clicked.connect(lambda: self._set_now("started_at"))
        self.end_button.clicked.connect(lambda: self._set_now("ended_at"))
        self.print_button.clicked.connect(self.print_report)
        self.problems.goTo.connect(self._go_to)
        self.draft.saved.connect(lambda _key: self.save_state.saved_draft())
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save("draft"))
        # The notes (entries, the box, its buttons), then the record's tabs: Tab from the
        # note box stays in the notes, Shift+Tab goes to the entries above it.
        self.setTabOrder(self.notes.correct_button, self.tabs)
        TabKeysFocus(self.tabs)  # Alt+I goes into the indicators, Alt+R into the record
        self.show_problems()  # what Mark ready still needs, from the start
        self.notes.input.setFocus()

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("visit", self.visit.id)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab from the last of the Indicators or Photos tab goes to the buttons under the tabs
        (Start visit now ... Print report), as Tab from the record's last field does, and from
        the last button on to the notes; Shift+Tab from the first button goes back into that
        tab. Qt's order went past the buttons to the notes: they come before those tabs'
        contents in it."""
        tab = self.tabs.currentWidget()
        if tab is not None and self.tabs.currentIndex() != 0:
            current = QApplication.focusWidget()
            last = last_focusable(tab)
            if next and last is not None and current is last:
                self.start_button.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if not next and last is not None and current is self.start_button:
                last.setFocus(Qt.FocusReason.BacktabFocusReason)
                return True
            notes = first_focusable(self.notes)
            if next and current is self.print_button and notes is not None:
                notes.setFocus(Qt.FocusReason.TabFocusReason)  # not back into the tab
                return True
        return super().focusNextPrevChild(next)

    def _load(self) -> None:
        saved = [d for d in documents.list_documents(self._store, self.visit.case_id, "visit")
                 if d.visit_id == self.visit.id]
        data = prefill.new_visit_record(self._store, self.visit)
        if saved:
            self._document_id = saved[-1].id
            data = json.loads(saved[-1].data)
        draft = self.draft.load()
        if draft is not None:
            data = draft
            self.save_state.restored()  # changes made before, not yet saved as a version
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
        self.save_state.changed()
        self._check_timer.start()

    @Slot()
    def show_problems(self) -> list[str]:
        """Check the record as typed, as Mark ready would; show and return every problem in
        plain words (the same check saving makes, so the list and the save always agree)."""
        found = documents.form_problems("visit", self.form_data(), ready=True)
        self.problems.show_problems(found)
        return [p.message for p in found]

    def _go_to(self, field: str) -> None:
        widget = self.form.widget_at(field)
        if widget is not None:
            self.tabs.setCurrentIndex(0)
            focus_by_key(widget)
            self.record_scroll.ensureWidgetVisible(widget)  # never typing into a field out of sight

    def _set_now(self, field: str) -> None:
        """Record the start (or end) time as now: only that field changes, so the cursor and
        the scroll stay where they were; a time already recorded is replaced only when the
        officer says so."""
        now = clock.local_now().replace(microsecond=0)
        which = self.tr("start") if field == "started_at" else self.tr("end")
        recorded = self.form.value().get(field)
        if recorded and not confirm_replace_time(
                self, which, _shown_time(str(recorded), now), now.strftime("%H:%M")):
            return
        self.form.set_field_value(field, now.isoformat())
        self._form_changed()
        self.form_message.setText(self.tr("The visit's {which} is recorded as {time}.").format(
            which=which, time=now.strftime("%H:%M")))

    def save(self, status: str = "draft") -> None:
        """Save the visit record as a new version (earlier versions are kept); ``ready`` only
        when nothing is missing."""
        problems = self.show_problems()
        if status == "ready" and problems:
            where = (self.tr("listed above") if self.tabs.currentIndex() == 0
                     else self.tr("listed on the Premises record tab"))
            self.form_message.setText(self.tr(
                "Not marked ready: {n} problem(s) to fix first ({where}).").format(
                    n=len(problems), where=where))
            return
        self.save_state.saving()
        try:
            saved = documents.save_document(
                self._store, self.visit.case_id, "visit", self.form_data(), status=status,
                document_id=self._document_id, visit_id=self.visit.id)
        except FieldkitError as error:
            self.form_message.setText(error_text(error))
            self.save_state.failed()
            return
        self._document_id = saved.id
        self.draft.discard()
        self.save_state.saved()
        if status == "ready":
            self.form_message.setText(self.tr(
                "Visit record marked ready (version {n}).").format(n=saved.version))
        else:
            self.form_message.setText(self.tr(
                "Visit record saved as a draft (version {n}).").format(n=saved.version))

    @Slot()
    def print_report(self) -> None:
        """Print the visit report (notes with corrections struck through, exhibits with their
        hashes): rendered on the worker, written by the core (audited first, 0600)."""
        reference = cases.get_case(self._store, self.visit.case_id).reference
        path = print_pack.choose_pack_path(self, f"{reference}-visit-report.pdf",
                                           self.tr("the visit report"))
        if not path:
            return
        self.form_message.setText(self.tr("Making the visit report…"))
        self.print_button.setEnabled(False)
        from fieldkit.pdf import visit_renderer  # reportlab only when printing, not at start-up

        # Read here (the store's connection is this thread's), rendered on the worker.
        _name, render = visit_renderer(self._store, self.visit.id)
        self._worker.run(render, lambda pdf: self._printed(path, pdf), self._print_failed)

    def _printed(self, path: str, pdf: bytes) -> None:
        self.print_button.setEnabled(True)
        try:
            written = export_file(self._store, Path(path), pdf, record_kind="visit",
                                  record_id=self.visit.id)
        except (FieldkitError, OSError) as error:
            self._print_failed(error)
            return
        self.form_message.setText(self.tr(
            "Visit report saved to {path}. It is not encrypted.").format(path=str(written)))

    def _print_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.form_message.setText(error_text(error))

    def show_exhibits(self) -> None:
        """Bring the photos and documents tab forward."""
        self.tabs.setCurrentWidget(self.exhibits)

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
