"""Transports without a network: the folder transport's atomicity and receipts, and how the
HTTPS transport maps each inbox answer to a delivery or a typed error."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import httpx
import pytest

from sync import durable
from sync.errors import (
    BundleTooLargeForDestination,
    DeliveryConflict,
    DeliveryRefused,
    DeliveryUnauthorised,
    DestinationUnavailable,
    DeviceNotEnrolled,
    InsecureDestination,
    ReceiptRejected,
    TransportError,
)
from sync.keys import LeadKeys, new_signing_key
from sync.layout import delivered_bundles
from sync.receipts import ImportReceipt, write_import_receipt
from sync.request_auth import HEADER_CONTENT_SHA256, HEADER_DEVICE, HEADER_SIGNATURE
from sync.transport import FolderTransport, HttpsTransport, fetch_receipts

BUNDLE = b"age-encryption.org/v1\n fictional ciphertext " * 100


@pytest.fixture
def lead() -> LeadKeys:
    return LeadKeys.generate()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    root = tmp_path / "msl-share"
    root.mkdir()
    return root


def test_send_writes_the_bundle_whole(share: Path, lead: LeadKeys) -> None:
    bundle_id = str(uuid.uuid4())
    receipt = FolderTransport(share, lead_public_key=lead.public_key).send(bundle_id, BUNDLE)
    assert receipt.outcome == "stored" and receipt.bundle_id == bundle_id
    assert receipt.sha256 == hashlib.sha256(BUNDLE).hexdigest()
    assert (share / "bundles" / f"{bundle_id}.age").read_bytes() == BUNDLE
    assert sorted(p.name for p in (share / "bundles").iterdir()) == [f"{bundle_id}.age"]
    assert delivered_bundles(share) == [(bundle_id, share / "bundles" / f"{bundle_id}.age")]


def test_identical_resend_is_already_delivered(share: Path, lead: LeadKeys) -> None:
    transport, bundle_id = (
        FolderTransport(share, lead_public_key=lead.public_key),
        str(uuid.uuid4()),
    )
    transport.send(bundle_id, BUNDLE)
    assert transport.send(bundle_id, BUNDLE).outcome == "already_held"


def test_same_id_other_content_is_a_conflict_and_keeps_the_first(
    share: Path, lead: LeadKeys
) -> None:
    transport, bundle_id = (
        FolderTransport(share, lead_public_key=lead.public_key),
        str(uuid.uuid4()),
    )
    transport.send(bundle_id, BUNDLE)
    with pytest.raises(DeliveryConflict) as caught:
        transport.send(bundle_id, BUNDLE + b"!")
    assert not caught.value.retryable
    assert (share / "bundles" / f"{bundle_id}.age").read_bytes() == BUNDLE
    assert [p.name for p in (share / "bundles").iterdir()] == [f"{bundle_id}.age"]


def test_missing_share_is_retryable_and_not_created(tmp_path: Path, lead: LeadKeys) -> None:
    transport = FolderTransport(tmp_path / "not-mounted", lead_public_key=lead.public_key)
    assert not transport.probe()
    with pytest.raises(DestinationUnavailable) as caught:
        transport.send(str(uuid.uuid4()), BUNDLE)
    assert caught.value.retryable
    assert not (tmp_path / "not-mounted").exists()


def test_bad_bundle_id_never_becomes_a_path(share: Path, lead: LeadKeys) -> None:
    with pytest.raises(ValueError):
        FolderTransport(share, lead_public_key=lead.public_key).send("../../evil", BUNDLE)


def test_no_partial_bundle_is_ever_visible(
    share: Path, lead: LeadKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the moment the name appears the content is complete and synced; before, no *.age."""
    seen: list[tuple[list[str], bytes, int]] = []
    real_link, real_fsync = os.link, os.fsync
    synced: list[int] = []

    def watching_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def watching_link(source: str | Path, target: str | Path) -> None:
        bundles = share / "bundles"
        seen.append(
            ([p.name for p in bundles.glob("*.age")], Path(source).read_bytes(), len(synced))
        )
        assert not Path(source).name.endswith(".age")
        real_link(source, target)

    monkeypatch.setattr(os, "fsync", watching_fsync)
    monkeypatch.setattr(os, "link", watching_link)
    FolderTransport(share, lead_public_key=lead.public_key).send(str(uuid.uuid4()), BUNDLE)
    assert seen == [([], BUNDLE, 1)]  # nothing visible yet, the staged copy whole and fsynced
    assert len(synced) == 2  # and the folder fsynced after the rename


