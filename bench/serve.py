"""A receiver for the sync benchmarks, in its own process (as a council's inbox would run):
``python -m bench.serve inbox|bare ROOT CERT KEY PORT_FILE [DEVICES LEAD_PUBLIC_KEY]``.

It binds a free loopback port, writes the port number to PORT_FILE, and serves until stopped.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from bench.rig import bare_durable_app


def main(argv: list[str]) -> int:
    """Serve the chosen app over TLS on 127.0.0.1 until terminated."""
    kind, root, cert, key, port_file = argv[:5]
    app: Starlette
    if kind == "inbox":
        from sync.inbox import create_inbox_app

        app = create_inbox_app(Path(root), Path(argv[5]), lead_public_key=argv[6])
    else:
        app = bare_durable_app(Path(root))
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else 40 ms delayed ACKs).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    server = uvicorn.Server(uvicorn.Config(app, ssl_certfile=cert, ssl_keyfile=key,
                                           log_level="error", lifespan="off",
                                           backlog=1024, server_header=False))
    Path(port_file).write_text(str(sock.getsockname()[1]))
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
