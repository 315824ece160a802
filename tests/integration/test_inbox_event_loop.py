"""The inbox's connection limits hold whatever event loop is installed beside uvicorn.

The per-address and total limits live in the listening socket's ``accept`` (``GuardedListener``),
which asyncio's loop calls. uvicorn picks uvloop by default when it is installed (as
``uvicorn[standard]`` does), and uvloop accepts in C, past that ``accept``: with it, 1,500 slow
connections from one address were all kept. The inbox's settings name asyncio's loop.
"""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from starlette.applications import Starlette

from sync.enrolment import sign_enrolled_devices
from sync.inbox import inbox_server
from sync.inbox_limits import ConnectionLimits, inbox_config
from sync.keys import LeadKeys
from tests.integration.test_inbox_server import running

OTHER_ADDRESS = "127.0.0.3"


def test_the_inbox_runs_on_asyncios_own_loop() -> None:
    config = inbox_config(Starlette(), "127.0.0.1", 0, ConnectionLimits(), {})
    factory = config.get_loop_factory()
    loop = factory() if factory is not None else asyncio.new_event_loop()
    try:
        assert type(loop).__module__.startswith("asyncio.")
    finally:
        loop.close()


def test_connections_over_the_per_address_limit_are_closed(tmp_path: Path) -> None:
    lead = LeadKeys.generate()
    devices = tmp_path / "devices.json"
    devices.write_bytes(sign_enrolled_devices([], lead.signing_key))
    server = inbox_server(tmp_path / "root", devices, "127.0.0.1", 0,
                          lead_public_key=lead.public_key,
                          limits=ConnectionLimits(per_address=2, header_seconds=60))
    with running(server) as port:
        held = []
        try:
            for _ in range(6):
                conn = socket.socket()
                conn.bind((OTHER_ADDRESS, 0))
                conn.connect(("127.0.0.1", port))
                held.append(conn)
            closed = 0
            deadline = time.monotonic() + 3
            for conn in held:
                conn.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    closed += conn.recv(1) == b""
                except ConnectionResetError:
                    closed += 1
                except TimeoutError:
                    pass  # held open: within the limit
            assert closed == 4
        finally:
            for conn in held:
                conn.close()
