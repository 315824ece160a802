"""Sharing that cannot start, and stopping while another laptop does not answer: on real
encrypted stores over real HTTPS on loopback. A laptop that cannot listen is told why in plain
words; stopping (before the app locks) does not wait for an exchange stuck on a laptop that
accepts the connection and never answers, and that exchange then ends by itself, reporting
nothing and closing its connection."""

from __future__ import annotations

import queue
import socket
import ssl
import time
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from sync import device
from sync.board_share.live import LiveBoard, LiveReport, SharingNotStarted
from sync.board_share.server import signed_target
from sync.canonical import canonical_json
from sync.request_auth import sign_request
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import Centre, build_centre

WAIT_SECONDS = 60  # an upper bound for a slow, shared machine; never a timing assertion
NOT_THIS_LAPTOP = "192.0.2.1"  # a documentation address (RFC 5737): never one of this host's


def _live(centre: Centre, name: str, reports: queue.Queue[LiveReport]) -> LiveBoard:
    settings = centre.devices[name]
    with Store.open(settings, PASSPHRASE) as store:
        case_id = cases.create_case(store, "Reception centre").id
    return LiveBoard(settings, Store.unwrap_key(settings, PASSPHRASE), case_id, reports.put,
                     interval_seconds=0.2)


def test_a_laptop_that_cannot_listen_is_told_why_and_a_taken_port_is_worked_round(
        tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator"])
    live = _live(centre, "coordinator", queue.Queue())
    try:
        with pytest.raises(SharingNotStarted) as refused:
            live.share(NOT_THIS_LAPTOP, 0)
        words = str(refused.value)
        assert words.startswith("This laptop could not start sharing the board (")
        assert "connected to the centre's network" in words and "nothing was lost" in words
        assert live.sharing is None and not live.running

        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            sharing = live.share("127.0.0.1", port)
            assert sharing.port != port and sharing.port > 0
            with socket.create_connection(("127.0.0.1", sharing.port), timeout=WAIT_SECONDS):
                pass  # the board is served on the port found instead
    finally:
        live.stop()
    assert not live.running


def _next_connection(silent: socket.socket, reports: queue.Queue[LiveReport]) -> socket.socket:
    """Police's next exchange reaching the silent port; on failure, what police's exchange
    reported instead."""
    silent.settimeout(WAIT_SECONDS)
    try:
        return silent.accept()[0]
    except TimeoutError:
        seen = [reports.get_nowait() for _ in range(reports.qsize())]
        raise AssertionError(f"no exchange reached the port in {WAIT_SECONDS} s; police's "
                             f"last reports: {seen[-5:]}") from None


def test_stopping_does_not_wait_for_a_laptop_that_never_answers(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police"])
    coordinator = _live(centre, "coordinator", queue.Queue())
    reports: queue.Queue[LiveReport] = queue.Queue()
    police = _live(centre, "police", reports)
    silent = socket.socket()
    try:
        sharing = coordinator.share("127.0.0.1", 0)
        police.join("127.0.0.1", sharing.port, sharing.code)
        coordinator.stop()
        # The coordinator's laptop hangs: its port accepts connections and never answers.
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", sharing.port))
        silent.listen(8)
        stuck = _next_connection(silent, reports)  # now waiting for an answer
        try:
            police.stop(wait=False)
            told = reports.qsize()
            assert police.running  # stop returned while the exchange still waits
            assert police.sharing is None
        finally:
            stuck.close()  # the connection breaks: the stuck exchange ends by itself
        assert police.wait_stopped()
        assert not police.running
        assert reports.qsize() == told  # nothing reported once stopped
    finally:
        silent.close()
        coordinator.stop()
        police.stop()


def test_stopping_ends_sharing_while_a_laptop_holds_half_a_request(tmp_path: Path) -> None:
    """An enrolled laptop that sent half an exchange and hung (uvicorn alone would wait for it
    for ever) does not keep the board served, nor the store open, after stop; its connection
    is closed."""
    centre = build_centre(tmp_path, ["coordinator", "police"])
    live = _live(centre, "coordinator", queue.Queue())
    with Store.open(centre.devices["police"], PASSPHRASE) as police:
        body = canonical_json({"hello": "from a laptop that hangs"})
        headers = sign_request(device_id=device.device_id(police),
                               device_key=device.signing_key(police), method="POST",
                               bundle_id=signed_target("hello"), body=body,
                               timestamp=int(time.time()))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    try:
        sharing = live.share("127.0.0.1", 0)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", sharing.port), timeout=WAIT_SECONDS) as raw, \
                context.wrap_socket(raw) as hung:
            hung.sendall(f"POST /v1/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}"
                         f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:5])
            hung.settimeout(1.0)
            with pytest.raises(TimeoutError):
                hung.recv(1)  # no answer: the server waits for the rest of the body
            live.stop()
            assert not live.running  # the server's thread ended, its store locked
            hung.settimeout(WAIT_SECONDS)
            try:
                ended = hung.recv(1) == b""
            except (ConnectionError, ssl.SSLError):
                ended = True
            assert ended  # the hung laptop's connection was closed
    finally:
        live.stop()