def test_a_crash_while_writing_leaves_nothing_behind(
    share: Path, lead: LeadKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(DestinationUnavailable, match="ENOSPC"):
        FolderTransport(share, lead_public_key=lead.public_key).send(str(uuid.uuid4()), BUNDLE)
    assert list((share / "bundles").iterdir()) == []


def test_file_systems_without_hard_links_still_work(
    share: Path, lead: LeadKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str, target: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    transport, bundle_id = (
        FolderTransport(share, lead_public_key=lead.public_key),
        str(uuid.uuid4()),
    )
    assert transport.send(bundle_id, BUNDLE).outcome == "stored"
    assert transport.send(bundle_id, BUNDLE).outcome == "already_held"
    with pytest.raises(DeliveryConflict):
        transport.send(bundle_id, b"different")
    assert [p.name for p in (share / "bundles").iterdir()] == [f"{bundle_id}.age"]


def test_staging_names_never_match_the_bundle_glob(share: Path) -> None:
    fd, path = durable.new_staging_file(share)
    os.close(fd)
    assert path.name.startswith(".") and not path.name.endswith(".age")
    assert delivered_bundles(share) == []


def _receipt(bundle_id: str, status: str = "imported") -> ImportReceipt:
    return ImportReceipt(
        bundle_id=bundle_id, bundle_sha256=hashlib.sha256(BUNDLE).hexdigest(), status=status
    )  # type: ignore[arg-type]


def test_receipts_written_by_the_importer_are_picked_up(share: Path, lead: LeadKeys) -> None:
    transport, bundle_id = (
        FolderTransport(share, lead_public_key=lead.public_key),
        str(uuid.uuid4()),
    )
    transport.send(bundle_id, BUNDLE)
    assert transport.poll_receipt(bundle_id) is None
    write_import_receipt(share, _receipt(bundle_id), lead.signing_key)
    receipt = transport.poll_receipt(bundle_id)
    assert receipt is not None and receipt.status == "imported" and receipt.bundle_id == bundle_id


def test_forged_or_misplaced_receipts_are_refused(share: Path, lead: LeadKeys) -> None:
    transport = FolderTransport(share, lead_public_key=lead.public_key)
    forged, moved, good = (str(uuid.uuid4()) for _ in range(3))
    write_import_receipt(share, _receipt(forged), LeadKeys.generate().signing_key)
    write_import_receipt(share, _receipt(good), lead.signing_key)
    (share / "receipts" / f"{good}.json").rename(share / "receipts" / f"{moved}.json")
    with pytest.raises(ReceiptRejected):
        transport.poll_receipt(forged)
    with pytest.raises(ReceiptRejected, match="another bundle"):
        transport.poll_receipt(moved)
    write_import_receipt(share, _receipt(good, "rejected"), lead.signing_key)
    assert set(fetch_receipts(transport, [forged, moved, good, str(uuid.uuid4())])) == {good}


# -- HTTPS transport, with the network replaced --------------------------------------------


def https(
    handler: httpx.MockTransport, url: str = "https://inbox.exampleshire.invalid"
) -> HttpsTransport:
    return HttpsTransport(
        url,
        device_id=str(uuid.uuid4()),
        device_key=new_signing_key(),
        lead_public_key=LeadKeys.generate().public_key,
        http_transport=handler,
    )


def answering(status: int) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json={}))


