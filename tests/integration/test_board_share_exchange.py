"""Two enrolled devices share a board over real HTTPS on loopback; a device that was not
invited, one that was revoked and one never enrolled are refused and receive nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fieldkit import cases
from forms.choices import ConsentDecision
from sync import device
from sync.board_share import access, journal
from sync.board_share.client import PeerLink, PeerRefused, join_board, peer_status
from tests.reliability.board_rig import build_centre, serve_in_thread

AS_OF = date(2026, 3, 2)


def test_devices_share_a_board_and_strangers_are_refused(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police", "health", "stolen"],
                          revoked=("stolen",), strangers=("outsider",))
    with centre.open("coordinator") as store:
        case = cases.create_case(store, "Reception centre")
        board = journal.board_id(store, case.id)
        code = access.join_code(store, case.id)
        journal.record_change(store, case.id, "R001", "welfare_notes", "water given")
    share = serve_in_thread(centre.devices["coordinator"])
    try:
        with centre.open("police") as police:
            police_case = cases.create_case(police, "Reception centre")
            moved = join_board(police, police_case.id, "127.0.0.1", share.port,
                               access.shown_code(code).lower())
            assert (moved.received, moved.sent) == (2, 0)  # the change and the registration
            journal.record_change(police, police_case.id, "R001", "consent",
                                  ConsentDecision.GIVEN)
            with PeerLink(police, "127.0.0.1", share.port) as link:
                assert (link.exchange(board).sent, link.exchange(board).sent) == (1, 0)
            [peer] = peer_status(police, police_case.id)
            assert (peer.officer, peer.they_lack) == ("Officer coordinator", 0)
        with centre.open("coordinator") as store:
            merged = journal.merged_board(store, case.id, AS_OF).person("R001")
            assert merged.person.consent is ConsentDecision.GIVEN
            assert merged.latest["consent"].officer == "Officer police"
        with centre.open("health") as health:  # enrolled, but has no code
            health_case = cases.create_case(health, "Reception centre")
            with pytest.raises(PeerRefused, match="refused this one"):
                join_board(health, health_case.id, "127.0.0.1", share.port, "AAAA-AAAA")
            journal.link_board(health, health_case.id, board)
            with PeerLink(health, "127.0.0.1", share.port) as link, \
                    pytest.raises(PeerRefused, match="refused this one"):
                link.exchange(board)
            assert journal.all_changes(health, board) == []
        for name in ("stolen", "outsider"):  # the right code does not help them
            with centre.open(name) as other:
                other_case = cases.create_case(other, "Reception centre")
                with pytest.raises(PeerRefused, match="refused this one"):
                    join_board(other, other_case.id, "127.0.0.1", share.port, code)
                assert journal.all_changes(other, board) == []
                assert device.device_id(other) not in {
                    p.device_id for p in peer_status(other, other_case.id)}
    finally:
        share.stop()
