"""The main window: first run or unlock while locked; the workspace while unlocked. Owns the
store's one connection (opened on the GUI thread), the auto-lock, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QStackedWidget, QWidget

from fieldkit import keys
from fieldkit.errors import FieldkitError
from fieldkit.settings import Settings
from fieldkit.store import Store, store_exists
from ui import clipboard
from ui.autolock import DEFAULT_IDLE_MINUTES, IDLE_META_KEY, IdleWatcher
from ui.bridge import CoreEvents
from ui.first_run import FirstRunPage
from ui.messages import error_text
from ui.status import StatusBar
from ui.unlock import UnlockPage
from ui.worker import Worker
from ui.workspace import Workspace


class MainWindow(QMainWindow):
    """fieldkit's one window. ``idle_ms`` overrides the stored auto-lock time (tests)."""

    def __init__(
        self, settings: Settings, idle_ms: int | None = None, unlock_second_ms: int = 1000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store: Store | None = None
        self.workspace: Workspace | None = None
        self._idle_override = idle_ms
        self.setWindowTitle(self.tr("fieldkit"))
        self.worker = Worker(self)
        self.events = CoreEvents(parent=self)
        self.events.attach()
        self.destroyed.connect(self.events.detach)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.worker.busyChanged.connect(self.status.set_busy)
        self.idle = IdleWatcher(idle_ms or DEFAULT_IDLE_MINUTES * 60_000, self)
        self.idle.idle.connect(self.lock)

        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.first_run = FirstRunPage(settings, self.worker, self)
        self.unlock_page = UnlockPage(settings, self.worker, self, second_ms=unlock_second_ms)
        self.pages.addWidget(self.first_run)
        self.pages.addWidget(self.unlock_page)
        self.first_run.keyReady.connect(self.open_store)
        self.unlock_page.keyReady.connect(self.open_store)
        self._build_menus()
        self.show_locked()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.lock_action = QAction(self.tr("&Lock now"), self)
        self.lock_action.setShortcut(QKeySequence(self.tr("Ctrl+L")))
        self.lock_action.triggered.connect(self.lock)
        file_menu.addAction(self.lock_action)
        self.autolock_action = QAction(self.tr("&Auto-lock after…"), self)
        self.autolock_action.triggered.connect(self.choose_idle_minutes)
        file_menu.addAction(self.autolock_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        # Sending to the Lead (outbox, Lead profile) is wired by the sync work. Until then the
        # action is here and says honestly that it is not set up.
        lead_menu = self.menuBar().addMenu(self.tr("&Lead"))
        self.send_action = QAction(self.tr("&Send to Lead (not set up yet)"), self)
        self.send_action.triggered.connect(self.send_to_lead)
        lead_menu.addAction(self.send_action)

    # -- locked and unlocked ------------------------------------------------------------------

    def show_locked(self) -> None:
        """Show first run (no store yet) or the unlock screen."""
        self.status.set_locked(True)
        self.lock_action.setEnabled(False)
        self.autolock_action.setEnabled(False)
        if store_exists(self.settings.data_dir):
            self.pages.setCurrentWidget(self.unlock_page)
            self.unlock_page.reset()
        else:
            self.pages.setCurrentWidget(self.first_run)
            self.first_run.name.setFocus()

    @Slot(object)
    def open_store(self, unwrapped: keys.Unwrapped) -> None:
        """Open the store with a derived key (fast; on the GUI thread, which then owns it)."""
        try:
            self.store = Store.open_unwrapped(self.settings, unwrapped)
        except FieldkitError as error:
            self.unlock_page.message.setText(error_text(error))
            self.show_locked()
            return
        self.workspace = Workspace(self.store, self.settings, self.worker, self)
        self.events.recordsChanged.connect(self.workspace.records_changed)
        self.pages.addWidget(self.workspace)
        self.pages.setCurrentWidget(self.workspace)
        self.status.set_locked(False)
        self.lock_action.setEnabled(True)
        self.autolock_action.setEnabled(True)
        self.idle.set_interval_ms(self._idle_ms())
        self.idle.start(QCoreApplication.instance())
        self.workspace.cases.table.setFocus()

    def _idle_ms(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        stored = self.store.meta(IDLE_META_KEY) if self.store else None
        minutes = int(stored) if stored and stored.isdigit() else DEFAULT_IDLE_MINUTES
        return max(1, minutes) * 60_000

    @Slot()
    def lock(self) -> None:
        """Save drafts, destroy every screen holding decrypted data, lock the store, and wipe
        anything fieldkit put on the clipboard."""
        self.idle.stop()
        if self.workspace is not None:
            self.workspace.flush_drafts()
            self.events.recordsChanged.disconnect(self.workspace.records_changed)
            self.pages.removeWidget(self.workspace)
            self.workspace.setParent(None)
            self.workspace.deleteLater()
            self.workspace = None
        if self.store is not None:
            self.store.lock()
            self.store = None
        clipboard.clear_ours()
        self.show_locked()

    @Slot()
    def choose_idle_minutes(self) -> None:
        """Ask how many idle minutes before fieldkit locks itself; kept in the store."""
        if self.store is None:
            return
        current = self._idle_ms() // 60_000
        minutes, ok = QInputDialog.getInt(
            self, self.tr("Auto-lock"), self.tr("Lock after this many minutes without use:"),
            current, 1, 60)
        if ok and self.store is not None:
            with self.store.transaction():
                self.store.set_meta(IDLE_META_KEY, str(minutes))
            self._idle_override = None
            self.idle.set_interval_ms(minutes * 60_000)

    @Slot()
    def send_to_lead(self) -> None:
        """Placeholder until the sync work wires the outbox: say so, do nothing else."""
        self.status.showMessage(self.tr("Sending to the Modern Slavery Lead is not set up "
                                        "yet. Nothing was sent."), 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting locks first, so drafts are saved and nothing stays decrypted."""
        if self.store is not None:
            self.lock()
        self.events.detach()
        self.worker.wait()
        event.accept()
