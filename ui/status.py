"""The status bar: locked or unlocked, online or offline, items waiting for the Lead, busy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget


class StatusBar(QStatusBar):
    """Permanent status slots; each shows text (never colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Status bar"))
        self.lock_label = QLabel(self)
        self.lock_label.setAccessibleName(self.tr("Lock state"))
        self.network_label = QLabel(self)
        self.network_label.setAccessibleName(self.tr("Network state"))
        # The Lead's outbox is wired by the sync work; until then this says so honestly.
        self.outbox_label = QLabel(self.tr("To Lead: not set up yet"), self)
        self.outbox_label.setAccessibleName(self.tr("Items waiting to go to the Lead"))
        self.outbox_label.setToolTip(
            self.tr("Sending records to the Modern Slavery Lead is not set up yet.")
        )
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # an indeterminate "working" bar
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.hide()
        self.busy_label = QLabel(self.tr("Working…"), self)
        self.busy_label.hide()
        for widget in (self.busy_label, self.busy, self.outbox_label, self.network_label,
                       self.lock_label):
            self.addPermanentWidget(widget)
        self.set_locked(True)
        self._network: QNetworkInformation | None = None
        self._watch_network()

    def set_locked(self, locked: bool) -> None:
        """Show whether the records are locked."""
        self.lock_label.setText(self.tr("Locked") if locked else self.tr("Unlocked"))

    def set_busy(self, busy: bool) -> None:
        """Show or hide the working indicator (for work over a second)."""
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    def set_outbox_text(self, text: str) -> None:
        """The slot the sync work fills with the number of items waiting for the Lead."""
        self.outbox_label.setText(text)

    def _watch_network(self) -> None:
        # QNetworkInformation needs a platform backend; where none loads (headless, some Linux
        # set-ups) the honest answer is "unknown", not a guess.
        try:
            loaded = QNetworkInformation.loadBackendByFeatures(
                QNetworkInformation.Feature.Reachability
            )
        except (RuntimeError, AttributeError):
            loaded = False
        info = QNetworkInformation.instance() if loaded else None
        if info is None:
            self.network_label.setText(self.tr("Network: unknown"))
            return
        self._network = info
        info.reachabilityChanged.connect(self._show_reachability,
                                         Qt.ConnectionType.QueuedConnection)
        self._show_reachability(info.reachability())

    def _show_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability == QNetworkInformation.Reachability.Online
        unknown = reachability == QNetworkInformation.Reachability.Unknown
        if unknown:
            text = self.tr("Network: unknown")
        elif online:
            text = self.tr("Online")
        else:
            text = self.tr("Offline")
        self.network_label.setText(text)
