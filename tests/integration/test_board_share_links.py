"""Exchanging with several peers at once over kept links: every peer gets and gives what it
lacks, an unreachable one is reported without stopping the others, and changes sent as
following on from more than a device holds are not kept (no gap), then sent again in full."""

from __future__ import annotations

import socket
from pathlib import Path

from fieldkit import cases
from sync import device
from sync.board_share import access, journal
from sync.board_share.client import Exchanged, PeerLink, PeerUnreachable, exchange_with, join_board
from sync.canonical import strict_json_loads
from tests.reliability.board_rig import build_centre, serve_in_thread


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_changes_that_would_leave_a_gap_are_not_kept(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police"])
    with centre.open("coordinator") as store:
        case = cases.create_case(store, "Reception centre")
        board = journal.board_id(store, case.id)
        code = access.join_code(store, case.id)
    share = serve_in_thread(centre.devices["coordinator"])
    try:
        with centre.open("police") as police:
            police_case = cases.create_case(police, "Reception centre")
            join_board(police, police_case.id, "127.0.0.1", share.port, code)
            first = journal.record_change(police, police_case.id, "R001", "welfare_notes", "tea")
            later = journal.record_change(police, police_case.id, "R001", "consent", "given")
            with PeerLink(police, "127.0.0.1", share.port) as link:
                # sent as if the coordinator already held the first change: it does not
                request = link._signed(f"boards/{board}/exchange", {
                    "vector": journal.vector(police, board), "base": {first.device_id: first.hlc},
                    "changes": [later.model_dump(mode="json")]})
                answer = strict_json_loads(link._send(request))
                assert device.device_id(police) not in answer["vector"]
                moved = link.exchange(board)
                assert moved.sent == 3  # the registration, then both changes, in order
        with centre.open("coordinator") as store:
            held = {c.hlc for c in journal.all_changes(store, board)}
            assert {first.hlc, later.hlc} <= held
    finally:
        share.stop()


def test_peers_are_exchanged_with_at_once_over_kept_links(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police", "health"])
    with centre.open("coordinator") as store:
        case = cases.create_case(store, "Reception centre")
        board = journal.board_id(store, case.id)
        code = access.join_code(store, case.id)
        journal.record_change(store, case.id, "R001", "welfare_notes", "water given")
    shares = {name: serve_in_thread(centre.devices[name]) for name in ("coordinator", "health")}
    try:
        with centre.open("health") as health:
            health_case = cases.create_case(health, "Reception centre")
            join_board(health, health_case.id, "127.0.0.1", shares["coordinator"].port, code)
            journal.record_change(health, health_case.id, "R002", "consent", "given")
            health_code = access.join_code(health, health_case.id)
        gone = f"127.0.0.1:{_free_port()}"
        with centre.open("police") as police:
            police_case = cases.create_case(police, "Reception centre")
            join_board(police, police_case.id, "127.0.0.1", shares["coordinator"].port, code)
            join_board(police, police_case.id, "127.0.0.1", shares["health"].port, health_code)
            journal.record_change(police, police_case.id, "R003", "consent", "refused")
            addresses = [f"127.0.0.1:{shares[name].port}" for name in ("coordinator", "health")]
            results = exchange_with(police, board, [*addresses, gone])
            assert isinstance(results[gone], PeerUnreachable)
            assert all(isinstance(results[a], Exchanged) for a in addresses), results
            exchange_with(police, board, addresses)  # passes on what one gave the other
            again = exchange_with(police, board, addresses)  # level: nothing moves
            assert [(r.received, r.sent) for r in again.values() if isinstance(r, Exchanged)] \
                == [(0, 0), (0, 0)]
            held = {c.person for c in journal.all_changes(police, board)}
            assert held == {"R001", "R002", "R003"}
        for name in ("coordinator", "health"):
            with centre.open(name) as store:
                assert {"R003"} <= {c.person for c in journal.all_changes(store, board)}
    finally:
        for share in shares.values():
            share.stop()
