"""The sync engine the desktop app runs in the background: Qt-free, on its own connection.

It probes the destination, sends what is due, picks up receipts and applies retention. The
app calls :meth:`SyncEngine.run_once` on a worker thread when the network comes back (Qt's
QNetworkInformation), on a timer while items wait, or when the officer presses "Sync now".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fieldkit.events import hub
from fieldkit.keys import Unwrapped
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, outbox, retention
from sync.transport import transport_for


@dataclass(frozen=True)
class SyncOutcome:
    """What one run did; ``reachable`` False means nothing was tried (offline)."""

    reachable: bool
    delivered: int = 0
    failed: int = 0
    waiting: int = 0
    receipts: int = 0
    purged: int = 0


class SyncEngine:
    """Sends the outbox to the Lead using a connection of its own (one per run and thread)."""

    def __init__(self, settings: Settings, key: Unwrapped) -> None:
        self._settings = settings
        self._key = key

    def run_once(
        self, *, retry_now: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> SyncOutcome:
        """Probe, then send what is due; safe to call from any one thread at a time."""
        with Store.open_unwrapped(self._settings, self._key, worker=True) as store:
            profile = device.current_profile(store)
            if profile is None:
                raise device.NotEnrolled()
            transport = transport_for(profile, device_id=device.device_id(store),
                                      device_key=device.signing_key(store))
            try:
                if not transport.probe():
                    hub.publish("sync.reachable", reachable=False)
                    return SyncOutcome(reachable=False, waiting=outbox.waiting_count(store))
                hub.publish("sync.reachable", reachable=True)
                report = outbox.send_due(store, transport, retry_now=retry_now,
                                         progress=progress)
                receipts = outbox.collect_receipts(store, transport)
                purged = retention.apply_retention(store, profile.policy.retention_days)
            finally:
                close = getattr(transport, "close", None)
                if close is not None:
                    close()
            return SyncOutcome(True, report.delivered, report.failed, report.waiting, receipts,
                               len(purged))
