"""Import receipts: the Lead's signed word that a bundle was imported (or why it was refused).

The device keeps a bundle in its outbox until a receipt verified with the Lead's key says it was
imported, so anyone able to write into a shared folder cannot make a device forget a bundle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fieldkit.atomicfile import write_atomic
from fieldkit.clock import parse_stamp, stamp
from sync.canonical import open_signed_document, public_key_from_text, sign_document
from sync.enrolment import is_canonical_uuid
from sync.errors import ReceiptRejected
from sync.layout import receipt_path, receipts_dir

MAX_RECEIPT_BYTES = 64 * 1024


class ImportReceipt(BaseModel):
    """The outcome of importing one bundle, signed by the Lead."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["fieldkit-import-receipt"] = "fieldkit-import-receipt"
    format: Literal[1] = 1
    bundle_id: str
    bundle_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    status: Literal["imported", "rejected"]
    reason: str | None = Field(default=None, max_length=500)
    at: str = Field(default_factory=stamp)

    @field_validator("bundle_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not is_canonical_uuid(value):
            raise ValueError("not a canonical UUID")
        return value

    @field_validator("at")
    @classmethod
    def _stamp(cls, value: str) -> str:
        parse_stamp(value)
        return value


def sign_import_receipt(receipt: ImportReceipt, lead_key: Ed25519PrivateKey) -> bytes:
    """The receipt file's bytes, signed by the Lead."""
    return sign_document(receipt.model_dump(mode="json"), lead_key)


def load_import_receipt(
    data: bytes, lead_public_key: str | Ed25519PublicKey, *, bundle_id: str
) -> ImportReceipt:
    """Verify a receipt against the Lead's key and that it is about ``bundle_id``."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise ReceiptRejected("the receipt is too large")
    try:
        key = (
            public_key_from_text(lead_public_key)
            if isinstance(lead_public_key, str)
            else lead_public_key
        )
        receipt = ImportReceipt.model_validate(open_signed_document(data, key))
    except ValidationError:
        raise ReceiptRejected("its contents are not valid") from None
    except ValueError as error:
        raise ReceiptRejected(str(error)) from None
    if receipt.bundle_id != bundle_id:
        raise ReceiptRejected(f"it is about another bundle than {bundle_id}")
    return receipt


def write_import_receipt(root: Path, receipt: ImportReceipt, lead_key: Ed25519PrivateKey) -> Path:
    """The importer's side: write the signed receipt atomically under ``root/receipts``."""
    # Not 0o700: on a shared folder the officers' devices must be able to read receipts.
    receipts_dir(root).mkdir(parents=True, exist_ok=True)
    path = receipt_path(root, receipt.bundle_id)
    write_atomic(path, sign_import_receipt(receipt, lead_key), mode=0o644)
    return path
