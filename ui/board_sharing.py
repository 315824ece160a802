"""Sharing a reception board live, for the window: wraps the core's ``LiveBoard`` (its server
and exchange threads, its own store connections) in signals delivered on the GUI thread.

One shared board at a time. The main window starts this when unlocked and stops it before
locking: stopping ends serving and exchanging and forgets the key, so nothing is served while
locked. The heavy networking modules are imported only when sharing starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from fieldkit.errors import FieldkitError
from fieldkit.keys import Unwrapped
from fieldkit.settings import Settings
from ui.worker import Worker

if TYPE_CHECKING:
    from sync.board_share.live import LiveBoard, LiveReport


class BoardSharing(QObject):
    """The app's live board sharing: ``reported`` carries each round's ``LiveReport``."""

    reported = Signal(object)  # LiveReport, for the case in ``case_id``
    sharingChanged = Signal(object)  # Sharing, or None once stopped
    joined = Signal(str)  # the case id, once joined
    failed = Signal(object)  # the exception (turn it into words with error_text)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = Worker(self, own_pool=True)
        self._settings: Settings | None = None
        self._key: Unwrapped | None = None
        self._live: LiveBoard | None = None
        self.case_id: str | None = None
        self.sharing: Any = None  # the core's Sharing while this device serves
        self.listen: tuple[str, int] | None = None  # where to serve (None: every network)

    def start(self, settings: Settings, key: Unwrapped) -> None:
        """Unlocked: remember the store and key sharing will open its connections with."""
        self._settings, self._key = settings, key

    def stop(self) -> None:
        """Before locking: stop serving and exchanging, close their connections, forget the
        key. Returns once nothing is served."""
        live, self._live = self._live, None
        if live is not None:
            live.stop()
        self.worker.wait()
        self._key = None
        self.case_id = None
        if self.sharing is not None:
            self.sharing = None
            self.sharingChanged.emit(None)

    def _live_for(self, case_id: str) -> LiveBoard:
        from sync.board_share.live import LiveBoard

        if self._settings is None or self._key is None:
            raise RuntimeError("board sharing used while locked")
        if self._live is not None and self.case_id == case_id:
            return self._live
        if self._live is not None:
            self._live.stop()
            self.sharing = None
            self.sharingChanged.emit(None)
        self.case_id = case_id
        self._live = LiveBoard(self._settings, self._key, case_id, self._report)
        return self._live

    def _report(self, report: LiveReport) -> None:
        """Called on the exchange thread: the signal crosses to the GUI thread."""
        self.reported.emit(report)

    def follow(self, case_id: str) -> None:
        """Keep exchanging for a board this device already shares or joined (its page opened
        again, or after unlocking)."""
        if self._key is not None and (self._live is None or self.case_id != case_id):
            self._live_for(case_id).start()

    def share(self, case_id: str) -> None:
        """Start serving the case's board; ``sharingChanged`` brings the address and code."""
        live = self._live_for(case_id)
        listen = self.listen
        self.worker.run(lambda: live.share(*listen) if listen else live.share(),
                        lambda sharing: self._shared(live, sharing), self.failed.emit)

    def _shared(self, live: LiveBoard, sharing: Any) -> None:
        if live is self._live:
            self.sharing = sharing
            self.sharingChanged.emit(sharing)

    def stop_sharing(self) -> None:
        """Stop serving (exchanging with boards this device joined goes on)."""
        if self._live is not None:
            self._live.stop_sharing()
        self.sharing = None
        self.sharingChanged.emit(None)

    def join(self, case_id: str, address: str, code: str) -> None:
        """Join the board shared at ``address`` (HOST:PORT as typed; off the window's
        thread). A mistyped address or code comes back through ``failed``."""
        from sync.board_share.live import parse_address

        try:
            host, port = parse_address(address)
        except FieldkitError as error:
            self.failed.emit(error)
            return
        live = self._live_for(case_id)
        self.worker.run(lambda: live.join(host, port, code),
                        lambda _moved: self.joined.emit(case_id), self.failed.emit)

    def exchange_now(self) -> None:
        """Exchange straight away (after a save or a resolution)."""
        if self._live is not None:
            self._live.exchange_now()
