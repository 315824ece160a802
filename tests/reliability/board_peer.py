"""One reception-centre device as its own process, for the board-sharing fault test: it
serves its board, makes random edits (logging each only once it is saved), exchanges with its
peers whenever it can reach them, and keeps exchanging until told to stop.

    python -m tests.reliability.board_peer DATA_DIR CASE_ID WORK_DIR NAME EDITS SEED

It writes WORK_DIR/NAME.port once serving; the test writes WORK_DIR/NAME.peers (the ports
through which it reaches the others) and then WORK_DIR/go. It appends "start" and "end" to
WORK_DIR/NAME.trace around each exchange it starts. Started again after being killed (its
NAME.port is there), it serves on the same port, does not join again, and makes only the
edits it had not acknowledged yet.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import threading
import time
from pathlib import Path

from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync.board_share import journal
from sync.board_share.client import PeerLink, join_board
from sync.board_share.server import board_server
from tests.conftest import PASSPHRASE
from tests.reliability.board_rig import device_settings

CHOICES: dict[str, list[object]] = {
    "consent": ["not_asked", "given", "refused"],
    "welfare_notes": ["", "water given", "resting", "seen by nurse"],
    "age_group": ["adult", "child", "not_sure"],
    "estimated_age": [15, 17, 22, 35],
    "interpreter_needed": [True, False, None],
    "onward_destination": ["", "safe house", "family", "hospital"],
    "accommodation_arranged": ["", "hotel", "refuge"],
}
PEOPLE = 30


def _exchange(store: Store, board: str, peers: list[int], trace: Path) -> None:
    with trace.open("a") as log:
        log.write("start\n")
    for port in peers:
        try:
            with PeerLink(store, "127.0.0.1", port) as link:
                link.exchange(board)
        except FieldkitError:
            pass  # the link is cut: try again next round
    with trace.open("a") as log:
        log.write("end\n")


def _work(data_dir: Path, case_id: str, work: Path, name: str, edits: int, seed: int,
          server_done: threading.Event) -> None:
    rng = random.Random(seed)
    store = Store.open(device_settings(data_dir), PASSPHRASE)
    board = journal.board_id(store, case_id)
    joins = work / f"{name}.joins"  # "port code" lines: the others' servers, direct
    while not joins.exists():
        time.sleep(0.05)
    if not (work / f"{name}.joined").exists():  # not again after a restart
        for line in joins.read_text().splitlines():
            port, code = line.split()
            join_board(store, case_id, "127.0.0.1", int(port), code)
        (work / f"{name}.joined").touch()
    while not (work / "go").exists():
        time.sleep(0.05)
    peers = [int(port) for port in (work / f"{name}.peers").read_text().split()]
    acknowledged = work / f"{name}.acknowledged"
    done = len(acknowledged.read_text().split()) if acknowledged.exists() else 0
    trace = work / f"{name}.trace"
    if done:
        rng = random.Random(seed * 1000 + done)  # restarted: the rest of the edits
    with acknowledged.open("a") as log:
        for n in range(done, edits):
            field = rng.choice(sorted(CHOICES))
            change = journal.record_change(store, case_id, f"R{rng.randint(1, PEOPLE):03d}",
                                           field, rng.choice(CHOICES[field]))
            log.write(change.hlc + "\n")  # written only after the change was committed
            log.flush()
            os.fsync(log.fileno())
            if n % 5 == 4:
                _exchange(store, board, peers, trace)
    (work / f"{name}.edited").touch()
    state = work / f"{name}.state"
    while not (work / "stop").exists():
        _exchange(store, board, peers, trace)
        held = sorted(c.hlc for c in journal.all_changes(store, board))
        state.with_suffix(".tmp").write_text(hashlib.sha256("".join(held).encode()).hexdigest())
        state.with_suffix(".tmp").replace(state)
        time.sleep(0.1)
    store.lock()
    server_done.set()


def main(argv: list[str]) -> int:
    data_dir, case_id, work, name = Path(argv[0]), argv[1], Path(argv[2]), argv[3]
    edits, seed = int(argv[4]), int(argv[5])
    store = Store.open(device_settings(data_dir), PASSPHRASE)
    port_file = work / f"{name}.port"
    again = int(port_file.read_text()) if port_file.exists() else 0
    server, sock = board_server(store, "127.0.0.1", again)
    done = threading.Event()
    worker = threading.Thread(target=_work, args=(data_dir, case_id, work, name, edits, seed,
                                                  done), daemon=True)

    def stop_when_done() -> None:
        done.wait()
        server.should_exit = True

    worker.start()
    threading.Thread(target=stop_when_done, daemon=True).start()
    port_file.with_suffix(".tmp").write_text(str(sock.getsockname()[1]))
    port_file.with_suffix(".tmp").rename(port_file)
    server.run(sockets=[sock])
    store.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