def test_requests_are_signed_puts_to_the_bundle_url() -> None:
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(201, json=_confirming(request))

    bundle_id = str(uuid.uuid4())
    assert https(httpx.MockTransport(handler)).send(bundle_id, BUNDLE).outcome == "stored"
    (request,) = captured
    assert request.method == "PUT"
    assert str(request.url) == f"https://inbox.exampleshire.invalid/v1/bundles/{bundle_id}"
    assert request.headers[HEADER_CONTENT_SHA256] == hashlib.sha256(BUNDLE).hexdigest()
    assert request.headers[HEADER_DEVICE] and request.headers[HEADER_SIGNATURE]
    assert request.content == BUNDLE


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [
        (409, DeliveryConflict, False),
        (401, DeliveryUnauthorised, False),
        (403, DeviceNotEnrolled, False),
        (413, BundleTooLargeForDestination, False),
        (500, DestinationUnavailable, True),
        (503, DestinationUnavailable, True),
        (429, DestinationUnavailable, True),
        (400, DeliveryRefused, False),
        (302, DeliveryRefused, False),
    ],
)
def test_status_codes_become_typed_errors(
    status: int, error: type[Exception], retryable: bool
) -> None:
    with pytest.raises(error) as caught:
        https(answering(status)).send(str(uuid.uuid4()), BUNDLE)
    assert isinstance(caught.value, TransportError) and caught.value.retryable is retryable


def _confirming(request: httpx.Request) -> dict[str, str]:
    """What the inbox answers: the bundle id and the SHA-256 of the bytes it holds."""
    return {"bundle_id": request.url.path.rsplit("/", 1)[1],
            "sha256": hashlib.sha256(request.content).hexdigest(), "outcome": "stored"}


def test_200_is_already_held() -> None:
    confirming = httpx.MockTransport(lambda r: httpx.Response(200, json=_confirming(r)))
    assert https(confirming).send(str(uuid.uuid4()), BUNDLE).outcome == "already_held"


@pytest.mark.parametrize("reply", [{}, {"bundle_id": "x", "sha256": "0" * 64}, None])
def test_a_200_that_does_not_confirm_these_bytes_is_not_delivery(reply: object) -> None:
    # A captive portal or a misbehaving proxy answering 200 must not empty the outbox.
    answer = httpx.MockTransport(
        lambda r: httpx.Response(200, json=reply) if reply is not None
        else httpx.Response(200, text="<html>Welcome to the hotel wifi</html>"))
    with pytest.raises(DestinationUnavailable):
        https(answer).send(str(uuid.uuid4()), BUNDLE)


def test_network_errors_are_retryable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    transport = https(httpx.MockTransport(handler))
    with pytest.raises(DestinationUnavailable) as caught:
        transport.send(str(uuid.uuid4()), BUNDLE)
    assert caught.value.retryable
    assert transport.probe() is False


def test_bundle_ids_must_be_uuids() -> None:
    transport = https(answering(201))
    for bad in ("../../admin", "", str(uuid.uuid4()).upper()):
        with pytest.raises(ValueError):
            transport.send(bad, BUNDLE)
        with pytest.raises(ValueError):
            transport.poll_receipt(bad)


def test_plain_http_to_another_machine_is_refused() -> None:
    with pytest.raises(InsecureDestination):
        https(answering(201), url="http://inbox.exampleshire.invalid")


def test_nothing_listening_is_retryable() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = HttpsTransport(
        f"http://127.0.0.1:{port}",
        device_id=str(uuid.uuid4()),
        device_key=new_signing_key(),
        lead_public_key=LeadKeys.generate().public_key,
    )
    assert transport.probe() is False
    with pytest.raises(DestinationUnavailable):
        transport.send(str(uuid.uuid4()), BUNDLE)


def test_fetch_receipts_stops_quietly_when_the_destination_fails() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 2:
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(404)

    ids = [str(uuid.uuid4()) for _ in range(4)]
    assert fetch_receipts(https(httpx.MockTransport(handler)), ids) == {}
    assert len(calls) == 2  # stopped at the failure instead of raising or hammering on
