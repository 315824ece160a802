"""``lead_import_1000``: the Lead importing 1,000 delivered bundles from the inbox's storage
folder (verify, decrypt, validate, store, audit, write the signed receipt) into a fresh Lead
store; baseline: age-decrypting the same files with pyrage alone (read each file, decrypt it).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pyrage

from bench.harness import Result, Spread, load_now, runs_at, scaled
from bench.rig import PASSPHRASE, fast_settings, queue_cases
from fieldkit.store import Store

BUNDLES = 1000
RUNS = 3
GOAL = 2.0


def run(scale: float) -> list[Result]:
    """Measure ``lead_import_1000`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    from sync import device, importer, lead
    from sync.keys import parse_age_identity
    from sync.layout import bundle_path, bundles_dir, receipts_dir

    keyring.set_keyring(fail.Keyring())
    count = scaled(BUNDLES, scale, least=10)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        lead_settings = fast_settings(folder / "lead")
        lead_store = Store.create(lead_settings, PASSPHRASE, officer="Lead Officer")
        keys = lead.init_lead(lead_store)
        device_store = Store.create(fast_settings(folder / "dev"), PASSPHRASE)
        made, signed = lead.make_profile(lead_store, council="Bench Council", lead_name="Lead",
                                         lead_contact="lead@council.example",
                                         inbox_url="https://127.0.0.1:1")
        device.import_profile(device_store, signed, expected_fingerprint=made.fingerprint())
        lead.add_device(lead_store, device.enrolment_request(
            device_store, device_name="bench", organisation="Trading Standards"))
        lead_store.lock()
        device_store.conn.execute("PRAGMA synchronous = OFF")  # setup only: not measured
        ids = queue_cases(device_store, count, reuse_packs=True)
        root = folder / "inbox"
        bundles_dir(root).mkdir(parents=True)
        for bundle_id in ids:
            content = device_store.conn.execute(
                "SELECT content FROM outbox_content WHERE bundle_id = ?",
                (bundle_id,)).fetchone()[0]
            bundle_path(root, bundle_id).write_bytes(bytes(content))
        device_store.lock()
        shutil.copytree(lead_settings.data_dir, folder / "lead-fresh")
        identity = parse_age_identity(keys.age_identity)

        def ours() -> float:
            shutil.rmtree(lead_settings.data_dir)
            shutil.copytree(folder / "lead-fresh", lead_settings.data_dir)
            shutil.rmtree(receipts_dir(root), ignore_errors=True)
            store = Store.open(lead_settings, PASSPHRASE)
            started = time.perf_counter()
            report = importer.import_folder(store, root)
            took = time.perf_counter() - started
            assert sorted(report.imported) == sorted(ids), report.rejected[:3]
            assert len(importer.lead_cases(store)) == count
            store.lock()
            return took

        def base() -> float:
            started = time.perf_counter()
            for bundle_id in ids:
                pyrage.decrypt(bundle_path(root, bundle_id).read_bytes(), [identity])
            return time.perf_counter() - started

        load = load_now()
        base()  # warm-up: the files are in the OS cache for both sides
        mine, theirs = [], []
        for _ in range(runs_at(RUNS, scale)):
            theirs.append(base())
            mine.append(ours())
    ours_spread, base_spread = Spread.of(mine), Spread.of(theirs)
    ratio = ours_spread.median / base_spread.median
    return [Result.compare(
        "lead_import_1000", ours_spread, base_spread, goal=f"ratio <= {GOAL}",
        met=ratio <= GOAL, load_before=load,
        details={"bundles": count,
                 "fieldkit_ms_per_bundle": round(ours_spread.median / count * 1000, 3),
                 "baseline_ms_per_bundle": round(base_spread.median / count * 1000, 3)})]
