"""The sync benchmarks' rig: a loopback TLS certificate, the bare durable endpoint (the
baseline receiver), servers run in their own processes, and queued fictional cases.

The bare endpoint does what any receiver that must not lose an upload does (temp file, fsync,
rename, fsync the folder, then answer) and nothing else: no authentication, no signature, no
replay check. Tests may import this module; it never imports tests.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fieldkit import cases, notes
from fieldkit.atomicfile import write_atomic
from fieldkit.settings import Settings
from fieldkit.store import Store

PASSPHRASE = "bench passphrase for a throwaway store"


def fast_settings(folder: Path) -> Settings:
    """Settings for a throwaway store whose key derivation is not what is measured."""
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


@dataclass(frozen=True)
class Tls:
    """A self-signed certificate for 127.0.0.1 (files and the PEM text devices pin)."""

    cert: Path
    key: Path
    pem: str


def make_tls(folder: Path) -> Tls:
    """Write a fresh loopback certificate and key into ``folder``."""
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
    return Tls(folder / "cert.pem", folder / "key.pem", pem)


def bare_durable_app(root: Path) -> Starlette:
    """The baseline receiver: ``PUT /v1/bundles/{id}`` stored durably, nothing checked."""

    async def put(request: Request) -> JSONResponse:
        body = await request.body()
        path = root / f"{request.path_params['bundle_id']}.age"
        await run_in_threadpool(write_atomic, path, body)
        return JSONResponse({"stored": True}, status_code=201)

    root.mkdir(parents=True, exist_ok=True)
    return Starlette(routes=[Route("/v1/bundles/{bundle_id}", put, methods=["PUT"])])


@dataclass
class ServerProcess:
    """A receiver (the inbox or the bare endpoint) running in its own process."""

    process: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        """Stop it and wait for it to go."""
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_server(kind: str, root: Path, tls: Tls, *, devices: Path | None = None,
                 lead_public_key: str = "") -> ServerProcess:
    """Start ``python -m bench.serve`` (``inbox`` or ``bare``) and wait until it answers."""
    port_file = root.parent / f"{root.name}.port"
    port_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.serve", kind, str(root), str(tls.cert),
               str(tls.key), str(port_file)]
    if devices is not None:
        command += [str(devices), lead_public_key]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while not port_file.exists() or not port_file.read_text().strip():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the {kind} server did not start")
        time.sleep(0.02)
    return ServerProcess(process, int(port_file.read_text()))


def wait_until_listening(port: int, pem: str) -> None:
    """Block until the server's TLS port accepts a connection."""
    from sync.transport import pinned_ssl_context

    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=pinned_ssl_context(pem),
                      trust_env=False, timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def queue_cases(store: Store, count: int, *, reuse_packs: bool = False) -> list[str]:
    """``count`` small fictional cases, each sealed into a bundle in the outbox.

    ``reuse_packs`` (benchmark setup only): render the printed packs of the first case once and
    attach those same bytes to every case, so 1,000 bundles of the real size and shape are made
    in seconds rather than minutes; what the benchmarks time (sync, import) is unchanged.
    """
    from sync import device

    with _packs_rendered_once() if reuse_packs else contextlib.nullcontext():
        bundle_ids = []
        for n in range(count):
            case = cases.create_case(store, f"Fault test case {n}")
            visit = cases.create_visit(store, case.id, f"Premises {n}", "Example Road")
            notes.add_note(store, visit.id, f"Note for case {n}")
            bundle_ids.append(device.send_case(store, case.id).bundle_id)
    return bundle_ids


@contextlib.contextmanager
def _packs_rendered_once() -> Iterator[None]:
    import fieldkit.pdf

    real = fieldkit.pdf.render_case_pdfs
    first: dict[str, bytes] = {}

    def once(store: Store, case_id: str) -> dict[str, bytes]:
        if not first:
            first.update(real(store, case_id))
        return dict(first)

    fieldkit.pdf.render_case_pdfs = once  # type: ignore[assignment]
    try:
        yield
    finally:
        fieldkit.pdf.render_case_pdfs = real
