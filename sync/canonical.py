"""Canonical JSON and signed documents: the one encoding every signed ``sync`` file uses.

A signature is only meaningful over bytes both sides agree on, so signed payloads are always
serialised the same way (sorted keys, no whitespace, UTF-8, no NaN) and parsed strictly
(duplicate keys refused, so two readers can never see different values).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MAX_SIGNED_DOCUMENT_BYTES = 4 * 1024 * 1024
"""Signed documents (profiles, device lists, receipts) are small; refuse anything huge."""


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` as canonical JSON bytes (sorted keys, compact, UTF-8)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def refuse_json_constant(name: str) -> Any:
    """``parse_constant`` for :func:`json.loads`: NaN and Infinity are not JSON."""
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json_loads(data: bytes) -> Any:
    """Parse JSON bytes strictly: UTF-8 only, no duplicate keys, no NaN/Infinity.

    Raises ``ValueError`` (including ``UnicodeDecodeError`` and ``JSONDecodeError``) on any fault.
    """
    text = data.decode("utf-8")
    try:
        return json.loads(
            text, object_pairs_hook=_refuse_duplicates, parse_constant=refuse_json_constant
        )
    except RecursionError:
        # Deeply nested input ([[[[...) must be a refusal like any other, not a crash.
        raise ValueError("JSON nested too deeply") from None


def b64encode(data: bytes) -> str:
    """Standard base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode strict standard base64, raising ``ValueError`` on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not valid base64") from error


def public_key_text(key: Ed25519PublicKey) -> str:
    """The text form of an Ed25519 public key used in every ``sync`` file (base64 of 32 bytes)."""
    return b64encode(key.public_bytes_raw())


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """Read :func:`public_key_text` back, raising ``ValueError`` if it is not a valid key."""
    raw = b64decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign_document(payload: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """Wrap ``payload`` with an Ed25519 signature over its canonical bytes; returns file bytes."""
    signature = key.sign(canonical_json(payload))
    return canonical_json({"payload": payload, "signature": b64encode(signature)})


def open_signed_document(
    data: bytes,
    public_key: Callable[[dict[str, Any]], Ed25519PublicKey] | Ed25519PublicKey,
) -> dict[str, Any]:
    """Verify a :func:`sign_document` file and return its payload.

    ``public_key`` is the expected signer, or a function choosing it from the (not yet trusted)
    payload, for self-signed documents. Raises ``ValueError`` with a short reason on any fault.
    """
    if len(data) > MAX_SIGNED_DOCUMENT_BYTES:
        raise ValueError("file is too large")
    try:
        document = strict_json_loads(data)
    except ValueError as error:
        raise ValueError("not a JSON document") from error
    if not isinstance(document, dict) or set(document) != {"payload", "signature"}:
        raise ValueError("not a signed document")
    payload, signature_text = document["payload"], document["signature"]
    if not isinstance(payload, dict) or not isinstance(signature_text, str):
        raise ValueError("not a signed document")
    signer = public_key if isinstance(public_key, Ed25519PublicKey) else public_key(payload)
    try:
        signer.verify(b64decode(signature_text), canonical_json(payload))
    except InvalidSignature as error:
        raise ValueError("signature does not match") from error
    return payload
