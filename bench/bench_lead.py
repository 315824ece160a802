"""``lead_import_1000``: the Lead importing 1,000 delivered bundles from the delivery folder
(verify, decrypt, validate, store, audit, write the signed receipt) into a fresh Lead store;
baseline: age-decrypting the same files with pyrage alone (read each file, decrypt it).

The bundles are made as they are in the field (setup, never timed): several enrolled devices
each seal cases and sync with the Lead's folder, and every ~10 bundles the Lead imports what
has arrived and each device collects the Lead's signed receipts on its next sync
(:func:`sync.engine.sync_once`: send what is due, collect receipts). What is timed is a fresh
Lead store importing all of those files at once. The earlier shape (one device, 1,000 bundles,
no receipt ever collected) is measured too, as a detail figure.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from bench.harness import Result, Spread, load_now, runs_at, scaled
from bench.rig import PASSPHRASE, fast_settings, queue_cases
from fieldkit.settings import Settings
from fieldkit.store import Store

BUNDLES = 1000
DEVICES = 10
RECEIPTS_EVERY = 10
"""Bundles each device seals between two syncs that bring back the Lead's receipts."""
RUNS = 3
ONE_DEVICE_BUNDLES = 300
ONE_DEVICE_RUNS = 1
"""The one-device shape is a detail figure: 300 bundles (its setup is the slow part), one
measured run each way after the baseline's warm-up; compare it per bundle."""
GOAL = 2.0
FLOOR_RUNS = 5
"""Runs of :func:`essential_checks` and of the baseline beside it (each about a second)."""


@dataclass
class Shape:
    """Delivered bundles in a delivery folder, and a copy of the Lead's store from before any
    of them was imported (so every timed run imports into a fresh store)."""

    root: Path
    lead_settings: Settings
    lead_fresh: Path
    ids: list[str]
    identity: Any
    devices: int
    receipts_collected: int


def _lead(folder: Path, root: Path) -> tuple[Settings, Store, Any, Any, bytes]:
    from sync import lead

    settings = fast_settings(folder / "lead")
    store = Store.create(settings, PASSPHRASE, officer="Lead Officer")
    keys = lead.init_lead(store)
    made, signed = lead.make_profile(store, council="Bench Council", lead_name="Lead",
                                     lead_contact="lead@council.example", folder=str(root))
    return settings, store, keys, made, signed


def _device(folder: Path, lead_store: Store, made: Any, signed: bytes, n: int) -> Store:
    from sync import device, lead

    store = Store.create(fast_settings(folder / f"dev{n}"), PASSPHRASE,
                         officer=f"Officer {n}")
    device.import_profile(store, signed, expected_fingerprint=made.fingerprint())
    lead.add_device(lead_store, device.enrolment_request(
        store, device_name=f"bench {n}", organisation="Trading Standards"))
    store.conn.execute("PRAGMA synchronous = OFF")  # setup only: not measured
    return store


