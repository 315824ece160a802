"""Shown at start instead of first run when the store should be here but cannot be found (a
drive not plugged in, a network folder not connected): it says so and offers Retry, and never
offers to make a new, empty store over the place the real one lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.errors import StoreFolderMissing
from ui.controls import heading, named
from ui.messages import error_text


class StoreMissingPage(QWidget):
    """The store's folder cannot be found: the words, and Retry (emits ``retry``)."""

    retry = Signal()

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading(self.tr("fieldkit's records cannot be found"), self, size=1))
        self.message = QLabel(error_text(StoreFolderMissing(folder)), self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.retry_button = named(QPushButton(self.tr("&Retry"), self), "retry",
                                  self.tr("Look for the records again"))
        self.retry_button.clicked.connect(self.retry)
        row.addWidget(self.retry_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
