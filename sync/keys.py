"""Key material for sync: the Lead's age identity, Ed25519 signing keys, and their text forms.

Nothing here stores a key: the encrypted store keeps them. These functions only turn keys into
bytes or text and back, refusing anything malformed with ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.canonical import b64decode, b64encode, canonical_json, public_key_text, strict_json_loads


def new_age_identity() -> str:
    """A fresh age X25519 identity, as its secret text ``AGE-SECRET-KEY-1...``."""
    return str(pyrage.x25519.Identity.generate())


def parse_age_identity(secret: str) -> pyrage.x25519.Identity:
    """Read an ``AGE-SECRET-KEY-1...`` text; ``ValueError`` if it is not one."""
    try:
        return pyrage.x25519.Identity.from_str(secret.strip())
    except pyrage.IdentityError as error:
        raise ValueError("not an age X25519 identity") from error


def age_recipient_of(secret: str) -> str:
    """The public ``age1...`` recipient of an age identity given as secret text."""
    return str(parse_age_identity(secret).to_public())


def parse_age_recipient(recipient: str) -> pyrage.x25519.Recipient:
    """Read an ``age1...`` recipient; ``ValueError`` if it is not an X25519 recipient."""
    try:
        return pyrage.x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError as error:
        raise ValueError("not an age X25519 recipient") from error


def new_signing_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key (the Lead's profile key, or a device's bundle key)."""
    return Ed25519PrivateKey.generate()


def signing_key_to_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32-byte raw seed of an Ed25519 key, for the encrypted store to keep."""
    return key.private_bytes_raw()


def signing_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """Read a key written by :func:`signing_key_to_bytes`."""
    if len(raw) != 32:
        raise ValueError("an Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_public_text(key: Ed25519PrivateKey) -> str:
    """The text form of the public half of ``key`` (as written in profiles and device lists)."""
    return public_key_text(key.public_key())


def verifying_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> Ed25519PublicKey:
    """The public key of either half of an Ed25519 pair."""
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


@dataclass(frozen=True)
class LeadKeys:
    """The Lead's two secrets: the age identity that opens bundles, and the profile signing key."""

    # repr=False: a stray log line or traceback must never print a secret key.
    age_identity: str = field(repr=False)
    signing_key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> LeadKeys:
        """Fresh keys for a new Lead (or a deputy's own age identity, used the same way)."""
        return cls(age_identity=new_age_identity(), signing_key=new_signing_key())

    @property
    def age_recipient(self) -> str:
        """The public ``age1...`` recipient officers' devices encrypt to."""
        return age_recipient_of(self.age_identity)

    @property
    def public_key(self) -> str:
        """The text of the Lead's Ed25519 public key."""
        return signing_public_text(self.signing_key)

    def to_bytes(self) -> bytes:
        """Serialise both secrets (for the encrypted store only: this is secret material)."""
        return canonical_json(
            {
                "age_identity": self.age_identity,
                "signing_key": b64encode(signing_key_to_bytes(self.signing_key)),
                "type": "fieldkit-lead-keys-v1",
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> LeadKeys:
        """Read :meth:`to_bytes`; ``ValueError`` on anything else."""
        document = strict_json_loads(data)
        if not isinstance(document, dict) or document.get("type") != "fieldkit-lead-keys-v1":
            raise ValueError("not fieldkit Lead keys")
        identity, seed = document.get("age_identity"), document.get("signing_key")
        if not isinstance(identity, str) or not isinstance(seed, str):
            raise ValueError("not fieldkit Lead keys")
        parse_age_identity(identity)
        return cls(age_identity=identity, signing_key=signing_key_from_bytes(b64decode(seed)))
