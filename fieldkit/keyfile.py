"""The key file's contents: the Argon2id parameters and the wrapped database key (see
:mod:`fieldkit.keys`, which reads and writes it). Apart from keys.py so that opening the store
with a key derived beforehand does not load pydantic."""

from __future__ import annotations

import json

from pydantic import BaseModel

KEY_FILE_FORMAT = 1
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

    format: int = KEY_FILE_FORMAT
    store_id: str
    kdf: KdfParams
    device_secret_user: str | None
    nonce: str
    wrapped_key: str

    def associated_data(self) -> bytes:
        """Everything but the ciphertext, bound into the AEAD so parameters cannot be swapped."""
        header = self.model_dump(exclude={"nonce", "wrapped_key"})
        if header["kdf"].get("calibrated_seconds") is None:
            del header["kdf"]["calibrated_seconds"]  # as key files were before it existed
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
