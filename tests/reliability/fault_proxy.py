"""A misbehaving HTTP proxy for loopback tests: between the device and the inbox it drops,
resets, delays, truncates or answers 500 to a share of requests, and passes the rest."""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

FAULTS = ("drop", "reset", "delay", "truncate_request", "truncate_response", "error_500",
          "error_500_after_forward")


@dataclass
class FaultProxy:
    """Listens on 127.0.0.1:port and forwards to the upstream port, injecting faults."""

    upstream_port: int
    fault_rate: float = 0.3
    seed: int = 7
    port: int = 0
    seen: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def start(self) -> FaultProxy:
        self._thread.start()
        assert self._ready.wait(10), "proxy did not start"
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server:
                self._server.close()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _read_request(self, reader: asyncio.StreamReader) -> bytes | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await reader.readexactly(length) if length else b""
        # One request per connection keeps the fault accounting simple.
        head = head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
        head = b"\r\n".join(
            line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection: k")
        )
        return head + body

    async def _forward(self, request: bytes, cut: int | None = None) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        writer.write(request if cut is None else request[:cut])
        await writer.drain()
        if cut is not None:
            writer.close()
            return b""
        response = await reader.read()
        writer.close()
        return response

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await self._read_request(reader)
            if request is None:
                return
            fault = self._rng.choice(FAULTS) if self._rng.random() < self.fault_rate else "pass"
            self.seen[fault] += 1
            if fault == "drop":
                return
            if fault == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if fault == "delay":
                await asyncio.sleep(self._rng.uniform(0.05, 0.3))
            if fault == "truncate_request":
                await self._forward(request, cut=len(request) // 2)
                return
            if fault == "error_500":
                writer.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                await writer.drain()
                return
            response = await self._forward(request)
            if fault == "error_500_after_forward":  # stored upstream, but the device hears 500
                response = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                            b"Connection: close\r\n\r\n")
            if fault == "truncate_response":
                response = response[: max(1, len(response) // 2)]
            writer.write(response)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
