"""``inbox_load``: 200 enrolled devices uploading at once (1,000 bundles in all, five each,
one after another per device) to one inbox process over HTTPS on loopback; baseline: the same
uploads (same bytes, same headers) to the bare durable endpoint in its own process.

Each device is its own HTTPS connection, from its own loopback address. Reported: the wall time
of the whole load, p50 and p99 of one upload (over every upload of the measured runs, and p99 per
run), and a check that nothing was lost and every bundle is held exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness import Result, Spread, load_now, percentile, runs_at, scaled, warmups_at
from bench.rig import PASSPHRASE, Tls, fast_settings, make_tls, start_server, wait_until_listening
from fieldkit.store import Store

DEVICES = 200
BUNDLES = 1000
BUNDLE_BYTES = 80 * 1024  # a real bundle of one small case with its packs (bench sync_1000)
RUNS = 3
GOAL_RATIO = 2.0
GOAL_P99 = 1.0


@dataclass(frozen=True)
class Upload:
    """One device's one bundle, with the key that signs its request."""

    device: int
    bundle_id: str
    body: bytes


@dataclass
class LoadRun:
    """What one load run measured."""

    seconds: float
    latencies: list[float]
    failures: int


def _enrol_devices(lead_store: Store, count: int, pem: str) -> list[tuple[str, object]]:
    """``count`` device identities enrolled with the Lead (their ids and signing keys)."""
    from sync import lead
    from sync.enrolment import make_enrolment_request, new_device_id, new_device_key

    profile, _ = lead.make_profile(lead_store, council="Bench Council", lead_name="Lead",
                                   lead_contact="lead@council.example",
                                   inbox_url="https://127.0.0.1:1", inbox_cert_pem=pem)
    devices: list[tuple[str, object]] = []
    for n in range(count):
        key, device_id = new_device_key(), new_device_id()
        lead.add_device(lead_store, make_enrolment_request(
            device_key=key, device_id=device_id, device_name=f"laptop {n}",
            officer=f"Officer {n}", organisation="Trading Standards",
            profile_fingerprint=profile.fingerprint()))
        devices.append((device_id, key))
    return devices


def device_address(n: int) -> str:
    """Device ``n``'s own loopback address (loopback is a /8): each device connects from its
    own address, as devices in the field do, so the inbox's per-address limit applies to each
    one as it would there."""
    return f"127.0.{1 + n // 254}.{1 + n % 254}"


