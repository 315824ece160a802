"""Sending to the Lead, one run at a time: probe the destination, send what is due, pick up
receipts and apply retention. ``fieldkit sync`` and the desktop app's background sync both call
:func:`sync_once`; the app runs it through :class:`SyncEngine` on a worker thread with a store
connection of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from fieldkit.events import SEND_FINISHED, SYNC_REACHABLE, hub
from fieldkit.keys import Unwrapped
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, outbox, retention

if TYPE_CHECKING:
    from sync.profile import LeadProfile
    from sync.transport import Transport

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncOutcome:
    """What one run did; ``reachable`` False means nothing was tried (offline)."""

    reachable: bool
    delivered: int = 0
    failed: int = 0
    waiting: int = 0
    receipts: int = 0
    purged: int = 0
    unreachable: str = ""
    """When not reachable, what could not be reached, in words: the shared folder (by its
    path: a share not connected, a drive not plugged in) or the Lead's inbox."""


def device_transport(store: Store) -> Transport:
    """The transport this device's trusted Lead profile names (raises NotEnrolled without one)."""
    # Imported here: httpx is only needed once a sync runs, not to start the app.
    from sync.transport import transport_for

    profile = device.current_profile(store)
    if profile is None:
        raise device.NotEnrolled()
    return transport_for(profile, device_id=device.device_id(store),
                         device_key=device.signing_key(store))


def sync_once(
    store: Store, *, retry_now: bool = False, progress: Progress | None = None,
    transport: Transport | None = None,
) -> SyncOutcome:
    """One whole run on ``store``: probe, send what is due, collect receipts, apply retention.

    The transport is made from the device's Lead profile unless one is given, and is always
    closed afterwards.
    """
    profile = device.current_profile(store)
    if profile is None:
        raise device.NotEnrolled()
    link = transport if transport is not None else device_transport(store)
    try:
        if not link.probe():
            hub.publish(SYNC_REACHABLE, reachable=False)
            return SyncOutcome(reachable=False, waiting=outbox.waiting_count(store),
                               unreachable=_unreachable_words(profile))
        hub.publish(SYNC_REACHABLE, reachable=True)
        report = outbox.send_due(store, link, retry_now=retry_now, progress=progress)
        receipts = outbox.collect_receipts(store, link)
        if outbox.due_items(store):
            # A receipt said the Lead got a damaged copy of a bundle: sent again now.
            again = outbox.send_due(store, link, progress=progress)
            report = replace(again, delivered=report.delivered + again.delivered,
                             failed=report.failed + again.failed)
        purged = retention.apply_retention(store, profile.policy.retention_days)
    finally:
        link.close()
    return SyncOutcome(True, report.delivered, report.failed, report.waiting, receipts,
                       len(purged))


def _unreachable_words(profile: LeadProfile) -> str:
    """What could not be reached, in a sentence."""
    from sync.profile import FolderDestination

    where = profile.destination
    if isinstance(where, FolderDestination):
        return (f"The shared folder {where.path} is not there: is the share connected, or the "
                "drive plugged in?")
    return "The Lead's inbox could not be reached."


class SyncEngine:
    """Runs :func:`sync_once` on a connection of its own (one per run and thread)."""

    def __init__(self, settings: Settings, key: Unwrapped) -> None:
        self._settings = settings
        self._key = key

    def run_once(self, *, retry_now: bool = False, progress: Progress | None = None
                 ) -> SyncOutcome:
        """Open the store on this thread, then one run; safe from any one thread at a time."""
        with Store.open_unwrapped(self._settings, self._key, worker=True) as store:
            return sync_once(store, retry_now=retry_now, progress=progress)


def seal_case(settings: Settings, key: Unwrapped, case_id: str) -> str:
    """Seal a case into a bundle for the Lead on a connection of this thread's own (rendering
    every PDF and encrypting every photo takes seconds: the app runs this on its worker), queue
    it, and announce it; returns the bundle id."""
    with Store.open_unwrapped(settings, key, worker=True) as store:
        item = device.send_case(store, case_id)
    hub.publish(SEND_FINISHED, case_id=case_id, bundle_id=item.bundle_id)
    return item.bundle_id
