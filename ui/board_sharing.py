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

LOOK_SECONDS = 3.0
"""How long to listen for boards announced on the network (they answer within a second)."""


class BoardSharing(QObject):
    """The app's live board sharing: ``reported`` carries each round's ``LiveReport``."""

    reported = Signal(object)  # LiveReport, for the case in ``case_id``
    sharingChanged = Signal(object)  # Sharing, or None once stopped
    joined = Signal(str)  # the case id, once joined
    failed = Signal(object)  # the exception (turn it into words with error_text)
    boardsFound = Signal(object)  # list of discovery.Found, once looking has ended
    lookingFailed = Signal(object)  # the exception, when the network could not be searched

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = Worker(self, own_pool=True)
        self._settings: Settings | None = None
        self._key: Unwrapped | None = None
        self._live: LiveBoard | None = None
        self.case_id: str | None = None
        self.sharing: Any = None  # the core's Sharing while this device serves
        self.listen: tuple[str, int] | None = None  # where to serve (None: every network)
        self.resume_case_id: str | None = None  # shared when the laptop locked
        self.resume_port: int | None = None

    def start(self, settings: Settings, key: Unwrapped) -> None:
        """Unlocked: remember the store and key sharing will open its connections with."""
        self._settings, self._key = settings, key

    def stop(self, wait: bool = False) -> None:
        """Before locking: stop serving and exchanging and forget the key. Returns once
        nothing is served; an exchange waiting on an unreachable laptop is left to end by
        itself on its own connection, unless ``wait`` (before a new passphrase: every
        connection closed first). A board being shared is remembered, to share again
        (``resume``) once unlocked: its code and invitations are unchanged."""
        live, self._live = self._live, None
        if live is not None:
            live.stop(wait=wait)
            if wait:
                live.wait_stopped()
        self.worker.wait()
        self._key = None
        if self.sharing is not None and self.case_id is not None:
            self.resume_case_id, self.resume_port = self.case_id, int(self.sharing.port)
        self.case_id = None
        if self.sharing is not None:
            self.sharing = None
            self.sharingChanged.emit(None)

    def resume(self, case_id: str) -> bool:
        """Share ``case_id``'s board again if this laptop was sharing it when it locked (on
        the port it used, if still free); True if sharing was started again."""
        port = self.resume_port
        if self.resume_case_id != case_id or self._key is None or port is None:
            return False
        self.resume_case_id = self.resume_port = None
        self._share(case_id, (self.listen[0], port) if self.listen else None, port)
        return True

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
        self.resume_case_id = self.resume_port = None
        self._share(case_id, self.listen, None)

    def _share(self, case_id: str, listen: tuple[str, int] | None, port: int | None) -> None:
        live = self._live_for(case_id)

        def serve() -> Any:
            if listen:
                return live.share(*listen)
            return live.share(port=port) if port else live.share()

        self.worker.run(serve, lambda sharing: self._shared(live, sharing), self.failed.emit)

    def _shared(self, live: LiveBoard, sharing: Any) -> None:
        if live is self._live:
            self.sharing = sharing
            self.sharingChanged.emit(sharing)

    def stop_sharing(self) -> None:
        """Stop serving (exchanging with boards this device joined goes on)."""
        self.resume_case_id = self.resume_port = None
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

    def look_for_boards(self) -> None:
        """Look for boards announced on the local network (off the window's thread, a few
        seconds); ``boardsFound`` brings what was found, ``lookingFailed`` why not."""
        from sync.board_share.discovery import browse

        # where this laptop serves in tests (loopback), else every network
        interfaces = [self.listen[0]] if self.listen else None
        self.worker.run(lambda: browse(LOOK_SECONDS, interfaces), self.boardsFound.emit,
                        self.lookingFailed.emit)

    def exchange_now(self) -> None:
        """Exchange straight away (after a save or a resolution)."""
        if self._live is not None:
            self._live.exchange_now()
