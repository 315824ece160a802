"""The council's HTTPS inbox: receives signed bundle uploads from enrolled devices and stores them.

It holds no decryption key: it checks who sent a bundle (device signature, enrolled and not
revoked, fresh and not replayed), bounds its size, and stores it exactly once, durably, under
``<root>/bundles/<id>.age`` for the Lead's importer. It also hands out the Lead's signed
import receipts from ``<root>/receipts``.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fieldkit.atomicfile import fsync_dir, make_private_dir, write_atomic
from sync.bundle import DEFAULT_MAX_BUNDLE_BYTES
from sync.bundle_owners import UnreadableClaim, bundle_owner, claim_bundle_id, owners_folder
from sync.canonical import public_key_from_text
from sync.durable import STAGING_PREFIX, PublishOutcome, discard, new_staging_file, publish_once
from sync.enrolment import EnrolledDevice, is_canonical_uuid, load_enrolled_devices
from sync.errors import DevicesFileTampered
from sync.inbox_limits import (
    ConnectionLimits,
    InboxServer,
    body_with_idle_timeout,
    inbox_config,
    raise_open_file_limit,
)
from sync.inbox_openapi import openapi_document
from sync.layout import bundle_path, bundles_dir, receipt_path
from sync.profile import is_loopback_host
from sync.receipts import MAX_RECEIPT_BYTES
from sync.request_auth import (
    CLOCK_TOLERANCE_SECONDS,
    SignedRequest,
    parse_request_headers,
    request_signature_ok,
)

log = logging.getLogger(__name__)
ISSUED_FILE = "devices-issued"
"""Under the inbox root: when the newest devices file accepted was issued."""


class EnrolledDevicesWatcher:
    """The Lead's signed devices file, re-read whenever it changes on disk (no restart needed).

    If the new file does not verify, the inbox refuses everyone (503) rather than keep trusting
    an old list that may still hold a device the Lead has just revoked. A file issued earlier
    than the newest one accepted (kept in ``issued_file`` across restarts) is refused too, and
    the newer list stays in force: putting back an old file cannot un-revoke a device.
    """

    def __init__(self, path: Path, lead_public_key: Ed25519PublicKey,
                 issued_file: Path | None = None) -> None:
        self.path = path
        self._lead_key = lead_public_key
        self._issued_file = issued_file
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int, int] | None = None
        self._devices: dict[str, EnrolledDevice] | None = None
        self._newest = self._read_issued()

    def _read_issued(self) -> str:
        if self._issued_file is None:
            return ""
        try:
            return self._issued_file.read_text("ascii").strip()
        except FileNotFoundError:
            return ""

    def current(self) -> dict[str, EnrolledDevice] | None:
        """The enrolled devices by id, or ``None`` if the file is missing or does not verify."""
        with self._lock:
            try:
                info = self.path.stat()
            except OSError:
                self._seen, self._devices = None, None
                return None
            seen = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
            if seen != self._seen:
                self._seen, self._devices = seen, self._load()
            return self._devices

    def _load(self) -> dict[str, EnrolledDevice] | None:
        try:
            listing = load_enrolled_devices(self.path.read_bytes(), self._lead_key)
        except (OSError, DevicesFileTampered) as error:
            log.error("enrolled devices file refused: %s", error)
            return None
        # Stamps sort as text; the newest accepted is the floor for the next file.
        if listing.issued < self._newest:
            log.error("enrolled devices file refused: issued %s, older than the %s one already "
                      "in force", listing.issued, self._newest)
            return self._devices
        if listing.issued != self._newest and self._issued_file is not None:
            write_atomic(self._issued_file, listing.issued.encode("ascii"))
        self._newest = listing.issued
        log.info("enrolled devices file loaded: %d devices", len(listing.devices))
        return listing.by_id()


class ReplayGuard:
    """Remembers each accepted request signature until it could no longer pass the clock check."""

    def __init__(self, window_seconds: float) -> None:
        self._window = window_seconds
        self._seen: dict[tuple[str, str, str, int, str], float] = {}
        self._lock = threading.Lock()

    def first_time(self, key: tuple[str, str, str, int, str], now: float) -> bool:
        """True (and remembered) the first time ``key`` is seen; False for a replay."""
        with self._lock:
            # Oldest first (insertion order): forget the expired ones from the front, so a
            # request costs O(1) however many are remembered (was a full copy per request).
            for old, until in list(itertools.islice(self._seen.items(), 64)):
                if until > now:
                    break
                del self._seen[old]
            if key in self._seen:
                return False
            self._seen[key] = now + 2 * self._window
            return True


MEMORY_BODY_BYTES = 256 * 1024
"""Bodies up to this size are held in memory until checked (at most ``concurrency`` of them at
once); larger ones stream to a staging file."""

_fsync_helpers: ThreadPoolExecutor | None = None
_fsync_helpers_lock = threading.Lock()


def _helpers() -> ThreadPoolExecutor:
    """Threads that run a request's second fsync beside its first. They never wait on anything
    but the disk, so a worker waiting for one cannot deadlock, however busy the pools are."""
    global _fsync_helpers
    with _fsync_helpers_lock:
        if _fsync_helpers is None:
            _fsync_helpers = ThreadPoolExecutor(max_workers=32,
                                                thread_name_prefix="inbox-fsync")
        return _fsync_helpers


def store_bundle(root: Path, bundle_id: str, device_id: str, sha256: str,
                 body: list[bytes] | tuple[BinaryIO, Path]) -> PublishOutcome | None:
    """Store a checked body durably under ``bundle_id`` for ``device_id`` (in a worker thread);
    ``None`` if the id is another device's.

    ``body`` is the body's chunks, or an open staging file (flushed) holding it and its path.
    The owner claim is made first (a link: no data and no fsync of its own; an id that is
    another device's writes nothing). Then two rounds of waiting on the disk, as the bare
    endpoint's: the body's fsync; then, with the bundle linked into place and its staging name
    removed, the bundle folder's fsync and the claims folder's at once (which makes the claim
    durable), so the file system can commit them together. Only then does the caller answer
    that the bundle is stored.
    """
    if not claim_bundle_id(root, bundle_id, device_id, sync_folder=False):
        return None
    if isinstance(body, list):
        fd, path = new_staging_file(bundles_dir(root))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(body)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            discard(path)
            raise
    else:
        os.fsync(body[0].fileno())
        path = body[1]
    claims_synced = _helpers().submit(fsync_dir, owners_folder(root))
    try:
        return publish_once(path, bundle_path(root, bundle_id), sha256)  # removes ``path``
    finally:
        claims_synced.result()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


NOT_AUTHENTICATED = "request not accepted: unknown or revoked device, bad signature, wrong clock " \
    "or a replay"
"""The one answer to every authentication failure, so nobody learns which device ids exist."""


def _refused(why: str, device_id: str) -> JSONResponse:
    log.warning("refused a request claiming device %s: %s", device_id, why)
    return _error(401, NOT_AUTHENTICATED)


@dataclass
class _Inbox:
    """The request handlers and the state they share (one per app)."""

    root: Path
    devices: EnrolledDevicesWatcher
    max_bundle_bytes: int
    clock: Callable[[], float]
    replays: ReplayGuard
    limits: ConnectionLimits

    def authenticate(
        self, request: Request, method: str, bundle_id: str
    ) -> SignedRequest | Response:
        """The verified signed request, or the response refusing it."""
        try:
            signed = parse_request_headers(request.headers)
        except ValueError:
            return _refused("missing or malformed signature", "(none)")
        devices = self.devices.current()
        if devices is None:
            return _error(503, "enrolled devices file unavailable")
        device = devices.get(signed.device_id)
        if device is None or device.revoked:
            return _refused("revoked" if device else "unknown", signed.device_id)
        if not request_signature_ok(
            signed, method=method, bundle_id=bundle_id, public_key=device.verifying_key()
        ):
            return _refused("signature does not match", signed.device_id)
        now = self.clock()
        if abs(now - signed.timestamp) > CLOCK_TOLERANCE_SECONDS:
            return _refused("timestamp outside the allowed window", signed.device_id)
        if not self.replays.first_time(signed.replay_key(method, bundle_id), now):
            return _refused("request already seen", signed.device_id)
        return signed

    async def put_bundle(self, request: Request) -> Response:
        """``PUT /v1/bundles/{id}``: authenticate, bound, stream to disk, publish once."""
        bundle_id = str(request.path_params["bundle_id"])
        if not is_canonical_uuid(bundle_id):
            return _error(400, "bundle id must be a UUID")
        signed = self.authenticate(request, "PUT", bundle_id)
        if isinstance(signed, Response):
            return signed
        declared = request.headers.get("content-length")
        if declared is not None and not declared.isdigit():
            return _error(400, "bad Content-Length")
        if declared is not None and int(declared) > self.max_bundle_bytes:
            return _error(413, "bundle larger than the limit")
        # A body up to MEMORY_BODY_BYTES (a bundle is typically ~80 KiB) is held in memory until
        # its signed SHA-256 is checked, then written, fsynced and published in one trip to a
        # worker thread; a larger one streams to a staging file as it comes.
        held: list[bytes] = []
        spill: BinaryIO | None = None
        staged: Path | None = None
        try:
            digest, size = hashlib.sha256(), 0
            # Counted while streaming: Content-Length may be absent (chunked) or wrong.
            try:
                async for chunk in body_with_idle_timeout(request, self.limits):
                    size += len(chunk)
                    if size > self.max_bundle_bytes:
                        return _error(413, "bundle larger than the limit")
                    digest.update(chunk)
                    if spill is not None:
                        spill.write(chunk)
                    elif size <= MEMORY_BODY_BYTES:
                        held.append(chunk)
                    else:
                        fd, staged = new_staging_file(bundles_dir(self.root))
                        spill = os.fdopen(fd, "wb")
                        spill.writelines(held)
                        spill.write(chunk)
                        held = []
            except ClientDisconnect:
                # Normal on a flaky network; the device will send it again.
                log.info("upload of bundle %s cut off by the client", bundle_id)
                return _error(400, "upload incomplete")
            except TimeoutError:
                log.info("upload of bundle %s stalled; connection dropped", bundle_id)
                return _error(408, "upload too slow")
            if digest.hexdigest() != signed.content_sha256:
                return _error(400, "body does not match its signed SHA-256")
            if spill is not None:
                spill.flush()
            outcome = await run_in_threadpool(
                store_bundle, self.root, bundle_id, signed.device_id, signed.content_sha256,
                (spill, staged) if spill is not None and staged is not None else held)
        finally:
            if spill is not None:
                spill.close()
            if staged is not None:
                discard(staged)
        if outcome is None:
            log.warning("device %s tried bundle id %s of another device", signed.device_id,
                        bundle_id)
            return _error(409, "a different bundle is already held under this id")
        log.info("bundle %s from device %s: %s", bundle_id, signed.device_id, outcome.value)
        if outcome is PublishOutcome.CONFLICT:
            return _error(409, "a different bundle is already held under this id")
        body = {"bundle_id": bundle_id, "sha256": signed.content_sha256, "outcome": outcome.value}
        return JSONResponse(body, status_code=201 if outcome is PublishOutcome.STORED else 200)

    async def get_receipt(self, request: Request) -> Response:
        """``GET /v1/receipts/{id}``: the Lead's signed receipt file, to an enrolled device."""
        bundle_id = str(request.path_params["bundle_id"])
        if not is_canonical_uuid(bundle_id):
            return _error(400, "bundle id must be a UUID")
        signed = self.authenticate(request, "GET", bundle_id)
        if isinstance(signed, Response):
            return signed
        try:
            owner = bundle_owner(self.root, bundle_id)
        except UnreadableClaim as error:
            log.warning("receipt of bundle %s refused: %s", bundle_id, error)
            owner = ""  # nobody's
        if owner not in (None, signed.device_id):
            return _error(404, "no receipt yet")  # the same answer as for an id never seen
        try:
            with receipt_path(self.root, bundle_id).open("rb") as handle:
                data = handle.read(MAX_RECEIPT_BYTES + 1)
        except FileNotFoundError:
            return _error(404, "no receipt yet")
        # The device verifies the Lead's signature itself; the inbox only passes the file on.
        return Response(data, media_type="application/json")


def create_inbox_app(
    root: Path,
    devices_file: Path,
    *,
    lead_public_key: str,
    max_bundle_bytes: int = DEFAULT_MAX_BUNDLE_BYTES,
    clock: Callable[[], float] = time.time,
    limits: ConnectionLimits | None = None,
) -> Starlette:
    """The inbox as an ASGI app storing under ``root``, trusting devices the Lead's file lists."""
    make_private_dir(bundles_dir(root))
    make_private_dir(owners_folder(root))
    for leftover in bundles_dir(root).glob(f"{STAGING_PREFIX}*"):
        discard(leftover)  # uploads cut off by a previous crash or restart
    inbox = _Inbox(
        root=root,
        devices=EnrolledDevicesWatcher(devices_file, public_key_from_text(lead_public_key),
                                       issued_file=root / ISSUED_FILE),
        max_bundle_bytes=max_bundle_bytes,
        clock=clock,
        replays=ReplayGuard(CLOCK_TOLERANCE_SECONDS),
        limits=limits or ConnectionLimits(),
    )
    document = openapi_document(max_bundle_bytes)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "service": "fieldkit-inbox", "api": 1})

    async def openapi(_: Request) -> Response:
        return JSONResponse(document)

    return Starlette(
        routes=[
            Route("/v1/health", health, methods=["GET"]),
            Route("/v1/openapi.json", openapi, methods=["GET"]),
            Route("/v1/bundles/{bundle_id}", inbox.put_bundle, methods=["PUT"]),
            Route("/v1/receipts/{bundle_id}", inbox.get_receipt, methods=["GET"]),
        ]
    )


