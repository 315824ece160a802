"""The key file's contents: the Argon2id parameters and the wrapped database key (see
:mod:`fieldkit.keys`, which reads and writes it). Apart from keys.py so that opening the store
with a key derived beforehand does not load pydantic."""

from __future__ import annotations

import json

from pydantic import BaseModel, model_validator

from fieldkit.pages import PageHmac

KEY_FILE_FORMAT = 2
"""The format of key files made now: 2 names how the database's pages are sealed
(``page_hmac``). Format 1 files (stores made before) have no such field: their pages are sealed
as SQLCipher 4 seals them by default."""
KEY_FILE_FORMATS = (1, 2)
"""The formats this fieldkit reads."""
LANES = 4


class KdfParams(BaseModel):
    """Argon2id parameters, stored beside the wrapped key."""

    salt: str
    iterations: int
    memory_kib: int
    lanes: int = LANES
    calibrated_seconds: float | None = None
    """The least time one derivation was calibrated to take (None in older key files)."""


class KeyFile(BaseModel):
    """The on-disk key file: parameters and the wrapped database key, nothing secret in clear."""

    format: int = 1  # a file without the field is read as the first format
    store_id: str
    kdf: KdfParams
    device_secret_user: str | None
    page_hmac: PageHmac | None = None
    """How SQLCipher seals each page of the database (format 2); None in format 1 files, whose
    pages are sealed with SQLCipher 4's default (HMAC-SHA512)."""
    nonce: str
    wrapped_key: str

    @model_validator(mode="after")
    def _page_hmac_as_format_says(self) -> KeyFile:
        if self.format == 1 and self.page_hmac is not None:
            raise ValueError("a format 1 key file names no page seal")
        if self.format >= 2 and self.page_hmac is None:
            raise ValueError("the key file does not say how the database's pages are sealed")
        return self

    def associated_data(self) -> bytes:
        """Everything but the ciphertext, bound into the AEAD so parameters cannot be swapped."""
        header = self.model_dump(exclude={"nonce", "wrapped_key"})
        if header["kdf"].get("calibrated_seconds") is None:
            del header["kdf"]["calibrated_seconds"]  # as key files were before it existed
        if header["page_hmac"] is None:
            del header["page_hmac"]  # as format 1 files were made
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
