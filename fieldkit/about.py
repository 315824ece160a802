"""What this copy of fieldkit is made of: its version (from the package metadata, the one place
it is kept), the SQLCipher it encrypts with, the Qt it shows windows with, and the keyring that
holds the device secret. ``fieldkit --version`` and the About box both print these facts, so
council IT and an officer on the phone to support read the same thing.

No Qt here: the caller that has Qt loaded passes its version in."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

import keyring
import keyring.errors
import sqlcipher3

from fieldkit import keys
from fieldkit.store import NO_KEYRING_WARNING

DISTRIBUTION = "fieldkit"
"""The name fieldkit is installed under; its metadata carries the version (pyproject.toml)."""


@dataclass(frozen=True)
class AboutFacts:
    """The versions and the keyring of this copy of fieldkit."""

    version: str
    sqlcipher_version: str
    sqlite_version: str
    qt_version: str | None
    keyring_backend: str
    passphrase_only: bool

    def lines(self) -> list[str]:
        """The facts as plain lines, the passphrase-only warning last when it applies."""
        found = [
            f"fieldkit {self.version}",
            f"SQLCipher {self.sqlcipher_version} (SQLite {self.sqlite_version})",
            f"Qt {self.qt_version}" if self.qt_version else "Qt: not loaded",
            f"Keyring: {self.keyring_backend}",
        ]
        if self.passphrase_only:
            found.append(f"Warning: {NO_KEYRING_WARNING}")
        return found


def fieldkit_version() -> str:
    """fieldkit's version, from the installed package metadata (pyproject.toml is the source)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (fieldkit is not installed: run 'make' or use a built copy)"


def sqlcipher_versions() -> tuple[str, str]:
    """The SQLCipher library's version and the SQLite version it is built on."""
    conn = sqlcipher3.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    if not row or not row[0]:
        return "missing (this SQLite cannot encrypt)", str(sqlite)
    return str(row[0]), str(sqlite)


def keyring_backend_name() -> str:
    """The keyring in use, in words: its name and priority, or the backends a chain holds."""
    try:
        backend = keyring.get_keyring()
    except keyring.errors.KeyringError as error:
        return f"none ({type(error).__name__})"
    inner = getattr(backend, "backends", None)
    if isinstance(inner, list):
        return " + ".join(_backend_text(each) for each in inner) or "none (empty chain)"
    return _backend_text(backend)


def _backend_text(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__.removeprefix('keyring.backends.')}.{kind.__name__}"


def gather(qt_version: str | None = None) -> AboutFacts:
    """The facts about this copy of fieldkit; ``qt_version`` comes from the caller with Qt."""
    sqlcipher, sqlite = sqlcipher_versions()
    return AboutFacts(
        version=fieldkit_version(),
        sqlcipher_version=sqlcipher,
        sqlite_version=sqlite,
        qt_version=qt_version,
        keyring_backend=keyring_backend_name(),
        passphrase_only=not keys.keyring_available(),
    )
