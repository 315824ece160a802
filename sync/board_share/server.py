"""The sharing device's side of the exchange: a small HTTPS server answering only enrolled,
not revoked devices whose requests are signed with their keys, and for a board only those
invited with its join code. Anything else gets the same single refusal and learns nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fieldkit.clock import stamp
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import device
from sync.board_share import access, journal
from sync.board_share.changes import ChangeRefused, new_changes_from_peer
from sync.board_share.tls import fingerprint, new_certificate, server_context
from sync.canonical import sign_document, strict_json_loads
from sync.inbox import ReplayGuard
from sync.request_auth import CLOCK_TOLERANCE_SECONDS, parse_request_headers, request_signature_ok

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 32 * 1024 * 1024
MAX_CONNECTIONS = 32
"""Connections answered at once (a board has a few laptops; more are answered 503 at once)."""
HELLO = "fieldkit-board-hello-v1"
STOP_GRACE_SECONDS = 3
"""How long stopping waits for exchanges under way to finish before their connections are
closed (an exchange takes well under a second)."""


def _refused() -> JSONResponse:
    return JSONResponse({"error": "refused"}, status_code=403)


def signed_target(path: str) -> str:
    """What a request's signature names besides method and body: the board endpoint."""
    return f"reception-board:{path}"


@dataclass
class BoardService:
    """The handlers and what they share: this device's store and its TLS certificate."""

    store: Store
    cert_sha256: str
    clock: Callable[[], float]
    replays: ReplayGuard

    async def _caller(self, request: Request, target: str) -> tuple[str, bytes] | None:
        """The calling device and the request body, or None for anyone not to be answered."""
        try:
            signed = parse_request_headers(request.headers)
            entry = access.trusted_peer(self.store, signed.device_id)
        except (ValueError, access.NoDevicesFile):
            return None
        if entry is None:
            log.warning("board request refused: device not enrolled or revoked")
            return None
        # The signature covers the body's digest: check it (and the time) before reading a
        # byte of the body, so a caller without the device's key is refused at once.
        now = self.clock()
        if (not request_signature_ok(signed, method=request.method,
                                     bundle_id=signed_target(target),
                                     public_key=entry.verifying_key())
                or abs(now - signed.timestamp) > CLOCK_TOLERANCE_SECONDS):
            return None
        declared = request.headers.get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > MAX_REQUEST_BYTES):
            return None
        received = bytearray()
        try:
            async for chunk in request.stream():
                received += chunk
                if len(received) > MAX_REQUEST_BYTES:
                    return None
        except ClientDisconnect:
            return None  # the link dropped mid-request: nothing was kept, the caller retries
        body = bytes(received)
        if (hashlib.sha256(body).hexdigest() != signed.content_sha256
                or not self.replays.first_time(signed.replay_key(request.method, target), now)):
            return None
        return signed.device_id, body

    async def hello(self, request: Request) -> Response:
        """``POST /v1/hello``: this device's id and TLS certificate, signed with its key."""
        caller = await self._caller(request, "hello")
        if caller is None:
            return _refused()
        payload = {"purpose": HELLO, "device_id": device.device_id(self.store),
                   "cert_sha256": self.cert_sha256,
                   "for_device": caller[0]}
        body = sign_document(payload, device.signing_key(self.store))
        return Response(body, media_type="application/json")

    async def join(self, request: Request) -> Response:
        """``POST /v1/join``: invite the caller to the board whose join code it proves."""
        caller = await self._caller(request, "join")
        if caller is None:
            return _refused()
        device_id, body = caller
        try:
            proof = strict_json_loads(body)["proof"]
        except (ValueError, KeyError, TypeError):
            return _refused()
        rows = self.store.conn.execute(
            "SELECT board_id FROM board_shares WHERE join_code IS NOT NULL").fetchall()
        for (board,) in rows:
            if isinstance(proof, str) and access.admit(self.store, str(board), device_id, proof):
                return JSONResponse({"board_id": str(board)})
        log.warning("board join refused: wrong join code")
        return _refused()

    async def exchange(self, request: Request) -> Response:
        """``POST /v1/boards/{board}/exchange``: keep the caller's changes (all or none), and
        answer with the changes it has not seen and this device's vector. Changes sent as
        following on from ``base`` (what the caller believed this device held) are kept only
        for the devices of which this one holds at least that much; the rest would leave a gap,
        and the caller sends them again from the vector answered."""
        board = str(request.path_params["board"])
        caller = await self._caller(request, f"boards/{board}/exchange")
        if caller is None or not access.is_invited(self.store, board, caller[0]):
            return _refused()
        device_id, body = caller
        try:
            data = strict_json_loads(body)
            seen = {str(k): str(v) for k, v in dict(data["vector"]).items()}
            keys = access.change_keys(self.store)
            items = list(data["changes"])
            incoming = new_changes_from_peer(
                items, keys, journal.held_clocks(self.store, board, items))
            base = {str(k): str(v) for k, v in dict(data.get("base", {})).items()}
            address = str(data.get("address", ""))[:100]
        except ChangeRefused as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "the request is not well formed"}, status_code=400)
        held = journal.vector(self.store, board)  # keep no run that would leave a gap:
        incoming = [c for c in incoming if held.get(c.device_id, "") >= base.get(c.device_id, "")]
        try:
            journal.receive(self.store, board, incoming)
        except (ValueError, FieldkitError) as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        mine = journal.vector(self.store, board)
        answer = journal.changes_since(self.store, board, seen)
        merged = {**seen, **{d: max(h, seen.get(d, "")) for d, h in mine.items()}}
        note_peer(self.store, board, device_id, address, access.enrolled(self.store)[device_id]
                  .officer, merged)
        return JSONResponse({"vector": mine,
                             "changes": [c.model_dump(mode="json") for c in answer]})


