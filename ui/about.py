"""The About box: fieldkit's version, the SQLCipher and Qt versions and the keyring in use (the
facts ``fieldkit --version`` prints, gathered by the core), with a warning when the passphrase
alone protects the records."""

from __future__ import annotations

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from fieldkit import about
from ui.controls import heading
from ui.messages import no_keyring_warning


def running_qt_version() -> str:
    """The version of the Qt libraries this process has loaded."""
    return str(qVersion())


class AboutDialog(QDialog):
    """What this copy of fieldkit is made of, for the officer and for IT support."""

    def __init__(self, facts: about.AboutFacts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts or about.gather(running_qt_version())
        self.setWindowTitle(self.tr("About fieldkit"))
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("fieldkit {version}").format(version=self.facts.version),
                             self, 1)
        layout.addWidget(self.title)
        layout.addWidget(QLabel(self.tr(
            "Offline-first field app for modern slavery work."), self))
        rows = (
            (self.tr("SQLCipher"), self.tr("{sqlcipher} (SQLite {sqlite})").format(
                sqlcipher=self.facts.sqlcipher_version, sqlite=self.facts.sqlite_version)),
            (self.tr("Qt"), self.facts.qt_version or self.tr("not loaded")),
            (self.tr("Keyring"), self.facts.keyring_backend),
        )
        self.details = QLabel("\n".join(f"{name}: {value}" for name, value in rows), self)
        self.details.setAccessibleName(self.tr("Versions"))
        layout.addWidget(self.details)
        self.warning = QLabel(no_keyring_warning(), self)
        self.warning.setWordWrap(True)
        self.warning.setVisible(self.facts.passphrase_only)
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
