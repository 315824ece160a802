"""The bridge from the core's Qt-free event hub to Qt signals.

The hub calls listeners in whatever thread published (a worker, a sync thread). Emitting a
signal of a QObject that lives on the GUI thread makes Qt queue the call to receivers there,
so widgets only ever react on the GUI thread and nothing polls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import Shiboken

from fieldkit.events import (
    OUTBOX_CHANGED,
    RECORDS_CHANGED,
    SEND_FINISHED,
    SPACE_LOW,
    STORE_LOCKED,
    STORE_UNLOCKED,
    STORE_UNREACHABLE,
    SYNC_PROGRESS,
    SYNC_REACHABLE,
    EventHub,
    hub,
)


class CoreEvents(QObject):
    """Qt signals mirroring the core events; attach once, detach when the window goes."""

    storeLocked = Signal()
    storeUnlocked = Signal()
    recordsChanged = Signal(str, str)  # kind, record id
    outboxChanged = Signal()
    syncProgress = Signal(int, int)  # done, total
    syncReachable = Signal(bool)  # the Lead's destination answered (or not) a sync's probe
    sendFinished = Signal(str, str)  # case id, bundle id: a case was sealed for the Lead
    spaceLow = Signal(int)  # bytes free where the store lives, under the warning threshold
    storeUnreachable = Signal(str)  # the store's folder or drive went away (the core's message)

    def __init__(self, events: EventHub = hub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events = events
        self._unsubscribers: list[Callable[[], None]] = []

    def attach(self) -> None:
        """Start listening to the hub (idempotent)."""
        if self._unsubscribers:
            return
        pairs: list[tuple[str, Callable[..., None]]] = [
            (STORE_LOCKED, self._locked),
            (STORE_UNLOCKED, self._unlocked),
            (RECORDS_CHANGED, self._records),
            (OUTBOX_CHANGED, self._outbox),
            (SYNC_PROGRESS, self._progress),
            (SYNC_REACHABLE, self._reachable),
            (SEND_FINISHED, self._sent),
            (STORE_UNREACHABLE, self._unreachable),
            (SPACE_LOW, self._space_low),
        ]
        self._unsubscribers = [self._events.subscribe(name, fn) for name, fn in pairs]

    def detach(self) -> None:
        """Stop listening; after this the hub holds no reference to the window."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers = []

    def _alive(self) -> bool:
        # A window can be destroyed without a clean close (a crash dialog, a test teardown);
        # its bridge then drops out of the hub instead of failing the publisher.
        if Shiboken.isValid(self):
            return True
        self.detach()
        return False

    # The hub passes payloads as keyword arguments; unknown extras are ignored on purpose so
    # the core can add detail to an event without breaking the app.
    def _locked(self, **_: Any) -> None:
        if self._alive():
            self.storeLocked.emit()

    def _unlocked(self, **_: Any) -> None:
        if self._alive():
            self.storeUnlocked.emit()

    def _records(self, kind: str = "", record_id: str = "", **_: Any) -> None:
        if self._alive():
            self.recordsChanged.emit(kind, record_id)

    def _outbox(self, **_: Any) -> None:
        if self._alive():
            self.outboxChanged.emit()

    def _progress(self, done: int = 0, total: int = 0, **_: Any) -> None:
        if self._alive():
            self.syncProgress.emit(int(done), int(total))

    def _reachable(self, reachable: bool = False, **_: Any) -> None:
        if self._alive():
            self.syncReachable.emit(bool(reachable))

    def _sent(self, case_id: str = "", bundle_id: str = "", **_: Any) -> None:
        if self._alive():
            self.sendFinished.emit(case_id, bundle_id)
    def _unreachable(self, message: str = "", **_: Any) -> None:
        if self._alive():
            self.storeUnreachable.emit(message)

    def _space_low(self, free_bytes: int = 0, **_: Any) -> None:
        if self._alive():
            self.spaceLow.emit(int(free_bytes))
