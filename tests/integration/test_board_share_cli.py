"""The reception board-sharing commands, run as real processes: one device shares, another
joins with the code it printed, both see each other's changes, and a conflict is listed and
resolved from the command line."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

from fieldkit import cases
from fieldkit.store import Store
from sync.board_share import journal
from tests.conftest import FAST_KDF, PASSPHRASE, REPO
from tests.reliability.board_rig import build_centre


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldkit.cli", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, env=_env(), timeout=120,
                          cwd=REPO)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    return {**env, **FAST_KDF, "FIELDKIT_PASSPHRASE": PASSPHRASE}


def test_share_join_status_and_resolve_from_the_command_line(tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police"])
    ids = {}
    for name in ("coordinator", "police"):
        with Store.open(centre.devices[name], PASSPHRASE) as store:
            ids[name] = cases.create_case(store, "Reception centre").id
    coordinator, police = (centre.devices[n].data_dir for n in ("coordinator", "police"))
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
        journal.record_change(store, ids["coordinator"], "R001", "consent", "given")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = str(probe.getsockname()[1])

    def start_share() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "fieldkit.cli", "--data-dir", str(coordinator), "reception",
             "share", "--case", ids["coordinator"], "--host", "127.0.0.1", "--port", free_port,
             "--no-discovery"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=_env(), cwd=REPO)

    share = start_share()
    try:
        assert share.stdout is not None
        address = re.fullmatch(r"Sharing the board at (\S+)\n", share.stdout.readline())
        code = re.match(r"Join code: (\w{4}-\w{4})", share.stdout.readline())
        assert address and code, "share printed no address or join code"
        joined = _run(police, "reception", "join", "--case", ids["police"], "--peer",
                      address[1], "--code", code[1])
        assert joined.returncode == 0, joined.stderr
        assert "2 changes received, 0 sent" in joined.stdout
        wrong = _run(police, "reception", "join", "--case", ids["police"], "--peer",
                     address[1], "--code", "ABCD-EFGH")
        assert wrong.returncode == 1
        assert wrong.stderr.count("\n") == 1 and "refused this one" in wrong.stderr
        with Store.open(centre.devices["police"], PASSPHRASE) as store:
            journal.record_change(store, ids["police"], "R001", "consent", "refused")
        share.terminate()  # the store is held by one process: edit it between two shares
        share.wait(30)
        with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
            journal.record_change(store, ids["coordinator"], "R001", "consent", "not_asked")
        share = start_share()
        assert share.stdout is not None and share.stdout.readline().startswith("Sharing")
        synced = _run(police, "reception", "sync", "--case", ids["police"])
        assert synced.returncode == 0, synced.stdout + synced.stderr
        assert f"{address[1]}: 1 received, 1 sent" in synced.stdout
        status = _run(police, "reception", "status", "--case", ids["police"])
        assert "1 people, 4 changes, 1 conflicts" in status.stdout
        assert "Officer coordinator" in status.stdout and "0 changes here not yet seen" in \
            status.stdout
        listed = _run(police, "reception", "conflicts", "--case", ids["police"])
        assert listed.stdout.startswith("R001 consent: ")
        assert "by Officer coordinator" in listed.stdout and "by Officer police" in listed.stdout
        resolved = _run(police, "reception", "resolve", "--case", ids["police"], "--person",
                        "R001", "--field", "consent", "--value", '"refused"')
        assert resolved.returncode == 0, resolved.stderr
        assert _run(police, "reception", "sync", "--case", ids["police"]).returncode == 0
    finally:
        share.terminate()
        share.wait(30)
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
        board = journal.merged_board(store, ids["coordinator"], date.today())
    assert board.conflicts == ()
    assert board.person("R001").person.consent.value == "refused"
