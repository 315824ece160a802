"""Settings declared once, typed, with defaults. Paths are computed in functions, not at import.

A dataclass checked on creation rather than a pydantic model: every start of the app makes one,
and pydantic costs about a third of a second to load (more than Qt's own start), so the app's
start to the cases list loads it only when a form or file is read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "fieldkit"


def default_data_dir() -> Path:
    """The platform's per-user data folder for fieldkit."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_state_dir() -> Path:
    """The platform's per-user state folder for fieldkit: what this computer remembers about
    its stores (where they live, audit events waiting for room), kept off the store's drive."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


MIN_KDF_MEMORY_KIB = 8 * 1024


@dataclass
class Settings:
    """Where the store lives and how hard the passphrase is to guess offline."""

    data_dir: Path = field(default_factory=default_data_dir)
    state_dir: Path = field(default_factory=default_state_dir)
    """Where this computer remembers its stores; never inside a store's folder."""
    kdf_min_seconds: float = 0.25
    """Key derivation is calibrated to take at least this long."""
    kdf_memory_kib: int = 64 * 1024
    case_prefix: str = "FK"

    def __post_init__(self) -> None:
        """Take paths given as text; refuse a derivation cost that protects nothing."""
        self.data_dir = Path(self.data_dir)
        self.state_dir = Path(self.state_dir)
        self.kdf_min_seconds = float(self.kdf_min_seconds)
        self.kdf_memory_kib = int(self.kdf_memory_kib)
        if not self.kdf_min_seconds > 0:
            raise ValueError(f"kdf_min_seconds must be more than 0, not {self.kdf_min_seconds}")
        if self.kdf_memory_kib < MIN_KDF_MEMORY_KIB:
            raise ValueError(f"kdf_memory_kib must be at least {MIN_KDF_MEMORY_KIB}, "
                             f"not {self.kdf_memory_kib}")

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None) -> Settings:
        """Settings from the command line's ``--data-dir``, ``FIELDKIT_DATA_DIR`` and
        ``FIELDKIT_STATE_DIR``.

        ``FIELDKIT_KDF_SECONDS`` and ``FIELDKIT_KDF_MEMORY_KIB`` are read only once the test
        suite has called :func:`allow_test_kdf` (from its own start-up hook): an installed app
        never honours them, and its key files are strengthened to the floor on unlock.
        """
        chosen = data_dir or os.environ.get("FIELDKIT_DATA_DIR")
        settings = cls(data_dir=Path(chosen).expanduser()) if chosen else cls()
        if state := os.environ.get("FIELDKIT_STATE_DIR"):
            settings.state_dir = Path(state).expanduser()
        if _TEST_KDF_ALLOWED:
            if seconds := os.environ.get("FIELDKIT_KDF_SECONDS"):
                settings.kdf_min_seconds = float(seconds)
            if memory := os.environ.get("FIELDKIT_KDF_MEMORY_KIB"):
                settings.kdf_memory_kib = int(memory)
        settings.__post_init__()  # the same checks on the values read
        return settings


_TEST_KDF_ALLOWED = False


def allow_test_kdf() -> None:
    """Let the ``FIELDKIT_KDF_*`` variables make key derivation cheap: for the test suite's
    processes only (``tests/support/sitecustomize.py`` calls this), never an installed app."""
    global _TEST_KDF_ALLOWED
    _TEST_KDF_ALLOWED = True
