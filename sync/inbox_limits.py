"""What keeps the inbox answering under slow or many connections (issue 10, item 6).

Half-open TLS connections and headers sent a byte at a time cost the inbox a file descriptor
each for as long as they are held. So:

- the listening socket refuses (closes at once) a connection beyond ``per_address`` open ones
  from the same address, or beyond ``total`` open ones in all, before any TLS work is done;
- request headers must arrive within ``header_seconds`` of the connection (or of the last
  response), and an upload may not stall for more than ``body_idle_seconds``;
- at most ``concurrency`` requests are handled at once (uvicorn answers 503 beyond that);
- TLS 1.2 offers only AEAD cipher suites (every TLS 1.3 suite is AEAD);
- the event loop is asyncio's own, whatever else is installed: the limits live in the
  listening socket's ``accept``, which asyncio calls; uvloop (which uvicorn picks by default
  when it is installed, e.g. with ``uvicorn[standard]``) accepts in C and would skip them.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.requests import Request
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

AEAD_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL"
"""OpenSSL cipher string for TLS 1.2: forward-secret AEAD suites only (no CBC, no RSA kex)."""


@dataclass(frozen=True)
class ConnectionLimits:
    """The inbox's limits on connections and slow clients."""

    per_address: int = 32
    total: int = 768
    concurrency: int = 256
    header_seconds: float = 10.0
    body_idle_seconds: float = 30.0


class GuardedListener(socket.socket):
    """A listening socket whose ``accept`` closes connections over the per-address or total
    limit straight away, so slow clients from one address cannot use up the inbox's files."""

    limits: ConnectionLimits

    @classmethod
    def open(cls, host: str, port: int, limits: ConnectionLimits) -> GuardedListener:
        """A listening socket for ``host:port`` (IPv4 or IPv6) that applies ``limits``."""
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
        listener = cls(family, kind, proto)
        listener.limits = limits
        listener._open = {}
        listener._lock = threading.Lock()
        listener._refused, listener._last_warning = 0, -60.0
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        return listener

    _open: dict[str, list[socket.socket]]
    _lock: threading.Lock
    _refused: int
    _last_warning: float

    def accept(self) -> tuple[socket.socket, Any]:
        """The next connection within the limits; those beyond them are closed unanswered."""
        while True:
            conn, address = super().accept()
            host = str(address[0])
            with self._lock:
                for key in list(self._open):
                    self._open[key] = [c for c in self._open[key] if c.fileno() != -1]
                    if not self._open[key]:
                        del self._open[key]
                held = self._open.setdefault(host, [])
                total = sum(len(conns) for conns in self._open.values())
                if len(held) < self.limits.per_address and total < self.limits.total:
                    held.append(conn)
                    return conn, address
            conn.close()
            self._refused += 1
            now = time.monotonic()
            if now - self._last_warning >= 60:  # a flood must not flood the log too
                log.warning("refused %d connections over the limits (latest from %s)",
                            self._refused, host)
                self._refused, self._last_warning = 0, now


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request headers."""

    header_seconds = ConnectionLimits.header_seconds

    def connection_made(self, transport: Any) -> None:
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        """Start the clock for the next request's headers on a kept-alive connection."""
        super().on_response_complete()
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        previous = self.cycle
        self.loop.call_later(self.header_seconds, self._headers_due, previous)

    def _headers_due(self, previous: Any) -> None:
        # A new cycle exists once a request's headers are complete.
        if self.cycle is previous and not self.transport.is_closing():
            self.transport.close()


async def body_with_idle_timeout(request: Request, limits: ConnectionLimits
                                 ) -> AsyncIterator[bytes]:
    """The request body in chunks; ``TimeoutError`` when a chunk takes too long to come."""
    chunks = request.stream().__aiter__()
    while True:
        try:
            # A timer per chunk, not a task per chunk (as ``wait_for`` would make).
            async with asyncio.timeout(limits.body_idle_seconds):
                chunk = await chunks.__anext__()
        except StopAsyncIteration:
            return
        yield chunk


class InboxServer(uvicorn.Server):
    """uvicorn serving on a :class:`GuardedListener` (unless given sockets, as tests may)."""

    def __init__(self, config: uvicorn.Config, limits: ConnectionLimits) -> None:
        super().__init__(config)
        self.limits = limits

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Bind the guarded listener, then start as uvicorn does."""
        if sockets is None:
            sockets = [GuardedListener.open(self.config.host, self.config.port, self.limits)]
        await super().startup(sockets=sockets)


def inbox_config(app: Any, host: str, port: int, limits: ConnectionLimits,
                 ssl: dict[str, str | None]) -> uvicorn.Config:
    """uvicorn settings for the inbox: the timed protocol, limits and AEAD-only TLS."""
    protocol = type("InboxH11Protocol", (TimedH11Protocol,),
                    {"header_seconds": limits.header_seconds})
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        loop="asyncio",  # not "auto": uvloop would accept past GuardedListener (module doc)
        limit_concurrency=limits.concurrency,
        timeout_keep_alive=5,
        ssl_certfile=ssl.get("certfile"),
        ssl_keyfile=ssl.get("keyfile"),
        ssl_ciphers=AEAD_CIPHERS,
        log_level="warning",
        lifespan="off",
        server_header=False,
    )


def raise_open_file_limit(limits: ConnectionLimits) -> None:
    """Let the process hold every connection the limits allow (soft limit up to the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = limits.total + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
