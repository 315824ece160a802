"""The reception-centre board: the set-up checklist, then every person received by step, with
counts at the top of each column, filters, and one keystroke to register a new arrival."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, clock, documents
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from forms import BoardStep, PersonReceived, ReceptionCentre, StepWait
from forms.reception import ReferralForm
from ui.board_share_link import SharedBoard
from ui.board_share_panel import SharePanel
from ui.checklist import Checklist
from ui.controls import TabKeysFocus, heading, named, pressable
from ui.drafts import DraftSaver
from ui.form_editor import SectionEditor
from ui.indicators import setup_groups
from ui.messages import error_text
from ui.page import Page
from ui.person_panel import PersonPanel
from ui.reception_model import (
    STEPS,
    BoardFilter,
    ReceptionBoardModel,
    step_title,
)
from ui.save_state import SaveState

if TYPE_CHECKING:
    from ui.board_sharing import BoardSharing
    from ui.worker import Worker

CENTRE_FIELDS = ["operation", "venue", "held_on", "lead_agency", "agencies_present",
                 "interpreters"]
NEW_BOARD = "new"
"""The document id that opens a new board (a case may hold several: one per centre)."""


class ReceptionBoardPage(SharedBoard, Page):
    """A reception centre's set-up and board, saved as a ``reception`` form document."""

    wants_full_width = True
    openPersonForm = Signal(str)  # the person's id in the case

    def __init__(
        self, store: Store, case_id: str, document_id: str | None, parent: QWidget | None = None,
        sharing: BoardSharing | None = None, worker: Worker | None = None,
    ) -> None:
        super().__init__(case_id, parent)
        from sync.board_share import form_link

        self._store, self._case_id, self._document_id = store, case_id, document_id
        self._sharing = sharing
        self._worker = worker
        self._quiet = False
        self._taking = False  # recording forms made: their changes do not look again
        self._cut_off = False  # the last exchange could not reach a laptop
        self._view = form_link.open_board(store, case_id, document_id)  # shown, merged
        centre = self._view.centre
        owner = DraftOwner(DraftKind.RECEPTION, case_id, form_kind="reception",
                           document_id=document_id)
        self.draft = DraftSaver(store, owner, self._draft_data, self)
        restored = self.draft.load()
        if restored is not None:  # the board it was made from, with what arrived since
            self._view, centre = form_link.restore_draft(store, case_id, document_id, restored)
        self.model = ReceptionBoardModel(centre, centre.held_on or clock.today(), self)
        self.proxy = BoardFilter(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Reception centre"), self, 2))
        self.tabs = named(QTabWidget(self), self.tr("Reception centre sections"))
        TabKeysFocus(self.tabs)  # a tab's Alt key puts the cursor in what it shows
        layout.addWidget(self.tabs, 1)
        setup = QWidget(self)
        setup_outer = QVBoxLayout(setup)
        # What the people on the board need and the set-up does not record yet (the board's
        # summary says how many, and points here, where they are put right).
        self.to_arrange = QLabel(setup)
        self.to_arrange.setWordWrap(True)
        self.to_arrange.setAccessibleName(self.tr("To arrange"))
        self.to_arrange.setStyleSheet("QLabel { border: 2px solid #b35900; padding: 4px; }")
        self.to_arrange.hide()
        setup_outer.addWidget(self.to_arrange)
        setup_layout = QHBoxLayout()
        setup_outer.addLayout(setup_layout, 1)
        details_scroll = QScrollArea(setup)  # interpreters for each language add entries
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details = SectionEditor(ReceptionCentre, details_scroll, only=CENTRE_FIELDS)
        self.details.set_value(centre.model_dump(mode="json"))
        details_scroll.setWidget(self.details)
        setup_layout.addWidget(details_scroll, 1)
        self.checklist = Checklist(self.tr("Set-up checklist"), setup)
        self.checklist.set_groups(setup_groups(), set(centre.setup_ticked))
        setup_layout.addWidget(self.checklist, 1)
        self.tabs.addTab(setup, self.tr("1. &Set up"))

        board = QWidget(self)
        board_layout = QVBoxLayout(board)
        top = QHBoxLayout()
        ref_label = QLabel(self.tr("New &arrival"), board)
        self.new_reference = named(QLineEdit(board), self.tr("New arrival reference"),
                                   self.tr("Insert or Ctrl+N, then Enter"))
        self.new_reference.setMaximumWidth(120)
        ref_label.setBuddy(self.new_reference)
        self.add_button = pressable(QPushButton(self.tr("Register"), board),
                                    self.tr("Register arrival"))
        filter_label = QLabel(self.tr("Sh&ow"), board)
        self.filter = named(QComboBox(board), self.tr("Board filter"))
        filter_label.setBuddy(self.filter)
        self.filter.addItem(self.tr("Everyone"), None)
        self.filter.addItem(self.tr("Still at the centre"), "here")
        for step in STEPS:
            if step is BoardStep.LEFT:  # no one waits to leave: "Still at the centre" above
                continue
            self.filter.addItem(self.tr("Waiting for: {step}").format(
                step=step_title(step)), step.value)
        self.summary = QLabel(board)
        self.summary.setAccessibleName(self.tr("Board summary"))
        for widget in (ref_label, self.new_reference, self.add_button, filter_label,
                       self.filter):
            top.addWidget(widget)
        top.addWidget(self.summary, 1)
        board_layout.addLayout(top)
        self.table = named(QTableView(board), self.tr("Reception board"))
        self.table.setModel(self.proxy)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        metrics = header.fontMetrics()
        cell = max(self.table.fontMetrics().horizontalAdvance(text)
                   for text in self.model.status_texts()) + 16
        for column, step in enumerate(STEPS, start=1):
            words = step_title(step).split(" ", 1)
            widest = max(metrics.horizontalAdvance(word) for word in words) + 6
            self.table.setColumnWidth(column, max(cell, widest))
        header.setMinimumHeight(40)
        self.table.setColumnWidth(0, 70)
        self.table.installEventFilter(self)
        # The reference is the row header: it stays in view when the board scrolls sideways.
        self.table.setColumnHidden(0, True)
        self.table.verticalHeader().show()
        self.table.verticalHeader().setMinimumWidth(48)
        self.panel = PersonPanel(board)
        split = QSplitter(Qt.Orientation.Vertical, board)
        split.addWidget(self.table)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        # Half each: at 1366x768 the board shows about seven people and the panel several of
        # the person's details (it scrolls; F6 gives it most of the height).
        split.setSizes([500, 500])
        self.split = split
        board_layout.addWidget(split, 1)
        board_layout.addWidget(QLabel(self.tr(
            "Space marks the selected step done now (again to undo; consent cycles given, "
            "refused). Delete marks it not needed. F6 moves between the board and the person's "
            "details. Ctrl+S saves the board."), board))
        self.message = QLabel(board)
        self.message.setWordWrap(True)  # a long message made the window 3,024 pixels wide
        self.message.setAccessibleName(self.tr("Board message"))
        board_layout.addWidget(self.message)
        self.shared_status = QLabel(board)
        self.shared_status.setWordWrap(True)
        self.shared_status.setAccessibleName(self.tr("Changes from other laptops"))
        board_layout.addWidget(self.shared_status)
        self.save_state = SaveState(board)
        board_layout.addWidget(self.save_state)
        self.draft.saved.connect(lambda _key: self.save_state.saved_draft())
        self._unsaved = restored is not None  # changes not yet saved as a version
        if self._unsaved:
            self.save_state.restored()
        self.save_button = pressable(QPushButton(self.tr("Sav&e board (Ctrl+S)"), board),
                                     self.tr("Save board"))
        self.print_button = pressable(
            QPushButton(self.tr("Print the su&mmary…"), board), self.tr("Print the summary"),
            self.tr("Save the board, then print the reception-centre summary to a PDF"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button, 1)
        buttons.addWidget(self.print_button)
        board_layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_summary)
        self.tabs.addTab(board, self.tr("2. &Board"))
        self.share_panel = SharePanel(self)
        self.tabs.addTab(self.share_panel, self.tr("3. Sharin&g"))
        self.tabs.setCurrentIndex(1 if centre.people else 0)
        self._wire_sharing()

        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.panel.personChanged.connect(self._person_edited)
        self.panel.openForm.connect(self._open_form)
        self.panel.ageDecided.connect(self.decide_age)
        self.add_button.clicked.connect(self.register)
        self.new_reference.returnPressed.connect(self.register)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.save_button.clicked.connect(self.save)
        self.details.changed.connect(self._changed)
        self.checklist.changed.connect(self._changed)
        self.model.dataChanged.connect(self._changed)
        self.model.dataChanged.connect(self._people_changed)
        self.model.rowsInserted.connect(self._changed)
        for keys in (QKeySequence(Qt.Key.Key_Insert), QKeySequence(self.tr("Ctrl+N"))):
            QShortcut(keys, self, self.start_arrival)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self.switch_pane)
        self._show_summary()
        self.take_forms_made()
        QTimer.singleShot(0, self._first_focus)

    def showEvent(self, event: QShowEvent) -> None:
        """Back on the board (a form marked ready meanwhile in another tab): recorded."""
        super().showEvent(event)
        self.take_forms_made()

    @Slot()
    def _people_changed(self) -> None:
        """A person's record changed (consent recorded, say): a form already made may fit now.
        Not on the centre's own details: nothing there decides a person's form."""
        if not self._taking and not self._quiet:
            self.take_forms_made()

    @Slot()
    def take_forms_made(self) -> None:
        """Record on the board the NRM referrals and Duty to Notify notices marked ready in the
        case (the core decides which: :func:`fieldkit.documents.forms_for_the_board`); the
        board waited on after they were made. Saved with the board, as any change."""
        people = [self.model.person(row) for row in range(self.model.rowCount())]
        try:
            updates = documents.forms_for_the_board(self._store, self._case_id, people,
                                                    self.model.as_of)
        except FieldkitError:
            return
        self._taking = True
        try:
            for row, person in updates:
                self.model.set_person(row, person)
        finally:
            self._taking = False
        if updates:
            self.message.setText(self.tr("Recorded from the forms marked ready: {who}. Save the "
                                         "board to keep it (Ctrl+S).").format(
                who=", ".join(f"{person.reference} " + (
                    self.tr("NRM") if person.referral_form is ReferralForm.NRM
                    else self.tr("Duty to Notify")) for _row, person in updates)))

    @Slot()
    def switch_pane(self) -> None:
        """F6: from the board to the selected person's details (given most of the height, so
        more than a few fields show at 1366x768), and back (the board given it again)."""
        total = sum(self.split.sizes()) or 1000
        focused = QApplication.focusWidget()
        if focused is not None and self.panel.isAncestorOf(focused):
            self.split.setSizes([total // 2, total - total // 2])
            self.table.setFocus()
            QTimer.singleShot(0, lambda: self.table.scrollTo(self.table.currentIndex()))
            return
        if self.panel.editor.isHidden():
            self.message.setText(self.tr("Select a person on the board first."))
            return
        self.split.setSizes([total // 4, total - total // 4])
        self.panel.focus_first()
        # The board, smaller now, still shows whose details these are.
        QTimer.singleShot(0, lambda: self.table.scrollTo(self.table.currentIndex()))

    def _first_focus(self) -> None:
        """Where to start typing: the board's first cell, or the centre's first detail."""
        if self.tabs.currentIndex() == 1 and self.proxy.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.proxy.index(0, 1))
        elif self.tabs.currentIndex() == 0:
            first = self.details.widget_at(CENTRE_FIELDS[0])
            if first is not None:
                first.setFocus()

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("reception", self._case_id, self._document_id or NEW_BOARD)

    def _draft_data(self) -> dict[str, Any]:
        from sync.board_share import form_link

        return form_link.draft_of(self._view, self.centre())

    def centre(self) -> ReceptionCentre:
        """The centre as shown: its details, checklist and everyone on the board."""
        details = self.details.field_values()
        base = self.model.centre().model_dump(mode="json")
        base.update(details)
        base["setup_ticked"] = self.checklist.ticked()
        return ReceptionCentre.model_validate(base)

    def _row_changed(self, current: Any, _previous: Any = None) -> None:
        dropped = self.panel.typed_problem()
        if dropped:  # never silently: what was typed and not valid is not in the record
            self.message.setText(self.tr("Not kept: {problem} The record keeps what it had "
                                         "there; everything else typed is kept.")
                                 .format(problem=dropped))
        elif current is not _previous and _previous is not None and _previous.isValid() \
                and (not current.isValid() or current.row() != _previous.row()):
            self.message.clear()  # what it said was about the person before (the first
            # cell chosen at opening keeps what the opening said)
        index = self.proxy.mapToSource(current) if current.isValid() else current
        if not index.isValid():
            self.panel.show_person(None, self.model.as_of)
            self.panel.show_child_route(None)
            return
        person = self.model.person(index.row())
        self.panel.show_person(person, self.model.as_of)
        self.panel.show_child_route(self._view.child_route.get(person.reference))

    def _open_form(self, reference: str) -> None:
        """The case's person with this reference (the same person) opens in their form,
        which starts from the board as it is on screen: unsaved changes are saved first."""
        try:
            person = cases.ensure_person(self._store, self._case_id, reference)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        if not self._typed_ok():
            return
        if self._unsaved and not self.save():
            return
        self.flush_drafts()
        self.openPersonForm.emit(person.id)

    def _person_edited(self, person: PersonReceived) -> None:
        index = self.proxy.mapToSource(self.table.currentIndex())
        if index.isValid():
            self.model.set_person(index.row(), person)

    @Slot()
    def _changed(self) -> None:
        if self._quiet:
            self._show_summary()
            return
        self.draft.touch()
        self._unsaved = True
        self.save_state.changed()
        self._show_summary()

    def _show_summary(self) -> None:
        people = len(self.model.centre().received())  # registered by mistake: no one
        left, _ = self.model.counts()[BoardStep.LEFT]
        try:
            prompts = self.centre().to_arrange(self.model.as_of)
        except ValueError:  # a set-up field not valid: its own message says so
            prompts = []
        said = self.tr("{n} received, {here} still here, {left} left").format(
            n=people, here=people - left, left=left)
        if prompts:  # the board keeps its room at 1366x768: the prompts are on the set-up tab
            said += self.tr("; {n} to arrange: see 1. Set up (Alt+S)").format(n=len(prompts))
        self.summary.setText(said)
        self.to_arrange.setText(self.tr("To arrange: ") + " ".join(
            prompt + "." for prompt in prompts))
        self.to_arrange.setVisible(bool(prompts))

    @Slot()
    def start_arrival(self) -> None:
        """Insert or Ctrl+N: go to the board with the next reference ready to register."""
        self.tabs.setCurrentIndex(1)
        self.new_reference.setText(self.model.next_reference())
        self.new_reference.selectAll()
        self.new_reference.setFocus()

    @Slot()
    def register(self) -> None:
        """Put the typed reference on the board as arrived now."""
        typed = self.new_reference.text()
        known = cases.person_by_reference(self._store, self._case_id, typed) if typed.strip() \
            else None
        try:  # the case's person as the case writes them ("w1" typed: W1, met on the visit)
            row = self.model.add_person(known.reference if known else typed, clock.local_now())
        except ValueError as error:
            self.message.setText(str(error))
            self.new_reference.selectAll()  # the next reference typed replaces it ("A3a3")
            self.new_reference.setFocus()
            return
        reference = self.model.person(row).reference
        try:  # the board's person is the case's person: one record, shown in both places
            cases.ensure_person(self._store, self._case_id, reference)
            arrived = self.model.person(row)
            known_of = documents.arrival_from_forms(self._store, self._case_id, arrived)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        if known_of != arrived:  # what the case's forms record of them already
            self.model.set_person(row, known_of)
        self.new_reference.clear()
        self._show_summary()
        shown = self.proxy.mapFromSource(self.model.index(row, 1))
        if shown.isValid():  # the person just registered is the one the panel shows
            self.table.setCurrentIndex(shown)
        self.message.setText(self.tr("{ref} registered.").format(ref=reference) if known_of
                             == arrived else self.tr("{ref} registered, with the age, gender "
                             "and language their form records (check them in the details).")
                             .format(ref=reference))

    @Slot(int)
    def _filter_changed(self, _index: int) -> None:
        value = self.filter.currentData()
        if value == "here":
            self.proxy.show_waiting_for(None, still_here=True)
        else:
            self.proxy.show_waiting_for(BoardStep(value) if value else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.ShortcutOverride \
                and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End):
            event.accept()  # Ctrl+Home and Ctrl+End move in the board (Alt+Left goes back)
            return False
        if watched is self.table and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Delete):
            index = self.proxy.mapToSource(self.table.currentIndex())
            if index.isValid() and index.column() > 0:
                step = STEPS[index.column() - 1]
                if event.key() == Qt.Key.Key_Space:
                    waits = self.model.toggle(index.row(), step, clock.local_now())
                    self.message.setText("" if waits is None else self._wait_words(waits))
                elif self.model.mark_not_needed(index.row(), step):
                    self.message.clear()
                else:
                    self.message.setText(self.tr("That step is always needed."))
                self._row_changed(self.table.currentIndex())  # the panel shows the change
            return True
        return False

    def _wait_words(self, waits: StepWait) -> str:
        """Why Space changed nothing, in plain words."""
        words = {
            StepWait.CONSENT_FIRST: self.tr("Ask about consent first: the route depends on it."),
            StepWait.NOT_FOR_A_CHILD: self.tr(
                "Not needed for a child (or possibly a child): no consent is asked, the NRM "
                "goes through the local authority (MASH)."),
            StepWait.ONLY_FOR_A_CHILD: self.tr(
                "Only a child (or possibly a child) is referred to the MASH."),
            StepWait.NOT_ON_THE_DTN_ROUTE: self.tr(
                "Not on this route: an adult who did not consent gets an anonymous Duty to "
                "Notify, with no Salvation Army referral."),
            StepWait.NOT_A_POTENTIAL_VICTIM: self.tr(
                "Not needed: this person is recorded as not a potential victim."),
            StepWait.MASH_FIRST: self.tr(
                "Refer a child (or possibly a child) to the MASH first: children's services, "
                "then the NRM."),
            StepWait.SUPPORT_AFTER_CONSENT: self.tr(
                "Ask about consent first: Salvation Army (Victim Care Contract) support comes "
                "through the NRM, so it waits for the adult's consent."),
            StepWait.REGISTERED_IN_ERROR: self.tr(
                "Registered by mistake: no one, so nothing is recorded for them. If they are "
                "someone after all, clear \"Registered by mistake\" in their details (F6)."),
            StepWait.DETAILS_RECORDED: self.tr(
                "Details are recorded for this step (where they will stay, a screening's "
                "agency, time and notes): change or clear them in the person's details (F6), "
                "so they are never lost by one key."),
            StepWait.INTERPRETER_FIRST: self.tr(
                "Provide the interpreter first: the NRM is explained in a language the person "
                "understands (mark Interpreter done, or say no interpreter is needed)."),
        }
        return words[waits]

    def _typed_ok(self) -> bool:
        """False, saying why, while a person's field holds typed text that is not valid: a
        save or a print then would leave it out while saying all was saved."""
        problem = self.panel.typed_problem()
        if problem:
            self.message.setText(self.tr("Not saved: {problem} Correct it or clear the field, "
                                         "then save.").format(problem=problem))
            self.save_state.failed()
        return not problem

    @Slot()
    def save(self) -> bool:
        """Save the board as a new version of the reception document (on a shared board, with
        each field changed recorded for the other laptops, in the same save); False when the
        save was refused (the message says why)."""
        from sync.board_share import form_link

        if not self._typed_ok():
            return False
        try:
            saved = form_link.save_board(self._store, self._case_id, self.centre(),
                                         self._document_id, self._view)
        except (FieldkitError, ValueError) as error:
            self.message.setText(error_text(error) if isinstance(error, FieldkitError)
                                 else str(error))
            return False
        self._view = saved.view
        self._show_people(saved.view.centre.people)
        self.draft.discard()
        self._unsaved = False
        self.save_state.saved()
        self._adopt(saved.document.id)
        self.message.setText(self.tr("Board saved (version {n}).").format(
            n=saved.document.version))
        if self._sharing is not None and saved.view.shared:
            self._sharing.exchange_now()
        return True

    @Slot()
    def print_summary(self) -> None:
        """Save the board (what is printed is a saved version), then print the reception
        summary: rendered on the worker from what was read here, written by the core (audited
        first, 0600)."""
        from fieldkit.export import export_file
        from ui import print_pack

        if not self._typed_ok():
            return
        if self._unsaved or self._document_id is None:
            self.save()
            if self._unsaved or self._document_id is None:
                return  # the save was refused: its message says why
        reference = cases.get_case(self._store, self._case_id).reference
        path = print_pack.choose_pack_path(self, f"{reference}-reception-summary.pdf",
                                           self.tr("the reception summary"))
        if not path:
            return
        centre, document_id = self.centre(), self._document_id

        def printed(pdf: bytes) -> None:
            self.print_button.setEnabled(True)
            try:
                written = export_file(self._store, Path(path), pdf, record_kind="form",
                                      record_id=document_id)
            except (FieldkitError, OSError) as error:
                failed(error)
                return
            self.message.setText(self.tr("Summary saved to {path}. It is not encrypted.")
                                 .format(path=str(written)))

        def failed(error: BaseException) -> None:
            self.print_button.setEnabled(True)
            self.message.setText(error_text(error))

        self.print_button.setEnabled(False)
        self.message.setText(self.tr("Making the summary…"))
        from fieldkit import documents
        from fieldkit.pdf.reception import (  # reportlab only when printing
            PrintedFrom,
            render_reception_summary,
        )

        # Which saved version it shows, and when printed: two printouts are told apart.
        version = documents.get_document(self._store, document_id).version
        render = functools.partial(render_reception_summary, centre, reference,
                                   printed=PrintedFrom(version, clock.local_now()))
        if self._worker is None:
            try:
                printed(render())
            except Exception as error:  # shown in plain words, as the worker shows it
                failed(error)
            return
        self._worker.run(render, printed, failed)

    def _adopt(self, document_id: str) -> None:
        if self._document_id != document_id:
            self._document_id = document_id
            self.draft.owner = self.draft.owner.saved_as(document_id)

    def flush_drafts(self) -> None:
        """Keep what changed: the draft is written now."""
        self.draft.flush()
