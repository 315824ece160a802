"""One case: its visits, people, forms, referrals, intelligence, reception centres, and what it
has sent to the Lead."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, documents, drafts
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from forms import KIND_TITLES
from forms.choices import ReferralDestination, label
from ui.controls import TabKeysFocus, heading, local_time, named, pressable
from ui.messages import error_text
from ui.outbox_view import SentToLeadPanel
from ui.page import Page
from ui.table import RecordTableModel, current_id, record_table, select_id


def confirm_close(parent: QWidget, reference: str) -> bool:
    """Ask before closing a case (replaced in tests): a key pressed on the button by mistake
    must not close it."""
    answer = QMessageBox.question(
        parent, parent.tr("Close the case"),
        parent.tr("Close case {reference}? Closing says the work on it is finished; once the "
                  "Lead has imported it, the council's retention period applies. You can "
                  "reopen it.").format(reference=reference),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes



def _when(moment: datetime) -> str:
    """A visit's start as the lists show times ("2 Dec 2026 09:40:00")."""
    return f"{moment.day} {moment:%b %Y %H:%M:%S}"

class CasePage(Page):
    """A case and everything recorded in it. Navigation requests go out as signals."""

    shows_outbox = True

    openVisit = Signal(str)
    openPerson = Signal(str)
    openReception = Signal(str)  # reception document id, or "" for a new one
    openDocument = Signal(str, str)  # kind, document id ("" for a new one)
    sendToLead = Signal(str)  # case id
    setUpLead = Signal()
    printRequested = Signal(str, str)  # case id, "packs" or "schedule"

    def __init__(self, store: Store, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(case_id, parent)
        self._store = store
        self.case = cases.get_case(store, case_id)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(f"{self.case.reference}: {self.case.title}", self, 2), 1)
        self.status_button = pressable(QPushButton(self), self.tr("Close or reopen this case"))
        self.status_button.clicked.connect(self.toggle_status)
        top.addWidget(self.status_button)
        self.print_button = pressable(QPushButton(self.tr("Print all pac&ks…"), self),
                                      self.tr("Print every pack of this case"))
        self.schedule_button = pressable(QPushButton(self.tr("Print sche&dule…"), self),
                                         self.tr("Print the schedule of notes and exhibits"))
        top.addWidget(self.print_button)
        top.addWidget(self.schedule_button)
        self.print_button.clicked.connect(lambda: self.printRequested.emit(self.case.id, "packs"))
        self.schedule_button.clicked.connect(
            lambda: self.printRequested.emit(self.case.id, "schedule"))
        layout.addLayout(top)
        self._show_status()
        self.tabs = named(QTabWidget(self), self.tr("Case sections"))
        self._first_inputs: list[QWidget] = []
        self._lists: dict[int, QTableView] = {}  # tabs whose list comes first once it has rows
        # Installed first, so called last: a tab's own first input wins over TabKeysFocus's.
        self.tabs.tabBar().installEventFilter(self)
        TabKeysFocus(self.tabs)  # a tab's Alt key puts the cursor in what it shows
        layout.addWidget(self.tabs, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Case message"))
        layout.addWidget(self.message)
        self.tabs.currentChanged.connect(self.message.clear)  # a tab's message stays with it

        self.visits = RecordTableModel([self.tr("Premises"), self.tr("Address"),
                                        self.tr("Started"), self.tr("Visit record")], self)
        self.visits_view = record_table(self.tr("Visits"), self.visits)
        self.premises = named(QLineEdit(), self.tr("New visit: premises name"))
        self.premises.setPlaceholderText(self.tr("Premises name"))
        self.address = named(QLineEdit(), self.tr("New visit: address"))
        self.address.setPlaceholderText(self.tr("Address"))
        add_visit = pressable(QPushButton(self.tr("St&art visit")), self.tr("Start visit"))
        self._tab(self.tr("&Visits"), self.visits_view, [self.premises, self.address, add_visit])
        add_visit.clicked.connect(self.add_visit)
        self.address.returnPressed.connect(self.add_visit)
        self.visits_view.activated.connect(lambda _i: self._emit_id(self.visits_view,
                                                                    self.openVisit))

        self.people = RecordTableModel([self.tr("Reference"), self.tr("Summary"),
                                        self.tr("Forms")], self)
        self.people_view = record_table(self.tr("People"), self.people)
        self.reference = named(QLineEdit(), self.tr("New person: reference"))
        self.reference.setPlaceholderText(self.tr("Reference, e.g. W5"))
        self.reference.setMaximumWidth(160)
        self.summary = named(QLineEdit(), self.tr("New person: summary"))
        self.summary.setPlaceholderText(self.tr("Short description (no name needed)"))
        add_person = pressable(QPushButton(self.tr("Add &person")), self.tr("Add person"))
        self._tab(self.tr("P&eople"), self.people_view, [self.reference, self.summary, add_person],
                  self.tr("Enter on a person opens their NRM or Duty to Notify form."))
        add_person.clicked.connect(self.add_person)
        self.summary.returnPressed.connect(self.add_person)
        self.reference.returnPressed.connect(self.add_person)
        self.people_view.activated.connect(lambda _i: self._emit_id(self.people_view,
                                                                    self.openPerson))

        self.forms = RecordTableModel([self.tr("Form"), self.tr("About"), self.tr("Status"),
                                       self.tr("Version"), self.tr("Saved")], self)
        self.forms_view = record_table(self.tr("Forms"), self.forms)
        self._tab(self.tr("F&orms"), self.forms_view, [])

        self.referrals = RecordTableModel([self.tr("Referred to"), self.tr("Status"),
                                           self.tr("Saved")], self)
        self.referrals_view = record_table(self.tr("Referrals"), self.referrals)
        new_referral = pressable(QPushButton(self.tr("&New referral")), self.tr("New referral"))
        self._tab(self.tr("&Referrals"), self.referrals_view, [new_referral])
        new_referral.clicked.connect(lambda: self.openDocument.emit("referral", ""))
        self.referrals_view.activated.connect(
            lambda _i: self.openDocument.emit("referral", current_id(self.referrals_view) or ""))

        self.intel = RecordTableModel([self.tr("Report"), self.tr("Status"), self.tr("Saved")],
                                      self)
        self.intel_view = record_table(self.tr("Intelligence reports"), self.intel)
        new_intel = pressable(QPushButton(self.tr("&New intelligence report")),
                              self.tr("New intelligence report"))
        self._tab(self.tr("&Intelligence"), self.intel_view, [new_intel])
        new_intel.clicked.connect(lambda: self.openDocument.emit("intel", ""))
        self.intel_view.activated.connect(
            lambda _i: self.openDocument.emit("intel", current_id(self.intel_view) or ""))

        self.receptions = RecordTableModel([self.tr("Reception centre"), self.tr("People"),
                                            self.tr("Saved")], self)
        self.receptions_view = record_table(self.tr("Reception centres"), self.receptions)
        new_reception = pressable(QPushButton(self.tr("Open a &new reception board")),
                                  self.tr("New reception centre board"))
        self._tab(self.tr("Reception &centre"), self.receptions_view, [new_reception],
                  list_first=True)  # Alt+C then Enter reopens the board; a new one if asked
        new_reception.clicked.connect(lambda: self.openReception.emit("new"))
        self.receptions_view.activated.connect(
            lambda _i: self.openReception.emit(current_id(self.receptions_view) or ""))

        # What this case has sent to the Lead; Send and set-up are handled by the main window.
        self.sent_to_lead = SentToLeadPanel(store, case_id, self)
        self.sent_to_lead.sendRequested.connect(lambda: self.sendToLead.emit(self.case.id))
        self.sent_to_lead.setUpRequested.connect(self.setUpLead)
        self.tabs.addTab(self.sent_to_lead, self.tr("Sent &to Lead"))
        self.refresh()

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("case", self.case.id, str(self.tabs.currentIndex()))

    def _tab(self, title: str, view: QTableView, controls: list[QWidget], hint: str = "",
             list_first: bool = False) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        if controls:
            row = QHBoxLayout()
            for control in controls:
                row.addWidget(control, 0 if isinstance(control, QPushButton) else 1)
            layout.addLayout(row)
        layout.addWidget(view, 1)
        if hint:
            layout.addWidget(QLabel(hint, page))
        index = self.tabs.addTab(page, title)
        self._first_inputs.append(controls[0] if controls else view)
        if list_first:
            self._lists[index] = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Shortcut:
            # A tab's Alt key (Alt+E: People) goes to what is typed first there, even when the
            # tab already shows (it left the focus where it was).
            QTimer.singleShot(0, self._focus_tab_input)
        return False

    def _focus_tab_input(self) -> None:
        index = self.tabs.currentIndex()
        view = self._lists.get(index)
        if view is not None and view.model().rowCount():  # what is there, ready for Enter
            if not view.currentIndex().isValid():
                view.setCurrentIndex(view.model().index(0, 0))
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif 0 <= index < len(self._first_inputs):
            self._first_inputs[index].setFocus()

    def _emit_id(self, view: QTableView, signal: SignalInstance) -> None:
        record_id = current_id(view)
        if record_id:
            signal.emit(record_id)

    @Slot()
    def refresh(self) -> None:
        """Re-read everything shown from the store."""
        store, case_id = self._store, self.case.id
        # Each list keeps its chosen row: back from a visit, the cursor is on the visit's row
        # again (a reset left no row chosen).
        views = (self.visits_view, self.people_view, self.forms_view, self.referrals_view,
                 self.intel_view, self.receptions_view)
        chosen = [(view, current_id(view)) for view in views]
        self._reload(store, case_id)
        for view, record_id in chosen:
            if record_id:
                select_id(view, record_id)

    def _reload(self, store: Store, case_id: str) -> None:
        from sync.board_share import form_link

        self.refresh_outbox()
        docs = documents.list_documents(store, case_id)
        records = {"ready": self.tr("ready"), "draft": self.tr("draft"),
                   "typed": self.tr("typed, not saved yet"), "": self.tr("nothing typed yet")}
        self.visits.set_rows([(v.visit_id, [v.premises_name, v.address, _when(v.started),
                                            records[v.record]])
                              for v in documents.visit_lines(store, case_id)])
        people = cases.list_people(store, case_id)
        reference = {p.id: p.reference for p in people}
        about = documents.about_person(store, case_id, docs)  # referrals by their reference
        by_person: dict[str, list[str]] = {}
        for doc in docs:
            if doc.id in about:
                by_person.setdefault(about[doc.id], []).append(
                    f"{KIND_TITLES.get(doc.kind, doc.kind)} ({self._status(doc.status)})")
        no_one = documents.registered_by_mistake(store, case_id)
        self.people.set_rows([(p.id, [
            p.reference + (self.tr(" (registered by mistake on the board)")
                           if p.id in no_one else ""),
            p.summary, ", ".join(by_person.get(p.id, [])) or self.tr("None yet")])
            for p in people])
        self.forms.set_rows([(d.id, [KIND_TITLES.get(d.kind, d.kind),
                                     reference.get(about.get(d.id, ""), ""),
                                     self._status(d.status), str(d.version),
                                     local_time(d.updated_at)]) for d in docs])
        referrals = [(d.id, [self._referred_to(d.data), self._status(d.status),
                             local_time(d.updated_at)]) for d in docs if d.kind == "referral"]
        intel = [(d.id, [self.tr("Intelligence report"), self._status(d.status),
                         local_time(d.updated_at)]) for d in docs if d.kind == "intel"]
        # Begun and never saved: listed too (Enter opens it again, as the New button does).
        for rows, kind, title in ((referrals, "referral", self.tr("Referral")),
                                  (intel, "intel", self.tr("Intelligence report"))):
            begun = drafts.new_form_draft(store, case_id, kind)
            if begun is not None:
                rows.append(("", [title, self.tr("not saved yet: a draft"),
                                  local_time(begun.saved_at)]))
        self.referrals.set_rows(referrals)
        self.intel.set_rows(intel)
        receptions = [(d.id, [self._venue(d.data), self._people_count(d.data),
                              local_time(d.updated_at)]) for d in docs if d.kind == "reception"]
        unsaved = form_link.unsaved_new_board(store, case_id)
        if unsaved is not None:  # opened again with Enter on this row (or the button)
            centre = unsaved.centre
            receptions.append(("new", [self.tr("{venue} (not saved yet: a draft)").format(
                venue=centre.venue or centre.operation or self.tr("Reception centre")),
                str(len(centre.people)), local_time(unsaved.kept_at)]))
        self.receptions.set_rows(receptions)

    def refresh_outbox(self) -> None:
        """Re-read what this case has sent to the Lead (the outbox changed)."""
        self.sent_to_lead.refresh()

    def _status(self, status: str) -> str:
        return self.tr("ready") if status == "ready" else self.tr("draft")

    @staticmethod
    def _referred_to(data: str) -> str:
        """Where a referral went, in the form's own words ("Salvation Army (victim care)")."""
        loaded = json.loads(data)
        destination = loaded.get("destination")
        if destination == ReferralDestination.OTHER.value:
            return str(loaded.get("other_destination") or label(ReferralDestination.OTHER))
        try:
            return label(ReferralDestination(destination)) if destination else ""
        except ValueError:
            return str(destination)

    def _venue(self, data: str) -> str:
        loaded = json.loads(data)
        return str(loaded.get("venue") or loaded.get("operation") or self.tr("Reception centre"))

    @staticmethod
    def _people_count(data: str) -> str:
        return str(len(json.loads(data).get("people", [])))

    @Slot()
    def _show_status(self) -> None:
        closed = self.case.status == "closed"
        self.status_button.setText(self.tr("Reopen ca&se") if closed else self.tr("Clo&se case"))

    @Slot()
    def toggle_status(self) -> None:
        """Close the case (work on it is finished: asked first) or reopen it."""
        status = "open" if self.case.status == "closed" else "closed"
        if status == "closed" and not confirm_close(self, self.case.reference):
            self.message.setText(self.tr("The case stays open."))
            return
        try:
            self.case = cases.set_case_status(self._store, self.case.id, status)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self._show_status()
        self.message.setText(
            self.tr("Case closed. Once the Lead has imported it, the council's retention "
                    "period applies.") if status == "closed" else self.tr("Case reopened."))

    def add_visit(self) -> None:
        """Start a visit at the typed premises and open it."""
        try:
            visit = cases.create_visit(self._store, self.case.id, self.premises.text(),
                                       self.address.text())
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self.premises.clear()
        self.address.clear()
        self.refresh()
        # Back from the visit comes to its row in the list (the boxes are empty now).
        select_id(self.visits_view, visit.id)
        self.visits_view.setFocus()
        self.openVisit.emit(visit.id)

    @Slot()
    def add_person(self) -> None:
        """Record a person by reference (no name needed) and open their form."""
        try:
            person = cases.add_person(self._store, self.case.id, self.reference.text(),
                                      summary=self.summary.text())
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self.reference.clear()
        self.summary.clear()
        self.message.setText(self.tr("Added {reference}.").format(reference=person.reference))
        self.refresh()
        self.openPerson.emit(person.id)
