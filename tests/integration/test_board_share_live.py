"""Live sharing as the app runs it, on three real encrypted stores over real HTTPS on loopback:
the coordinator serves from a background thread, two devices join and exchange every few
moments; each save is seen by the others (announced with who changed what, written into their
reception documents), a clash is shown as a conflict and resolved, and stopping ends serving."""

from __future__ import annotations

import queue
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from forms.choices import ConsentDecision
from forms.reception import PersonReceived, ReceptionCentre
from sync.board_share import form_link
from sync.board_share.client import PeerUnreachable
from sync.board_share.live import LiveBoard, LiveReport
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import Centre, build_centre

WAIT_SECONDS = 60  # an upper bound for a slow, shared machine; never a timing assertion


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.05)


class Device:
    """One device's case, its live board, and every report it made."""

    def __init__(self, centre: Centre, name: str) -> None:
        self.settings = centre.devices[name]
        with Store.open(self.settings, PASSPHRASE) as store:
            self.case_id = cases.create_case(store, "Reception centre").id
        self.reports: queue.Queue[LiveReport] = queue.Queue()
        self.seen: list[LiveReport] = []
        self.live = LiveBoard(self.settings, Store.unwrap_key(self.settings, PASSPHRASE),
                              self.case_id, self.reports.put, interval_seconds=0.2)

    def drain(self) -> list[LiveReport]:
        while not self.reports.empty():
            self.seen.append(self.reports.get())
        return self.seen

    def board(self) -> ReceptionCentre:
        with Store.open(self.settings, PASSPHRASE) as store:
            view = form_link.open_board(store, self.case_id, _document_id(store, self.case_id))
        return view.centre

    def edit(self, reference: str, **values: object) -> None:
        with Store.open(self.settings, PASSPHRASE) as store:
            document_id = _document_id(store, self.case_id)
            view = form_link.open_board(store, self.case_id, document_id)
            people = [p.model_copy(update=values) if p.reference == reference else p
                      for p in view.centre.people]
            if reference not in {p.reference for p in people}:
                people.append(PersonReceived(reference=reference, **values))  # type: ignore[arg-type]
            form_link.save_board(store, self.case_id,
                                 view.centre.model_copy(update={"people": people}),
                                 document_id, view)
        self.live.exchange_now()


def _document_id(store: Store, case_id: str) -> str | None:
    document = form_link.reception_document(store, case_id)
    return document.id if document else None


def _person(device: Device, reference: str) -> PersonReceived | None:
    return next((p for p in device.board().people if p.reference == reference), None)


def test_three_devices_share_live_and_settle_a_conflict(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police", "health"])
    coordinator, police, health = (Device(centre, n) for n in ("coordinator", "police",
                                                               "health"))
    coordinator.edit("R001", welfare_notes="water given")
    try:
        sharing = coordinator.live.share("127.0.0.1", 0)
        assert sharing.addresses == ("127.0.0.1",) and len(sharing.code) == 9
        for joiner in (police, health):
            moved = joiner.live.join("127.0.0.1", sharing.port, sharing.code)
            assert moved.received >= 1
            person = _person(joiner, "R001")
            assert person is not None and person.welfare_notes == "water given"

        police.edit("R002", interpreter_needed=True)
        _until(lambda: _person(health, "R002") is not None, "health sees police's arrival")
        _until(lambda: any(a.officer == "Officer police" and a.person == "R002"
                           for r in coordinator.drain() for a in r.arrivals),
               "the coordinator is told who changed what")
        arrival = next(a for r in coordinator.seen for a in r.arrivals if a.person == "R002")
        assert "interpreter_needed" in arrival.fields
        assert any(r.written is not None for r in coordinator.seen)  # into the document

        _until(lambda: {p.officer for p in (coordinator.drain() or [LiveReport()])[-1].peers
                        if p.connected} == {"Officer police", "Officer health"},
               "the coordinator lists both devices as connected")

        # Police and health record R001's consent differently before seeing each other's.
        police.live.stop()
        police.edit("R001", consent=ConsentDecision.GIVEN)
        health.edit("R001", consent=ConsentDecision.REFUSED)
        police.live = LiveBoard(police.settings, Store.unwrap_key(police.settings, PASSPHRASE),
                                police.case_id, police.reports.put, interval_seconds=0.2)
        police.live.start()
        for device in (coordinator, police, health):
            _until(lambda d=device: any(c.field == "consent" for r in d.drain()[-1:]  # type: ignore[misc]
                                        for c in r.conflicts),
                   "each device shows the consent conflict")
        [conflict] = coordinator.seen[-1].conflicts
        assert {(v.value, v.officer) for v in conflict.values} == {
            ("given", "Officer police"), ("refused", "Officer health")}
        chosen = next(v for v in conflict.values if v.value == "given")
        with Store.open(coordinator.settings, PASSPHRASE) as store:
            form_link.resolve(store, coordinator.case_id, "R001", "consent", chosen.clock)
        coordinator.live.exchange_now()
        for device in (police, health):
            _until(lambda d=device: (p := _person(d, "R001")) is not None  # type: ignore[misc]
                   and p.consent is ConsentDecision.GIVEN and not d.drain()[-1].conflicts,
                   "the resolution reaches every device")
        boards = [d.board().people for d in (coordinator, police, health)]
        assert boards[0] == boards[1] == boards[2]
    finally:
        for device in (coordinator, police, health):
            device.live.stop()
    assert not any(d.live.running for d in (coordinator, police, health))
    with pytest.raises(OSError):  # nothing listens once sharing stopped
        socket.create_connection(("127.0.0.1", sharing.port), timeout=2).close()
    with Store.open(police.settings, PASSPHRASE) as store, \
            pytest.raises(PeerUnreachable):
        from sync.board_share.client import PeerLink

        PeerLink(store, "127.0.0.1", sharing.port)


def test_an_address_is_read_as_typed_and_a_wrong_one_is_named() -> None:
    from fieldkit.errors import InvalidInput
    from sync.board_share.live import DEFAULT_PORT, parse_address

    assert parse_address(" 192.168.1.20:8450 ") == ("192.168.1.20", 8450)
    assert parse_address("192.168.1.20") == ("192.168.1.20", DEFAULT_PORT)
    assert parse_address("[::1]:9000") == ("::1", 9000)
    for wrong in ("", "laptop:port", "10.0.0.1:70000"):
        with pytest.raises(InvalidInput, match=r"for example 192\.168\.1\.20:8450"):
            parse_address(wrong)
