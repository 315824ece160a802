"""Settings declared once, typed, with defaults. Paths are computed in functions, not at import."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, Field

APP_NAME = "fieldkit"


def default_data_dir() -> Path:
    """The platform's per-user data folder for fieldkit."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_state_dir() -> Path:
    """The platform's per-user state folder for fieldkit: what this computer remembers about
    its stores (where they live, audit events waiting for room), kept off the store's drive."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


class Settings(BaseModel):
    """Where the store lives and how hard the passphrase is to guess offline."""

    data_dir: Path = Field(default_factory=default_data_dir)
    state_dir: Path = Field(
        default_factory=default_state_dir,
        description="Where this computer remembers its stores; never inside a store's folder.",
    )
    kdf_min_seconds: float = Field(
        default=0.25, gt=0, description="Key derivation is calibrated to take at least this long."
    )
    kdf_memory_kib: int = Field(default=64 * 1024, ge=8 * 1024)
    case_prefix: str = "FK"

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None) -> Settings:
        """Settings from the command line's ``--data-dir``, ``FIELDKIT_DATA_DIR`` and
        ``FIELDKIT_STATE_DIR``.

        ``FIELDKIT_KDF_SECONDS`` and ``FIELDKIT_KDF_MEMORY_KIB`` are read only once the test
        suite has called :func:`allow_test_kdf` (from its own start-up hook): an installed app
        never honours them, and its key files are strengthened to the floor on unlock.
        """
        values: dict[str, object] = {}
        chosen = data_dir or os.environ.get("FIELDKIT_DATA_DIR")
        if chosen:
            values["data_dir"] = Path(chosen).expanduser()
        if state := os.environ.get("FIELDKIT_STATE_DIR"):
            values["state_dir"] = Path(state).expanduser()
        if _TEST_KDF_ALLOWED:
            if seconds := os.environ.get("FIELDKIT_KDF_SECONDS"):
                values["kdf_min_seconds"] = float(seconds)
            if memory := os.environ.get("FIELDKIT_KDF_MEMORY_KIB"):
                values["kdf_memory_kib"] = int(memory)
        return cls.model_validate(values)


_TEST_KDF_ALLOWED = False


def allow_test_kdf() -> None:
    """Let the ``FIELDKIT_KDF_*`` variables make key derivation cheap: for the test suite's
    processes only (``tests/support/sitecustomize.py`` calls this), never an installed app."""
    global _TEST_KDF_ALLOWED
    _TEST_KDF_ALLOWED = True
