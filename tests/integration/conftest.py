"""Fixtures for the sync integration tests: a self-signed TLS certificate and a real inbox
(uvicorn on a free loopback port, in a thread), stopped after each test."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.inbox import create_inbox_app


@dataclass(frozen=True)
class InboxTlsCert:
    """A self-signed certificate for localhost/127.0.0.1 and its key, as PEM files."""

    cert_path: Path
    key_path: Path
    pem: str


def make_self_signed(folder: Path, name: str = "inbox") -> InboxTlsCert:
    """A fresh self-signed server certificate valid for localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fieldkit test inbox")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    cert_path, key_path = folder / f"{name}-cert.pem", folder / f"{name}-key.pem"
    cert_path.write_text(pem)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return InboxTlsCert(cert_path, key_path, pem)


@pytest.fixture
def inbox_tls_cert(tmp_path: Path) -> InboxTlsCert:
    """A self-signed certificate for a test inbox on 127.0.0.1."""
    return make_self_signed(tmp_path)


@dataclass(frozen=True)
class RunningInbox:
    """A live inbox: its base URL and storage root."""

    url: str
    root: Path


StartInbox = Callable[..., RunningInbox]


@pytest.fixture
def start_inbox(tmp_path: Path) -> Iterator[StartInbox]:
    """Start a real uvicorn inbox over TLS on 127.0.0.1; every one started is stopped at the end."""
    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(
        *,
        devices_file: Path,
        lead_public_key: str,
        tls: InboxTlsCert,
        max_bundle_bytes: int = 1024 * 1024,
        root: Path | None = None,
    ) -> RunningInbox:
        root = root or tmp_path / "inbox-root"
        app = create_inbox_app(
            root, devices_file, lead_public_key=lead_public_key, max_bundle_bytes=max_bundle_bytes
        )
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else 40 ms delayed ACKs).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))  # the port is ours before uvicorn starts: no race
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            ssl_certfile=str(tls.cert_path),
            ssl_keyfile=str(tls.key_path),
            log_level="warning",
            lifespan="off",
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        url = f"https://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        with httpx.Client(verify=_context(tls.pem), trust_env=False, timeout=2) as client:
            while True:
                try:
                    if client.get(f"{url}/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or not thread.is_alive():
                    raise RuntimeError("the test inbox did not start")
                time.sleep(0.02)
        return RunningInbox(url, root)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def _context(pem: str):  # type: ignore[no-untyped-def]
    from sync.transport import pinned_ssl_context

    return pinned_ssl_context(pem)
