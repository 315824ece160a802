"""A receiver for the sync benchmarks, in its own process (as a council's inbox would run):
``python -m bench.serve inbox|bare ROOT CERT KEY PORT_FILE [DEVICES LEAD_PUBLIC_KEY]``.

It binds a free loopback port, writes the port number to PORT_FILE, and serves until stopped.

Both sides run on the inbox's own server settings (``sync.inbox_limits.inbox_config``: the same
uvicorn, event loop, HTTP parser, header deadline, keep-alive and TLS settings), so the stack is
shared and only the app differs. The inbox also runs on its guarded listener (the per-address and
total connection limits, as ``fieldkit inbox serve`` does); the bare endpoint on a plain socket.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from bench.rig import bare_durable_app
from sync.inbox_limits import ConnectionLimits, GuardedListener, InboxServer, inbox_config

BACKLOG = 1024


def main(argv: list[str]) -> int:
    """Serve the chosen app over TLS on 127.0.0.1 until terminated."""
    kind, root, cert, key, port_file = argv[:5]
    limits = ConnectionLimits()
    app: Starlette
    sock: socket.socket
    if kind == "inbox":
        from sync.inbox import create_inbox_app

        app = create_inbox_app(Path(root), Path(argv[5]), lead_public_key=argv[6],
                               limits=limits)
        sock = GuardedListener.open("127.0.0.1", 0, limits)
    else:
        app = bare_durable_app(Path(root))
        # IPPROTO_TCP explicitly, as GuardedListener.open does: asyncio sets TCP_NODELAY only
        # then (else 40 ms delayed ACKs).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
    sock.listen(BACKLOG)
    config = inbox_config(app, "127.0.0.1", 0, limits, {"certfile": cert, "keyfile": key})
    config.backlog = BACKLOG
    server = InboxServer(config, limits) if kind == "inbox" else uvicorn.Server(config)
    Path(port_file).write_text(str(sock.getsockname()[1]))
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
