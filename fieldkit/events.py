"""A small, Qt-free publish/subscribe hub for core events (lock, records changed, outbox, sync).

The desktop app bridges these to Qt signals on the GUI thread; the core never polls.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Listener = Callable[..., None]


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
        """Call every listener of ``event``, in the publishing thread."""
        with self._lock:
            listeners = list(self._listeners[event])
        for listener in listeners:
            listener(**payload)


hub = EventHub()
"""The process-wide hub. Events: ``store.locked``, ``store.unlocked``, ``records.changed``
(kind, record_id), ``outbox.changed``, ``sync.progress`` (done, total), ``sync.reachable``
(reachable)."""
