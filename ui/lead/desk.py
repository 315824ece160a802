"""The Lead's desk: Inbox, Register, Submitting, NRM tracker, Dashboard and Set-up in tabs, and
a tab per case opened from the register. A change on one page refreshes the others. A Lead who
has not made a profile for officers yet starts on Set-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync.desk.received import sender
from sync.lead import newest_profile_fingerprint
from ui.controls import TabKeysFocus, named
from ui.lead.dashboard_page import DashboardPage
from ui.lead.inbox_page import InboxPage
from ui.lead.record_page import RecordPage
from ui.lead.register_page import RegisterPage
from ui.lead.setup_page import SetupPage
from ui.lead.submission_page import SubmissionPage
from ui.lead.tracker_page import TrackerPage
from ui.worker import Worker


class LeadDesk(QWidget):
    """Everything the Lead works with, once unlocked."""

    def __init__(self, store: Store, settings: Settings, key: Any, worker: Worker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._settings, self._key, self._worker = settings, key, worker
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = named(QTabWidget(self), self.tr("The Lead's desk"))
        TabKeysFocus(self.tabs)  # a tab's Alt key puts the cursor in what it shows
        self.tabs.setTabsClosable(True)
        layout.addWidget(self.tabs)
        self.inbox = InboxPage(store, settings, key, worker, self)
        self.register = RegisterPage(store, self)
        self.submitting = SubmissionPage(store, self)
        self.tracker = TrackerPage(store, self)
        self.dashboard = DashboardPage(store, self)
        self.setup = SetupPage(store, self)
        self.records: dict[str, RecordPage] = {}
        for page, title in ((self.inbox, self.tr("&Inbox")), (self.register, self.tr("&Register")),
                            (self.submitting, self.tr("&Submitting")),
                            (self.tracker, self.tr("NRM &tracker")),
                            (self.dashboard, self.tr("&Dashboard")),
                            (self.setup, self.tr("Set-&up"))):
            self.tabs.addTab(page, title)
        for fixed in range(self.tabs.count()):
            self.tabs.tabBar().setTabButton(fixed, self.tabs.tabBar().ButtonPosition.RightSide,
                                            None)
        self.inbox.imported.connect(self.refresh)
        self.submitting.changed.connect(self.refresh)
        self.tracker.changed.connect(self.refresh)
        self.setup.enrolled.connect(self.inbox.refresh)
        self.setup.devicesFileSaved.connect(self.inbox.devices_file.setText)
        self.inbox.devicesChanged.connect(self.setup.refresh)
        if newest_profile_fingerprint(store) is None:
            self.tabs.setCurrentWidget(self.setup)  # nothing can arrive before the profile
        self.register.openCase.connect(self.open_case)
        self.tabs.tabCloseRequested.connect(self._close_tab)

    @Slot()
    def refresh(self) -> None:
        """Re-read every page after an import or a recorded change."""
        self.inbox.refresh()
        self.register.refresh()
        self.submitting.refresh()
        self.tracker.refresh()
        self.dashboard.refresh()
        self.setup.refresh()
        for page in self.records.values():
            page.history.setPlainText(page.history_text())

    @Slot(str)
    def open_case(self, case_id: str) -> RecordPage:
        """Open (or show again) a received case in its own tab."""
        page = self.records.get(case_id)
        if page is None:
            page = RecordPage(self.store, case_id, self._settings, self._key, self._worker, self)
            self.records[case_id] = page
            # Each laptop numbers its own cases: the tab names whose case it is too.
            title = (f"{page.case.case.reference} ({sender(self.store, page.case)})"
                     .replace("&", "&&"))
            self.tabs.addTab(page, title)
        self.tabs.setCurrentWidget(page)
        return page

    @Slot(int)
    def _close_tab(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, RecordPage):
            self.records.pop(page.case_id, None)
            self.tabs.removeTab(index)
            page.deleteLater()
