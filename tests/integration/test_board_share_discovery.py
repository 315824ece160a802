"""Finding a shared board on the local network with real mDNS (zeroconf) on loopback: what is
announced (nothing personal), found by browsing, joined from the command line without typing an
address, and gone once sharing stops. Multicast on 127.0.0.1 works on the test machines as
root and as a user; nothing here is skipped."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from zeroconf import IPVersion, Zeroconf

from fieldkit import cases
from fieldkit.store import Store
from sync import device
from sync.board_share import access, journal
from sync.board_share.discovery import SERVICE_TYPE, Found, announce, browse
from tests.conftest import PASSPHRASE, REPO
from tests.integration.test_board_share_cli import _env, _run
from tests.reliability.board_rig import build_centre, device_settings

LOOPBACK = ["127.0.0.1"]
# These tests browse: they see every board announced on this machine's loopback. Under
# `make test` (several test processes) the tests that browse run one after another in one
# process, so none sees another's boards come and go while it looks.
pytestmark = pytest.mark.xdist_group("mdns")


def _mine(device_id: str) -> list[tuple[str, int]]:
    return [(f.address, f.port) for f in browse(3.0, LOOPBACK) if f.device_id == device_id]


def test_a_board_is_announced_with_nothing_personal_and_found(tmp_path: Path) -> None:
    device_id = "6f1c0d52-93f1-4f3c-8a55-0d4c4f3b8e21"
    with announce(8451, device_id, ["127.0.0.1"], LOOPBACK) as announcement:
        assert _mine(device_id) == [("127.0.0.1", 8451)]
        listener = Zeroconf(interfaces=LOOPBACK, ip_version=IPVersion.V4Only)
        try:
            info = listener.get_service_info(SERVICE_TYPE, announcement.info.name, timeout=3000)
        finally:
            listener.close()
        assert info is not None
        # only a random session id, the port, the addresses and the device's enrolled id
        assert re.fullmatch(r"[0-9a-f]{16}\." + re.escape(SERVICE_TYPE), info.name)
        assert info.server == f"fieldkit-{info.name.split('.')[0]}.local."
        assert info.properties == {b"v": b"1", b"device": device_id.encode()}
        assert socket.gethostname() not in (info.server or "")
    assert _mine(device_id) == []  # gone once sharing stops


def test_join_finds_the_shared_board_without_an_address(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police"])
    ids = {}
    for name in ("coordinator", "police"):
        with Store.open(centre.devices[name], PASSPHRASE) as store:
            ids[name] = cases.create_case(store, "Reception centre").id
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
        journal.record_change(store, ids["coordinator"], "R001", "consent", "given")
        sharer = device.device_id(store)
    coordinator, police = (centre.devices[n].data_dir for n in ("coordinator", "police"))
    share = subprocess.Popen(
        [sys.executable, "-m", "fieldkit.cli", "--data-dir", str(coordinator), "reception",
         "share", "--case", ids["coordinator"], "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=REPO)
    try:
        assert share.stdout is not None
        address = re.fullmatch(r"Sharing the board at (\S+)\n", share.stdout.readline())
        code = re.match(r"Join code: (\w{4}-\w{4})", share.stdout.readline())
        assert address and code, "share printed no address or join code"
        assert share.stdout.readline().startswith("Announced on the local network")
        port = int(address[1].rpartition(":")[2])
        assert _mine(sharer) == [("127.0.0.1", port)]
        joined = _run(police, "reception", "join", "--case", ids["police"], "--code", code[1],
                      "--interface", "127.0.0.1")
        assert joined.returncode == 0, joined.stderr
        assert f"Joined the board at 127.0.0.1:{port}: 2 changes received" in joined.stdout
    finally:
        share.terminate()
        share.wait(30)
    assert share.returncode == 0
    assert _mine(sharer) == []  # the announcement stopped with the sharing
    nothing = _run(police, "reception", "join", "--case", ids["police"], "--code", code[1],
                   "--interface", "127.0.0.1")
    assert nothing.returncode == 1
    assert "No shared board was found on this network" in nothing.stderr


def test_join_lists_several_boards_and_asks_for_one(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "health", "police"])
    sharers = []
    for name in ("coordinator", "health"):
        with Store.open(centre.devices[name], PASSPHRASE) as store:
            sharers.append(device.device_id(store))
    with Store.open(centre.devices["police"], PASSPHRASE) as store:
        case_id = cases.create_case(store, "Reception centre").id
    stranger = str(uuid.uuid4())  # a laptop the Lead never enrolled: never offered
    with announce(8461, sharers[0], ["127.0.0.1"], LOOPBACK), \
            announce(8462, sharers[1], ["127.0.0.1"], LOOPBACK), \
            announce(8463, stranger, ["127.0.0.1"], LOOPBACK):
        several = _run(centre.devices["police"].data_dir, "reception", "join", "--case",
                       case_id, "--code", "ABCD-EFGH", "--interface", "127.0.0.1")
    assert several.returncode == 1
    assert "Several shared boards were found" in several.stderr
    assert "127.0.0.1:8461 (Officer coordinator)" in several.stderr
    assert "127.0.0.1:8462 (Officer health)" in several.stderr
    assert "8463" not in several.stderr
    assert "--peer" in several.stderr


def test_boards_offered_leave_out_strangers_and_revoked_laptops(tmp_path: Path) -> None:
    """What the app's "Boards found" list and `reception join` offer: only boards shared by
    laptops enrolled with this Lead and not revoked, each named by its officer; the others
    are counted, never offered. Without a devices file nothing can be named."""
    centre = build_centre(tmp_path, ["coordinator", "police", "old"], revoked=("old",),
                          strangers=("visitor",))
    ids = {}
    for name in ("coordinator", "old", "visitor"):
        with Store.open(centre.devices[name], PASSPHRASE) as store:
            ids[name] = device.device_id(store)
    found = [Found("127.0.0.1", 8471, ids["coordinator"]),
             Found("10.0.0.7", 8471, ids["coordinator"]),  # the same board on another address
             Found("127.0.0.1", 8472, ids["old"]),
             Found("127.0.0.1", 8473, ids["visitor"]),
             Found("127.0.0.1", 8474, str(uuid.uuid4()))]
    with Store.open(centre.devices["police"], PASSPHRASE) as store:
        offered = access.boards_to_offer(store, found)
    assert offered.devices_file_held
    assert [(b.address, b.port, b.officer) for b in offered.boards] == [
        ("127.0.0.1", 8471, "Officer coordinator"), ("10.0.0.7", 8471, "Officer coordinator")]
    assert offered.set_aside == 3

    alone = device_settings(tmp_path / "alone")
    with Store.create(alone, PASSPHRASE, officer="Officer Alone") as store:
        unnamed = access.boards_to_offer(store, found)
    assert not unnamed.devices_file_held and unnamed.set_aside == 0
    assert [(b.port, b.officer) for b in unnamed.boards] == [
        (8471, None), (8471, None), (8472, None), (8473, None), (8474, None)]
