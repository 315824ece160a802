"""The joining device's side: pin the sharing device's certificate (checked against its
enrolled key), prove the join code, and exchange changes since each side's vector.

A link, once its certificate is pinned and its hello checked, is kept for the next exchange
with the same peer (until anything goes wrong with it); an exchange sends, in its first request,
what the peer was last known to lack, so it usually takes one round trip; the peers of a board
are exchanged with at the same time (only the network waits run in threads: the store is read
and written on the calling thread)."""

from __future__ import annotations

import json
import ssl
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import device
from sync.board_share import access, journal
from sync.board_share.changes import ChangeRefused, new_changes_from_peer
from sync.board_share.server import HELLO, note_peer, signed_target
from sync.board_share.tls import fingerprint, pinned_context
from sync.canonical import canonical_json, open_signed_document, strict_json_loads
from sync.enrolment import EnrolledDevice
from sync.request_auth import sign_request

TIMEOUT_SECONDS = 10.0
_T = TypeVar("_T")


class PeerUnreachable(FieldkitError):
    """The other device could not be reached, or the connection broke."""

    def __init__(self, address: str) -> None:
        super().__init__(f"The device at {address} cannot be reached (check it is sharing and "
                         "on the same network); nothing was lost, try again.")


class PeerRefused(FieldkitError):
    """The other device refused this one, or is not a device this one trusts."""

    def __init__(self, address: str, why: str) -> None:
        super().__init__(f"The board at {address} could not be shared: {why}.")


@dataclass
class Exchanged:
    """What one exchange moved."""

    received: int
    sent: int


@dataclass(frozen=True)
class _Me:
    """What a link needs of this device, read from the store once on the calling thread."""

    device_id: str
    key: Ed25519PrivateKey
    enrolled: dict[str, EnrolledDevice]


def _me(store: Store) -> _Me:
    return _Me(device.device_id(store), device.signing_key(store), access.enrolled(store))


@dataclass(frozen=True)
class _Request:
    """A signed request ready to send (no store needed to send it)."""

    target: str
    data: bytes
    headers: dict[str, str]


def _known_vector(store: Store, board: str, peer: str) -> journal.Vector | None:
    """What the peer had seen of the board when last met (None if never met)."""
    row = store.conn.execute("SELECT vector FROM board_peers WHERE board_id = ? AND "
                             "device_id = ?", (board, peer)).fetchone()
    if row is None:
        return None
    return {str(k): str(v) for k, v in dict(json.loads(str(row[0]))).items()}


