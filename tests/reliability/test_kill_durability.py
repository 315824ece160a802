"""A process killed with SIGKILL at random moments loses no acknowledged note, and the store
stays whole (integrity and cipher integrity checks) with nothing in plaintext, WAL included."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from fieldkit import cases, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, REPO

RUNS = 20


def _run_and_kill(settings: Settings, visit_id: str, run: int, rng: random.Random) -> list[str]:
    env = dict(os.environ, FIELDKIT_PASSPHRASE=PASSPHRASE)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.note_writer", str(settings.data_dir),
         visit_id, str(run)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO,
    )
    assert child.stdout is not None
    printed = [child.stdout.readline().decode().strip()]  # wait until it is really writing
    assert printed[0], child.stderr.read().decode() if child.stderr else ""
    time.sleep(rng.uniform(0.0, 0.4))
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    printed += [line for line in rest.decode().splitlines() if line.strip()]
    # A line cut short by the kill was never fully acknowledged; ids are 36 characters.
    return [line for line in printed if len(line) == 36]


def test_sigkill_at_random_moments_loses_nothing_acknowledged(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Durability")
        visit = cases.create_visit(store, case.id, "Yard", "Canal Side")
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for run in range(RUNS):
        acknowledged += _run_and_kill(settings, visit.id, run, rng)
        if run % 5 == 4:
            # Look at the files exactly as the killed process left them (WAL not checkpointed).
            for path in settings.data_dir.rglob("*"):
                if path.is_file():
                    assert b"Kqzvcanary" not in path.read_bytes(), path.name
        with Store.open(settings, PASSPHRASE) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert store.conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
            held = {entry.id for entry in notes.list_notes(store, visit.id)}
            missing = [entry_id for entry_id in acknowledged if entry_id not in held]
            assert not missing, f"run {run}: {len(missing)} acknowledged notes lost"
    assert len(acknowledged) > RUNS
