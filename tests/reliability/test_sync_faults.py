"""Delivery through a proxy that drops, resets, delays, truncates or answers 500 to 30% of
requests: the outbox drains and the Lead holds each bundle exactly once. Then the same with the
sending process killed mid-upload 20 times."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.store import Store
from sync import device, importer, outbox
from sync.transport import transport_for
from tests.conftest import PASSPHRASE, REPO
from tests.reliability.fault_proxy import FAULTS, FaultProxy
from tests.reliability.sync_rig import SyncRig, build_rig, enrol, queue_cases


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SyncRig]:
    built = build_rig(tmp_path)
    yield built
    built.close()


def _lead_holds_each_once(rig: SyncRig, bundle_ids: list[str]) -> None:
    report = importer.import_folder(rig.lead_store, rig.inbox_root)
    assert report.rejected == []
    rows = rig.lead_store.conn.execute("SELECT bundle_id FROM lead_bundles").fetchall()
    held = [row[0] for row in rows]
    assert sorted(held) == sorted(bundle_ids)
    assert len(importer.lead_cases(rig.lead_store)) == len(bundle_ids)


def test_500_bundles_through_a_faulty_network_arrive_exactly_once(
    rig: SyncRig, tmp_path: Path
) -> None:
    proxy = FaultProxy(upstream_port=rig.inbox_port, fault_rate=0.3).start()
    try:
        enrol(rig, f"http://127.0.0.1:{proxy.port}", tmp_path)
        bundle_ids = queue_cases(rig.device_store, 500)
        profile = device.current_profile(rig.device_store)
        assert profile is not None
        transport = transport_for(profile, device_id=device.device_id(rig.device_store),
                                  device_key=device.signing_key(rig.device_store))
        for _ in range(60):
            report = outbox.send_due(rig.device_store, transport, retry_now=True)
            if report.waiting == 0:
                break
        assert outbox.waiting_count(rig.device_store) == 0
    finally:
        proxy.stop()
    assert all(proxy.seen[fault] > 0 for fault in FAULTS), proxy.seen
    assert sum(proxy.seen.values()) > 500  # faults really forced retries
    _lead_holds_each_once(rig, bundle_ids)


def test_sync_killed_mid_upload_20_times_loses_and_duplicates_nothing(
    rig: SyncRig, tmp_path: Path
) -> None:
    proxy = FaultProxy(upstream_port=rig.inbox_port, fault_rate=0.3, seed=11).start()
    try:
        enrol(rig, f"http://127.0.0.1:{proxy.port}", tmp_path)
        bundle_ids = queue_cases(rig.device_store, 60)
        rig.device_store.lock()  # the sync processes own the store from here
        env = dict(os.environ, FIELDKIT_PASSPHRASE=PASSPHRASE)
        command = [sys.executable, "-m", "fieldkit.cli", "--data-dir",
                   str(rig.device_settings.data_dir), "sync", "--retry-now"]
        rng = random.Random(99)
        for _ in range(20):
            child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 1.2))
            child.send_signal(signal.SIGKILL)
            child.wait(30)
        for _ in range(10):
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                                  timeout=300)
            if "still waiting 0;" in done.stdout:
                break
        assert "still waiting 0;" in done.stdout, done.stdout + done.stderr
    finally:
        proxy.stop()
    with Store.open(rig.device_settings, PASSPHRASE) as store:
        assert outbox.waiting_count(store) == 0
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    _lead_holds_each_once(rig, bundle_ids)
