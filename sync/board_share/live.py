"""Sharing a board live inside the app's process: the board server in a background thread
(uvicorn with its own event loop and its own store connection), and an exchange with every
peer every few seconds on a worker thread of its own, which writes the merged board back into
the reception document and reports what arrived (who changed what), the peers and conflicts.

The app holds one store; a second (and third) connection in the same process shares its hold
on the store folder (``Store.open_unwrapped(..., worker=True)``). :meth:`LiveBoard.stop` ends
both threads and closes their connections before returning: the app calls it before locking,
so nothing is served or exchanged while locked. No Qt here: the app wraps the reports.
"""

from __future__ import annotations

import errno
import logging
import queue
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import uvicorn

from fieldkit.clock import parse_stamp, utc_now
from fieldkit.errors import FieldkitError, InvalidInput
from fieldkit.keys import Unwrapped
from fieldkit.records import FormDocument
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device
from sync.board_share import access, form_link, journal
from sync.board_share.changes import BoardChange
from sync.board_share.client import Exchanged, exchange_with_peers, join_board, peer_status
from sync.board_share.discovery import Announcement, announce
from sync.board_share.form_link import ConflictShown
from sync.board_share.server import board_server

log = logging.getLogger(__name__)
ALL_NETWORKS = "0.0.0.0"  # noqa: S104 - the centre's network; every request is signed by an
# enrolled, invited device and everything else is refused
DEFAULT_PORT = 8450
EXCHANGE_SECONDS = 3.0
STOP_SECONDS = 20.0


