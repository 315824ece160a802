"""The Lead's inbox: import what waits in the folder (with a progress bar, off the GUI thread),
the bundles refused and why, and the enrolled devices with a revoke button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync.desk import inbox
from ui.controls import ask_no_by_default, heading, local_time, named, pressable
from ui.messages import error_text
from ui.table import RecordTableModel, current_id, record_table
from ui.worker import Worker


def confirm_revoke(parent: QWidget, laptop: str) -> bool:
    """Ask before revoking ``laptop`` (an officer's, in words), No by default (replaced in tests):
    Return pressed on the question by habit must not revoke a laptop."""
    return ask_no_by_default(
        parent, parent.tr("Revoke device"),
        parent.tr("Revoke %1? Nothing it sends is imported from now on, and the officer must "
                  "be enrolled again to send anything.").replace("%1", laptop))


class ImportProgress(QObject):
    """Carries (done, total) from the import on a pool thread to the progress bar."""

    moved = Signal(int, int)


def _import_in_worker(settings: Settings, key: Any, root: Path,
                      progress: ImportProgress) -> Any:
    """Runs on a pool thread, with its own connection to the store."""
    store = Store.open_unwrapped(settings, key, worker=True)
    try:
        return inbox.import_waiting(store, root, progress.moved.emit)
    finally:
        store.lock()


class InboxPage(QWidget):
    """Import, refusals and devices."""

    imported = Signal()
    devicesChanged = Signal()

    def __init__(self, store: Store, settings: Settings, key: Any, worker: Worker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self._settings, self._key, self._worker = store, settings, key, worker
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Inbox"), self, 2))
        form = QFormLayout()
        self.folder = named(QLineEdit(inbox.import_folder_path(store), self),
                            self.tr("Import folder (the shared folder or the inbox's storage)"))
        self.devices_file = named(QLineEdit(inbox.devices_file_path(store), self),
                                  self.tr("Inbox devices file (optional)"))
        form.addRow(self.tr("Import f&older"), self.folder)
        form.addRow(self.tr("Inbox de&vices file"), self.devices_file)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.waiting = named(QLabel(self), self.tr("Bundles waiting"))
        self.import_button = pressable(QPushButton(self.tr("Import &now"), self),
                                   self.tr("Import the bundles waiting"))
        self.progress = named(QProgressBar(self), self.tr("Import progress"))
        self.progress.setVisible(False)
        row.addWidget(self.waiting, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.message = named(QLabel(self), self.tr("Import message"))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(heading(self.tr("Refused bundles"), self))
        self.rejected_model = RecordTableModel(
            [self.tr("Bundle file"), self.tr("Sender"), self.tr("Arrived"),
             self.tr("Refused at"), self.tr("Reason")], self)
        self.rejected = record_table(self.tr("Refused bundles"), self.rejected_model, self)
        layout.addWidget(self.rejected, 1)
        # What is known of the refusal chosen (the newest until the Lead picks another).
        self.rejected_detail = named(QLabel(self), self.tr("The refused bundle chosen"))
        self.rejected_detail.setWordWrap(True)
        self.rejected_detail.setTextFormat(Qt.TextFormat.PlainText)  # a file's claim is not HTML
        self.rejected_detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.rejected_detail)
        self._refusals: list[inbox.Rejection] = []
        layout.addWidget(heading(self.tr("Enrolled devices"), self))
        self.devices_model = RecordTableModel(
            [self.tr("Officer"), self.tr("Device"), self.tr("Organisation"),
             self.tr("Last bundle"), self.tr("Bundles"), self.tr("Audit chain"),
             self.tr("State")], self)
        self.devices = record_table(self.tr("Enrolled devices"), self.devices_model, self)
        layout.addWidget(self.devices, 1)
        self.revoke_button = pressable(QPushButton(self.tr("Revo&ke the selected device"), self),
                                   self.tr("Revoke the selected device"))
        layout.addWidget(self.revoke_button)
        self._signals = ImportProgress(self)
        self._signals.moved.connect(self._moved)
        self.rejected.selectionModel().currentRowChanged.connect(self._show_refusal)
        self.import_button.clicked.connect(self.import_now)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.folder.editingFinished.connect(self._remember)
        self.devices_file.editingFinished.connect(self._remember)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the waiting count, the refusals and the devices."""
        count = inbox.waiting(self.store, Path(self.folder.text())) if self.folder.text() else 0
        self.waiting.setText(self.tr("1 bundle waiting to import") if count == 1 else
                             self.tr("%1 bundles waiting to import").replace("%1", str(count)))
        self._refusals = inbox.rejections(self.store)
        self.rejected_model.set_rows([
            (str(i), [r.file_name, r.sender,
                      local_time(r.arrived_at) if r.arrived_at else self.tr("not known"),
                      local_time(r.rejected_at), r.reason])
            for i, r in enumerate(self._refusals)])
        self._show_refusal()
        self.devices_model.set_rows([
            (d.device_id, [d.officer, d.device_name, d.organisation,
                           local_time(d.last_bundle) if d.last_bundle else self.tr("none yet"),
                           str(d.bundles), d.chain,
                           self.tr("REVOKED") if d.revoked else self.tr("enrolled")])
            for d in inbox.device_activity(self.store)])

    @Slot()
    def _show_refusal(self) -> None:
        """Say in words what is known of the chosen refusal, and what to do."""
        chosen = current_id(self.rejected)
        row = int(chosen) if chosen is not None else 0
        if not self._refusals or row >= len(self._refusals):
            self.rejected_detail.setText(self.tr("No bundle has been refused."))
            return
        refusal = self._refusals[row]
        arrived = (local_time(refusal.arrived_at) if refusal.arrived_at
                   else self.tr("not known"))
        self.rejected_detail.setText(
            self.tr("%1 could not be imported. %2. It was %3. Arrived %4, refused %5. "
                    "Sender: %6. %7")
            .replace("%1", refusal.file_name).replace("%2", refusal.reason.rstrip("."))
            .replace("%3", refusal.found).replace("%4", arrived)
            .replace("%5", local_time(refusal.rejected_at)).replace("%6", refusal.sender)
            .replace("%7", refusal.advice))

    @Slot()
    def _remember(self) -> None:
        inbox.remember_paths(self.store, folder=self.folder.text(),
                             devices_file=self.devices_file.text())
        self.refresh()

    @Slot()
    def import_now(self) -> None:
        """Import on a pool thread; the progress bar follows each bundle."""
        self._remember()
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.message.setText(self.tr("Importing..."))
        root, settings, key, signals = Path(self.folder.text()), self._settings, self._key, \
            self._signals
        self._worker.run(lambda: _import_in_worker(settings, key, root, signals),
                         self._done, self._failed)

    @Slot(int, int)
    def _moved(self, done: int, total: int) -> None:
        """The bar and the words say the same: bundle by bundle, then (every bundle stored)
        a busy bar while the receipts are written and the import finishes, never a full bar
        beside 'Importing'."""
        if done >= total:
            self.progress.setRange(0, 0)
            self.message.setText(self.tr("Finishing: writing the receipts the officers' "
                                         "laptops wait for..."))
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.message.setText(self.tr("Importing bundle %1 of %2...")
                             .replace("%1", str(done + 1)).replace("%2", str(total)))

    def _done(self, report: Any) -> None:
        self.import_button.setEnabled(True)
        self.progress.setVisible(False)
        held = len(report.already_held)
        self.message.setText(
            self.tr("Imported %1 new; %2 already here (imported before, nothing changed); "
                    "%3 refused.").replace("%1", str(len(report.imported)))
            .replace("%2", str(held)).replace("%3", str(len(report.rejected))))
        self.refresh()
        self.imported.emit()

    def _failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        self.progress.setVisible(False)
        self.message.setText(error_text(error))

    @Slot()
    def revoke_selected(self) -> None:
        """Revoke the selected device after the Lead confirms, and rewrite the devices file."""
        device_id = current_id(self.devices)
        if device_id is None:
            self.message.setText(self.tr("Select a device first."))
            return
        chosen = next((d for d in inbox.device_activity(self.store) if d.device_id == device_id),
                      None)
        laptop = (f"{chosen.officer}'s {chosen.device_name or self.tr('laptop')}"
                  if chosen is not None else self.tr("this device"))
        if not confirm_revoke(self, laptop):
            return
        target = self.devices_file.text().strip()
        try:
            inbox.revoke(self.store, device_id, Path(target) if target else None)
        except Exception as error:  # every core error becomes words, never a traceback
            self.message.setText(error_text(error))
            return
        self.message.setText(self.tr("Device revoked.") + " " + (
            self.tr("The devices file was rewritten: make sure the inbox has this copy.")
            if target else
            self.tr("If officers send to an HTTPS inbox, save the devices file for it again "
                    "(Set-up tab).")))
        self.refresh()
        self.devicesChanged.emit()
