"""A small, Qt-free publish/subscribe hub for core events (lock, records changed, outbox, sync).

The desktop app bridges these to Qt signals on the GUI thread; the core never polls.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Listener = Callable[..., None]

log = logging.getLogger(__name__)

STORE_LOCKED = "store.locked"
"""The store was locked (the key is gone); no payload."""
STORE_UNLOCKED = "store.unlocked"
"""The store was unlocked; no payload."""
RECORDS_CHANGED = "records.changed"
"""A record was written: ``kind`` (case, visit, person, note, exhibit, form, ...), ``record_id``."""
OUTBOX_CHANGED = "outbox.changed"
"""An outbox item was added or changed state; no payload."""
SYNC_PROGRESS = "sync.progress"
"""Sending is under way: ``done`` of ``total`` bundles."""
SYNC_REACHABLE = "sync.reachable"
"""The destination was probed: ``reachable`` True or False."""
SEND_FINISHED = "send.finished"
"""Sealing a case for the Lead finished on the worker: ``case_id``, ``bundle_id``."""

SPACE_LOW = "store.space_low"
"""Free space on the store's disk fell under the warning threshold (free_bytes)."""
STORE_UNREACHABLE = "store.unreachable"
"""The store's folder or drive went away under an unlocked store (message)."""

EVENTS = (STORE_LOCKED, STORE_UNLOCKED, RECORDS_CHANGED, OUTBOX_CHANGED, SYNC_PROGRESS,
          SYNC_REACHABLE, SEND_FINISHED, SPACE_LOW, STORE_UNREACHABLE)
"""Every event the core publishes."""


class EventHub:
    """Register listeners by event name and call them when the event is published."""

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, event: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener(**payload)`` whenever ``event`` is published; returns an unsubscribe."""
        with self._lock:
            self._listeners[event].append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners[event]:
                    self._listeners[event].remove(listener)

        return unsubscribe

    def publish(self, event: str, **payload: Any) -> None:
        """Call every listener of ``event``, in the publishing thread. A listener that raises is
        logged and skipped: it never breaks the publisher or the other listeners."""
        with self._lock:
            listeners = list(self._listeners[event])
        for listener in listeners:
            try:
                listener(**payload)
            except Exception:
                log.exception("a listener of %s failed", event)


hub = EventHub()
"""The process-wide hub; the events are the constants above."""
