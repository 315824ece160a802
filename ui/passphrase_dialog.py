"""Change the passphrase: asks the current and new passphrases and whether to change the
encryption key too (the default, and what the officer should do), saying plainly what a
passphrase-only change does not protect against. It only asks; the window does the change."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit import rekey
from fieldkit.errors import FieldkitError
from fieldkit.settings import Settings
from fieldkit.store import Store
from ui.controls import named
from ui.messages import error_text
from ui.worker import Worker

MIN_LENGTH = 8


@dataclass(frozen=True)
class PassphraseChange:
    """What the officer asked for."""

    old: str
    new: str
    full_rekey: bool


class PassphraseDialog(QDialog):
    """Current passphrase, new one twice, and 'also change the encryption key' (ticked)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change passphrase"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.old = self._secret(form, self.tr("Current passphrase"))
        self.new = self._secret(form, self.tr("New passphrase"))
        self.repeat = self._secret(form, self.tr("New passphrase again"))
        layout.addLayout(form)
        self.full = named(QCheckBox(self.tr("Also change the encryption key (recommended)")),
                          self.tr("Also change the encryption key"))
        self.full.setChecked(True)
        layout.addWidget(self.full)
        self.limits = QLabel(self.tr(
            "Changing the key means a copy of the old key file, with the old passphrase, no "
            "longer opens these records. Without it, only the passphrase changes: anyone who "
            "kept a copy of the old key file and knows the old passphrase could still open "
            "them, including what you add later."))
        self.limits.setWordWrap(True)
        layout.addWidget(self.limits)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _secret(self, form: QFormLayout, label: str) -> QLineEdit:
        edit = named(QLineEdit(), label)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(label, edit)
        return edit

    def check_and_accept(self) -> None:
        """Accept only a usable new passphrase, typed the same twice."""
        if not self.old.text():
            self.message.setText(self.tr("Type your current passphrase."))
        elif len(self.new.text()) < MIN_LENGTH:
            self.message.setText(self.tr(
                "The new passphrase is too short: use at least 8 characters (a few words "
                "is best)."))
        elif self.new.text() != self.repeat.text():
            self.message.setText(self.tr("The two new passphrases do not match."))
        else:
            self.accept()

    def change(self) -> PassphraseChange:
        """The change asked for (after the dialog was accepted)."""
        return PassphraseChange(self.old.text(), self.new.text(), self.full.isChecked())


class PassphraseChanger(QObject):
    """Carries out a change: key derivations (and backups) on the worker, the database's own
    re-key on the GUI thread that owns the connection. ``done`` carries the new key (None when
    only the passphrase changed, or nothing changed) and the words to show."""

    done = Signal(object, str)

    def __init__(self, store: Store, settings: Settings, worker: Worker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._worker = worker

    def start(self, change: PassphraseChange) -> None:
        """Begin ``change``; ``done`` follows on the GUI thread."""
        if change.full_rekey:
            self._worker.run(
                lambda: rekey.prepare_rekey(self._settings, change.old, change.new),
                self._apply, self._failed)
        else:
            self._worker.run(
                lambda: rekey.rewrap_key_file(self._settings, change.old, change.new),
                self._rewrapped, self._failed)

    def _apply(self, prepared: rekey.PreparedRekey) -> None:
        try:
            key = rekey.apply_rekey(self._store, prepared)
        except FieldkitError as error:
            self._failed(error)
            return
        self.done.emit(key, self.tr(
            "Passphrase and encryption key changed. Copies of the old key file no longer "
            "open these records."))

    def _rewrapped(self, _: object) -> None:
        try:
            rekey.record_passphrase_change(self._store)
        except FieldkitError as error:
            self._failed(error)
            return
        self.done.emit(None, self.tr(
            "Passphrase changed (the encryption key stays the same)."))

    def _failed(self, error: BaseException) -> None:
        self.done.emit(None, error_text(error))
