"""Shown at start instead of first run when the store should be here but cannot be found (a
drive not plugged in, a network folder not connected): it says so and offers Retry. A new,
empty store is offered only when the officer says the records were removed on purpose, and
then only after a plain warning and a second, explicit choice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.errors import StoreFolderMissing
from ui.controls import heading, pressable
from ui.messages import error_text


class StoreMissingPage(QWidget):
    """The store's folder cannot be found: the words, and Retry (emits ``retry``); "Removed on
    purpose?" shows the warning and "Start again with a new, empty store" (``startAgain``)."""

    retry = Signal()
    startAgain = Signal()

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading(self.tr("fieldkit's records cannot be found"), self, size=1))
        self.message = QLabel(error_text(StoreFolderMissing(folder)), self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.retry_button = pressable(QPushButton(self.tr("&Retry"), self), "retry",
                                      self.tr("Look for the records again"))
        self.retry_button.clicked.connect(self.retry)
        row.addWidget(self.retry_button)
        self.removed_button = pressable(
            QPushButton(self.tr("Records removed on &purpose?"), self), "removed on purpose",
            self.tr("Only if fieldkit's records were removed on purpose"))
        self.removed_button.clicked.connect(self._ask)
        row.addWidget(self.removed_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.warning = QLabel(self.tr(
            "Only start again if fieldkit's records were removed on purpose (the laptop was "
            "handed over and wiped, the drive retired). If they are on a drive that is not "
            "plugged in, or a network folder that is not connected, do not start again: "
            "connect it and choose Retry."), self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("QLabel { border: 2px solid #b35900; padding: 6px; }")
        self.warning.setVisible(False)
        layout.addWidget(self.warning)
        self.start_again_button = pressable(
            QPushButton(self.tr("&Start again with a new, empty store"), self), "start again",
            self.tr("Set up a new, empty store in this folder"))
        self.start_again_button.clicked.connect(self.startAgain)
        self.start_again_button.setVisible(False)
        again_row = QHBoxLayout()
        again_row.addWidget(self.start_again_button)
        again_row.addStretch(1)
        layout.addLayout(again_row)
        layout.addStretch(2)

    def reset(self) -> None:
        """Back to the words and Retry (the warning folded away)."""
        self.warning.setVisible(False)
        self.start_again_button.setVisible(False)
        self.retry_button.setFocus()

    def _ask(self) -> None:
        self.warning.setVisible(True)
        self.start_again_button.setVisible(True)
        self.retry_button.setFocus()  # the safe choice stays the one under the keyboard
