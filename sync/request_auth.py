"""How a device signs its requests to the HTTPS inbox, and how the inbox checks them.

Each request carries the device id, a timestamp, a random nonce, the body's SHA-256 and an
Ed25519 signature over all of them plus the method and bundle id. The inbox accepts a timestamp
within a few minutes of its own clock and each signature once, so a captured request cannot be
replayed later, nor turned into a request for another bundle or with another body.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.canonical import b64decode, b64encode
from sync.enrolment import is_canonical_uuid

HEADER_DEVICE = "X-Fieldkit-Device"
HEADER_TIMESTAMP = "X-Fieldkit-Timestamp"
HEADER_NONCE = "X-Fieldkit-Nonce"
HEADER_CONTENT_SHA256 = "X-Fieldkit-Content-SHA256"
HEADER_SIGNATURE = "X-Fieldkit-Signature"
CLOCK_TOLERANCE_SECONDS = 300
_NONCE = re.compile(r"[0-9a-f]{32}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class SignedRequest:
    """The authentication headers of one request, parsed but not yet verified."""

    device_id: str
    timestamp: int
    nonce: str
    content_sha256: str
    signature: bytes

    def replay_key(self, method: str, bundle_id: str) -> tuple[str, str, str, int, str]:
        """What identifies this request for the inbox's seen-once check."""
        return (self.device_id, method, bundle_id, self.timestamp, self.nonce)


def signed_message(
    *, method: str, bundle_id: str, content_sha256: str, timestamp: int, nonce: str
) -> bytes:
    """The exact bytes a device signs for one request."""
    fields = ("fieldkit-inbox-request-v1", method, bundle_id, content_sha256, str(timestamp), nonce)
    return "\n".join(fields).encode("ascii")


def sign_request(
    *,
    device_id: str,
    device_key: Ed25519PrivateKey,
    method: str,
    bundle_id: str,
    body: bytes,
    timestamp: int,
    content_sha256: str | None = None,
) -> dict[str, str]:
    """The headers that authenticate one request; a fresh nonce every call. ``content_sha256``
    is the body's SHA-256 (hex) if the caller has it already, so it is computed once."""
    if content_sha256 is None:
        content_sha256 = hashlib.sha256(body).hexdigest()
    nonce = secrets.token_hex(16)
    message = signed_message(
        method=method,
        bundle_id=bundle_id,
        content_sha256=content_sha256,
        timestamp=timestamp,
        nonce=nonce,
    )
    return {
        HEADER_DEVICE: device_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_NONCE: nonce,
        HEADER_CONTENT_SHA256: content_sha256,
        HEADER_SIGNATURE: b64encode(device_key.sign(message)),
    }


def parse_request_headers(headers: Mapping[str, str]) -> SignedRequest:
    """Read the authentication headers; ``ValueError`` if any is missing or malformed."""
    device_id = headers.get(HEADER_DEVICE, "")
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    nonce = headers.get(HEADER_NONCE, "")
    content_sha256 = headers.get(HEADER_CONTENT_SHA256, "")
    signature = b64decode(headers.get(HEADER_SIGNATURE, ""))
    if not is_canonical_uuid(device_id):
        raise ValueError("bad device id")
    if not _TIMESTAMP.fullmatch(timestamp) or not _NONCE.fullmatch(nonce):
        raise ValueError("bad timestamp or nonce")
    if not _SHA256.fullmatch(content_sha256) or len(signature) != 64:
        raise ValueError("bad digest or signature")
    return SignedRequest(device_id, int(timestamp), nonce, content_sha256, signature)


def request_signature_ok(
    request: SignedRequest, *, method: str, bundle_id: str, public_key: Ed25519PublicKey
) -> bool:
    """True if the device's key signed exactly this method, bundle, body digest, time and nonce."""
    message = signed_message(
        method=method,
        bundle_id=bundle_id,
        content_sha256=request.content_sha256,
        timestamp=request.timestamp,
        nonce=request.nonce,
    )
    try:
        public_key.verify(request.signature, message)
    except InvalidSignature:
        return False
    return True
