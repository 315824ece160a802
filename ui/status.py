"""The status bar: locked or unlocked, online or offline, items waiting for the Lead, busy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from ui.first_paint import FirstPaint

# QtNetwork (and its platform backend) is loaded once the window has been painted: the network
# state is not needed to show the first screen (issue 12, ``unlock_to_list``).
if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation


def sending_text(done: int, total: int) -> str:
    """Sync progress in words: the item going now, counted from 1 (``done`` counts finished)."""
    if done >= total:
        return QCoreApplication.translate("StatusBar", "Sent {total} of {total} to the Lead"
                                          ).format(total=total)
    return QCoreApplication.translate("StatusBar", "Sending {n} of {total} to the Lead"
                                      ).format(n=done + 1, total=total)


class ClickableLabel(QLabel):
    """A status label that also opens something when clicked (the menu has the same action)."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class StatusBar(QStatusBar):
    """Permanent status slots; each shows text (never colour alone)."""

    networkChanged = Signal(bool)  # True when the computer comes online, False when it goes off
    outboxRequested = Signal()  # the "To Lead" slot was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Status bar"))
        self.lock_label = QLabel(self)
        self.lock_label.setAccessibleName(self.tr("Lock state"))
        self.network_label = QLabel(self)
        self.network_label.setAccessibleName(self.tr("Network state"))
        self.outbox_label = ClickableLabel(self.tr("To Lead: not set up"), self)
        self.outbox_label.setAccessibleName(self.tr("Items waiting to go to the Lead"))
        self.outbox_label.setToolTip(self.tr("Click to open the outbox (View > Outbox)"))
        self.outbox_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.outbox_label.clicked.connect(self.outboxRequested)
        self.sync_label = QLabel(self)
        self.sync_label.setAccessibleName(self.tr("Sending to the Lead"))
        self.sync_label.hide()
        self.sync_bar = QProgressBar(self)
        self.sync_bar.setMaximumWidth(120)
        self.sync_bar.setTextVisible(False)
        self.sync_bar.setAccessibleName(self.tr("Sending to the Lead"))
        self.sync_bar.hide()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # an indeterminate "working" bar
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.hide()
        self.busy_label = QLabel(self.tr("Working…"), self)
        self.busy_label.hide()
        for widget in (self.busy_label, self.busy, self.sync_label, self.sync_bar,
                       self.outbox_label, self.network_label, self.lock_label):
            self.addPermanentWidget(widget)
        self.set_locked(True)
        self._network: QNetworkInformation | None = None
        # The network is watched from the event-loop turn after the first paint: the first
        # screen is shown without waiting for QtNetwork and its backend.
        FirstPaint(self).painted.connect(self.watch_network)

    def set_locked(self, locked: bool) -> None:
        """Show whether the records are locked."""
        self.lock_label.setText(self.tr("Locked") if locked else self.tr("Unlocked"))

    def set_busy(self, busy: bool) -> None:
        """Show or hide the working indicator (for work over a second)."""
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    def set_outbox_text(self, text: str) -> None:
        """"To Lead: 3 waiting", "To Lead: all sent" or "To Lead: not set up"."""
        self.outbox_label.setText(text)

    def set_sync_busy(self, busy: bool) -> None:
        """A sync has run for over a second: say it is contacting the Lead (or stop saying it)."""
        if busy and not self.sync_label.isVisibleTo(self):
            self.sync_bar.setRange(0, 0)
            self.sync_label.setText(self.tr("Contacting the Lead…"))
        self._show_sync(busy)

    def show_sync_progress(self, done: int, total: int) -> None:
        """"Sending 3 of 10 to the Lead", with a bar to match."""
        self.sync_bar.setRange(0, max(total, 1))
        self.sync_bar.setValue(done)
        self.sync_label.setText(sending_text(done, total))
        self._show_sync(True)

    def sync_ended(self) -> None:
        """The sync run finished: hide its progress."""
        self._show_sync(False)

    def _show_sync(self, visible: bool) -> None:
        self.sync_label.setVisible(visible)
        self.sync_bar.setVisible(visible)

    def watch_network(self) -> None:
        """Show the network state and follow its changes (once; called after the first paint).
        QNetworkInformation needs a platform backend; where none loads (headless, some Linux
        set-ups) the honest answer is "unknown", not a guess."""
        if self._network is not None:
            return
        from PySide6.QtNetwork import QNetworkInformation

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
        info.reachabilityChanged.connect(self.show_reachability,
                                         Qt.ConnectionType.QueuedConnection)
        # The state found at the start is shown, not told: only later changes are (as when
        # this ran while the window was built, before anyone listened).
        self._show_reachability(info.reachability(), tell=False)

    def show_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        """Show the network state; tell the sync when the computer comes online or goes off."""
        self._show_reachability(reachability, tell=True)

    def _show_reachability(self, reachability: QNetworkInformation.Reachability,
                           tell: bool) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        online = reachability == QNetworkInformation.Reachability.Online
        unknown = reachability == QNetworkInformation.Reachability.Unknown
        if unknown:
            text = self.tr("Network: unknown")
        elif online:
            text = self.tr("Online")
        else:
            text = self.tr("Offline")
        changed = text != self.network_label.text()
        self.network_label.setText(text)
        if changed and not unknown and tell:
            self.networkChanged.emit(online)
