"""``board_heal_5``: five reception-centre devices, each its own process with its own encrypted
store, share a board of 200 people x 12 steps. 1,000 edits are made across them while every
link between them is cut (a cutting proxy per link), then the links are healed: measured is the
time from healing to all five devices holding the same changes (so the same merged board: it
is a function of the set of changes alone). Baseline, same processes and run: the same number
of edits with the links never cut, from the last edit saved to all five identical.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.board_device import START, STEPS, reference
from bench.harness import Result, interleaved, load_now, runs_at, scaled
from bench.rig import PASSPHRASE, fast_settings
from fieldkit import cases
from fieldkit.store import Store
from tests.reliability.link_proxy import LinkProxy

DEVICES = 5
PEOPLE = 200
EDITS = 1000
RUNS = 1  # one round each way: a round is 1,000 durable edits on five processes (runtime)
GOAL_SECONDS = 5.0
REPO = Path(__file__).resolve().parent.parent


def _centre(folder: Path, people: int) -> tuple[list[Path], list[str]]:
    """Five enrolled devices holding one board of ``people`` x 12 steps (setup, not timed)."""
    from sync import device, lead
    from sync.board_share import access, journal

    lead_store = Store.create(fast_settings(folder / "lead"), PASSPHRASE, officer="Lead")
    lead.init_lead(lead_store)
    issued, profile = lead.make_profile(lead_store, council="Bench Council", lead_name="Lead",
                                        lead_contact="lead@council.example",
                                        folder=str(folder / "to-lead"))
    stores: list[Store] = []
    for n in range(DEVICES):
        store = Store.create(fast_settings(folder / f"device{n}"), PASSPHRASE,
                             officer=f"Officer {n}")
        device.import_profile(store, profile, expected_fingerprint=issued.fingerprint())
        lead.add_device(lead_store, device.enrolment_request(
            store, device_name=f"laptop {n}", organisation="Reception centre"))
        stores.append(store)
    listing = lead.export_devices(lead_store)
    lead_store.lock()
    case_ids = [cases.create_case(store, "Reception centre").id for store in stores]
    board = journal.board_id(stores[0], case_ids[0])
    for store, case_id in zip(stores, case_ids, strict=True):
        access.import_devices_file(store, listing)
        if store is not stores[0]:
            journal.link_board(store, case_id, board)
        code = access.join_code(store, case_id)
        for other in stores:
            if other is not store:
                other_id = device.device_id(other)
                access.admit(store, board, other_id, access.join_proof(code, other_id))
    for number in range(1, people + 1):
        journal.record_changes(stores[0], case_ids[0], reference(number), {
            field: ("not_asked" if field == "consent" else False if field == "property_logged"
                    else START) for field in STEPS})
    everything = journal.all_changes(stores[0], board)
    for store in stores[1:]:
        journal.receive(store, board, everything)
    for store in stores:
        store.lock()
    return [folder / f"device{n}" for n in range(DEVICES)], case_ids


class Centre:
    """The five device processes, the proxies between them, and the rounds of edits."""

    def __init__(self, folder: Path, people: int, edits: int) -> None:
        folders, case_ids = _centre(folder, people)
        self.work = folder / "work"
        self.work.mkdir()
        self.names = [f"device{n}" for n in range(DEVICES)]
        self.processes = [subprocess.Popen(
            [sys.executable, "-m", "bench.board_device", str(path), case_id, str(self.work),
             name, str(n + 1), str(people), str(edits // DEVICES)], cwd=REPO)
            for n, (path, case_id, name) in enumerate(zip(folders, case_ids, self.names,
                                                           strict=True))]
        self.proxies: dict[tuple[str, str], LinkProxy] = {}
        self.rounds = 0
        self.edits = edits // DEVICES * DEVICES
        try:
            ports = {name: int(self._wait_file(f"{name}.port", 120)) for name in self.names}
            self.proxies = {(a, b): LinkProxy(ports[b]).start()
                            for a, b in itertools.permutations(self.names, 2)}
            for name in self.names:
                (self.work / f"{name}.peers").write_text(" ".join(
                    str(self.proxies[(name, other)].port)
                    for other in self.names if other != name))
            self.expected = self._converged_count(None)
        except BaseException:
            self.close()
            raise

    def _wait_file(self, name: str, seconds: float) -> str:
        path = self.work / name
        deadline = time.monotonic() + seconds
        while not path.exists():
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a device process ended early: {process.args!r}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not appear")
            time.sleep(0.005)
        return path.read_text()

    def _converged_count(self, count: int | None) -> int:
        """Wait until the five devices hold the same changes (``count`` of them, if given)."""
        deadline = time.monotonic() + 300
        while True:
            states = set()
            for name in self.names:
                path = self.work / f"{name}.state"
                states.add(path.read_text() if path.exists() else name)
            if len(states) == 1:
                held = int(next(iter(states)).split()[0])
                if count is None or held == count:
                    return held
            if time.monotonic() > deadline:
                raise RuntimeError("the five boards did not converge")
            time.sleep(0.005)

    def round(self, *, cut: bool) -> float:
        """One round of edits, links cut (then healed) or never cut; seconds to identical."""
        self.rounds += 1
        for proxy in self.proxies.values():
            proxy.cut() if cut else proxy.restore()
        (self.work / f"round-{self.rounds}").touch()
        for name in self.names:
            self._wait_file(f"{name}.done-{self.rounds}", 300)
        for proxy in self.proxies.values():
            proxy.restore()
        started = time.perf_counter()
        self.expected = self._converged_count(self.expected + self.edits)
        return time.perf_counter() - started

    def close(self) -> None:
        (self.work / "stop").touch()
        for process in self.processes:  # each sees stop within one exchange round
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        for proxy in self.proxies.values():
            proxy.stop()


def run(scale: float) -> list[Result]:
    """Measure ``board_heal_5`` (at ``scale``)."""
    people, edits = scaled(PEOPLE, scale, least=10), scaled(EDITS, scale, least=DEVICES * 10)
    load = load_now()
    with tempfile.TemporaryDirectory() as temp:
        centre = Centre(Path(temp), people, edits)
        try:
            # no warm-up round: setting up, the five devices already exchanged the whole board
            ours, base = interleaved(lambda: centre.round(cut=True),
                                     lambda: centre.round(cut=False),
                                     runs=runs_at(RUNS, scale), warmup=0)
            held = centre.expected
        finally:
            centre.close()
    return [Result.compare(
        "board_heal_5", ours, base, goal=f"all five identical within {GOAL_SECONDS:.0f} s of "
        "healing", met=ours.median <= GOAL_SECONDS, load_before=load,
        details={"devices": DEVICES, "people": people, "steps": len(STEPS),
                 "edits_per_round": centre.edits, "changes_held_at_end": held,
                 "rounds": centre.rounds})]