class PeerLink:
    """A connection to one sharing device, pinned to its certificate after checking it. The
    network part of opening it reads nothing from the store when ``me`` is given."""

    def __init__(self, store: Store, host: str, port: int, me: _Me | None = None) -> None:
        self._store, self.address = weakref.ref(store), f"{host}:{port}"
        self.me = me if me is not None else _me(store)
        self.base = f"https://{host if ':' not in host else f'[{host}]'}:{port}"
        try:
            cert_pem = ssl.get_server_certificate((host, port), timeout=TIMEOUT_SECONDS)
        except OSError:
            raise PeerUnreachable(self.address) from None
        self.client = httpx.Client(verify=pinned_context(cert_pem), timeout=TIMEOUT_SECONDS)
        try:
            self.peer_id, self.peer_officer = self._hello(fingerprint(cert_pem))
        except BaseException:
            self.client.close()
            raise

    @property
    def store(self) -> Store:
        """The store this link exchanges for (held weakly: a kept link must not keep a locked
        store's connection alive)."""
        store = self._store()
        if store is None:
            raise PeerUnreachable(self.address)
        return store

    def close(self) -> None:
        """Close the connection."""
        self.client.close()

    def __enter__(self) -> PeerLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _signed(self, target: str, body: Mapping[str, object]) -> _Request:
        data = canonical_json(body)
        headers = sign_request(device_id=self.me.device_id, device_key=self.me.key,
                               method="POST", bundle_id=signed_target(target), body=data,
                               timestamp=int(time.time()))
        return _Request(target, data, {**headers, "Content-Type": "application/json"})

    def _send(self, request: _Request) -> bytes:
        """Send a signed request; the answer's body (safe to call off the store's thread)."""
        try:
            response = self.client.post(f"{self.base}/v1/{request.target}",
                                        content=request.data, headers=request.headers)
        except httpx.HTTPError:
            raise PeerUnreachable(self.address) from None
        if response.status_code == 403:
            raise PeerRefused(self.address, "that device refused this one (not enrolled with "
                              "the same Lead, revoked, or not invited with the join code)")
        if response.status_code != 200:
            raise PeerUnreachable(self.address)
        return response.content

    def _post(self, target: str, body: Mapping[str, object]) -> bytes:
        return self._send(self._signed(target, body))

    def _hello(self, cert_sha256: str) -> tuple[str, str]:
        me = self.me.device_id
        answer = self._post("hello", {"device": me})

        def signer(payload: dict[str, Any]) -> Ed25519PublicKey:
            entry = self.me.enrolled.get(str(payload.get("device_id", "")))
            if entry is None or entry.revoked:
                raise ValueError("not an enrolled device")
            return entry.verifying_key()

        try:
            payload = open_signed_document(answer, signer)
        except ValueError:
            raise PeerRefused(self.address, "it is not a device enrolled with your Lead, or "
                              "it was revoked") from None
        if (payload.get("purpose") != HELLO or payload.get("cert_sha256") != cert_sha256
                or payload.get("for_device") != me):
            raise PeerRefused(self.address, "its certificate is not the one its key vouches "
                              "for (someone may be in the middle)")
        peer = str(payload["device_id"])
        return peer, self.me.enrolled[peer].officer

    def join(self, code: str) -> str:
        """Join the board the code was given for; its board id."""
        proof = access.join_proof(code, self.me.device_id)
        board = strict_json_loads(self._post("join", {"proof": proof}))["board_id"]
        return str(board)

    def opening(self, board: str) -> tuple[_Request, int]:
        """The first request of an exchange (store read here): this device's vector and the
        changes the peer was last known to lack; and how many changes it carries. Refused if
        the peer was revoked since the link was opened."""
        if access.trusted_peer(self.store, self.peer_id) is None:
            raise PeerRefused(self.address, "it is not a device enrolled with your Lead, or "
                              "it was revoked")
        known = _known_vector(self.store, board, self.peer_id)
        pushing = [] if known is None else journal.changes_since(self.store, board, known)
        return self._signed(f"boards/{board}/exchange", {
            "vector": journal.vector(self.store, board), "base": known or {},
            "changes": [c.model_dump(mode="json") for c in pushing]}), len(pushing)

    def closing(self, board: str, answer: bytes, sent: int) -> Exchanged:
        """Check and keep what the peer answered (each change's signature checked, all kept in
        one transaction), then send what it still lacks, if anything."""
        try:
            data = strict_json_loads(answer)
            keys = access.change_keys(self.store)
            items = list(data["changes"])
            incoming = new_changes_from_peer(
                items, keys, journal.held_clocks(self.store, board, items))
            theirs = {str(k): str(v) for k, v in dict(data["vector"]).items()}
        except ChangeRefused as error:
            raise PeerRefused(self.address, str(error)) from None
        except (ValueError, KeyError, TypeError):
            raise PeerRefused(self.address, "its answer was not well formed") from None
        received = journal.receive(self.store, board, incoming)
        outgoing = journal.changes_since(self.store, board, theirs)
        final = theirs
        if outgoing:  # it lacked more than it was known to: send the rest
            body = {"vector": journal.vector(self.store, board), "base": theirs,
                    "changes": [c.model_dump(mode="json") for c in outgoing]}
            final = {str(k): str(v) for k, v in dict(strict_json_loads(
                self._post(f"boards/{board}/exchange", body))["vector"]).items()}
        note_peer(self.store, board, self.peer_id, self.address, self.peer_officer, final)
        return Exchanged(received, sent + len(outgoing))

    def exchange(self, board: str) -> Exchanged:
        """Send what the peer was known to lack and take what this device lacks, then send
        whatever else the peer turned out to lack."""
        request, sent = self.opening(board)
        return self.closing(board, self._send(request), sent)