def field_shape(folder: Path, count: int, devices: int) -> Shape:
    """``count`` bundles from ``devices`` devices, each syncing (send, then collect receipts)
    every :data:`RECEIPTS_EVERY` bundles, the Lead importing between those syncs."""
    from sync import engine, importer
    from sync.keys import parse_age_identity

    root = folder / "share"
    root.mkdir()
    settings, lead_store, keys, made, signed = _lead(folder, root)
    stores = [_device(folder, lead_store, made, signed, n) for n in range(devices)]
    lead_store.lock()
    fresh = folder / "lead-fresh"
    shutil.copytree(settings.data_dir, fresh)  # enrolled devices, nothing imported yet
    lead_store = Store.open(settings, PASSPHRASE)
    per_device = [count // devices + (1 if n < count % devices else 0) for n in range(devices)]
    ids: list[str] = []
    collected = 0
    sealed = [0] * devices
    while any(done < want for done, want in zip(sealed, per_device, strict=True)):
        for n, store in enumerate(stores):
            batch = min(RECEIPTS_EVERY, per_device[n] - sealed[n])
            if batch == 0:
                continue
            ids += queue_cases(store, batch, reuse_packs=True)
            sealed[n] += batch
            collected += engine.sync_once(store).receipts  # delivers, collects earlier receipts
        report = importer.import_folder(lead_store, root)  # the Lead's import between syncs
        assert not report.rejected, report.rejected[:3]
    for store in stores:  # the last receipts
        collected += engine.sync_once(store).receipts
        store.lock()
    lead_store.lock()
    return Shape(root, settings, fresh, ids, parse_age_identity(keys.age_identity), devices,
                 collected)


def one_device_shape(folder: Path, count: int) -> Shape:
    """The earlier shape: one device's ``count`` bundles, never acknowledged by a receipt."""
    from sync.keys import parse_age_identity
    from sync.layout import bundle_path, bundles_dir

    root = folder / "share"
    root.mkdir()
    settings, lead_store, keys, made, signed = _lead(folder, root)
    store = _device(folder, lead_store, made, signed, 0)
    lead_store.lock()
    fresh = folder / "lead-fresh"
    shutil.copytree(settings.data_dir, fresh)
    ids = queue_cases(store, count, reuse_packs=True)
    bundles_dir(root).mkdir(parents=True)
    for bundle_id in ids:
        content = store.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?", (bundle_id,)).fetchone()[0]
        bundle_path(root, bundle_id).write_bytes(bytes(content))
    store.lock()
    return Shape(root, settings, fresh, ids, parse_age_identity(keys.age_identity), 1, 0)


def _baseline(shape: Shape) -> float:
    """The baseline: read and age-decrypt every file with pyrage alone; seconds."""
    from sync.layout import bundle_path

    started = time.perf_counter()
    for bundle_id in shape.ids:
        pyrage.decrypt(bundle_path(shape.root, bundle_id).read_bytes(), [shape.identity])
    return time.perf_counter() - started


def _measure(shape: Shape, runs: int) -> tuple[Spread, Spread, Spread]:
    """fieldkit's import, the baseline, and an import of the same folder again once every
    bundle is held (and every receipt checked): what the Lead's next import pays for the share's
    history when nothing new has arrived."""
    from sync import importer
    from sync.layout import receipts_dir

    held: list[float] = []

    def ours() -> float:
        shutil.rmtree(shape.lead_settings.data_dir)
        shutil.copytree(shape.lead_fresh, shape.lead_settings.data_dir)
        shutil.rmtree(receipts_dir(shape.root), ignore_errors=True)
        store = Store.open(shape.lead_settings, PASSPHRASE)
        started = time.perf_counter()
        report = importer.import_folder(store, shape.root)
        took = time.perf_counter() - started
        assert sorted(report.imported) == sorted(shape.ids), report.rejected[:3]
        assert not report.audit_breaks, report.audit_breaks[:3]
        assert len(importer.lead_cases(store)) == len(shape.ids)
        importer.import_folder(store, shape.root)  # the receipts just written, checked once
        started = time.perf_counter()
        again = importer.import_folder(store, shape.root)
        held.append(time.perf_counter() - started)
        assert len(again.already_held) == len(shape.ids) and not again.imported
        store.lock()
        return took

    def base() -> float:
        return _baseline(shape)

    base()  # warm-up: the files are in the OS cache for both sides
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        theirs.append(base())
        mine.append(ours())
    return Spread.of(mine), Spread.of(theirs), Spread.of(held)


def essential_checks(shape: Shape, runs: int) -> tuple[Spread, Spread]:
    """The part of an import no importer can skip, timed alone beside the baseline: for each
    file, read it and take its SHA-256 (the receipt names it), age-decrypt it, split the
    archive, verify the sending device's Ed25519 signature over the manifest, and take the
    SHA-256 of every part, compared with the manifest's (how the signed manifest vouches for
    them). Only the manifest's JSON is parsed (to find the key and the parts); no
    record validated, nothing stored, no receipt written. Its ratio to the baseline is the
    floor of ``lead_import_1000``'s ratio in one process."""
    from sync import lead
    from sync.archive import read_archive
    from sync.bundle import MANIFEST, SIGNATURE, _allowed_name
    from sync.canonical import public_key_from_text
    from sync.layout import bundle_path

    store = Store.open(shape.lead_settings, PASSPHRASE)
    keys = {device_id: public_key_from_text(device.public_key)
            for device_id, device in lead.enrolled_devices(store).items()}
    store.lock()

    def floor() -> float:
        started = time.perf_counter()
        for bundle_id in shape.ids:
            data = bundle_path(shape.root, bundle_id).read_bytes()
            hashlib.sha256(data).hexdigest()
            entries = read_archive(bytes(pyrage.decrypt(data, [shape.identity])),
                                   allowed=_allowed_name)
            manifest = entries[MANIFEST]
            claimed = json.loads(manifest)
            keys[claimed["device_id"]].verify(entries[SIGNATURE], manifest)
            parts = claimed["parts"]
            for name, body in entries.items():
                if name not in (MANIFEST, SIGNATURE):
                    assert hashlib.sha256(body).hexdigest() == parts[name]["sha256"], name
        return time.perf_counter() - started

    floor()  # warm-up
    floors: list[float] = []
    bases: list[float] = []
    for _ in range(runs):
        bases.append(_baseline(shape))
        floors.append(floor())
    return Spread.of(floors), Spread.of(bases)


def run(scale: float) -> list[Result]:
    """Measure ``lead_import_1000`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    count = scaled(BUNDLES, scale, least=10)
    devices = min(DEVICES, count)
    load = load_now()
    with tempfile.TemporaryDirectory() as temp:
        shape = field_shape(Path(temp), count, devices)
        ours_spread, base_spread, held_spread = _measure(shape, runs_at(RUNS, scale))
        floor_spread, floor_base = essential_checks(shape, runs_at(FLOOR_RUNS, scale))
    one_count = scaled(ONE_DEVICE_BUNDLES, scale, least=10)
    one_load = load_now()
    with tempfile.TemporaryDirectory() as temp:
        one = one_device_shape(Path(temp), one_count)
        one_ours, one_base, _ = _measure(one, ONE_DEVICE_RUNS)
    ratio = ours_spread.median / base_spread.median
    return [Result.compare(
        "lead_import_1000", ours_spread, base_spread, goal=f"ratio <= {GOAL}",
        met=ratio <= GOAL, load_before=load,
        details={"bundles": count, "devices": devices,
                 "receipts_every": RECEIPTS_EVERY,
                 "receipts_collected_in_setup": shape.receipts_collected,
                 "fieldkit_ms_per_bundle": round(ours_spread.median / count * 1000, 3),
                 "baseline_ms_per_bundle": round(base_spread.median / count * 1000, 3),
                 "essential_checks": {
                     "what": "read + SHA-256, age-decrypt, archive split, Ed25519 signature, "
                             "SHA-256 of every part; nothing parsed, validated or stored",
                     "runs": floor_spread.runs,
                     "seconds": round(floor_spread.median, 4),
                     "spread": [round(floor_spread.low, 4), round(floor_spread.high, 4)],
                     "baseline_seconds": round(floor_base.median, 4),
                     "ratio": round(floor_spread.median / floor_base.median, 2)},
                 "again_all_held_seconds": round(held_spread.median, 4),
                 "again_all_held_spread": [round(held_spread.low, 4), round(held_spread.high, 4)],
                 "one_device_no_receipts": {
                     "bundles": one_count, "runs": one_ours.runs,
                     "fieldkit_seconds": round(one_ours.median, 4),
                     "baseline_seconds": round(one_base.median, 4),
                     "ratio": round(one_ours.median / one_base.median, 2),
                     "fieldkit_ms_per_bundle": round(one_ours.median / one_count * 1000, 3),
                     "baseline_ms_per_bundle": round(one_base.median / one_count * 1000, 3),
                     "load_before": one_load}})]