def inbox_server(
    root: Path,
    devices_file: Path,
    host: str,
    port: int,
    cert: Path | None = None,
    key: Path | None = None,
    *,
    lead_public_key: str,
    max_bundle_bytes: int = DEFAULT_MAX_BUNDLE_BYTES,
    limits: ConnectionLimits | None = None,
) -> uvicorn.Server:
    """A configured server for the inbox (``run()`` it, or set ``should_exit`` to stop), with
    the connection limits and timeouts of :mod:`sync.inbox_limits`."""
    if cert is None and not is_loopback_host(host):
        log.warning("serving plain HTTP on %s: put TLS in front, devices refuse plain http", host)
    limits = limits or ConnectionLimits()
    app = create_inbox_app(root, devices_file, lead_public_key=lead_public_key,
                           max_bundle_bytes=max_bundle_bytes, limits=limits)
    tls = {"certfile": str(cert) if cert else None, "keyfile": str(key) if key else None}
    return InboxServer(inbox_config(app, host, port, limits, tls), limits)


def serve(
    root: Path,
    devices_file: Path,
    host: str,
    port: int,
    cert: Path | None = None,
    key: Path | None = None,
    *,
    lead_public_key: str,
    max_bundle_bytes: int = DEFAULT_MAX_BUNDLE_BYTES,
) -> None:
    """Run the inbox until interrupted (HTTPS with ``cert``/``key``, plain HTTP without)."""
    limits = ConnectionLimits()
    raise_open_file_limit(limits)
    inbox_server(root, devices_file, host, port, cert, key, lead_public_key=lead_public_key,
                 max_bundle_bytes=max_bundle_bytes, limits=limits).run()
