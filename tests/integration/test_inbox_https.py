"""The HTTPS inbox for real: uvicorn on 127.0.0.1 over TLS, the device's HttpsTransport and raw
signed requests. Every answer the contract names: 201, 200, 409, 401, 413, 400, 503."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.bundle import AuditAnchor, build_bundle, read_bundle
from sync.bundle_owners import bundle_owner
from sync.enrolment import EnrolledDevice, new_device_id, new_device_key, sign_enrolled_devices
from sync.errors import (
    BundleTooLargeForDestination,
    DeliveryConflict,
    DeliveryUnauthorised,
    DestinationUnavailable,
)
from sync.inbox import MEMORY_BODY_BYTES, NOT_AUTHENTICATED
from sync.keys import LeadKeys, signing_public_text
from sync.layout import delivered_bundles
from sync.receipts import ImportReceipt, write_import_receipt
from sync.request_auth import sign_request
from sync.transport import HttpsTransport, pinned_ssl_context
from tests.integration.conftest import InboxTlsCert, RunningInbox, StartInbox, make_self_signed

LIMIT = 256 * 1024

NO_AUDIT = AuditAnchor(seq=0, hash="0" * 64, since=0)


@dataclass
class Device:
    key: Ed25519PrivateKey = field(default_factory=new_device_key)
    device_id: str = field(default_factory=new_device_id)

    def entry(self, *, revoked: bool = False) -> EnrolledDevice:
        return EnrolledDevice(
            device_id=self.device_id,
            public_key=signing_public_text(self.key),
            officer="Officer Test",
            revoked=revoked,
        )


@dataclass
class Setup:
    lead: LeadKeys
    tls: InboxTlsCert
    devices_file: Path
    inbox: RunningInbox
    device: Device
    revoked: Device

    def transport(self, device: Device | None = None, **options: object) -> HttpsTransport:
        device = device or self.device
        return HttpsTransport(
            self.inbox.url,
            device_id=device.device_id,
            device_key=device.key,
            lead_public_key=self.lead.public_key,
            certificate_pem=self.tls.pem,
            timeout_seconds=10,
            **options,
        )  # type: ignore[arg-type]

    def publish_devices(self, *entries: EnrolledDevice) -> None:
        data = sign_enrolled_devices(entries, self.lead.signing_key)
        tmp = self.devices_file.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.devices_file)

    def client(self) -> httpx.Client:
        return httpx.Client(verify=pinned_ssl_context(self.tls.pem), trust_env=False, timeout=10)

    def bundle(
        self, device: Device | None = None, bundle_id: str | None = None
    ) -> tuple[str, bytes]:
        device = device or self.device
        bundle_id = bundle_id or str(uuid.uuid4())
        return bundle_id, build_bundle(
            bundle_id=bundle_id,
            device_id=device.device_id,
            device_key=device.key,
            officer="Officer Test",
            case_id="case-0042",
            supersedes=None, counter=1, audit=NO_AUDIT, audit_events=[],
            schema_versions={"note": 1},
            records=[{"kind": "note", "text": "Fictional."}],
            attachments={},
            recipients=[self.lead.age_recipient],
        )


@pytest.fixture
def setup(tmp_path: Path, inbox_tls_cert: InboxTlsCert, start_inbox: StartInbox) -> Setup:
    lead, device, revoked = LeadKeys.generate(), Device(), Device()
    devices_file = tmp_path / "enrolled-devices.json"
    devices_file.write_bytes(
        sign_enrolled_devices([device.entry(), revoked.entry(revoked=True)], lead.signing_key)
    )
    inbox = start_inbox(
        devices_file=devices_file,
        lead_public_key=lead.public_key,
        tls=inbox_tls_cert,
        max_bundle_bytes=LIMIT,
    )
    return Setup(lead, inbox_tls_cert, devices_file, inbox, device, revoked)


def test_201_stores_durably_then_200_for_an_identical_resend(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    with setup.transport() as transport:
        assert transport.probe()
        assert transport.send(bundle_id, data).outcome == "stored"
        assert transport.send(bundle_id, data).outcome == "already_held"
    stored = setup.inbox.root / "bundles" / f"{bundle_id}.age"
    assert stored.read_bytes() == data
    assert delivered_bundles(setup.inbox.root) == [(bundle_id, stored)]
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no staging leftovers
    verified = read_bundle(
        stored.read_bytes(),
        identities=[setup.lead.age_identity],
        devices={setup.device.device_id: setup.device.entry()},
        known_schemas={"note": 1},
        expected_bundle_id=bundle_id,
    )
    assert verified.records == [{"kind": "note", "text": "Fictional."}]


def test_409_for_another_bundle_under_the_same_id(setup: Setup) -> None:
    bundle_id, first = setup.bundle()
    _, second = setup.bundle(bundle_id=bundle_id)
    with setup.transport() as transport:
        transport.send(bundle_id, first)
        with pytest.raises(DeliveryConflict):
            transport.send(bundle_id, second)
    assert (setup.inbox.root / "bundles" / f"{bundle_id}.age").read_bytes() == first


def test_one_answer_for_unknown_and_revoked_devices(setup: Setup) -> None:
    for device in (Device(), setup.revoked):
        bundle_id, data = setup.bundle(device)
        with setup.transport(device) as transport, pytest.raises(DeliveryUnauthorised):
            transport.send(bundle_id, data)
    assert delivered_bundles(setup.inbox.root) == []


def test_401_for_a_stale_or_future_timestamp(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    for offset in (-330, +330):  # clearly outside ±300 s, whatever the rounding and delay
        skewed = setup.transport(clock=lambda offset=offset: time.time() + offset)
        with skewed, pytest.raises(DeliveryUnauthorised):
            skewed.send(bundle_id, data)
    with setup.transport(clock=lambda: time.time() - 200) as transport:
        assert transport.send(bundle_id, data).outcome == "stored"  # within tolerance


def _signed_put(
    setup: Setup, bundle_id: str, data: bytes, device: Device | None = None, **tweak: str
) -> tuple[str, dict[str, str], bytes]:
    device = device or setup.device
    headers = sign_request(
        device_id=device.device_id,
        device_key=device.key,
        method="PUT",
        bundle_id=bundle_id,
        body=data,
        timestamp=int(time.time()),
    )
    headers.update(tweak)
    return f"{setup.inbox.url}/v1/bundles/{bundle_id}", headers, data


def test_401_for_a_replayed_request(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    url, headers, body = _signed_put(setup, bundle_id, data)
    with setup.client() as client:
        assert client.put(url, headers=headers, content=body).status_code == 201
        replay = client.put(url, headers=headers, content=body)
    assert replay.status_code == 401 and replay.json()["error"] == NOT_AUTHENTICATED


def test_401_for_a_signature_moved_to_another_bundle_or_body(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    url, headers, body = _signed_put(setup, bundle_id, data)
    other_id = str(uuid.uuid4())
    with setup.client() as client:
        moved = client.put(
            f"{setup.inbox.url}/v1/bundles/{other_id}", headers=headers, content=body
        )
        assert moved.status_code == 401
        _, other = setup.bundle(bundle_id=bundle_id)
        swapped = dict(headers, **{"X-Fieldkit-Content-SHA256": hashlib.sha256(other).hexdigest()})
        assert client.put(url, headers=swapped, content=other).status_code == 401
        assert client.put(url, content=body).status_code == 401  # no signature at all


def test_400_for_a_body_that_is_not_the_signed_one(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    url, headers, _ = _signed_put(setup, bundle_id, data)
    with setup.client() as client:
        answer = client.put(url, headers=headers, content=data[:-1] + b"x")
    assert answer.status_code == 400
    assert list((setup.inbox.root / "bundles").iterdir()) == []


def test_400_for_a_bundle_id_that_is_not_a_uuid(setup: Setup) -> None:
    with setup.client() as client:
        for bad in ("not-a-uuid", "..%2F..%2Fetc", uuid.uuid4().hex, str(uuid.uuid4()).upper()):
            url, headers, body = _signed_put(setup, bad, b"x")
            assert client.put(url, headers=headers, content=body).status_code in (400, 404)
        url, headers, body = _signed_put(setup, "not-a-uuid", b"x")
        assert client.put(url, headers=headers, content=body).status_code == 400


def test_413_by_content_length_and_while_streaming(setup: Setup) -> None:
    bundle_id, data = str(uuid.uuid4()), os.urandom(LIMIT + 1)
    with setup.transport() as transport, pytest.raises(BundleTooLargeForDestination):
        transport.send(bundle_id, data)
    url, headers, body = _signed_put(setup, bundle_id, data)

    def chunks():  # no Content-Length: the inbox must count as it reads
        for start in range(0, len(body), 16 * 1024):
            yield body[start : start + 16 * 1024]

    with setup.client() as client:
        answer = client.put(url, headers=headers, content=chunks())
    assert answer.status_code == 413
    assert list((setup.inbox.root / "bundles").iterdir()) == []


def test_exactly_the_limit_is_accepted(setup: Setup) -> None:
    with setup.transport() as transport:
        assert transport.send(str(uuid.uuid4()), os.urandom(LIMIT)).outcome == "stored"


def test_devices_file_changes_are_picked_up_without_restart(setup: Setup) -> None:
    newcomer = Device()
    with setup.transport(newcomer) as transport:
        bundle_id, data = setup.bundle(newcomer)
        with pytest.raises(DeliveryUnauthorised):
            transport.send(bundle_id, data)
        setup.publish_devices(setup.device.entry(), newcomer.entry())
        assert transport.send(bundle_id, data).outcome == "stored"
        setup.publish_devices(setup.device.entry(), newcomer.entry(revoked=True))
        with pytest.raises(DeliveryUnauthorised):
            transport.send(*setup.bundle(newcomer))


def test_a_devices_file_that_does_not_verify_shuts_the_door(setup: Setup) -> None:
    forged = sign_enrolled_devices([setup.device.entry()], LeadKeys.generate().signing_key)
    setup.devices_file.write_bytes(forged)
    with setup.transport() as transport, pytest.raises(DestinationUnavailable, match="HTTP 503"):
        transport.send(*setup.bundle())


def test_health_and_openapi(setup: Setup) -> None:
    with setup.client() as client:
        health = client.get(f"{setup.inbox.url}/v1/health")
        document = client.get(f"{setup.inbox.url}/v1/openapi.json").json()
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert document["openapi"].startswith("3.")
    put = document["paths"]["/v1/bundles/{bundle_id}"]["put"]
    assert set(put["responses"]) >= {"201", "200", "400", "401", "409", "413"}


def test_receipts_travel_back_over_https(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    with setup.transport() as transport:
        transport.send(bundle_id, data)
        assert transport.poll_receipt(bundle_id) is None
        receipt = ImportReceipt(
            bundle_id=bundle_id, bundle_sha256=hashlib.sha256(data).hexdigest(), status="imported"
        )
        write_import_receipt(setup.inbox.root, receipt, setup.lead.signing_key)
        fetched = transport.poll_receipt(bundle_id)
    assert fetched is not None and fetched.status == "imported"


def test_an_unpinned_certificate_is_not_trusted(setup: Setup, tmp_path: Path) -> None:
    other = make_self_signed(tmp_path, "impostor")
    transport = HttpsTransport(
        setup.inbox.url,
        device_id=setup.device.device_id,
        device_key=setup.device.key,
        lead_public_key=setup.lead.public_key,
        certificate_pem=other.pem,
        timeout_seconds=10,
    )
    with transport:
        with pytest.raises(DestinationUnavailable, match="certificate"):
            transport.send(*setup.bundle())
        assert not transport.probe()


@pytest.fixture
def roomy(tmp_path: Path, inbox_tls_cert: InboxTlsCert, start_inbox: StartInbox) -> Setup:
    """An inbox whose limit lets a body be larger than what it holds in memory."""
    lead, device, revoked = LeadKeys.generate(), Device(), Device()
    devices_file = tmp_path / "roomy-devices.json"
    devices_file.write_bytes(sign_enrolled_devices([device.entry()], lead.signing_key))
    inbox = start_inbox(devices_file=devices_file, lead_public_key=lead.public_key,
                        tls=inbox_tls_cert, max_bundle_bytes=4 * MEMORY_BODY_BYTES,
                        root=tmp_path / "roomy-root")
    return Setup(lead, inbox_tls_cert, devices_file, inbox, device, revoked)


@pytest.mark.parametrize("size", [1, MEMORY_BODY_BYTES, MEMORY_BODY_BYTES + 1,
                                  3 * MEMORY_BODY_BYTES + 12345])
def test_bodies_held_in_memory_or_streamed_are_stored_whole_and_claimed(
    roomy: Setup, size: int
) -> None:
    """Small bodies are held in memory until checked, larger ones stream to a staging file:
    either way the bytes are stored exactly, the id is claimed by the device, nothing is left
    behind, and a resend is 'already held'."""
    bundle_id, data = str(uuid.uuid4()), os.urandom(size)
    with roomy.transport() as transport:
        assert transport.send(bundle_id, data).outcome == "stored"
        assert transport.send(bundle_id, data).outcome == "already_held"
    stored = roomy.inbox.root / "bundles" / f"{bundle_id}.age"
    assert stored.read_bytes() == data
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no staging leftovers
    assert bundle_owner(roomy.inbox.root, bundle_id) == roomy.device.device_id
    claim = roomy.inbox.root / "owners" / bundle_id
    assert claim.is_symlink() and os.readlink(claim) == roomy.device.device_id


@pytest.mark.parametrize("size", [1000, 3 * MEMORY_BODY_BYTES])
def test_a_body_that_is_not_the_signed_one_leaves_nothing_whatever_its_size(
    roomy: Setup, size: int
) -> None:
    bundle_id, data = str(uuid.uuid4()), os.urandom(size)
    url, headers, _ = _signed_put(roomy, bundle_id, data)
    with roomy.client() as client:
        answer = client.put(url, headers=headers, content=data[:-1] + b"x")
    assert answer.status_code == 400
    assert list((roomy.inbox.root / "bundles").iterdir()) == []
    assert bundle_owner(roomy.inbox.root, bundle_id) is None