def request_head(port: int, bundle_id: str, headers: dict[str, str], length: int) -> bytes:
    """The request line and headers of one upload, byte for byte as httpx sends them (the
    device's client: same headers, same order), with the request's signature headers."""
    lines = [f"PUT /v1/bundles/{bundle_id} HTTP/1.1", f"Host: 127.0.0.1:{port}",
             "Accept: */*", "Accept-Encoding: gzip, deflate", "Connection: keep-alive",
             f"User-Agent: python-httpx/{httpx.__version__}",
             *(f"{name}: {value}" for name, value in headers.items()),
             f"Content-Length: {length}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """One HTTP/1.1 response read whole: its status, and whether the server closes after it."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status, length, close = int(head[0].split(" ", 2)[1]), 0, False
    for line in head[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            close = value == "close"
    await reader.readexactly(length)
    return status, close


async def _device(port: int, tls: Tls, device: tuple[str, object], address: str,
                  uploads: list[Upload], latencies: list[float], start: asyncio.Event) -> int:
    """One device: its own TLS connection (pinned certificate), its bundles one after another,
    each request signed when it is sent; returns failures.

    The load generator speaks HTTP/1.1 itself over asyncio's TLS streams rather than through
    200 httpx clients: the inbox receives the same bytes (what ``request_head`` says), and the
    generator, which shares the two cores with the server, costs about a quarter of the CPU
    (httpx's per-request machinery was most of it). Each upload is timed from before it is
    signed to its whole response, so the first includes connecting and the TLS handshake.
    """
    from sync.request_auth import sign_request
    from sync.transport import pinned_ssl_context

    device_id, key = device
    context = pinned_ssl_context(tls.pem)
    failures = 0
    await start.wait()
    writer: asyncio.StreamWriter | None = None
    try:
        for upload in uploads:
            began = time.perf_counter()
            if writer is None:
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", port, ssl=context, server_hostname="127.0.0.1",
                    local_addr=(address, 0))
            headers = sign_request(device_id=device_id, device_key=key,  # type: ignore[arg-type]
                                   method="PUT", bundle_id=upload.bundle_id, body=upload.body,
                                   timestamp=int(time.time()))
            writer.write(request_head(port, upload.bundle_id, headers, len(upload.body)))
            writer.write(upload.body)
            await writer.drain()
            status, close = await read_response(reader)
            latencies.append(time.perf_counter() - began)
            failures += status not in (200, 201)
            if close:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
    return failures


async def _load(port: int, tls: Tls, devices: list[tuple[str, object]],
                uploads: list[list[Upload]]) -> LoadRun:
    latencies: list[float] = []
    start = asyncio.Event()
    tasks = [asyncio.create_task(_device(port, tls, device, device_address(n), mine,
                                         latencies, start))
             for n, (device, mine) in enumerate(zip(devices, uploads, strict=True))]
    await asyncio.sleep(0)  # every device's TLS context is made before the clock starts
    began = time.perf_counter()
    start.set()
    failures = sum(await asyncio.gather(*tasks))
    seconds = time.perf_counter() - began
    failures += sum(len(mine) for mine in uploads) - len(latencies)  # none may go unanswered
    return LoadRun(seconds, latencies, failures)


def _held_once(folder: Path, uploads: list[list[Upload]]) -> int:
    """How many uploads are missing or wrong in ``folder`` (0: every bundle held, once)."""
    expected = {u.bundle_id: hashlib.sha256(u.body).hexdigest() for us in uploads for u in us}
    held = {p.stem: p for p in folder.glob("*.age")}
    wrong = len(set(expected) ^ set(held))
    for bundle_id, path in held.items():
        if bundle_id in expected:
            wrong += hashlib.sha256(path.read_bytes()).hexdigest() != expected[bundle_id]
    return wrong


def run(scale: float) -> list[Result]:
    """Measure ``inbox_load`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    from sync import lead

    keyring.set_keyring(fail.Keyring())
    device_count, bundle_count = scaled(DEVICES, scale), scaled(BUNDLES, scale)
    per_device = bundle_count // device_count
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        tls = make_tls(folder)
        lead_store = Store.create(fast_settings(folder / "lead"), PASSPHRASE)
        keys = lead.init_lead(lead_store)
        devices = _enrol_devices(lead_store, device_count, tls.pem)
        devices_file = folder / "devices.json"
        devices_file.write_bytes(lead.export_devices(lead_store))
        lead_store.lock()

        def uploads() -> list[list[Upload]]:
            return [[Upload(d, str(uuid.uuid4()), os.urandom(BUNDLE_BYTES))
                     for _ in range(per_device)] for d in range(device_count)]

        def one(kind: str, round_no: int) -> LoadRun:
            root = folder / f"{kind}{round_no}"
            work = uploads()
            server = start_server(kind, root, tls, devices=devices_file,
                                  lead_public_key=keys.public_key)
            try:
                wait_until_listening(server.port, tls.pem)
                result = asyncio.run(_load(server.port, tls, devices, work))
            finally:
                server.stop()
            stored = root / "bundles" if kind == "inbox" else root
            result.failures += _held_once(stored, work)
            return result

        load = load_now()
        for _ in range(warmups_at(scale)):  # imports, TLS, the file system's first allocations
            one("bare", -1)
            one("inbox", -1)
        ours, theirs = [], []
        for round_no in range(runs_at(RUNS, scale)):
            theirs.append(one("bare", round_no))
            ours.append(one("inbox", round_no))
    latencies = [t for r in ours for t in r.latencies]
    base_latencies = [t for r in theirs for t in r.latencies]
    lost = sum(r.failures for r in ours)
    mine, base = Spread.of([r.seconds for r in ours]), Spread.of([r.seconds for r in theirs])
    p99 = percentile(latencies, 0.99)
    ratio = mine.median / base.median
    return [Result.compare(
        "inbox_load", mine, base, goal=f"ratio <= {GOAL_RATIO}, p99 under {GOAL_P99:.0f} s, "
        "nothing lost, every bundle once",
        met=ratio <= GOAL_RATIO and p99 < GOAL_P99 and lost == 0, load_before=load,
        details={"devices": device_count, "bundles": device_count * per_device,
                 "bundle_bytes": BUNDLE_BYTES,
                 "p50_seconds": round(percentile(latencies, 0.5), 4),
                 "p99_seconds": round(p99, 4),
                 "baseline_p50_seconds": round(percentile(base_latencies, 0.5), 4),
                 "baseline_p99_seconds": round(percentile(base_latencies, 0.99), 4),
                 "p99_seconds_per_run": [round(percentile(r.latencies, 0.99), 4) for r in ours],
                 "baseline_p99_seconds_per_run": [round(percentile(r.latencies, 0.99), 4)
                                                  for r in theirs],
                 "bundles_per_second": round(device_count * per_device / mine.median, 1),
                 "lost_or_duplicated": lost,
                 "baseline_lost": sum(r.failures for r in theirs)})]
