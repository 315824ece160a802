"""The store's key: 32 random bytes, kept only wrapped under a key derived from the passphrase
(Argon2id, calibrated) combined with a device secret held in the OS keyring.

Without a keyring backend the passphrase alone protects the key, and callers say so. There is
never a plaintext fallback, and a lost device secret is an error, never a reason to start afresh.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.atomicfile import write_atomic
from fieldkit.errors import (
    DeviceSecretMissing,
    KeyringLocked,
    KeyringUnavailable,
    StoreCorrupt,
    WrongPassphrase,
)

KEYRING_SERVICE = "fieldkit"

# The key file's models (pydantic), cryptography and keyring are imported by the functions that
# derive, wrap or unwrap: opening the store with a key derived beforehand, and starting the app,
# need none of them.
if TYPE_CHECKING:
    from fieldkit.keyfile import KdfParams, KeyFile
    from fieldkit.pages import PageHmac


@dataclass(frozen=True)
class Unwrapped:
    """The database key, whether the device secret took part, and how the database's pages
    are sealed (``fieldkit.pages``; ``None``: SQLCipher's default, a store made before)."""

    key: bytes
    uses_device_secret: bool
    page_hmac: PageHmac | None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def keyring_available() -> bool:
    """True when a real keyring backend (not the fail or null backend) can be reached."""
    import keyring
    import keyring.errors

    try:
        backend = keyring.get_keyring()
    except keyring.errors.KeyringError:
        return False
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    if name == "keyring.backends.chainer.ChainerBackend":
        return bool(getattr(backend, "backends", []))
    return True


def _derive(passphrase: str, params: KdfParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=_unb64(params.salt),
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(passphrase.encode("utf-8"))


def _timed(params: KdfParams) -> float:
    """The faster of two derivations: the first one also pays for mapping fresh memory."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        _derive("calibration", params)
        times.append(time.perf_counter() - started)
    return min(times)


def calibrate(min_seconds: float, memory_kib: int) -> KdfParams:
    """Choose Argon2id iterations so one derivation takes at least ``min_seconds`` here."""
    from fieldkit.keyfile import KdfParams

    salt = _b64(secrets.token_bytes(16))
    iterations = 1
    while True:
        params = KdfParams(salt=salt, iterations=iterations, memory_kib=memory_kib,
                           calibrated_seconds=min_seconds)
        took = _timed(params)
        if took >= min_seconds or iterations >= 64:
            return params
        # Scale towards the target, with headroom, rather than creeping one step at a time.
        iterations = max(iterations + 1, int(iterations * min_seconds / max(took, 1e-6) * 1.1) + 1)


def _kek(passphrase: str, params: KdfParams, device_secret: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    stretched = _derive(passphrase, params)
    material = stretched + (device_secret or b"")
    info = b"fieldkit kek v1 " + (b"with device secret" if device_secret else b"passphrase only")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_unb64(params.salt), info=info).derive(
        material
    )


def _read_device_secret(user: str) -> bytes:
    import keyring
    import keyring.errors

    if not keyring_available():
        raise KeyringUnavailable()
    try:
        stored = keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringLocked as error:
        raise KeyringLocked() from error
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable() from error
    if stored is None:
        raise DeviceSecretMissing()
    return _unb64(stored)


def _new_device_secret(store_id: str, generation: str = "") -> tuple[str, bytes] | None:
    """Create and save this store's device secret; None when there is no keyring. A re-key
    passes a ``generation`` so the new secret sits beside the old one until it commits."""
    import keyring
    import keyring.errors

    if not keyring_available():
        return None
    user = f"device-secret:{store_id}" + (f":{generation}" if generation else "")
    secret = secrets.token_bytes(32)
    try:
        keyring.set_password(KEYRING_SERVICE, user, _b64(secret))
        if keyring.get_password(KEYRING_SERVICE, user) != _b64(secret):
            return None
    except keyring.errors.KeyringError:
        return None
    return user, secret


def _wrap(
    key: bytes, passphrase: str, params: KdfParams, store_id: str, user: str | None,
    device_secret: bytes | None, page_hmac: PageHmac | None,
) -> KeyFile:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from fieldkit.keyfile import KEY_FILE_FORMAT, KeyFile

    nonce = secrets.token_bytes(12)
    # A store made before page seals were named keeps its format 1 key file (the same
    # associated data as before); every other key file is format 2 and names its seal.
    shell = KeyFile(
        format=1 if page_hmac is None else KEY_FILE_FORMAT, store_id=store_id, kdf=params,
        device_secret_user=user, page_hmac=page_hmac, nonce=_b64(nonce), wrapped_key="",
    )
    sealed = ChaCha20Poly1305(_kek(passphrase, params, device_secret)).encrypt(
        nonce, key, shell.associated_data()
    )
    return shell.model_copy(update={"wrapped_key": _b64(sealed)})


def _dumped(key_file: KeyFile) -> bytes:
    """The key file's bytes; a format 1 file is written without the field it never had."""
    unset = {"page_hmac"} if key_file.page_hmac is None else set()
    return key_file.model_dump_json(indent=2, exclude=unset).encode()


def create_key_file(
    path: Path, passphrase: str, store_id: str, *, min_seconds: float, memory_kib: int,
    released_format: bool = False,
) -> Unwrapped:
    """Make a new database key, wrap it, write the key file durably, and return the key; the
    new database's pages are to be sealed with the faster seal here (``fieldkit.pages``).
    ``released_format``: a format 1 key file and SQLCipher's default seal, as stores were made
    before (the test fixtures of released schemas)."""
    from fieldkit.pages import fastest_page_hmac

    key = secrets.token_bytes(32)
    params = calibrate(min_seconds, memory_kib)
    page_hmac = None if released_format else fastest_page_hmac()
    device = _new_device_secret(store_id)
    user, secret = device if device else (None, None)
    key_file = _wrap(key, passphrase, params, store_id, user, secret, page_hmac)
    write_atomic(path, _dumped(key_file))
    return Unwrapped(key=key, uses_device_secret=device is not None, page_hmac=page_hmac)


def read_key_file(path: Path) -> KeyFile:
    """Parse the key file, naming it when it is damaged or foreign."""
    from pydantic import ValidationError

    from fieldkit.keyfile import KEY_FILE_FORMATS, KeyFile

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise StoreCorrupt(path, f"cannot be read: {error.strerror}") from error
    try:
        key_file = KeyFile.model_validate_json(raw)
    except ValidationError as error:
        raise StoreCorrupt(path, "not a fieldkit key file") from error
    if key_file.format not in KEY_FILE_FORMATS:
        raise StoreCorrupt(path, f"unknown key file format {key_file.format}")
    return key_file


def unwrap(path: Path, passphrase: str) -> Unwrapped:
    """Recover the database key; raises WrongPassphrase, DeviceSecretMissing, KeyringUnavailable."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    key_file = read_key_file(path)
    secret = (
        _read_device_secret(key_file.device_secret_user) if key_file.device_secret_user else None
    )
    try:
        kek = _kek(passphrase, key_file.kdf, secret)
        key = ChaCha20Poly1305(kek).decrypt(
            _unb64(key_file.nonce), _unb64(key_file.wrapped_key), key_file.associated_data()
        )
    except InvalidTag as error:
        raise WrongPassphrase() from error
    except ValueError as error:
        raise StoreCorrupt(path, "its parameters are invalid") from error
    return Unwrapped(key=key, uses_device_secret=secret is not None,
                     page_hmac=key_file.page_hmac)


def new_key_file(
    path: Path, passphrase: str, store_id: str, *, min_seconds: float, memory_kib: int,
    page_hmac: PageHmac | None,
) -> Unwrapped:
    """A fresh database key and a fresh device secret (beside the old one in the keyring),
    wrapped under ``passphrase`` and written durably to ``path``: the first step of a re-key.
    ``page_hmac`` is the database's own (a re-key changes the key, never how pages are
    sealed)."""
    key = secrets.token_bytes(32)
    params = calibrate(min_seconds, memory_kib)
    device = _new_device_secret(store_id, generation=secrets.token_hex(4))
    user, secret = device if device else (None, None)
    key_file = _wrap(key, passphrase, params, store_id, user, secret, page_hmac)
    write_atomic(path, _dumped(key_file))
    return Unwrapped(key=key, uses_device_secret=device is not None, page_hmac=page_hmac)


def forget_device_secret(user: str | None) -> None:
    """Remove a device secret that no key file uses any more (after a re-key settles)."""
    import keyring
    import keyring.errors

    if user is None or not keyring_available():
        return
    try:
        keyring.delete_password(KEYRING_SERVICE, user)
    except keyring.errors.PasswordDeleteError:
        pass  # already gone
    except keyring.errors.KeyringError:
        pass  # unreachable now: the secret is useless without the old key file anyway


def rewrap(
    path: Path, old_passphrase: str, new_passphrase: str, *, min_seconds: float, memory_kib: int
) -> None:
    """Change the passphrase only: the same database key, wrapped again under a new derivation.

    Its limit: it protects against someone who later learns the old passphrase but has no copy
    of the old key file. Anyone who kept a copy of the old key file (a backup, a synced folder)
    and knows the old passphrase can still open the database, including what is written later.
    Use the full re-key (:func:`fieldkit.rekey.rekey`) to revoke the old passphrase for good."""
    key_file = read_key_file(path)
    unwrapped = unwrap(path, old_passphrase)
    secret = (
        _read_device_secret(key_file.device_secret_user) if key_file.device_secret_user else None
    )
    params = calibrate(min_seconds, memory_kib)
    new_file = _wrap(  # the seal as the unwrapped (authenticated) file names it
        unwrapped.key, new_passphrase, params, key_file.store_id, key_file.device_secret_user,
        secret, unwrapped.page_hmac,
    )
    write_atomic(path, _dumped(new_file))



def is_weaker_than(params: KdfParams, *, min_seconds: float, memory_kib: int) -> bool:
    """Whether a key file's derivation costs less than asked: less memory, or calibrated (or,
    for older files, measured here) to take less time."""
    if params.memory_kib < memory_kib:
        return True
    seconds = params.calibrated_seconds
    if seconds is None:
        seconds = _timed(params) * 1.25  # measured once; load only makes it look slower
    return seconds < min_seconds


def strengthen_if_weak(
    path: Path, passphrase: str, *, min_seconds: float, memory_kib: int
) -> bool:
    """Re-wrap the key under a derivation as costly as asked if the file's is cheaper (a key
    file made with a test or an older setting). The database key is unchanged. True if done."""
    if not is_weaker_than(read_key_file(path).kdf, min_seconds=min_seconds,
                          memory_kib=memory_kib):
        return False
    rewrap(path, passphrase, passphrase, min_seconds=min_seconds, memory_kib=memory_kib)
    return True
