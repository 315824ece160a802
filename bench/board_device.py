"""One reception-centre device as its own process for ``bench_board``: it serves its board and,
round by round, makes its share of the edits, then keeps exchanging with its peers and writing
what it holds until the next round.

    python -m bench.board_device DATA_DIR CASE_ID WORK_DIR NAME SEED PEOPLE EDITS

Files in WORK_DIR: it writes NAME.port once serving; the parent writes NAME.peers (the ports
through which it reaches the others), then round-K for each round K; the device writes
NAME.done-K when its edits of round K are saved, and NAME.state ("count digest" of the changes
it holds) after every exchange round. ``stop`` ends it.
"""

from __future__ import annotations

import hashlib
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.rig import PASSPHRASE, fast_settings
from fieldkit.store import Store
from sync.board_share import journal
from sync.board_share.client import exchange_with
from sync.board_share.server import board_server

STEPS: tuple[str, ...] = (
    "arrived_at", "welfare_given_at", "interpreter_provided_at", "medical_triage_at",
    "mash_referred_at", "nrm_explained_at", "consent", "referral_form_done_at",
    "salvation_army_referred_at", "accommodation_arranged_at", "property_logged",
    "departed_at",
)
"""The twelve steps of the board, each one field of a person received."""

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EXCHANGE_EVERY = 50


def step_value(rng: random.Random, field: str) -> object:
    """A fictional value for one step."""
    if field == "consent":
        return rng.choice(["not_asked", "given", "refused"])
    if field == "property_logged":
        return rng.choice([True, False])
    return START + timedelta(minutes=rng.randint(0, 600))


def reference(number: int) -> str:
    """The reference of the ``number``-th person on the board."""
    return f"R{number:03d}"


def _exchange(store: Store, board: str, peers: list[int]) -> None:
    # as `reception sync` does: the four peers at once, links kept between rounds; a cut link
    # reports its error here and is opened afresh next round
    exchange_with(store, board, [f"127.0.0.1:{port}" for port in peers])


def _state(store: Store, board: str) -> str:
    held = [str(hlc) for (hlc,) in store.conn.execute(
        "SELECT hlc FROM board_changes WHERE board_id = ? ORDER BY hlc", (board,))]
    return f"{len(held)} {hashlib.sha256(''.join(held).encode()).hexdigest()}"


def _work(store: Store, case_id: str, work: Path, name: str, seed: int, people: int,
          edits: int) -> None:
    rng = random.Random(seed)
    board = journal.board_id(store, case_id)
    while not (work / f"{name}.peers").exists():
        time.sleep(0.02)
    peers = [int(port) for port in (work / f"{name}.peers").read_text().split()]
    state = work / f"{name}.state"
    done_rounds = 0
    while not (work / "stop").exists():
        if (work / f"round-{done_rounds + 1}").exists():
            done_rounds += 1
            for n in range(edits):
                field = rng.choice(STEPS)
                journal.record_change(store, case_id, reference(rng.randint(1, people)), field,
                                      step_value(rng, field))
                if n % EXCHANGE_EVERY == EXCHANGE_EVERY - 1:
                    _exchange(store, board, peers)
            (work / f"{name}.done-{done_rounds}").touch()
        _exchange(store, board, peers)
        state.with_suffix(".tmp").write_text(_state(store, board))
        state.with_suffix(".tmp").replace(state)
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    """Serve and edit until ``stop`` appears in the work folder."""
    data_dir, case_id, work, name = Path(argv[0]), argv[1], Path(argv[2]), argv[3]
    seed, people, edits = int(argv[4]), int(argv[5]), int(argv[6])
    serving = Store.open(fast_settings(data_dir), PASSPHRASE)
    server, sock = board_server(serving, "127.0.0.1", 0)

    def work_then_stop() -> None:
        editing = Store.open(fast_settings(data_dir), PASSPHRASE)  # its own connection
        try:
            _work(editing, case_id, work, name, seed, people, edits)
        finally:
            editing.lock()
            server.should_exit = True

    threading.Thread(target=work_then_stop, daemon=True).start()
    port_file = work / f"{name}.port"
    port_file.with_suffix(".tmp").write_text(str(sock.getsockname()[1]))
    port_file.with_suffix(".tmp").replace(port_file)
    server.run(sockets=[sock])
    serving.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
