"""Transports: how a finished bundle reaches the Lead, through a shared folder or the HTTPS inbox.

Both give the same answers: a :class:`Receipt` once the destination durably holds the bundle
(newly stored, or already held with identical content), or a typed
:class:`~sync.errors.TransportError` whose ``retryable`` flag tells the outbox what to do next.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit.clock import stamp
from sync.durable import (
    PublishOutcome,
    is_regular_file,
    publish_once,
    read_regular_file,
    stage_bytes,
)
from sync.enrolment import is_canonical_uuid
from sync.errors import (
    BundleTooLargeForDestination,
    DeliveryConflict,
    DeliveryRefused,
    DeliveryUnauthorised,
    DestinationUnavailable,
    DeviceNotEnrolled,
    ReceiptRejected,
    TransportError,
)
from sync.layout import bundle_path, bundles_dir, receipt_path
from sync.profile import FolderDestination, LeadProfile, check_inbox_url, is_loopback_host
from sync.receipts import MAX_RECEIPT_BYTES, ImportReceipt, load_import_receipt
from sync.request_auth import sign_request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """The destination durably holds bundle ``bundle_id`` (this is delivery, not import)."""

    bundle_id: str
    sha256: str
    outcome: Literal["stored", "already_held"]
    at: str


class Transport(Protocol):
    """A way to deliver bundles to the Lead and to learn which ones the Lead has imported."""

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        """Deliver one bundle, or raise a :class:`~sync.errors.TransportError`."""
        ...

    def probe(self) -> bool:
        """True if the destination looks reachable right now (cheap; never raises)."""
        ...

    def poll_receipt(self, bundle_id: str) -> ImportReceipt | None:
        """The Lead's verified import receipt for ``bundle_id``, or ``None`` if none yet."""
        ...

    def close(self) -> None:
        """Release what the transport holds (connections); it is not used again."""
        ...


def fetch_receipts(transport: Transport, bundle_ids: Iterable[str]) -> dict[str, ImportReceipt]:
    """Verified import receipts for those of ``bundle_ids`` that have one. Never raises.

    Receipts are best effort: a receipt that fails verification is skipped and logged (by id),
    and a transport error ends this round early with what was found so far. Either way the
    bundles concerned stay in the outbox until a later round, which is the safe side.
    """
    found: dict[str, ImportReceipt] = {}
    for bundle_id in bundle_ids:
        try:
            receipt = transport.poll_receipt(bundle_id)
        except ReceiptRejected as error:
            log.warning("ignoring receipt for bundle %s: %s", bundle_id, error.detail)
            continue
        except TransportError as error:
            log.info("receipts not collected this round: %s", error)
            break
        if receipt is not None:
            found[bundle_id] = receipt
    return found


def _delivered(bundle_id: str, sha256: str, outcome: PublishOutcome) -> Receipt:
    if outcome is PublishOutcome.CONFLICT:
        raise DeliveryConflict(bundle_id)
    held: Literal["stored", "already_held"] = (
        "stored" if outcome is PublishOutcome.STORED else "already_held"
    )
    return Receipt(bundle_id, sha256, held, stamp())


