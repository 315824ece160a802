"""Unlock: the passphrase, a clear message when it is wrong, and a growing wait after repeated
failures (the slow key derivation runs on a worker, so the window never freezes). The count and
the wait are the core's (``fieldkit.unlock_attempts``), kept in the store folder, so the
command line sees the same wait and restarting the app does not reset it."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fieldkit import errors, keys
from fieldkit.settings import Settings
from fieldkit.store import Store
from fieldkit.unlock_attempts import delay_after, read_failures
from ui.controls import heading, named, pressable
from ui.messages import error_text, no_keyring_warning
from ui.worker import Worker

__all__ = ["UnlockPage", "delay_after"]


class UnlockPage(QWidget):
    """Asks for the passphrase; emits ``keyReady(Unwrapped)`` when it is right and
    ``refused(message)`` with the words shown when it is not."""

    keyReady = Signal(object)
    refused = Signal(str)

    def __init__(
        self, settings: Settings, worker: Worker, parent: QWidget | None = None,
        second_ms: int = 1000,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._worker = worker
        self._second_ms = second_ms  # tests shorten a "second" so the wait is testable quickly
        self.failures = read_failures(settings.data_dir).count
        self._wait_left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(second_ms)
        self._tick.timeout.connect(self._count_down)

        outer = QHBoxLayout(self)
        column = QWidget(self)
        column.setMaximumWidth(620)  # a passphrase box the width of the screen reads oddly
        outer.addStretch(1)
        outer.addWidget(column, 4)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.addStretch(1)
        layout.addWidget(heading(self.tr("fieldkit is locked"), self, 1))
        layout.addWidget(QLabel(self.tr("Enter your passphrase to open your records."), self))
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Passphrase"), self)
        self.passphrase = named(QLineEdit(self), self.tr("Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        caption.setBuddy(self.passphrase)
        self.unlock_button = pressable(QPushButton(self.tr("&Unlock"), self), self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        row.addWidget(caption)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Unlock message"))
        layout.addWidget(self.message)
        self.keyring_warning = QLabel(no_keyring_warning(), self)
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setVisible(False)
        layout.addWidget(self.keyring_warning)
        layout.addStretch(2)
        self.passphrase.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self._resume_wait()

    def _resume_wait(self) -> None:
        """A wait left from earlier failures (before a restart, or at the command line)."""
        left = read_failures(self._settings.data_dir).wait_left()
        if left:
            self._wait_left = left
            self._set_enabled(False)
            self.message.setText(self._waiting_text(error_text(errors.WrongPassphrase())))
            self._tick.start()

    def reset(self) -> None:
        """Ready for a new attempt (after locking); keeps the failure count."""
        self.passphrase.clear()
        if self._wait_left == 0:
            self.message.clear()
            self._set_enabled(True)
            self._resume_wait()
        self.passphrase.setFocus()

    def _set_enabled(self, enabled: bool) -> None:
        self.unlock_button.setEnabled(enabled)
        self.passphrase.setReadOnly(not enabled)

    @Slot()
    def submit(self) -> None:
        """Derive the key from the passphrase on a worker thread."""
        if not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.message.setText(self.tr("Please enter your passphrase."))
            return
        self._set_enabled(False)
        self.message.setText(self.tr("Unlocking…"))
        settings = self._settings
        self._worker.run(lambda: Store.unwrap_key(settings, passphrase), self._unwrapped,
                         self._failed)

    def _unwrapped(self, unwrapped: keys.Unwrapped) -> None:
        self.failures = 0
        self.passphrase.clear()
        self.message.clear()
        self._set_enabled(True)
        self.keyring_warning.setVisible(not unwrapped.uses_device_secret)
        self.keyReady.emit(unwrapped)

    def _failed(self, error: BaseException) -> None:
        self.passphrase.selectAll()
        text = error_text(error)
        if isinstance(error, errors.WrongPassphrase):
            # Just counted by the core: the full wait for this many failures starts now.
            self.failures = read_failures(self._settings.data_dir).count
            self._wait_left = delay_after(self.failures)
        elif isinstance(error, errors.UnlockDelayed):
            self._wait_left = error.seconds
            text = error_text(errors.WrongPassphrase())
        if self._wait_left:
            self.message.setText(self._waiting_text(text))
            self._tick.start()
        else:
            self.message.setText(text)
            self._set_enabled(True)
            self.passphrase.setFocus()
        self.refused.emit(text)

    def _waiting_text(self, reason: str) -> str:
        wait = self.tr("You can try again in {seconds} s.").format(seconds=self._wait_left)
        return f"{reason} {wait}"

    @Slot()
    def _count_down(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self.message.setText(self._waiting_text(error_text(errors.WrongPassphrase())))
            return
        self._tick.stop()
        self.message.setText(error_text(errors.WrongPassphrase()))
        self._set_enabled(True)
        self.passphrase.setFocus()
