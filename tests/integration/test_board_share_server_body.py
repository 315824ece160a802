"""The board server checks a request's signature before reading its body: someone on the
centre's network who knows an enrolled laptop's id (it is announced) but not its key cannot make
the sharing laptop read (and hold) tens of megabytes per connection."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit.store import Store
from sync import device
from sync.board_share.server import create_board_app, signed_target
from sync.request_auth import sign_request
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import build_centre

BODY = b'{"proof": "x"}' + b" " * (1024 * 1024)


def _call(store: Store, caller: str, key: Ed25519PrivateKey) -> tuple[int, int]:
    """POST /v1/hello to the board app as ``caller`` signing with ``key``: the status answered
    and how many times the app asked for the body."""
    headers = sign_request(device_id=caller, device_key=key, method="POST",
                           bundle_id=signed_target("hello"), body=BODY,
                           timestamp=int(time.time()))
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "https", "path": "/v1/hello", "raw_path": b"/v1/hello", "query_string": b"",
        "root_path": "", "client": ("192.0.2.7", 40000), "server": ("192.0.2.1", 8443),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"content-length", str(len(BODY)).encode())]}
    asked = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    asyncio.run(create_board_app(store, "ab" * 32)(scope, receive, send))
    return status, asked


def test_a_request_not_signed_by_the_laptop_it_names_is_refused_unread(
        tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "health"])
    with Store.open(centre.devices["health"], PASSPHRASE) as health:
        health_id, health_key = device.device_id(health), device.signing_key(health)
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as coordinator:
        assert _call(coordinator, health_id, Ed25519PrivateKey.generate()) == (403, 0)
        status, asked = _call(coordinator, health_id, health_key)  # the real laptop
    assert status == 200 and asked >= 1
