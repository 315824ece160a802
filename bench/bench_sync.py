"""``sync_1000``: bundles from queued to delivered through the outbox, over HTTPS on loopback, to
the inbox in its own process; baseline: raw httpx PUTs of the same bytes to the bare durable
endpoint (also its own process), in the same run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from bench.harness import Result, Spread, load_now, runs_at, scaled, timed
from bench.rig import (
    PASSPHRASE,
    fast_settings,
    make_tls,
    queue_cases,
    start_server,
    wait_until_listening,
)
from fieldkit.store import Store

BUNDLES = 1000
RUNS = 3
GOAL = 2.0


def _requeue(store: Store) -> None:
    """Put every bundle back in the queue (setup between runs, not timed)."""
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'queued', attempts = 0, receipt = '', "
                     "delivered_at = NULL")


def run(scale: float) -> list[Result]:
    """Measure ``sync_1000`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    from sync import device, lead, outbox
    from sync.transport import HttpsTransport, pinned_ssl_context

    keyring.set_keyring(fail.Keyring())  # the benchmark measures sync, not the keyring
    count = scaled(BUNDLES, scale, least=10)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        tls = make_tls(folder)
        lead_store = Store.create(fast_settings(folder / "lead"), PASSPHRASE)
        device_store = Store.create(fast_settings(folder / "dev"), PASSPHRASE)
        keys = lead.init_lead(lead_store)
        made, signed = lead.make_profile(lead_store, council="Bench Council", lead_name="Lead",
                                         lead_contact="lead@council.example",
                                         inbox_url="https://127.0.0.1:1", inbox_cert_pem=tls.pem)
        device.import_profile(device_store, signed, expected_fingerprint=made.fingerprint())
        lead.add_device(lead_store, device.enrolment_request(
            device_store, device_name="bench", organisation="Trading Standards"))
        devices_file = folder / "devices.json"
        devices_file.write_bytes(lead.export_devices(lead_store))
        device_store.conn.execute("PRAGMA synchronous = OFF")  # setup only: not measured
        ids = queue_cases(device_store, count, reuse_packs=True)
        device_store.conn.execute("PRAGMA synchronous = FULL")
        payloads = [(i, bytes(device_store.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?",
            (i,)).fetchone()[0])) for i in ids]
        device_id, device_key = device.device_id(device_store), device.signing_key(device_store)

        def ours(round_no: int, in_flight: int = HttpsTransport.in_flight) -> float:
            _requeue(device_store)
            server = start_server("inbox", folder / f"inbox{round_no}", tls,
                                  devices=devices_file, lead_public_key=keys.public_key)
            try:
                wait_until_listening(server.port, tls.pem)
                transport = HttpsTransport(f"https://127.0.0.1:{server.port}",
                                           device_id=device_id, device_key=device_key,
                                           lead_public_key=keys.public_key,
                                           certificate_pem=tls.pem)
                transport.in_flight = in_flight
                report = None

                def send() -> None:
                    nonlocal report
                    report = outbox.send_due(device_store, transport)

                took = timed(send)
                transport.close()
            finally:
                server.stop()
            assert report is not None and report.delivered == count, report
            held = sorted(p.stem for p in (folder / f"inbox{round_no}" / "bundles").glob("*.age"))
            assert held == sorted(ids), "the inbox does not hold every bundle exactly once"
            return took

        def base(round_no: int) -> float:
            server = start_server("bare", folder / f"bare{round_no}", tls)
            try:
                wait_until_listening(server.port, tls.pem)
                with httpx.Client(verify=pinned_ssl_context(tls.pem), trust_env=False) as client:
                    def put_all() -> None:
                        for bundle_id, body in payloads:
                            client.put(f"https://127.0.0.1:{server.port}/v1/bundles/{bundle_id}",
                                       content=body).raise_for_status()

                    took = timed(put_all)
            finally:
                server.stop()
            return took

        load = load_now()
        mine, theirs = [], []
        rounds = runs_at(RUNS, scale)
        for round_no in range(rounds):
            theirs.append(base(round_no))
            mine.append(ours(round_no))
        # The same with one bundle on its way at a time, as the baseline sends: a detail figure.
        one_at_a_time = ours(rounds, in_flight=1)
        device_store.lock()
        lead_store.lock()
    size = sum(len(body) for _, body in payloads) / len(payloads)
    ours_spread, base_spread = Spread.of(mine), Spread.of(theirs)
    ratio = ours_spread.median / base_spread.median
    return [Result.compare(
        "sync_1000", ours_spread, base_spread, goal=f"ratio <= {GOAL}", met=ratio <= GOAL,
        load_before=load,
        details={"bundles": count, "mean_bundle_bytes": round(size),
                 "fieldkit_ms_per_bundle": round(ours_spread.median / count * 1000, 2),
                 "baseline_ms_per_bundle": round(base_spread.median / count * 1000, 2),
                 "in_flight": HttpsTransport.in_flight,
                 "one_at_a_time_seconds": round(one_at_a_time, 3),
                 "one_at_a_time_ratio": round(one_at_a_time / base_spread.median, 2),
                 "warm_up": "none beyond process start; each run is a fresh inbox process"})]
