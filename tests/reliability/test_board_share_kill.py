"""A device killed (SIGKILL) in the middle of an exchange of many changes, then started again,
catches up: the three boards end identical, nothing it acknowledged is lost, no change is
made twice, and its journal is whole (store intact, every change signed, nothing it replaced
missing)."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from fieldkit import cases
from sync.board_share import access, journal
from sync.board_share.changes import REGISTRATION, change_from_peer
from tests.conftest import REPO
from tests.reliability.board_rig import build_centre
from tests.reliability.link_proxy import LinkProxy
from tests.reliability.test_board_share_faults import AS_OF, NAMES, _shape, _wait_for

EDITS = 150
VICTIM = "police"


def _start(centre_dir: Path, case_id: str, work: Path, name: str, seed: int
           ) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.board_peer", str(centre_dir), case_id,
         str(work), name, str(EDITS), str(seed)], cwd=REPO)


def _kill_mid_exchange(process: subprocess.Popen[bytes], trace: Path, acknowledged: Path
                       ) -> str:
    """Kill the process once it has made a third of its edits and is exchanging; what its
    trace said last."""
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, "the device ended before it could be killed"
        assert time.monotonic() < deadline, "the device never exchanged"
        made = len(acknowledged.read_text().split()) if acknowledged.exists() else 0
        lines = trace.read_text().split() if trace.exists() else []
        if made >= EDITS // 3 and lines and lines[-1] == "start":
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            return lines[-1]
        time.sleep(0.005)


def test_a_device_killed_mid_exchange_catches_up(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, NAMES)
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
    seeds = {name: 20 + n for n, name in enumerate(NAMES)}
    processes = {name: _start(centre.devices[name].data_dir, case_ids[name], work, name,
                              seeds[name]) for name in NAMES}
    proxies: dict[tuple[str, str], LinkProxy] = {}
    try:
        ports = {}
        for name in NAMES:
            _wait_for(work / f"{name}.port", 60, list(processes.values()))
            ports[name] = int((work / f"{name}.port").read_text())
        for joiner, sharer in itertools.permutations(NAMES, 2):
            proxies[(joiner, sharer)] = LinkProxy(ports[sharer]).start()
        for name in NAMES:
            (work / f"{name}.joins").write_text("".join(
                f"{ports[other]} {codes[other]}\n" for other in NAMES if other != name))
        for name in NAMES:
            _wait_for(work / f"{name}.joined", 60, list(processes.values()))
        for name in NAMES:
            (work / f"{name}.peers").write_text(" ".join(
                str(proxies[(name, other)].port) for other in NAMES if other != name))
        (work / "go").touch()
        killed_in = _kill_mid_exchange(processes[VICTIM], work / f"{VICTIM}.trace",
                                       work / f"{VICTIM}.acknowledged")
        assert killed_in == "start"
        assert processes[VICTIM].returncode == -signal.SIGKILL
        assert not (work / f"{VICTIM}.edited").exists()
        processes[VICTIM] = _start(centre.devices[VICTIM].data_dir, case_ids[VICTIM], work,
                                   VICTIM, seeds[VICTIM])  # same port, same store
        deadline = time.monotonic() + 240
        while not all((work / f"{name}.edited").exists() for name in NAMES):
            for process in processes.values():
                assert process.poll() is None, "a device process ended early"
            assert time.monotonic() < deadline, "the devices did not finish their edits"
            time.sleep(0.1)
        while True:
            states = {(work / f"{n}.state").read_text() if (work / f"{n}.state").exists()
                      else n for n in NAMES}
            if len(states) == 1:
                break
            assert time.monotonic() < deadline, "the boards did not converge after the restart"
            time.sleep(0.5)
        (work / "stop").touch()
        for process in processes.values():
            assert process.wait(60) == 0
    finally:
        (work / "stop").touch()
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(10)
        for proxy in proxies.values():
            proxy.stop()
    shapes, held = set(), {}
    for name in NAMES:
        with centre.open(name) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            shapes.add(_shape(journal.merged_board(store, case_ids[name], AS_OF)))
            keys = access.change_keys(store)
            held[name] = journal.all_changes(store, board)
            for change in held[name]:  # every change still signed by its device
                change_from_peer(change.model_dump(mode="json"), keys)
            assert len(journal.vector(store, board)) == len(NAMES)
    assert len(shapes) == 1  # the three boards are identical
    everything = held["coordinator"]
    assert all({c.hlc for c in held[name]} == {c.hlc for c in everything} for name in NAMES)
    clocks = {c.hlc for c in everything}
    assert all(set(c.supersedes) <= clocks for c in everything)  # nothing replaced is missing
    for name in NAMES:
        acknowledged = (work / f"{name}.acknowledged").read_text().split()
        assert len(acknowledged) == len(set(acknowledged)) == EDITS
        assert set(acknowledged) <= clocks  # nothing acknowledged was lost
        own = [c for c in everything
               if c.officer == f"Officer {name}" and c.field != REGISTRATION]
        # no edit made twice: at most the one saved but not yet acknowledged when killed
        assert 0 <= len(own) - EDITS <= (1 if name == VICTIM else 0)
        repeats = Counter((c.person, c.field, c.value, c.supersedes) for c in own)
        assert max(repeats.values()) == 1