def note_peer(store: Store, board: str, device_id: str, address: str, officer: str,
              seen: journal.Vector) -> None:
    """Remember a peer: where it was, when, and what it has seen of the board."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO board_peers(board_id, device_id, address, officer, last_seen, vector) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(board_id, device_id) DO UPDATE SET "
            "address = CASE WHEN excluded.address = '' THEN address ELSE excluded.address END, "
            "officer = excluded.officer, last_seen = excluded.last_seen, "
            "vector = excluded.vector",
            (board, device_id, address, officer, stamp(), json.dumps(seen, sort_keys=True)))


def create_board_app(store: Store, cert_sha256: str,
                     clock: Callable[[], float] = time.time) -> Starlette:
    """The board-sharing endpoints as an ASGI app over ``store``."""
    service = BoardService(store, cert_sha256, clock, ReplayGuard(CLOCK_TOLERANCE_SECONDS))
    return Starlette(routes=[
        Route("/v1/hello", service.hello, methods=["POST"]),
        Route("/v1/join", service.join, methods=["POST"]),
        Route("/v1/boards/{board}/exchange", service.exchange, methods=["POST"]),
    ])


def board_server(store: Store, host: str, port: int) -> tuple[uvicorn.Server, socket.socket]:
    """A configured HTTPS server for this device's shared boards, and its bound socket (run
    it with ``server.run(sockets=[sock])`` in the thread that opened ``store``)."""
    access.enrolled(store)  # refuse to start without the Lead's devices file
    cert_pem, key_pem = new_certificate()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # connections wait in the backlog from now on, before the server runs
    config = uvicorn.Config(create_board_app(store, fingerprint(cert_pem)), log_level="warning",
                            lifespan="off", server_header=False, access_log=False,
                            timeout_graceful_shutdown=STOP_GRACE_SECONDS,
                            limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=5)
    config.load()
    config.ssl = server_context(cert_pem, key_pem)
    return BoardServer(config), sock


class BoardServer(uvicorn.Server):
    """uvicorn's server, whose stop always ends: uvicorn waits for every connection to close,
    with no limit, and a connection accepted as the stop began, or a laptop that sent half a
    request and hung, would keep this board served (and the store open) after sharing was
    stopped. After :data:`STOP_GRACE_SECONDS` whatever is still connected is cut off."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets)
        for connection in list(self.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
