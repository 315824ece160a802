"""1,000 bundles through the outbox to the HTTPS inbox on loopback, against raw httpx uploads of
the same bytes to a bare uvicorn TLS endpoint that stores each body durably (temp file, fsync,
rename, fsync folder: what any receiver that must not lose an upload does), in the same run.

Run: .venv/bin/python -m bench.bench_sync   (goal: ratio under 2x)
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fieldkit.atomicfile import write_atomic

BUNDLES = int(os.environ.get("BENCH_BUNDLES", "1000"))


def _tls(folder: Path) -> tuple[Path, Path, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench inbox")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    (folder / "cert.pem").write_text(pem)
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem", pem


def _serve(app: Starlette, cert: Path, key: Path) -> tuple[uvicorn.Server, threading.Thread, int]:
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else 40 ms delayed ACKs).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, ssl_certfile=str(cert), ssl_keyfile=str(key),
                                           log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, port


def _bare_app(root: Path) -> Starlette:
    async def put(request: Request) -> JSONResponse:
        # What any receiver that must not lose an upload does: temp file, fsync, rename, fsync
        # the folder, then answer. No authentication, no signature, no outbox bookkeeping.
        body = await request.body()
        path = root / f"{request.path_params['bundle_id']}.age"
        await run_in_threadpool(write_atomic, path, body)
        return JSONResponse({"stored": True}, status_code=201)

    root.mkdir(parents=True, exist_ok=True)
    return Starlette(routes=[Route("/v1/bundles/{bundle_id}", put, methods=["PUT"])])


def main() -> None:
    """Print both timings and their ratio."""
    import keyring
    from keyring.backends import fail

    from fieldkit.settings import Settings
    from fieldkit.store import Store
    from sync import device, lead, outbox
    from sync.inbox import create_inbox_app
    from sync.transport import pinned_ssl_context, transport_for
    from tests.reliability.sync_rig import queue_cases

    keyring.set_keyring(fail.Keyring())  # the benchmark measures sync, not the keyring
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        cert, key, pem = _tls(folder)
        fast = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}
        lead_store = Store.create(Settings(data_dir=folder / "lead", **fast), "bench passphrase")
        device_store = Store.create(Settings(data_dir=folder / "dev", **fast), "bench passphrase")
        lead.init_lead(lead_store)
        devices_file = folder / "devices.json"
        devices_file.write_bytes(lead.export_devices(lead_store))
        keys = lead.lead_keys(lead_store)
        inbox, inbox_thread, port = _serve(
            create_inbox_app(folder / "inbox", devices_file, lead_public_key=keys.public_key),
            cert, key)
        _, signed = lead.make_profile(lead_store, council="Bench Council", lead_name="Lead",
                                      lead_contact="lead@council.example",
                                      inbox_url=f"https://127.0.0.1:{port}",
                                      inbox_cert_pem=pem)
        device.import_profile(device_store, signed)
        lead.add_device(lead_store, device.enrolment_request(
            device_store, device_name="bench", organisation="Trading Standards"))
        devices_file.write_bytes(lead.export_devices(lead_store))
        print(f"queueing {BUNDLES} bundles ...", flush=True)
        ids = queue_cases(device_store, BUNDLES)
        payloads = [(i, bytes(device_store.conn.execute(
            "SELECT content FROM outbox WHERE bundle_id = ?", (i,)).fetchone()[0])) for i in ids]

        bare, bare_thread, bare_port = _serve(_bare_app(folder / "bare"), cert, key)
        with httpx.Client(verify=pinned_ssl_context(pem), trust_env=False) as client:
            started = time.perf_counter()
            for bundle_id, body in payloads:
                client.put(f"https://127.0.0.1:{bare_port}/v1/bundles/{bundle_id}",
                           content=body).raise_for_status()
            raw = time.perf_counter() - started

        profile = device.current_profile(device_store)
        assert profile is not None
        transport = transport_for(profile, device_id=device.device_id(device_store),
                                  device_key=device.signing_key(device_store))
        started = time.perf_counter()
        report = outbox.send_due(device_store, transport)
        ours = time.perf_counter() - started
        assert report.delivered == BUNDLES and report.waiting == 0, report
        for server, thread in ((inbox, inbox_thread), (bare, bare_thread)):
            server.should_exit = True
            thread.join(10)
        device_store.lock()
        lead_store.lock()
    size = sum(len(body) for _, body in payloads) / len(payloads)
    print(f"sync: {BUNDLES} bundles of ~{size / 1024:.1f} KiB over HTTPS on loopback")
    print(f"  raw httpx uploads (baseline): {raw:.2f} s  ({raw / BUNDLES * 1000:.2f} ms each)")
    print(f"  fieldkit outbox -> inbox:     {ours:.2f} s  ({ours / BUNDLES * 1000:.2f} ms each)")
    print(f"  ratio: {ours / raw:.2f}x  (goal: under 2x)")


if __name__ == "__main__":
    main()