class FolderTransport:
    """Delivers bundles into ``<root>/bundles`` and reads receipts from ``<root>/receipts``."""

    def __init__(self, root: Path, *, lead_public_key: str) -> None:
        self.root = root
        self.lead_public_key = lead_public_key

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        """Write the bundle atomically; identical content already there counts as delivered."""
        final = bundle_path(self.root, bundle_id)
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.root.is_dir():
            # A share that is not mounted, or a drive not plugged in: never create it locally.
            raise DestinationUnavailable("the destination folder is not there")
        if bundles_dir(self.root).is_symlink():
            # The Lead never reads through it: a bundle written there would show as sent.
            raise DestinationUnavailable("the destination's bundles folder is a link")
        try:
            bundles_dir(self.root).mkdir(exist_ok=True)
            staged = stage_bytes(final.parent, data)
            outcome = publish_once(staged, final, sha256)
        except OSError as error:
            reason = errno.errorcode.get(error.errno or 0, "I/O error")
            raise DestinationUnavailable(f"cannot write to the folder: {reason}") from None
        return _delivered(bundle_id, sha256, outcome)

    def probe(self) -> bool:
        """True if the destination folder exists (for example, the share is mounted)."""
        return self.root.is_dir()

    def poll_receipt(self, bundle_id: str) -> ImportReceipt | None:
        """Read and verify ``<root>/receipts/<id>.json`` if the importer has written it."""
        path = receipt_path(self.root, bundle_id)
        try:  # never through a link, never waiting on a FIFO put in its place
            data = read_regular_file(path, MAX_RECEIPT_BYTES)
        except FileNotFoundError:
            return None
        except OSError:
            return None  # unreadable share: treat as "no receipt yet", the bundle stays queued
        return load_import_receipt(data, self.lead_public_key, bundle_id=bundle_id)

    def missing(self, bundle_id: str) -> bool:
        """True if the share is there but holds no file for a bundle this laptop delivered
        (removed, or a link or FIFO put in its place): the Lead will never import it, so it
        is delivered again. False while the share itself is not there (not mounted: an empty
        mount point has no bundles folder) or its bundles folder is a link."""
        folder = bundles_dir(self.root)
        if not folder.is_dir() or folder.is_symlink():
            return False  # not mounted (an empty mount point has no bundles folder), or not
            # a folder the Lead reads: nothing is sent there (:meth:`send` says why)
        return not is_regular_file(bundle_path(self.root, bundle_id))

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own files."""


def pinned_ssl_context(certificate_pem: str) -> ssl.SSLContext:
    """A TLS context trusting only ``certificate_pem`` (the inbox's own certificate or its CA)."""
    context = ssl.create_default_context(cadata=certificate_pem)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class HttpsTransport:
    """Delivers bundles to the council's HTTPS inbox with signed ``PUT /v1/bundles/{id}``."""

    in_flight = 4
    """Bundles sent at once by :func:`sync.outbox.send_due` (each on its own connection): a
    link's round trips and the inbox's waits for its disk overlap instead of adding up. Safe
    for the Lead, who orders a case's versions by the device's signed counter, never by
    arrival; well inside the inbox's connections per address."""

    def __init__(
        self,
        url: str,
        *,
        device_id: str,
        device_key: Ed25519PrivateKey,
        lead_public_key: str,
        certificate_pem: str | None = None,
        timeout_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
        http_transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``http_transport`` replaces the network layer (tests, or a council's own proxy)."""
        self.url = check_inbox_url(url)
        self.device_id = device_id
        self.lead_public_key = lead_public_key
        self._device_key = device_key
        self._clock = clock
        verify: ssl.SSLContext | bool = (
            pinned_ssl_context(certificate_pem) if certificate_pem else True
        )
        host = urlsplit(self.url).hostname or ""
        self._client = httpx.Client(
            verify=verify,
            timeout=httpx.Timeout(timeout_seconds, connect=min(10.0, timeout_seconds)),
            follow_redirects=False,  # a redirect could lead a signed upload anywhere
            trust_env=not is_loopback_host(host),  # never send this machine's traffic via a proxy
            transport=http_transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpsTransport:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _request(self, method: str, bundle_id: str, path: str, body: bytes,
                 sha256: str | None = None) -> httpx.Response:
        headers = sign_request(
            device_id=self.device_id,
            device_key=self._device_key,
            method=method,
            bundle_id=bundle_id,
            body=body,
            timestamp=int(self._clock()),
            content_sha256=sha256,
        )
        headers["Content-Type"] = "application/octet-stream"
        try:
            return self._client.request(method, f"{self.url}{path}", content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DestinationUnavailable(_network_detail(error)) from None

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        """PUT the bundle; 201 and 200 are deliveries, anything else a typed error."""
        _check_id(bundle_id)
        sha256 = hashlib.sha256(data).hexdigest()  # once: signed, then checked in the reply
        response = self._request("PUT", bundle_id, f"/v1/bundles/{bundle_id}", data, sha256)
        if response.status_code in (200, 201):
            _check_reply(response, bundle_id, sha256)
            outcome = PublishOutcome.STORED if response.status_code == 201 else (
                PublishOutcome.ALREADY_HELD)
            return _delivered(bundle_id, sha256, outcome)
        raise _status_error(response.status_code, bundle_id, self.device_id)

    def probe(self) -> bool:
        """True if ``GET /v1/health`` answers 200."""
        try:
            return self._client.get(f"{self.url}/v1/health").status_code == 200
        except httpx.HTTPError:
            return False

    def poll_receipt(self, bundle_id: str) -> ImportReceipt | None:
        """Fetch and verify the Lead's receipt from ``GET /v1/receipts/{id}`` (404: none yet)."""
        _check_id(bundle_id)
        response = self._request("GET", bundle_id, f"/v1/receipts/{bundle_id}", b"")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _status_error(response.status_code, bundle_id, self.device_id)
        return load_import_receipt(response.content, self.lead_public_key, bundle_id=bundle_id)


def _check_id(bundle_id: str) -> None:
    # Refuse before any I/O: the id becomes part of a URL path.
    if not is_canonical_uuid(bundle_id):
        raise ValueError("a bundle id is a canonical UUID")


def _check_reply(response: httpx.Response, bundle_id: str, sha256: str) -> None:
    """Only the inbox's own answer about these exact bytes counts as delivery (a proxy or a
    captive portal answering 200 does not)."""
    try:
        reply = response.json()
    except ValueError:
        reply = None
    if (not isinstance(reply, dict) or reply.get("bundle_id") != bundle_id
            or reply.get("sha256") != sha256):
        raise DestinationUnavailable("the reply did not confirm this bundle")


def _network_detail(error: httpx.HTTPError) -> str:
    cause = error.__cause__ or error.__context__
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return "the inbox's TLS certificate is not the trusted one"
    if isinstance(cause, ssl.SSLError):
        return "TLS handshake failed"
    return f"network error: {type(error).__name__}"


def _status_error(status: int, bundle_id: str, device_id: str) -> Exception:
    if status == 409:
        return DeliveryConflict(bundle_id)
    if status == 401:
        return DeliveryUnauthorised()
    if status == 403:
        return DeviceNotEnrolled(device_id)
    if status == 413:
        return BundleTooLargeForDestination(bundle_id)
    if status >= 500 or status in (408, 429):
        return DestinationUnavailable(f"HTTP {status}")
    return DeliveryRefused(status)


def transport_for(
    profile: LeadProfile, *, device_id: str, device_key: Ed25519PrivateKey
) -> Transport:
    """The transport a trusted profile's destination calls for."""
    destination = profile.destination
    if isinstance(destination, FolderDestination):
        return FolderTransport(Path(destination.path), lead_public_key=profile.lead_public_key)
    return HttpsTransport(
        destination.url,
        device_id=device_id,
        device_key=device_key,
        lead_public_key=profile.lead_public_key,
        certificate_pem=destination.certificate_pem,
    )