class SharingNotStarted(FieldkitError):
    """The board server could not listen on this laptop's network."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"This laptop could not start sharing the board ({reason}). Check "
                         "it is connected to the centre's network, then try again; nothing "
                         "was lost.")


@dataclass(frozen=True)
class Arrival:
    """Changes made on another device and received here: who, and which fields of whom."""

    officer: str
    device_id: str
    person: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PeerShown:
    """A device this board exchanged with: who, where, when last seen, and what it lacks."""

    officer: str
    device_id: str
    address: str
    last_seen: str
    seconds_ago: float
    unseen_there: int
    connected: bool


@dataclass(frozen=True)
class LiveReport:
    """One round of sharing: what arrived, the document version written, peers, conflicts."""

    arrivals: tuple[Arrival, ...] = ()
    written: FormDocument | None = None
    peers: tuple[PeerShown, ...] = ()
    conflicts: tuple[ConflictShown, ...] = ()
    unreachable: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Sharing:
    """Where other devices reach this one, and the join code to read out."""

    addresses: tuple[str, ...]
    port: int
    code: str


def network_addresses(host: str) -> list[str]:
    """The addresses others can type to reach ``host`` (every network's, for all)."""
    if host not in (ALL_NETWORKS, "::"):
        return [host]
    try:
        found = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        found = []
    return [a for a in found if not a.startswith("127.")] or ["127.0.0.1"]


def _announce(port: int, device_id: str, addresses: list[str],
              host: str) -> Announcement | None:
    """Announce the board on the network(s) served, so joiners find it; sharing goes on
    without it (the address is still shown) if the network refuses multicast."""
    try:
        return announce(port, device_id, addresses,
                        None if host in (ALL_NETWORKS, "::") else [host])
    except OSError as error:
        log.warning("board not announced on the network: %s", error.strerror)
        return None


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT as an officer types it (the port is optional: 8450)."""
    text = text.strip()
    host, colon, port = text.rpartition(":")
    if not colon or "]" in port:
        host, port = text, str(DEFAULT_PORT)
    host = host.strip("[] ")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"The address must be as the sharing laptop shows it, for example "
                           f"192.168.1.20:{DEFAULT_PORT}, not {text or 'nothing'}.")
    return host, int(port)


class LiveBoard:
    """One case's shared board, live: serving, exchanging, reporting through ``report``
    (called on the exchange thread; the app passes it on to its own thread)."""

    def __init__(self, settings: Settings, key: Unwrapped, case_id: str,
                 report: Callable[[LiveReport], None],
                 interval_seconds: float = EXCHANGE_SECONDS) -> None:
        self.settings, self.case_id, self.report = settings, case_id, report
        self.interval = interval_seconds
        self._key: Unwrapped | None = key
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._server: uvicorn.Server | None = None
        self._server_thread: threading.Thread | None = None
        self._loop_thread: threading.Thread | None = None
        self._ending: list[threading.Thread] = []  # rounds left to end after a quick stop
        self.sharing: Sharing | None = None

    def _open(self) -> Store:
        if self._key is None:
            raise FieldkitError("Sharing has stopped: unlock fieldkit and start again.")
        return Store.open_unwrapped(self.settings, self._key, worker=True)

    # -- sharing ------------------------------------------------------------------------------

    def share(self, host: str = ALL_NETWORKS, port: int = DEFAULT_PORT) -> Sharing:
        """Start serving this case's board (another port if ``port`` is taken); returns the
        addresses and join code once the server accepts connections."""
        if self.sharing is not None:
            return self.sharing
        ready: queue.Queue[tuple[uvicorn.Server, Sharing] | BaseException] = queue.Queue()
        thread = threading.Thread(target=self._serve, args=(host, port, ready),
                                  name="board-server", daemon=True)
        thread.start()
        started = ready.get(timeout=STOP_SECONDS)
        if isinstance(started, BaseException):
            thread.join(STOP_SECONDS)
            raise started
        self._server, self.sharing = started
        self._server_thread = thread
        while not self._server.started and thread.is_alive():
            self._stopping.wait(0.02)
        self.start()
        return self.sharing

    def _serve(self, host: str, port: int, ready: queue.Queue[
            tuple[uvicorn.Server, Sharing] | BaseException]) -> None:
        try:
            store = self._open()
        except BaseException as error:
            ready.put(error)
            return
        try:
            try:
                code = access.join_code(store, self.case_id)
                form_link.publish(store, self.case_id)
                try:
                    server, sock = board_server(store, host, port)
                except OSError as error:
                    if error.errno != errno.EADDRINUSE:
                        raise
                    server, sock = board_server(store, host, 0)
            except OSError as error:
                ready.put(SharingNotStarted(error.strerror or type(error).__name__))
                return
            except BaseException as error:
                ready.put(error)
                return
            bound = int(sock.getsockname()[1])
            addresses = network_addresses(host)
            announced = _announce(bound, device.device_id(store), addresses, host)
            ready.put((server, Sharing(tuple(addresses), bound, access.shown_code(code))))
            try:
                server.run(sockets=[sock])
            finally:
                if announced is not None:
                    announced.close()  # the network is told the board is gone
        finally:
            store.lock()

    def stop_sharing(self) -> None:
        """Stop serving (peers this device joined are still exchanged with)."""
        server, thread = self._server, self._server_thread
        self._server = self._server_thread = None
        self.sharing = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(STOP_SECONDS)
            if thread.is_alive():  # never expected (the server cuts off what hangs): shown
                self._ending.append(thread)

    # -- joining and exchanging ---------------------------------------------------------------

    def join(self, host: str, port: int, code: str) -> Exchanged:
        """Join the board another device shares (blocking: run it off the window's thread),
        then keep exchanging with it."""
        with self._open() as store:
            moved = join_board(store, self.case_id, host, port, code)
            form_link.publish(store, self.case_id)
            form_link.write_back(store, self.case_id)
        self.start()
        self._wake.set()
        return moved

    def start(self) -> None:
        """Start exchanging every few seconds (if not already)."""
        if self._loop_thread is not None and self._loop_thread.is_alive():
            return
        self._loop_thread = threading.Thread(target=self._loop, name="board-exchange",
                                             daemon=True)
        self._loop_thread.start()

    def exchange_now(self) -> None:
        """Exchange straight away rather than at the next tick (after a save, say)."""
        self._wake.set()

    def _loop(self) -> None:
        try:
            store = self._open()
        except FieldkitError as error:
            self._tell(LiveReport(unreachable=(str(error),)))
            return
        try:
            seen = journal.vector(store, journal.board_id(store, self.case_id))
            while not self._stopping.is_set():
                try:
                    seen = self._round(store, seen)
                except FieldkitError as error:  # a full disk, say: told, and tried again
                    self._tell(LiveReport(unreachable=(str(error),)))
                except Exception as error:  # never a silent stop; no message (personal data)
                    log.error("board exchange round failed: %s", type(error).__name__)
                    self._tell(LiveReport(unreachable=(
                        "An exchange with the other laptops failed; it is tried again.",)))
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            store.lock()

    def _round(self, store: Store, seen: journal.Vector) -> journal.Vector:
        results = exchange_with_peers(store, self.case_id)
        if self._stopping.is_set():
            return seen
        board = journal.board_id(store, self.case_id)
        me = device.device_id(store)
        news = [c for c in journal.changes_since(store, board, seen) if c.device_id != me]
        written = form_link.write_back(store, self.case_id) if news else None
        self._tell(LiveReport(
            arrivals=arrivals(news), written=written, peers=tuple(peers(store, self.case_id,
                                                                        self.interval)),
            conflicts=tuple(form_link.conflicts(store, self.case_id)),
            unreachable=tuple(sorted(f"{address}: {result}" for address, result
                                     in results.items() if isinstance(result, FieldkitError)))))
        return journal.vector(store, board)

    def stop(self, wait: bool = True) -> None:
        """Stop serving and exchanging, close both connections and forget the key (before
        the app locks). Waits for a round under way to finish, unless ``wait`` is False:
        then it returns once nothing is served and the exchange thread is told to stop. A
        round waiting on an unreachable laptop then ends on its own (its connection is its
        own; what it received is saved, nothing more is reported) and closes its connection.
        Wait before anything that needs every connection closed, such as a new passphrase."""
        self._stopping.set()
        self._wake.set()
        self.stop_sharing()
        thread, self._loop_thread = self._loop_thread, None
        self._key = None
        if thread is not None and wait:
            thread.join(STOP_SECONDS)
        elif thread is not None and thread.is_alive():
            self._ending.append(thread)

    def wait_stopped(self) -> bool:
        """Wait for exchange rounds left to end by ``stop(wait=False)``; True once all have
        ended and closed their connections."""
        for thread in self._ending:
            thread.join(STOP_SECONDS)
        self._ending = [t for t in self._ending if t.is_alive()]
        return not self._ending

    def _tell(self, report: LiveReport) -> None:
        """Report a round, unless sharing has been stopped meanwhile."""
        if not self._stopping.is_set():
            self.report(report)

    @property
    def running(self) -> bool:
        """True while serving or exchanging (a round left to end by a quick stop too)."""
        return any(t is not None and t.is_alive()
                   for t in (self._server_thread, self._loop_thread, *self._ending))


def arrivals(changes: list[BoardChange]) -> tuple[Arrival, ...]:
    """Changes received, grouped by device and person, in the order they were made."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for change in sorted(changes, key=lambda c: c.hlc):
        fields = grouped.setdefault((change.officer, change.device_id, change.person), [])
        if change.field not in fields:
            fields.append(change.field)
    return tuple(Arrival(officer, device_id, person, tuple(fields))
                 for (officer, device_id, person), fields in grouped.items())


def peers(store: Store, case_id: str, interval: float) -> list[PeerShown]:
    """The board's peers; connected if seen within a few exchange rounds."""
    now = utc_now()
    shown: list[PeerShown] = []
    for peer in peer_status(store, case_id):
        ago = (now - parse_stamp(peer.last_seen)).total_seconds()
        shown.append(PeerShown(peer.officer, peer.device_id, peer.address, peer.last_seen,
                               ago, peer.they_lack, ago <= 3 * interval + 5))
    return shown
