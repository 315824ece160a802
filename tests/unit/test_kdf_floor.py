"""Key derivation keeps its cost outside the test suite: the FIELDKIT_KDF_* variables are
ignored by an installed app, and a key file cheaper than the floor is strengthened on unlock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fieldkit import keys
from fieldkit.settings import Settings
from fieldkit.store import KEY_NAME, Store
from tests.conftest import PASSPHRASE, REPO

PROBE = ("from fieldkit.settings import Settings; s = Settings.from_env(); "
         "print(s.kdf_min_seconds, s.kdf_memory_kib)")


def _probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("FIELDKIT_") and k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=dict(clean, **env), cwd=REPO, timeout=60, check=True)
    return done.stdout.strip()


def test_an_installed_app_ignores_the_test_suites_cheap_key_derivation() -> None:
    assert _probe(FIELDKIT_KDF_SECONDS="0.001", FIELDKIT_KDF_MEMORY_KIB="8192") == "0.25 65536"


def test_only_the_test_suites_start_up_hook_honours_them() -> None:
    hooked = _probe(FIELDKIT_KDF_SECONDS="0.001", FIELDKIT_KDF_MEMORY_KIB="8192",
                    PYTHONPATH=str(REPO / "tests" / "support"))
    assert hooked == "0.001 8192"


def test_a_key_file_below_the_floor_is_strengthened_on_unlock(tmp_path: Path) -> None:
    cheap = Settings(data_dir=tmp_path / "store", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    Store.create(cheap, PASSPHRASE).lock()
    before = keys.read_key_file(cheap.data_dir / KEY_NAME)
    assert before.kdf.memory_kib == 8192
    # The same store opened by an app with the real floor (64 MiB; 0.25 s kept short here by
    # asking for less time, the memory is what is checked).
    floor = Settings(data_dir=cheap.data_dir, kdf_min_seconds=0.01, kdf_memory_kib=64 * 1024)
    with Store.open(floor, PASSPHRASE) as store:
        assert store.is_open
    after = keys.read_key_file(cheap.data_dir / KEY_NAME)
    assert after.kdf.memory_kib == 64 * 1024
    assert after.kdf.calibrated_seconds == 0.01
    assert after.wrapped_key != before.wrapped_key
    with Store.open(floor, PASSPHRASE) as store:  # same database key: it still opens
        assert store.is_open
    assert keys.read_key_file(cheap.data_dir / KEY_NAME) == after  # not strengthened twice


def test_a_key_file_at_the_floor_is_left_alone(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "store", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    Store.create(settings, PASSPHRASE).lock()
    before = (settings.data_dir / KEY_NAME).read_bytes()
    Store.open(settings, PASSPHRASE).lock()
    assert (settings.data_dir / KEY_NAME).read_bytes() == before
