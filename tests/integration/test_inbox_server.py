"""The inbox runner as shipped (``inbox_server``/``serve``): plain HTTP on loopback for a quick
local setup, and HTTPS with a certificate and key."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.bundle import AuditAnchor, build_bundle
from sync.enrolment import EnrolledDevice, new_device_id, new_device_key, sign_enrolled_devices
from sync.inbox import inbox_server
from sync.keys import LeadKeys, signing_public_text
from sync.transport import HttpsTransport
from tests.integration.conftest import InboxTlsCert

NO_AUDIT = AuditAnchor(seq=0, hash="0" * 64, since=0)


@contextmanager
def running(server) -> Iterator[int]:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "inbox did not start"
            time.sleep(0.02)
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _send_one(url: str, lead: LeadKeys, pem: str | None, devices_file: Path) -> str:
    key, device_id = new_device_key(), new_device_id()
    entry = EnrolledDevice(
        device_id=device_id, public_key=signing_public_text(key), officer="Officer Test"
    )
    devices_file.write_bytes(sign_enrolled_devices([entry], lead.signing_key))
    bundle_id = str(uuid.uuid4())
    data = build_bundle(
        bundle_id=bundle_id,
        device_id=device_id,
        device_key=key,
        officer="Officer Test",
        case_id="case-7",
        supersedes=None, counter=1, audit=NO_AUDIT, audit_events=[],
        schema_versions={"note": 1},
        records=[],
        attachments={},
        recipients=[lead.age_recipient],
    )
    transport = HttpsTransport(
        url,
        device_id=device_id,
        device_key=key,
        lead_public_key=lead.public_key,
        certificate_pem=pem,
        timeout_seconds=10,
    )
    with transport:
        assert transport.probe()
        return transport.send(bundle_id, data).outcome


def test_plain_http_on_loopback(tmp_path: Path) -> None:
    lead, devices = LeadKeys.generate(), tmp_path / "devices.json"
    devices.write_bytes(sign_enrolled_devices([], lead.signing_key))
    server = inbox_server(
        tmp_path / "root", devices, "127.0.0.1", 0, lead_public_key=lead.public_key
    )
    with running(server) as port:
        assert _send_one(f"http://127.0.0.1:{port}", lead, None, devices) == "stored"


def test_https_with_certificate_and_key(tmp_path: Path, inbox_tls_cert: InboxTlsCert) -> None:
    lead, devices = LeadKeys.generate(), tmp_path / "devices.json"
    devices.write_bytes(sign_enrolled_devices([], lead.signing_key))
    server = inbox_server(
        tmp_path / "root",
        devices,
        "127.0.0.1",
        0,
        inbox_tls_cert.cert_path,
        inbox_tls_cert.key_path,
        lead_public_key=lead.public_key,
    )
    with running(server) as port:
        url = f"https://localhost:{port}"
        assert _send_one(url, lead, inbox_tls_cert.pem, devices) == "stored"
