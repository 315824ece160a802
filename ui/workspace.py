"""The unlocked workspace: a stack of screens (cases, a case, a visit, a person's form, a
reception board) with Back, and the pathway panel beside whatever case is open.

Everything decrypted lives under this widget, so locking destroys it in one go."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from fieldkit.errors import FieldkitError
from fieldkit.settings import Settings
from fieldkit.store import Store
from ui.cases import CasesPage
from ui.controls import focus_by_key, pressable
from ui.first_paint import FirstPaint
from ui.page import Page
from ui.worker import Worker

# Unlocking shows the cases list: every other screen is imported when first opened, and the
# pathway panel is built beside the first case shown (it loads the pathways and form models
# only once it shows a case).
if TYPE_CHECKING:
    from fieldkit.search import SearchHit
    from ui.board_sharing import BoardSharing
    from ui.case_view import CasePage
    from ui.document_page import DocumentPage
    from ui.outbox_view import OutboxPage
    from ui.pathway_panel import PathwayPanel
    from ui.person_form import PersonFormPage
    from ui.reception_board import ReceptionBoardPage
    from ui.search_view import SearchPage
    from ui.visit import VisitPage


class Workspace(QWidget):
    """Navigates between the screens of an unlocked store. Sending to the Lead is the main
    window's business: requests for it go out as signals."""

    sendToLead = Signal(str)  # case id
    setUpLead = Signal()
    retryRequested = Signal()  # the outbox's Retry now
    printRequested = Signal(str, str)  # case id, "packs" or "schedule"
    firstPainted = Signal()  # the cases list is on screen (once, the turn after its paint)

    def __init__(
        self, store: Store, settings: Settings, worker: Worker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._worker = worker
        self.board_sharing: BoardSharing | None = None  # the window's, set while unlocked
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 0)
        bar = QHBoxLayout()
        self.back_button = pressable(QPushButton(self.tr("← Back"), self), self.tr("Back"),
                                     self.tr("Back to the previous screen (Alt+Left)"))
        self.home_button = pressable(QPushButton(self.tr("All cases"), self), self.tr("All cases"),
                                     self.tr("Back to the cases list (Ctrl+Home)"))
        self.trail = QLabel(self)
        self.trail.setAccessibleName(self.tr("Where you are"))
        bar.addWidget(self.back_button)
        bar.addWidget(self.home_button)
        bar.addWidget(self.trail, 1)
        outer.addLayout(bar)
        self.stack = QStackedWidget(self)
        self._pathway: PathwayPanel | None = None  # see the pathway property
        self._return_focus: dict[int, QWidget] = {}
        """For each screen opened: the widget that had the cursor on the screen below."""
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self._titles: list[str] = []
        self._pathway_wanted = True
        FirstPaint(self).painted.connect(self.firstPainted)

        self.cases = CasesPage(store, settings.case_prefix, self)
        self.cases.openCase.connect(self.open_case)
        self._push(self.cases, self.tr("Cases"))
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.home)
        QShortcut(QKeySequence(self.tr("Alt+Left")), self, self.back)
        QShortcut(QKeySequence(self.tr("Ctrl+Home")), self, self._ctrl_home)
        QShortcut(QKeySequence(self.tr("F9")), self, self.toggle_pathway)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)
        self._refresh_timer.timeout.connect(self._refresh_visible)

    @property
    def pathway(self) -> PathwayPanel:
        """The pathway panel beside the open case, built (hidden) when first wanted: the cases
        list never shows it, so the start to the list does not build it."""
        if self._pathway is None:
            from ui.pathway_panel import PathwayPanel

            panel = PathwayPanel(self.store, self)
            panel.hide()  # shown by _show_place when a case is on screen
            self.splitter.addWidget(panel)
            self.splitter.setStretchFactor(1, 1)
            self._pathway = panel
        return self._pathway

    @Slot()
    def _ctrl_home(self) -> None:
        """Ctrl+Home: all cases; but in a list, a table or a text box, its start, as everywhere
        else (an officer ticking indicators with Ctrl+Home was thrown out of the visit)."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractItemView) and self.isAncestorOf(focused):
            model = focused.model()
            if model is not None and model.rowCount(focused.rootIndex()) > 0:
                column = max(focused.currentIndex().column(), 0)
                focused.setCurrentIndex(model.index(0, column, focused.rootIndex()))
            return
        if isinstance(focused, QTextEdit | QPlainTextEdit) and self.isAncestorOf(focused):
            focused.moveCursor(QTextCursor.MoveOperation.Start)
            return
        self.home()

    # -- navigation ---------------------------------------------------------------------------

    def _push(self, page: Page, title: str) -> Page:
        below = self.stack.currentWidget()
        focused = QApplication.focusWidget()
        if below is not None and (focused is None or not below.isAncestorOf(focused)):
            # A new screen may take the cursor as it is made (a visit puts it in its note
            # box): where it was on the screen below is still that screen's focus widget.
            focused = below.focusWidget()
        if below is not None and focused is not None and below.isAncestorOf(focused):
            self._return_focus[id(page)] = focused  # where Back puts the cursor
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self._titles.append(title)
        self._show_place()
        return page

    def _show_place(self) -> None:
        self.trail.setText(" › ".join(self._titles))
        depth = self.stack.count()
        self._only_the_top_sizes_the_window()
        self.back_button.setEnabled(depth > 1)
        self.home_button.setEnabled(depth > 1)
        page = self.current()
        if page.case_id is None and self._pathway is None:
            return  # no case shown yet: no panel to hide
        self.pathway.set_case(page.case_id)
        if getattr(page, "person", None) is None:
            self.pathway.show_whole_case()  # back from a person's form: the case again
        # The reception board needs the whole width for its columns; F9 still shows the panel.
        self.pathway.setVisible(page.case_id is not None and not page.wants_full_width
                                and self._pathway_wanted)

    def _only_the_top_sizes_the_window(self) -> None:
        """Only the screen shown counts towards the window's smallest size: a stack is as wide
        as its widest screen, so the reception board (the whole width) under the NRM form
        opened from it, with the pathway panel beside the form, made the window wider than a
        1366-pixel screen (the panel cut off at the right). A screen below is sized again when
        it shows."""
        top = self.stack.currentWidget()
        for page in self.pages():
            policy = (QSizePolicy.Policy.Preferred if page is top
                      else QSizePolicy.Policy.Ignored)
            page.setSizePolicy(policy, policy)

    @Slot()
    def toggle_pathway(self) -> None:
        """F9: show or hide the pathway panel beside the open case."""
        showing = self._pathway is not None and self._pathway.isVisible()
        self._pathway_wanted = not showing
        if self._pathway is not None or self.current().case_id is not None:
            self.pathway.setVisible(not showing and self.current().case_id is not None)

    def current(self) -> Page:
        """The screen on top."""
        page = self.stack.currentWidget()
        assert isinstance(page, Page)  # the cases list is always at the bottom of the stack
        return page

    def pages(self) -> list[Page]:
        """Every open screen, bottom (the cases list) to top."""
        found = [self.stack.widget(index) for index in range(self.stack.count())]
        return [page for page in found if isinstance(page, Page)]

    def current_case_id(self) -> str | None:
        """The case the screen on top belongs to, if any."""
        return self.current().case_id

    @Slot()
    def back(self) -> None:
        """Close the top screen (its drafts are saved first) and show the one below."""
        if self.stack.count() <= 1:
            return
        page = self.current()
        page.flush_drafts()
        self.stack.removeWidget(page)
        page.deleteLater()
        self._titles.pop()
        self._show_place()
        self._refresh_visible()
        target = self._return_focus.pop(id(page), None)
        if target is not None and isValid(target) and target.isVisible() and target.isEnabled():
            focus_by_key(target)  # where the officer was, its focus ring showing
        else:
            self.current().setFocus(Qt.FocusReason.OtherFocusReason)
            self.current().focusNextChild()

    @Slot()
    def home(self) -> None:
        """Back to the cases list."""
        while self.stack.count() > 1:
            self.back()

    @Slot(str)
    def open_case(self, case_id: str, tab: str = "") -> CasePage:
        """Show a case (on the tab numbered ``tab`` when reopened after unlocking)."""
        from ui.case_view import CasePage

        page = CasePage(self.store, case_id, self)
        page.openVisit.connect(self.open_visit)
        page.openPerson.connect(self.open_person)
        page.openReception.connect(lambda doc_id: self.open_reception(case_id, doc_id))
        page.openDocument.connect(lambda kind, doc_id: self.open_document(case_id, kind, doc_id))
        page.sendToLead.connect(self.sendToLead)
        page.printRequested.connect(self.printRequested)
        page.setUpLead.connect(self.setUpLead)
        self._push(page, page.case.reference)
        page.premises.setFocus()  # the first thing to do in a case: where the visit is
        if tab.isdigit() and 0 < int(tab) < page.tabs.count():
            page.tabs.setCurrentIndex(int(tab))  # as it was when the app locked
        return page

    @Slot(str)
    def open_visit(self, visit_id: str) -> VisitPage:
        """Show a premises visit."""
        from ui.visit import VisitPage

        page = VisitPage(self.store, visit_id, self._worker, self)
        self._push(page, page.visit.premises_name)
        page.notes.input.setFocus()
        return page

    @Slot(str)
    def open_person(self, person_id: str) -> PersonFormPage:
        """Show a person's NRM (or Duty to Notify) form."""
        from fieldkit import cases
        from ui.person_form import PersonFormPage

        person = cases.get_person(self.store, person_id)
        page = PersonFormPage(self.store, person, self._worker, self)
        page.factsChanged.connect(lambda: self._person_changed(page))
        self._push(page, page.title)
        self.pathway.show_person(person.id, page.form_data())
        return page

    def _person_changed(self, page: PersonFormPage) -> None:
        """The person's facts changed: the pathway follows, and the place shows their route."""
        self.pathway.show_person(page.person.id, page.form_data())
        if page in self.pages():
            self._titles[self.pages().index(page)] = page.title
            self._show_place()

    def open_reception(self, case_id: str, document_id: str = "") -> ReceptionBoardPage:
        """Show a reception-centre board: ``document_id``'s, a new one for ``"new"`` (with
        what its draft kept, if one was begun), else the case's last saved board."""
        from fieldkit import documents
        from ui.reception_board import NEW_BOARD, ReceptionBoardPage

        if document_id == NEW_BOARD:
            document_id = ""
        elif not document_id:
            existing = documents.list_documents(self.store, case_id, "reception")
            document_id = existing[-1].id if existing else ""
        page = ReceptionBoardPage(self.store, case_id, document_id or None, self,
                                  sharing=self.board_sharing, worker=self._worker)
        page.openPersonForm.connect(self.open_person)
        self._push(page, self.tr("Reception centre"))
        return page

    def open_document(self, case_id: str, kind: str, document_id: str = "") -> DocumentPage:
        """Show a referral or intelligence report form."""
        from ui.document_page import DocumentPage

        page = DocumentPage(self.store, case_id, kind, document_id or None, self)
        self._push(page, page.title)
        return page

    def open_outbox(self) -> OutboxPage:
        """Show the outbox (View > Outbox); an outbox already on top is reused."""
        from ui.outbox_view import OutboxPage

        current = self.current()
        if isinstance(current, OutboxPage):
            current.refresh()
            return current
        page = OutboxPage(self.store, self)
        page.openCase.connect(self.open_case)
        page.retryRequested.connect(self.retryRequested)
        self._push(page, self.tr("Outbox"))
        page.table.setFocus()
        return page

    def open_search(self) -> SearchPage:
        """Search everything (Ctrl+F); a search already on top is reused."""
        from ui.search_view import SearchPage

        current = self.current()
        if isinstance(current, SearchPage):
            current.query.setFocus()
            current.query.selectAll()
            return current
        page = SearchPage(self.store, self)
        page.openHit.connect(self.open_hit)
        self._push(page, self.tr("Search"))
        page.query.setFocus()
        return page

    @Slot(object)
    def open_hit(self, hit: SearchHit) -> Page:
        """Open the record a search result is about."""
        from fieldkit.search import HitKind

        if hit.kind is HitKind.NOTE and hit.visit_id:
            page = self.open_visit(hit.visit_id)
            page.notes.show_entry(hit.record_id)  # the entry found, chosen and in view
            return page
        if hit.kind is HitKind.EXHIBIT and hit.visit_id:
            page = self.open_visit(hit.visit_id)
            page.show_exhibits()
            return page
        if hit.kind is HitKind.PERSON and hit.person_id:
            return self.open_person(hit.person_id)
        if hit.kind is HitKind.FORM:
            if hit.person_id and hit.form_kind in ("nrm", "dtn"):
                return self.open_person(hit.person_id)
            if hit.form_kind == "visit" and hit.visit_id:
                return self.open_visit(hit.visit_id)
            if hit.form_kind == "reception":
                return self.open_reception(hit.case_id, hit.record_id)
            return self.open_document(hit.case_id, hit.form_kind or "", hit.record_id)
        return self.open_case(hit.case_id)

    def outbox_page(self) -> OutboxPage | None:
        """The outbox page, if it is on top."""
        from ui.outbox_view import OutboxPage

        current = self.current()
        return current if isinstance(current, OutboxPage) else None

    @Slot()
    def outbox_changed(self) -> None:
        """The outbox changed: refresh every open screen that shows part of it."""
        if not self.store.is_open:
            return
        for page in self.pages():
            if page.shows_outbox:
                page.refresh_outbox()

    @Slot(bool)
    def set_sync_running(self, running: bool) -> None:
        """A sync started or ended: the outbox page, if open, shows it."""
        from ui.outbox_view import OutboxPage

        for page in self.pages():
            if isinstance(page, OutboxPage):
                page.set_running(running)

    @Slot(int, int)
    def show_sync_progress(self, done: int, total: int) -> None:
        """Progress of the current sync, on the outbox page if open."""
        from ui.outbox_view import OutboxPage

        for page in self.pages():
            if isinstance(page, OutboxPage):
                page.show_progress(done, total)

    # -- keeping up to date -------------------------------------------------------------------

    @Slot(str, str)
    def records_changed(self, _kind: str, _record_id: str) -> None:
        """A record changed somewhere: refresh what is visible, once, shortly after."""
        self._refresh_timer.start()

    def _refresh_visible(self) -> None:
        if not self.store.is_open:
            return
        from ui.visit import VisitPage

        page = self.current()
        if not isinstance(page, VisitPage):  # its notes refresh themselves, keeping the caret
            page.refresh()
        if self._pathway is not None:
            self._pathway.refresh()

    def flush_drafts(self) -> None:
        """Save every pending draft on every open screen (before locking or quitting)."""
        for page in self.pages():
            page.flush_drafts()

    def places(self) -> list[tuple[str, ...]]:
        """Every open screen above the cases list, as ids to reopen them by (after unlocking)."""
        return [page.place() for page in self.pages() if page.place()]

    def reopen(self, places: list[tuple[str, ...]]) -> None:
        """Open the screens again, bottom to top; one whose record has gone is skipped."""
        openers: dict[str, Any] = {
            "case": self.open_case, "visit": self.open_visit, "person": self.open_person,
            "reception": self.open_reception, "document": self.open_document,
            "outbox": self.open_outbox, "search": self.open_search,
        }
        for kind, *ids in places:
            try:
                openers[kind](*ids)
            except (FieldkitError, KeyError):
                continue

    def pending_work(self) -> list[str]:
        """What open screens were doing that a lock would cut short, in words."""
        return [page.pending_work for page in self.pages() if page.pending_work]
