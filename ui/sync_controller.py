"""Runs the sync engine in the background: when the network comes back, on a timer while items
wait for the Lead, and when the officer asks (Send to Lead, Retry now).

The engine is Qt-free and opens its own store connection in the thread that runs it, so each
run goes to a pool thread through the one worker helper. Only one run is ever in flight; a
request made during a run is remembered and run once straight after. Locking stops the timer
and drops the engine (and with it the key); a run already under way finishes on its own
connection and its outcome is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from fieldkit.keys import Unwrapped
from fieldkit.settings import Settings
from ui.worker import Worker

if TYPE_CHECKING:
    from sync.engine import SyncOutcome

DEFAULT_INTERVAL_MS = 60_000
"""How often to try again while items are waiting (the outbox's own back-off decides which)."""
RECEIPT_INTERVAL_FACTOR = 10
"""With nothing to send but bundles whose import receipt is not back, a run every ten
intervals picks the receipts up ("Lead imported" stayed "Not yet" until the next unlock)."""

Runner = Callable[[bool], "SyncOutcome"]


class SyncController(QObject):
    """Owns the retry timer, reacts to reachability, and runs the engine one run at a time."""

    runningChanged = Signal(bool)
    busyChanged = Signal(bool)  # a run has taken over a second (show that it is working)
    finished = Signal(object)  # SyncOutcome of a run started while unlocked
    failed = Signal(object)  # the exception a run raised (turn it into words with error_text)
    aboutToRun = Signal()  # emitted on the GUI thread just before a run opens its connection

    def __init__(self, interval_ms: int = DEFAULT_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_ms = interval_ms
        # Its own worker, so a slow network shows "contacting the Lead" rather than the
        # window's general busy indicator; it still runs on the one global thread pool.
        self.worker = Worker(self)
        self.worker.busyChanged.connect(self.busyChanged)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self._runner: Runner | None = None
        self._generation = 0
        self._running = False
        self._again: bool | None = None  # a request made during a run: its retry_now

    # -- unlocked and locked ------------------------------------------------------------------

    def start(self, settings: Settings, key: Unwrapped) -> None:
        """Unlocked: runs go through an engine for this store and key (nothing runs until
        asked). The sync code is imported by the first run, not to show the window."""

        def run(retry_now: bool) -> SyncOutcome:
            from sync.engine import SyncEngine

            return SyncEngine(settings, key).run_once(retry_now=retry_now)

        self.start_with(run)

    def start_with(self, runner: Runner) -> None:
        """Unlocked, with any function that does one run (the engine's, normally)."""
        self._generation += 1
        self._runner = runner
        self._again = None

    def stop(self) -> None:
        """Locked: stop the timer and drop the engine and key. A run under way is abandoned."""
        self.timer.stop()
        self._runner = None
        self._again = None
        self._generation += 1

    @property
    def active(self) -> bool:
        """True while unlocked (an engine is held)."""
        return self._runner is not None

    @property
    def running(self) -> bool:
        """True while a run is in flight (it may belong to a session since locked)."""
        return self._running

    # -- what starts a run --------------------------------------------------------------------

    def set_waiting(self, waiting: int, awaiting_receipt: int = 0) -> None:
        """Keep the retry timer going while items wait, and, more slowly, while bundles
        delivered wait for the Lead's import receipt; stop it when neither."""
        if not self.active or (waiting <= 0 and awaiting_receipt <= 0):
            self.timer.stop()
            return
        interval = self._interval_ms * (1 if waiting > 0 else RECEIPT_INTERVAL_FACTOR)
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)
            self.timer.stop()
        if not self.timer.isActive():
            self.timer.start()

    @Slot(bool)
    def network_changed(self, online: bool) -> None:
        """The computer came online: try straight away rather than at the next tick."""
        if online:
            self.sync_now()

    @Slot()
    def _tick(self) -> None:
        if not self._running:
            self.sync_now()

    def sync_now(self, retry_now: bool = False) -> bool:
        """Start a run; True if it started now. During a run, one more is queued for after it."""
        runner = self._runner
        if runner is None:
            return False
        if self._running:
            self._again = bool(self._again) or retry_now
            return False
        self.aboutToRun.emit()
        self._running = True
        self.runningChanged.emit(True)
        generation = self._generation
        self.worker.run(lambda: runner(retry_now),
                        lambda outcome: self._done(generation, outcome, None),
                        lambda error: self._done(generation, None, error))
        return True

    def _done(self, generation: int, outcome: SyncOutcome | None,
              error: BaseException | None) -> None:
        self._running = False
        self.runningChanged.emit(False)
        # A run begun before a lock belongs to nobody now: its news is dropped. A request
        # queued meanwhile (by this or a new session) still runs.
        if generation == self._generation:
            if error is not None:
                self.failed.emit(error)
            elif outcome is not None:
                self.finished.emit(outcome)
        if self._again is not None and self.active:
            again, self._again = self._again, None
            self.sync_now(again)
