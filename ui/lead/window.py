"""The Lead's window: the unlock screen while locked, the desk while unlocked. Locking destroys
the desk (every screen holding decrypted data) and wipes what fieldkit put on the clipboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from fieldkit import keys
from fieldkit.errors import FieldkitError
from fieldkit.officer import DEFAULT_IDLE_MINUTES
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync.desk.inbox import create_lead_identity, is_lead, needs_lead_identity
from ui import clipboard
from ui.autolock import IdleWatcher
from ui.lead.desk import LeadDesk
from ui.messages import error_text
from ui.unlock import UnlockPage
from ui.worker import Worker


def confirm_new_identity(parent: QWidget) -> bool:
    """Ask before making the Lead identity (devices will trust it from then on)."""
    answer = QMessageBox.question(
        parent, parent.tr("Set up the Lead identity"),
        parent.tr("You chose the Modern Slavery Lead role. Create the Lead identity now? "
                  "Officers' devices will send their bundles to it."))
    return answer == QMessageBox.StandardButton.Yes


class LeadWindow(QMainWindow):
    """fieldkit in the Modern Slavery Lead's role."""

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 unlock_second_ms: int = 1000, idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store: Store | None = None
        self.desk: LeadDesk | None = None
        self._key: Any = None
        # Qt adds the application's name ("— fieldkit"): it read "fieldkit: ... — fieldkit".
        self.setWindowTitle(self.tr("Modern Slavery Lead"))
        self.worker = Worker(self)
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.unlock_page = UnlockPage(settings, self.worker, self, second_ms=unlock_second_ms)
        self.pages.addWidget(self.unlock_page)
        self.unlock_page.keyReady.connect(self.open_store)
        self.busy = QLabel(self)
        self.statusBar().addPermanentWidget(self.busy)
        self.worker.busyChanged.connect(
            lambda busy: self.busy.setText(self.tr("Working...") if busy else ""))
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.lock_action.setEnabled(False)
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.lock_action)
        quit_action = QAction(self.tr("&Quit"), self)  # only Alt+F4 closed the Lead's window
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.idle = IdleWatcher(idle_ms or DEFAULT_IDLE_MINUTES * 60_000, self)
        self.idle.idle.connect(self.lock)
        self.pages.setCurrentWidget(self.unlock_page)

    @Slot(object)
    def open_store(self, unwrapped: keys.Unwrapped) -> None:
        """Open the store with the derived key and show the desk (Lead stores only)."""
        try:
            store = Store.open_unwrapped(self.settings, unwrapped)
        except FieldkitError as error:
            self.unlock_page.message.setText(error_text(error))
            return
        if needs_lead_identity(store) and confirm_new_identity(self):
            create_lead_identity(store)
        if not is_lead(store):
            store.lock()
            self.unlock_page.reset()
            self.unlock_page.message.setText(self.tr(
                "These records are not set up for the Modern Slavery Lead. Open fieldkit in "
                "the field officer's window instead."))
            return
        self.store, self._key = store, unwrapped
        self.desk = LeadDesk(store, self.settings, unwrapped, self.worker, self)
        self.pages.addWidget(self.desk)
        self.pages.setCurrentWidget(self.desk)
        self.lock_action.setEnabled(True)
        app = QCoreApplication.instance()
        if app is not None:
            self.idle.start(app)

    @Slot()
    def lock(self) -> None:
        """Wait for work in flight, destroy the desk, lock the store, wipe the clipboard."""
        self.idle.stop()
        self.worker.wait()
        if self.desk is not None:
            self.pages.removeWidget(self.desk)
            self.desk.setParent(None)
            self.desk.deleteLater()
            self.desk = None
        if self.store is not None:
            self.store.lock()
            self.store = None
        self._key = None
        clipboard.clear_ours()
        self.lock_action.setEnabled(False)
        self.unlock_page.reset()
        self.pages.setCurrentWidget(self.unlock_page)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Lock on the way out, so nothing is left open."""
        self.lock()
        super().closeEvent(event)