def join_board(store: Store, case_id: str, host: str, port: int, code: str) -> Exchanged:
    """Join the board shared at ``host:port`` for this case, and exchange until level."""
    with PeerLink(store, host, port) as link:
        board = link.join(code)
        journal.link_board(store, case_id, board)
        return link.exchange(board)


_LINKS: weakref.WeakKeyDictionary[Store, dict[str, PeerLink]] = weakref.WeakKeyDictionary()
_LINKS_LOCK = threading.Lock()


def _close_links(links: dict[str, PeerLink]) -> None:
    for link in links.values():
        link.close()
    links.clear()


def _in_parallel(calls: dict[str, Callable[[], _T]]) -> dict[str, _T | FieldkitError]:
    """Run network calls at the same time; each result, or the error it raised."""
    def outcome(call: Callable[[], _T]) -> _T | FieldkitError:
        try:
            return call()
        except FieldkitError as error:
            return error

    if len(calls) <= 1:
        return {key: outcome(call) for key, call in calls.items()}
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = {key: pool.submit(outcome, call) for key, call in calls.items()}
        return {key: future.result() for key, future in futures.items()}


def exchange_with(store: Store, board: str,
                  addresses: list[str]) -> dict[str, Exchanged | FieldkitError]:
    """Exchange the board with the devices at ``addresses`` ("host:port") at the same time,
    reusing the links kept from earlier exchanges; each result, or why it failed (a link that
    failed is closed and opened afresh next time)."""
    with _LINKS_LOCK:
        if store not in _LINKS:
            _LINKS[store] = {}
            weakref.finalize(store, _close_links, _LINKS[store])
        links = _LINKS[store]
    results: dict[str, Exchanged | FieldkitError] = {}
    missing = [address for address in addresses if address not in links]
    if missing:
        me = _me(store)

        def opener(address: str) -> Callable[[], PeerLink]:
            host, _, port = address.rpartition(":")
            return lambda: PeerLink(store, host, int(port), me)

        for address, opened in _in_parallel({a: opener(a) for a in missing}).items():
            if isinstance(opened, PeerLink):
                links[address] = opened
            else:
                results[address] = opened
    requests: dict[str, tuple[_Request, int]] = {}
    for address in addresses:
        if address in links:
            try:
                requests[address] = links[address].opening(board)
            except FieldkitError as error:
                results[address] = error
                links.pop(address).close()

    def sender(address: str) -> Callable[[], bytes]:
        return lambda: links[address]._send(requests[address][0])

    answers = _in_parallel({address: sender(address) for address in requests})
    for address, answer in answers.items():
        try:
            if isinstance(answer, FieldkitError):
                raise answer
            results[address] = links[address].closing(board, answer, requests[address][1])
        except FieldkitError as error:
            results[address] = error
            links.pop(address).close()
    return {address: results[address] for address in addresses if address in results}


def exchange_with_peers(store: Store, case_id: str) -> dict[str, Exchanged | FieldkitError]:
    """Exchange with every peer this case's board has met; each result, or why it failed."""
    board = journal.board_id(store, case_id)
    rows = store.conn.execute("SELECT address FROM board_peers WHERE board_id = ? AND "
                              "address != ''", (board,)).fetchall()
    return exchange_with(store, board, [str(address) for (address,) in rows])


@dataclass
class PeerStatus:
    """One peer as ``reception status`` shows it."""

    device_id: str
    officer: str
    address: str
    last_seen: str
    they_lack: int


def peer_status(store: Store, case_id: str) -> list[PeerStatus]:
    """Every peer of this case's board: when last seen and how many changes held here it had
    not seen then."""
    board = journal.board_id(store, case_id)
    rows = store.conn.execute(
        "SELECT device_id, officer, address, last_seen, vector FROM board_peers "
        "WHERE board_id = ? ORDER BY last_seen DESC", (board,)).fetchall()
    return [PeerStatus(str(d), str(o), str(a), str(seen),
                       journal.unseen_count(store, board, json.loads(str(v))))
            for d, o, a, seen, v in rows]
