"""Three devices as separate processes, each with its own encrypted store, edit one board while
the links between them are cut and restored at random; once healed, the three boards are
identical and every acknowledged edit is on every device, shown or in a conflict. A device
not invited and a revoked one are refused by the running devices."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from fieldkit import cases
from sync.board_share import access, journal
from sync.board_share.changes import REGISTRATION
from sync.board_share.client import PeerLink, PeerRefused, join_board
from sync.board_share.merge import MergedBoard
from tests.conftest import REPO
from tests.reliability.board_rig import Centre, build_centre
from tests.reliability.link_proxy import LinkProxy

NAMES = ["coordinator", "police", "health"]
EDITS = 40
AS_OF = date.today()


def _shape(board: MergedBoard) -> tuple[object, ...]:
    return (tuple(m.person.model_dump_json() for m in board.people),
            tuple((c.person, c.field, c.clocks()) for c in board.conflicts))


def _wait_for(path: Path, seconds: float, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        for process in processes:
            assert process.poll() is None, f"a device process ended early: {process.args}"
        assert time.monotonic() < deadline, f"{path.name} did not appear"
        time.sleep(0.05)


def _boards(centre: Centre, case_ids: dict[str, str]) -> dict[str, tuple[MergedBoard, set[str]]]:
    found = {}
    for name in NAMES:
        with centre.open(name) as store:
            board = journal.board_id(store, case_ids[name])
            found[name] = (journal.merged_board(store, case_ids[name], AS_OF),
                           {c.hlc for c in journal.all_changes(store, board)})
    return found


def test_three_devices_converge_through_cut_links(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, [*NAMES, "interpreter", "stolen"], revoked=("stolen",))
    work = tmp_path / "work"
    work.mkdir()
    case_ids, codes = {}, {}
    with centre.open("coordinator") as store:
        case_ids["coordinator"] = cases.create_case(store, "Reception centre").id
        board = journal.board_id(store, case_ids["coordinator"])
    for name in NAMES:
        with centre.open(name) as store:
            if name != "coordinator":
                case_ids[name] = cases.create_case(store, "Reception centre").id
                journal.link_board(store, case_ids[name], board)
            codes[name] = access.join_code(store, case_ids[name])
    processes = [subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.board_peer", str(centre.devices[name].data_dir),
         case_ids[name], str(work), name, str(EDITS), str(seed)], cwd=REPO)
        for seed, name in enumerate(NAMES)]
    proxies: dict[tuple[str, str], LinkProxy] = {}
    try:
        ports = {}
        for name in NAMES:
            _wait_for(work / f"{name}.port", 60, processes)
            ports[name] = int((work / f"{name}.port").read_text())
        for joiner, sharer in itertools.permutations(NAMES, 2):
            proxies[(joiner, sharer)] = LinkProxy(ports[sharer]).start()
        for name in NAMES:
            (work / f"{name}.joins").write_text("".join(
                f"{ports[other]} {codes[other]}\n" for other in NAMES if other != name))
        for name in NAMES:
            _wait_for(work / f"{name}.joined", 60, processes)
        for name in NAMES:
            (work / f"{name}.peers").write_text(" ".join(
                str(proxies[(name, other)].port) for other in NAMES if other != name))
        (work / "go").touch()
        rng = random.Random(15)
        cuts = 0
        while not all((work / f"{name}.edited").exists() for name in NAMES):
            for process in processes:
                assert process.poll() is None, "a device process ended early"
            link = rng.choice(sorted(proxies))
            if proxies[link].up:
                proxies[link].cut()
                cuts += 1
            else:
                proxies[link].restore()
            time.sleep(rng.uniform(0.02, 0.3))
        assert cuts > 0
        for proxy in proxies.values():  # healed
            proxy.restore()
        deadline = time.monotonic() + 120
        while True:  # each device writes a digest of the changes it holds (its store is its own)
            states = {(work / f"{n}.state").read_text() if (work / f"{n}.state").exists()
                      else n for n in NAMES}
            if len(states) == 1:
                break
            assert time.monotonic() < deadline, "the three boards did not converge"
            time.sleep(0.5)
        (work / "stop").touch()
        for process in processes:
            assert process.wait(60) == 0
        boards = _boards(centre, case_ids)
        assert len({_shape(merged) for merged, _ in boards.values()}) == 1
        assert len({frozenset(held) for _, held in boards.values()}) == 1
        merged, held = boards["coordinator"]
        acknowledged = {line for name in NAMES
                        for line in (work / f"{name}.acknowledged").read_text().split()}
        assert len(acknowledged) == EDITS * len(NAMES)
        assert acknowledged <= held  # nothing acknowledged was lost, on any device
        with centre.open("coordinator") as store:
            everything = journal.all_changes(store, board)
        replaced = {clock for change in everything for clock in change.supersedes}
        in_conflict = {clock for conflict in merged.conflicts for clock in conflict.clocks()}
        registrations = Counter(c.person for c in everything
                                if c.field == REGISTRATION and c.hlc not in replaced)
        for change in everything:
            if change.hlc not in replaced and change.field == REGISTRATION:
                # the same reference registered on two devices apart is shown as a conflict
                assert registrations[change.person] == 1 or change.hlc in in_conflict
            elif change.hlc not in replaced:
                shown = merged.person(change.person).latest[change.field]
                assert change.value == shown.value or change.hlc in in_conflict
    finally:
        (work / "stop").touch()
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        for proxy in proxies.values():
            proxy.stop()


@pytest.mark.parametrize("name", ["interpreter", "stolen"])
def test_a_device_not_invited_or_revoked_is_refused(tmp_path: Path, name: str) -> None:
    centre = build_centre(tmp_path, ["coordinator", name],
                          revoked=("stolen",) if name == "stolen" else ())
    with centre.open("coordinator") as store:
        case_id = cases.create_case(store, "Reception centre").id
        board = journal.board_id(store, case_id)
        code = access.join_code(store, case_id)
        journal.record_change(store, case_id, "R001", "welfare_notes", "water given")
    work = tmp_path / "work"
    work.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.board_peer",
         str(centre.devices["coordinator"].data_dir), case_id, str(work), "coordinator", "0",
         "1"], cwd=REPO)
    (work / "coordinator.joins").write_text("")
    try:
        _wait_for(work / "coordinator.port", 60, [process])
        port = int((work / "coordinator.port").read_text())
        with centre.open(name) as other:
            other_case = cases.create_case(other, "Reception centre").id
            journal.link_board(other, other_case, board)
            with pytest.raises(PeerRefused, match="refused this one"), \
                    PeerLink(other, "127.0.0.1", port) as link:
                link.exchange(board)
            if name == "stolen":  # the join code does not help a revoked device
                with pytest.raises(PeerRefused, match="refused this one"):
                    join_board(other, other_case, "127.0.0.1", port, code)
            assert journal.all_changes(other, board) == []
    finally:
        (work / "stop").touch()
        (work / "coordinator.peers").write_text("")
        (work / "go").touch()
        assert process.wait(60) == 0
