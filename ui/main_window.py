"""The main window: first run or unlock while locked; the workspace while unlocked. Owns the
store's one connection (opened on the GUI thread), the auto-lock, the status bar, and sending
to the Lead (the profile, Send to Lead, the outbox, and the background sync).

The unwrapped key is kept only while unlocked, and only so the sync engine can open its own
connection on a worker thread; locking drops it with the engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTime, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from fieldkit import keys, officer
from fieldkit.errors import FieldkitError, StoreUnreachable, megabytes
from fieldkit.settings import Settings
from fieldkit.store import Store
from fieldkit.store_place import StorePlace, find_store
from ui import clipboard
from ui.autolock import IdleWatcher
from ui.board_sharing import BoardSharing
from ui.bridge import CoreEvents
from ui.messages import error_text
from ui.status import StatusBar
from ui.store_missing import StoreMissingPage
from ui.sync_controller import DEFAULT_INTERVAL_MS, SyncController
from ui.unlock import UnlockPage
from ui.worker import Worker
from ui.workspace import Workspace

# Starting the app needs only the unlock screen and the cases list. The first-run page, the
# dialogs, sending to the Lead and printing are imported where they are first used (sync
# brings cryptography's x509 and the form models; printing brings reportlab).
if TYPE_CHECKING:
    from sync.engine import SyncOutcome
    from sync.profile import LeadProfile
    from ui.about import AboutDialog
    from ui.first_run import FirstRunPage
    from ui.lead_profile import LeadProfileDialog
    from ui.outbox_view import OutboxPage
    from ui.passphrase_dialog import PassphraseChange

OUTBOX_REFRESH_MS = 100
"""The outbox changes twice per bundle during a sync; refresh what shows it once, shortly after."""


class MainWindow(QMainWindow):
    """fieldkit's one window. ``idle_ms`` overrides the stored auto-lock time (tests)."""

    passphraseChanged = Signal(str)  # the words shown once a passphrase change ended

    def __init__(
        self, settings: Settings, idle_ms: int | None = None, unlock_second_ms: int = 1000,
        parent: QWidget | None = None, sync_interval_ms: int = DEFAULT_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store: Store | None = None
        self._store_lost = False
        self.workspace: Workspace | None = None
        self.profile: LeadProfile | None = None
        self.lead_dialog: LeadProfileDialog | None = None
        self._key: keys.Unwrapped | None = None
        self._idle_override = idle_ms
        self._sync_asked = False  # the officer asked for this sync: report its outcome
        self.setWindowTitle(self.tr("fieldkit"))
        self.worker = Worker(self)
        self.sealer = Worker(self, own_pool=True)  # sealing bundles for the Lead
        self._generation = 0  # changes at every lock: work finishing later is not shown
        self._cut_short: list[str] = []  # work a lock cut short, told after the next unlock
        self._places: list[tuple[str, ...]] = []  # the screens open at the lock (ids only)
        self._awaiting_receipt = 0  # bundles delivered whose import receipt is not back
        self.events = CoreEvents(parent=self)
        self.events.attach()
        self.destroyed.connect(self.events.detach)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.worker.busyChanged.connect(self.status.set_busy)
        self.idle = IdleWatcher(idle_ms or officer.DEFAULT_IDLE_MINUTES * 60_000, self)
        self.idle.idle.connect(self.lock)
        self.sync = SyncController(sync_interval_ms, self)
        self.board_sharing = BoardSharing(self)  # the reception board, shared live
        self.sync.busyChanged.connect(self.status.set_sync_busy)
        self.sync.runningChanged.connect(self._sync_running)
        self.sync.finished.connect(self._sync_finished)
        self.sync.failed.connect(self._sync_failed)
        self.sync.aboutToRun.connect(self._share_store_if_room)
        self.events.syncProgress.connect(self._sync_progress)
        self.events.syncReachable.connect(self._sync_reachable)
        self.events.storeUnreachable.connect(self.store_unreachable)
        self.status.networkChanged.connect(self._network_changed)
        self.status.outboxRequested.connect(self.show_outbox)
        self._outbox_timer = QTimer(self)
        self._outbox_timer.setSingleShot(True)
        self._outbox_timer.setInterval(OUTBOX_REFRESH_MS)
        self._outbox_timer.timeout.connect(self.refresh_outbox)
        self.events.outboxChanged.connect(self._outbox_timer.start)
        self.events.spaceLow.connect(self._space_low)

        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self._first_run: FirstRunPage | None = None
        self.unlock_page = UnlockPage(settings, self.worker, self, second_ms=unlock_second_ms)
        self.pages.addWidget(self.unlock_page)
        self.missing_page = StoreMissingPage(settings.data_dir, self)
        self.missing_page.retry.connect(self.show_locked)
        self.missing_page.startAgain.connect(self._start_again)
        self.pages.addWidget(self.missing_page)
        self.unlock_page.keyReady.connect(self.open_store)
        self._build_menus()
        self.show_locked()

    @property
    def first_run(self) -> FirstRunPage:
        """The first-run page, built when first wanted: a laptop that has its store never needs
        it (and building it asks the keyring for its backend, which is slow)."""
        if self._first_run is None:
            from ui.first_run import FirstRunPage

            self._first_run = FirstRunPage(self.settings, self.worker, self)
            self.pages.addWidget(self._first_run)
            self._first_run.keyReady.connect(self.open_store)
        return self._first_run

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.lock_action = QAction(self.tr("&Lock now"), self)
        self.lock_action.setShortcut(QKeySequence(self.tr("Ctrl+L")))
        self.lock_action.triggered.connect(self.lock)
        file_menu.addAction(self.lock_action)
        self.autolock_action = QAction(self.tr("&Auto-lock after…"), self)
        self.autolock_action.triggered.connect(self.choose_idle_minutes)
        file_menu.addAction(self.autolock_action)
        self.passphrase_action = QAction(self.tr("&Change passphrase…"), self)
        self.passphrase_action.triggered.connect(self.change_passphrase)
        file_menu.addAction(self.passphrase_action)
        self.profile_action = QAction(self.tr("Lead &profile…"), self)
        self.profile_action.triggered.connect(self.show_lead_profile)
        file_menu.addAction(self.profile_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("Vie&w"))
        self.outbox_action = QAction(self.tr("&Outbox"), self)
        self.outbox_action.setShortcut(QKeySequence(self.tr("Ctrl+Shift+O")))
        self.outbox_action.triggered.connect(self.show_outbox)
        view_menu.addAction(self.outbox_action)
        self.search_action = QAction(self.tr("&Search everything…"), self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.triggered.connect(self.show_search)
        view_menu.addAction(self.search_action)
        lead_menu = self.menuBar().addMenu(self.tr("&Lead"))
        self.send_action = QAction(self.tr("&Send this case to the Lead"), self)
        self.send_action.setShortcut(QKeySequence(self.tr("Ctrl+Shift+S")))
        self.send_action.triggered.connect(self.send_to_lead)
        lead_menu.addAction(self.send_action)
        self.sync_action = QAction(self.tr("Send &waiting items now"), self)
        self.sync_action.triggered.connect(self.retry_now)
        lead_menu.addAction(self.sync_action)
        lead_menu.addSeparator()
        lead_menu.addAction(self.outbox_action)
        lead_menu.addAction(self.profile_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.emergency_action = QAction(self.tr("&Emergency numbers (999 first)"), self)
        self.emergency_action.setShortcut(QKeySequence(self.tr("F2")))
        self.emergency_action.triggered.connect(lambda: self.show_help_page(
            self.tr("Emergency numbers"), "emergency"))
        help_menu.addAction(self.emergency_action)
        for title, page in ((self.tr("&Guide to the pathway"), "guide"),
                            (self.tr("&Keyboard shortcuts"), "shortcuts"),
                            (self.tr("&Who to call"), "contacts")):
            action = QAction(title, self)
            action.triggered.connect(lambda _=False, t=title, p=page: self.show_help_page(
                t.replace("&", ""), p))
            help_menu.addAction(action)
        help_menu.addSeparator()
        self.about_action = QAction(self.tr("&About fieldkit"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        self._unlocked_actions = (self.lock_action, self.autolock_action, self.passphrase_action,
                                  self.profile_action,
                                  self.outbox_action, self.send_action, self.sync_action,
                                  self.search_action)

    @Slot()
    def show_about(self) -> AboutDialog:
        """The About box (versions and keyring); it holds no records, so it may stay open."""
        from ui.about import AboutDialog

        dialog = AboutDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- locked and unlocked ------------------------------------------------------------------

    def show_locked(self) -> None:
        """Show first run (no store yet), the unlock screen, or, when the store should be here
        but its folder cannot be found, a page saying so with Retry (never first run)."""
        self.status.set_locked(True)
        for action in self._unlocked_actions:
            action.setEnabled(False)
        place = find_store(self.settings)
        exists = place is StorePlace.FOUND
        self.status.set_outbox_text(self.tr("To Lead: unlock to see") if exists else "")
        self.status.outbox_label.setVisible(exists)
        if exists:
            self.pages.setCurrentWidget(self.unlock_page)
            self.unlock_page.reset()
        elif place is StorePlace.MISSING:
            self.pages.setCurrentWidget(self.missing_page)
            self.missing_page.reset()
        else:
            self.pages.setCurrentWidget(self.first_run)
            self.first_run.name.setFocus()

    @Slot()
    def _start_again(self) -> None:
        """The officer said the store that cannot be found was removed on purpose: set up a
        new, empty one in its folder (first run, with the warning kept in view)."""
        self.pages.setCurrentWidget(self.first_run)
        self.first_run.start_again()
        self.first_run.name.setFocus()

    @Slot(object)
    def open_store(self, unwrapped: keys.Unwrapped) -> None:
        """Open the store with a derived key (fast; on the GUI thread, which then owns it)."""
        try:
            self.store = Store.open_unwrapped(self.settings, unwrapped)
        except FieldkitError as error:
            self.show_locked()  # first: showing the unlock screen clears its message
            self.unlock_page.message.setText(error_text(error))
            return
        if officer.load_role(self.store) is officer.AppRole.LEAD:
            self._hand_over_to_lead(unwrapped)
            return
        from sync import device  # the profile only: sealing and enrolling load their own code

        self._key = unwrapped
        self.profile = device.current_profile(self.store)
        self.workspace = Workspace(self.store, self.settings, self.worker, self)
        self.board_sharing.start(self.settings, unwrapped)
        self.workspace.board_sharing = self.board_sharing
        self.events.recordsChanged.connect(self.workspace.records_changed)
        self.workspace.sendToLead.connect(self.send_case)
        self.workspace.setUpLead.connect(self.show_lead_profile)
        self.workspace.retryRequested.connect(self.retry_now)
        self.workspace.printRequested.connect(self.print_case)
        self.sync.runningChanged.connect(self.workspace.set_sync_running)
        self.events.syncProgress.connect(self.workspace.show_sync_progress)
        self.pages.addWidget(self.workspace)
        self.pages.setCurrentWidget(self.workspace)
        self.status.set_locked(False)
        self.status.outbox_label.setVisible(True)
        for action in self._unlocked_actions:
            action.setEnabled(True)
        self.idle.set_interval_ms(self._idle_ms())
        app = QCoreApplication.instance()
        if app is not None:
            self.idle.start(app, wait_for=self.workspace.firstPainted)
        self.sync.start(self.settings, unwrapped)
        waiting = self.refresh_outbox()
        if waiting or self._awaiting_receipt:
            # Whatever waited while locked goes now, if it can; and the Lead's receipts for
            # what was sent are fetched (they came only after ten unbroken unlocked minutes,
            # and the laptop locks itself sooner).
            self.sync.sync_now()
        self.workspace.cases.table.setFocus()
        if self._places:  # back where the officer was, drafts restored there
            places, self._places = self._places, []
            self.workspace.reopen(places)
        if self._cut_short:
            self.status.showMessage(" ".join(self._cut_short), 30_000)
            self._cut_short = []

    def _hand_over_to_lead(self, unwrapped: keys.Unwrapped) -> None:
        """A store set up for the Modern Slavery Lead opens in the Lead's window (same app):
        this window lets go of the store and hands the key over."""
        from ui.lead.window import LeadWindow

        assert self.store is not None
        self.store.lock()
        self.store = None
        self.lead_window = LeadWindow(self.settings)
        self.lead_window.setGeometry(self.geometry())
        self.lead_window.show()
        self.lead_window.open_store(unwrapped)
        self.hide()

    def _idle_ms(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        if self.store is None:
            return officer.DEFAULT_IDLE_MINUTES * 60_000
        return officer.idle_minutes(self.store, self._policy_minutes()) * 60_000

    def _policy_minutes(self) -> int | None:
        return self.profile.policy.auto_lock_minutes if self.profile is not None else None

    @Slot()
    def lock(self) -> None:
        """Save drafts, destroy every screen holding decrypted data, lock the store, and wipe
        anything fieldkit put on the clipboard."""
        self.idle.stop()
        self.sync.stop()
        self.board_sharing.stop()  # nothing served or exchanged while locked
        self._generation += 1
        if self.sealer.running:
            # Sealing holds decrypted records on its own connection: let it finish (the bundle
            # is then safely queued) before the window forgets the key.
            self.status.showMessage(self.tr("Finishing the bundle for the Lead, then locking…"))
            self.sealer.wait()
        self._key = None
        self.profile = None
        self._outbox_timer.stop()
        self.status.sync_ended()
        if self.lead_dialog is not None:
            self.lead_dialog.reject()
            self.lead_dialog.deleteLater()
            self.lead_dialog = None
        self._close_dialogs()
        if self.workspace is not None:
            if not self._store_lost:  # nowhere to save them when the store's drive is gone
                self.workspace.flush_drafts()
            self._cut_short = self.workspace.pending_work()
            self._places = self.workspace.places()
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

    def _close_dialogs(self) -> None:
        """Close any dialog open over the window (a file chooser, a question) before the
        screens behind it go: they answer "cancelled", so nothing half-chosen is acted on."""
        for _ in range(10):  # a dialog may have opened another; never loop forever
            modal = QApplication.activeModalWidget()
            if modal is None or modal is self:
                break
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            modal.hide()

    @Slot()
    def change_passphrase(self) -> None:
        """File > Change passphrase…: a full re-key unless the officer unticks it."""
        if self.store is None:
            return
        from ui.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_passphrase_change(dialog.change())

    def apply_passphrase_change(self, change: PassphraseChange) -> None:
        """Carry out ``change``; background sending pauses (its connection holds the old key)
        and resumes with the new one."""
        if self.store is None:
            return
        from ui.passphrase_dialog import PassphraseChanger

        self.sync.stop()
        self.board_sharing.stop(wait=True)  # its connections hold the old key
        changer = PassphraseChanger(self.store, self.settings, self.worker, self)
        changer.done.connect(self._passphrase_changed)
        changer.start(change)

    @Slot(object, str)
    def _passphrase_changed(self, key: keys.Unwrapped | None, message: str) -> None:
        if key is not None:
            self._key = key
        if self.store is not None and self._key is not None:
            self.sync.start(self.settings, self._key)
            self.board_sharing.start(self.settings, self._key)
            if self.board_sharing.resume_case_id is not None:  # the board page is still open
                self.board_sharing.resume(self.board_sharing.resume_case_id)
        self._say(message)
        self.passphraseChanged.emit(message)

    @Slot(str)
    def store_unreachable(self, _message: str) -> None:
        """The store's drive or folder went away: lock at once (nothing can be saved there) and
        say why on the unlock screen; unlocking works again once it is back."""
        if self.store is None:
            return
        self._store_lost = True
        try:
            self.lock()
        finally:
            self._store_lost = False
        # The unlock screen even though the folder is gone: never offer to create a new store.
        self.pages.setCurrentWidget(self.unlock_page)
        self.unlock_page.message.setText(error_text(StoreUnreachable(self.settings.data_dir, "")))

    @Slot()
    def choose_idle_minutes(self) -> None:
        """Ask how many idle minutes before fieldkit locks itself; kept in the store."""
        if self.store is None:
            return
        current = self._idle_ms() // 60_000
        policy = self._policy_minutes()
        prompt = self.tr("Lock after this many minutes without use:")
        if policy is not None:
            prompt += "\n" + self.tr("Your council's policy allows at most {n}.").format(n=policy)
        minutes, ok = QInputDialog.getInt(
            self, self.tr("Auto-lock"), prompt, current, 1,
            min(officer.MAX_IDLE_MINUTES, policy or officer.MAX_IDLE_MINUTES))
        if ok and self.store is not None:
            officer.set_idle_minutes(self.store, minutes)
            self._idle_override = None
            self.idle.set_interval_ms(minutes * 60_000)

    # -- sending to the Lead -------------------------------------------------------------------

    @Slot()
    def send_to_lead(self) -> None:
        """Ctrl+Shift+S: send the case on screen (or the one the screen belongs to)."""
        case_id = self.workspace.current_case_id() if self.workspace is not None else None
        if case_id is None:
            self.status.showMessage(self.tr("Open a case first, then send it to the Lead."),
                                    8000)
            return
        self.send_case(case_id)

    @Slot(str)
    def send_case(self, case_id: str) -> None:
        """Seal the case into a bundle on the worker (its own connection: the window stays
        responsive), then say so plainly and start a sync."""
        if self.store is None or self._key is None:
            return
        if self.sealer.running:
            self._say(self.tr("A case is already being sealed for the Lead; wait for it."))
            return
        from sync.engine import seal_case

        settings, key, generation = self.settings, self._key, self._generation
        self._say(self.tr("Sealing the case for the Lead…"))
        self.sealer.run(lambda: seal_case(settings, key, case_id),
                        lambda _bundle: self._sealed(generation),
                        lambda error: self._seal_failed(generation, error))

    def _sealed(self, generation: int) -> None:
        if generation != self._generation or self.store is None:
            return  # locked meanwhile: the bundle is queued all the same
        self._say(self.tr("Queued for the Lead. It will go when this laptop is online."))
        self.refresh_outbox()
        self._sync_asked = True
        self.sync.sync_now()

    def _seal_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._say(error_text(error))

    @Slot(str, str)
    def print_case(self, case_id: str, what: str) -> None:
        """Print every pack, or the schedule of notes and exhibits, into a folder the officer
        chooses: rendered on the worker with its own connection, audited before writing."""
        if self._key is None:
            return
        from fieldkit.export import export_for_print, export_on_own_connection
        from ui import print_pack

        folder = print_pack.choose_folder(
            self, self.tr("Choose a folder for the PDFs"),
            self.tr("The PDFs are not encrypted: choose a secure (encrypted) drive, and delete "
                    "them once used."))
        if not folder:
            return
        settings, key, generation = self.settings, self._key, self._generation
        self._say(self.tr("Making the PDFs…"))
        if self.store is not None and not self._share_store_if_room():
            # Opened on a full disk, this window's connection holds the store alone: print on
            # it (the window waits), so PDFs still go to another disk.
            try:
                paths = export_for_print(self.store, case_id, Path(folder), what)
            except FieldkitError as error:
                self._say(error_text(error))
                return
            self._printed(generation, paths)
            return
        self.sealer.run(
            lambda: export_on_own_connection(settings, key, case_id, Path(folder), what),
            lambda paths: self._printed(generation, paths),
            lambda error: self._seal_failed(generation, error))

    @Slot()
    def _share_store_if_room(self) -> bool:
        """Before background work opens its own connection: a store opened on a full disk is
        shared again once there is room (``Store.share_if_room``). False while it cannot be."""
        if self.store is None or not self.store.is_open:
            return True
        try:
            return self.store.share_if_room()
        except FieldkitError as error:  # its connection could not be reopened: lock, say why
            self._store_lost = True  # nothing more can be saved on it (drafts stay as they are)
            try:
                self.lock()
            finally:
                self._store_lost = False
            self.pages.setCurrentWidget(self.unlock_page)
            self.unlock_page.message.setText(error_text(error))
            return False

    def _printed(self, generation: int, paths: list[Path]) -> None:
        if generation == self._generation:
            self._say(self.tr("%n PDF(s) saved in {folder}. They are not encrypted.", "",
                              len(paths)).format(folder=str(paths[0].parent) if paths else ""))

    def _say(self, text: str) -> None:
        """A plain message in the status bar and on the case page, if one is showing."""
        from ui.case_view import CasePage

        self.status.showMessage(text, 10_000)
        page = self.workspace.current() if self.workspace is not None else None
        if isinstance(page, CasePage):
            page.message.setText(text)

    @Slot()
    def show_lead_profile(self) -> None:
        """File > Lead profile…: import a profile, check its fingerprint, save enrolment."""
        if self.store is None:
            return
        if self.lead_dialog is None:
            from ui.lead_profile import LeadProfileDialog

            self.lead_dialog = LeadProfileDialog(self.store, self)
            self.lead_dialog.profileImported.connect(self._profile_imported)
            self.lead_dialog.finished.connect(self.activateWindow)
        self.lead_dialog.refresh()
        self.lead_dialog.open()

    @Slot(object)
    def _profile_imported(self, profile: LeadProfile) -> None:
        """A new profile: apply its auto-lock policy, show the outbox state, try sending."""
        self.profile = profile
        if self.idle.is_running():
            self.idle.set_interval_ms(self._idle_ms())
        if self.refresh_outbox():
            self.sync.sync_now()

    @Slot()
    def show_outbox(self) -> OutboxPage | None:
        """View > Outbox."""
        if self.workspace is None:
            return None
        page = self.workspace.open_outbox()
        page.set_running(self.sync.running)
        return page

    @Slot()
    def show_search(self) -> None:
        """View > Search everything (Ctrl+F)."""
        if self.workspace is not None:
            self.workspace.open_search()

    def show_help_page(self, title: str, page: str) -> None:
        """One of the Help menu's pages: "emergency", "guide", "shortcuts" or "contacts"."""
        from ui import help as help_pages

        bodies = {"emergency": help_pages.emergency_html, "guide": help_pages.guide_html,
                  "shortcuts": help_pages.shortcuts_html, "contacts": help_pages.contacts_html}
        self.show_help(title, bodies[page]())

    def show_help(self, title: str, body: str) -> None:
        """A page of help (the emergency numbers among them); never needs unlocking."""
        from ui import help as help_pages

        dialog = help_pages.InfoDialog(title, body, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def retry_now(self) -> None:
        """Retry now: send everything waiting, ignoring the back-off."""
        if self.store is None:
            return
        if self.profile is None:
            from sync import device

            self._say(error_text(device.NotEnrolled()))
            return
        self._sync_asked = True
        self.sync.sync_now(retry_now=True)

    @Slot()
    def refresh_outbox(self) -> int:
        """Update "To Lead: …" and every screen showing the outbox; returns how many wait."""
        if self.store is None or not self.store.is_open:
            return 0
        waiting = awaiting = 0
        if self.profile is None:
            text = self.tr("To Lead: not set up")
        else:
            from sync import outbox

            counts = outbox.summary(self.store)
            waiting, refused, awaiting = counts.waiting, counts.refused, counts.awaiting_receipt
            sent = counts.delivered + refused
            text = (self.tr("To Lead: %n waiting", "", waiting) if waiting
                    else self.tr("To Lead: all sent") if sent
                    else self.tr("To Lead: nothing sent yet"))  # not "all sent" before any
            if refused:  # the officer must act on these: say so beside the count
                text += self.tr(", %n refused by the Lead", "", refused)
        self.status.set_outbox_text(text)
        self._awaiting_receipt = awaiting
        self.sync.set_waiting(waiting, awaiting)
        if self.workspace is not None:
            self.workspace.outbox_changed()
        return waiting

    @Slot(int)
    def _space_low(self, free_bytes: int) -> None:
        """Warn before the disk is full, in words, while saving still works."""
        self.status.showMessage(self.tr(
            "This computer is running out of space: {mb} MB free where fieldkit keeps its "
            "records. Free some space soon so saving keeps working.").format(
                mb=megabytes(free_bytes)), 30_000)

    @Slot(bool)
    def _network_changed(self, online: bool) -> None:
        if online and self.profile is not None:
            self.sync.network_changed(online)

    @Slot(bool)
    def _sync_running(self, running: bool) -> None:
        if not running:
            self.status.sync_ended()

    @Slot(int, int)
    def _sync_progress(self, done: int, total: int) -> None:
        if self.sync.running:
            self.status.show_sync_progress(done, total)

    @Slot(bool)
    def _sync_reachable(self, reachable: bool) -> None:
        now = QTime.currentTime().toString("HH:mm")
        self.status.outbox_label.setToolTip(
            (self.tr("The Lead's inbox answered at {time}.") if reachable
             else self.tr("The Lead's inbox could not be reached at {time}; fieldkit keeps "
                          "trying.")).format(time=now)
            + " " + self.tr("Click to open the outbox (View > Outbox)"))

    @Slot(object)
    def _sync_finished(self, outcome: SyncOutcome) -> None:
        asked, self._sync_asked = self._sync_asked, False
        self.refresh_outbox()
        page = self.workspace.outbox_page() if self.workspace is not None else None
        if page is not None:
            page.show_outcome(outcome)
        if outcome.delivered:
            # Said where "Queued for the Lead…" was said, so it does not stay there.
            self._say(self.tr("%n sent to the Lead.", "", outcome.delivered))
        elif asked and not outcome.reachable:
            self.status.showMessage(self.tr(
                "The Lead's inbox cannot be reached just now. What is waiting goes by itself "
                "when it can be."), 10_000)

    @Slot(object)
    def _sync_failed(self, error: BaseException) -> None:
        self._sync_asked = False
        text = error_text(error)
        self.status.showMessage(text, 10_000)
        page = self.workspace.outbox_page() if self.workspace is not None else None
        if page is not None:
            page.show_error(text)
        self.refresh_outbox()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting locks first, so drafts are saved and nothing stays decrypted."""
        if self.store is not None:
            self.lock()
        self.events.detach()
        self.worker.wait()
        self.sealer.wait()
        event.accept()
