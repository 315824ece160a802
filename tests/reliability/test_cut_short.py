"""A migration or a re-key cut short: kill -9 at random moments, 20 times each.

After every kill the store opens at one released schema or the next (never between: its
schema is exactly that of a released step), the backup opens too, and a re-key leaves a store
that opens with the old key file or the new one, never neither. Every released schema's
fixture store upgrades to the current one."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fieldkit import audit, cases, keys, migrations, notes, rekey, rekey_recovery
from fieldkit.errors import FieldkitError
from fieldkit.settings import Settings
from fieldkit.store import BACKUP_DIR, DB_NAME, KEY_NAME, Store
from tests.conftest import REPO
from tests.fixtures import make_store_v1
from tests.fixtures.make_store_v1 import FIXTURE_PASSPHRASE

FIXTURES = REPO / "tests" / "fixtures"
TRIALS = 20
OTHER_PASSPHRASE = "a different passphrase for the re-key"


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def _child(*args: str) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.upgrade_child", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
    )
    assert child.stdout is not None
    line = child.stdout.readline().decode().strip()
    assert line == "ready", child.stderr.read().decode() if child.stderr else line
    return child


def _timed(*args: str) -> float:
    """How long the child takes from 'ready' to the end, uninterrupted."""
    child = _child(*args)
    started = time.monotonic()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0 and b"done" in out, err.decode()
    return time.monotonic() - started


def _killed(delay: float, *args: str) -> bool:
    """Run the child and SIGKILL it ``delay`` seconds after 'ready'; True if it was killed."""
    child = _child(*args)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=120)
    return child.returncode == -signal.SIGKILL


def _raw(path: Path, key: keys.Unwrapped) -> Any:
    """The database file at ``path`` opened with the key and page seal alone (no fieldkit)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.key.hex()}'\"")
    if key.page_hmac is not None:
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {key.page_hmac}")
    return conn


def _schema(conn: Any) -> set[tuple[str, str, str]]:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {tuple(row) for row in rows.fetchall()}


def _released_schemas() -> dict[int, set[tuple[str, str, str]]]:
    """The exact schema after each released step, built in memory from the steps."""
    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    schemas = {}
    for version, step in enumerate(migrations.STEPS, start=1):
        step(conn)
        schemas[version] = _schema(conn)
    return schemas


def _check_whole(
    path: Path, key: keys.Unwrapped, schemas: dict[int, set[tuple[str, str, str]]]
) -> int:
    """The database at ``path`` is at exactly one released schema, whole; returns it."""
    conn = _raw(path, key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        assert version in schemas, f"schema {version} is not a released one"
        assert _schema(conn) == schemas[version], f"{path.name}: between schemas at {version}"
        text = conn.execute("SELECT text FROM note_entries WHERE id = 'n1'").fetchone()[0]
        assert text == "Pickers living in caravans behind the packhouse"
        return version
    finally:
        conn.close()


@pytest.mark.parametrize("schema", range(1, 13))
def test_every_released_fixture_store_upgrades(tmp_path: Path, schema: int) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / f"store-v{schema}", folder)
    with Store.open(_settings(folder), FIXTURE_PASSPHRASE) as store:
        assert store.schema_version() == migrations.CURRENT
        assert cases.get_case(store, "c1").title == "Operation Fixture"
        assert notes.list_notes(store, "v1")[0].text.startswith("Pickers living")
        assert audit.verify(store.conn).ok
        notes.add_note(store, "v1", "Added after the upgrade")
    key = keys.unwrap(folder / KEY_NAME, FIXTURE_PASSPHRASE)
    backups = list((folder / BACKUP_DIR).glob("*.db")) if schema < migrations.CURRENT else []
    assert len(backups) == (1 if schema < migrations.CURRENT else 0)
    for backup in backups:
        assert _check_whole(backup, key, _released_schemas()) == schema


def test_a_migration_killed_at_random_moments_leaves_one_schema_or_the_other(
    tmp_path: Path,
) -> None:
    schemas = _released_schemas()
    calibration = tmp_path / "calibration"
    shutil.copytree(FIXTURES / "store-v1", calibration)
    took = _timed("upgrade", str(calibration), FIXTURE_PASSPHRASE)
    rng = random.Random(20261202)
    landed: Counter[int] = Counter()
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        shutil.copytree(FIXTURES / "store-v1", folder)
        _killed(rng.uniform(0, took * 1.2), "upgrade", str(folder), FIXTURE_PASSPHRASE)
        key = keys.unwrap(folder / KEY_NAME, FIXTURE_PASSPHRASE)
        landed[_check_whole(folder / DB_NAME, key, schemas)] += 1
        for backup in (folder / BACKUP_DIR).glob("*.db") if (folder / BACKUP_DIR).exists() else []:
            _check_whole(backup, key, schemas)
        with Store.open(_settings(folder), FIXTURE_PASSPHRASE) as store:
            assert store.schema_version() == migrations.CURRENT
            assert audit.verify(store.conn).ok
            assert len(notes.list_notes(store, "v1")) == 1
        shutil.rmtree(folder)
    print(f"migration kills: {TRIALS} trials, upgrade {took * 1000:.0f} ms uninterrupted, "
          f"schema found after the kill: {dict(sorted(landed.items()))}")


def _rekey_store(folder: Path, *, sealed: bool = False) -> int:
    """A store with a migration backup and enough notes that a re-key takes a while; ``sealed``:
    its key file names its page seal (format 2, a store made now), else the released fixture's
    format 1."""
    if sealed:
        import keyring

        previous = keyring.get_keyring()
        try:
            make_store_v1.main(folder, released_format=False)  # passphrase-only, as the fixture
        finally:
            keyring.set_keyring(previous)  # which the re-key's device secret needs back
    else:
        shutil.copytree(FIXTURES / "store-v1", folder)
    with Store.open(_settings(folder), FIXTURE_PASSPHRASE) as store:
        with store.transaction():
            for n in range(400):
                store.conn.execute(
                    "INSERT INTO note_entries(id, visit_id, seq, written_at, author, text) "
                    "VALUES (?, 'v1', ?, '2025-06-01T10:00:00.000000Z', 'Fixture Officer', ?)",
                    (f"bulk-{n}", n + 2, f"Bulk entry {n} " + "about the yard " * 60),
                )
        return len(notes.list_notes(store, "v1"))


def _open_either(settings: Settings, current: str, other: str) -> tuple[Store, bool]:
    """Open with ``current``; else with ``other``. True in the second place when the re-key
    had taken effect (the other passphrase opened it)."""
    try:
        return Store.open(settings, current), False
    except FieldkitError as first:
        try:
            return Store.open(settings, other), True
        except FieldkitError as second:
            message = f"neither key file opens the store: {first} / {second}"
            raise AssertionError(message) from second


@pytest.mark.parametrize("sealed", [False, True], ids=["format-1", "format-2"])
def test_a_rekey_killed_at_random_moments_leaves_the_old_key_or_the_new(
    tmp_path: Path, sealed: bool,
) -> None:
    folder = tmp_path / "store"
    count = _rekey_store(folder, sealed=sealed)
    seal = keys.read_key_file(folder / KEY_NAME).page_hmac
    assert (seal is not None) == sealed
    settings = _settings(folder)
    current, other = FIXTURE_PASSPHRASE, OTHER_PASSPHRASE
    took = _timed("rekey", str(folder), current, other)
    current, other = other, current
    rng = random.Random(20261203)
    outcomes: Counter[str] = Counter()
    for _ in range(TRIALS):
        killed = _killed(rng.uniform(0, took * 1.2), "rekey", str(folder), current, other)
        store, moved = _open_either(settings, current, other)
        with store:
            assert len(notes.list_notes(store, "v1")) == count
            assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        outcomes[("new key" if moved else "old key") + ("" if killed else " (finished)")] += 1
        if moved:
            current, other = other, current
        assert rekey_recovery.pending_key_file(folder) is None
        assert not list((folder / BACKUP_DIR).glob("*" + rekey.REKEYED_SUFFIX))
        key = keys.unwrap(folder / KEY_NAME, current)
        assert key.page_hmac == seal  # a re-key changes the key, never the seal
        for backup in (folder / BACKUP_DIR).glob("*.db"):
            _check_whole(backup, key, _released_schemas())
    print(f"re-key kills: {TRIALS} trials, re-key {took * 1000:.0f} ms uninterrupted, "
          f"opened afterwards with: {dict(outcomes)}")


def test_after_a_rekey_a_copy_of_the_old_key_file_no_longer_opens_the_store(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store-v1", folder)
    settings = _settings(folder)
    old_key_file = (folder / KEY_NAME).read_bytes()
    old_key = keys.unwrap(folder / KEY_NAME, FIXTURE_PASSPHRASE)
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:
        rekey.rekey(store, settings, FIXTURE_PASSPHRASE, OTHER_PASSPHRASE)
        notes.add_note(store, "v1", "Written after the re-key")
    raw = _raw(folder / DB_NAME, old_key)
    with pytest.raises(sqlcipher3.DatabaseError):
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    raw.close()
    for backup in (folder / BACKUP_DIR).glob("*.db"):  # the backups are re-keyed too
        raw = _raw(backup, old_key)
        with pytest.raises(sqlcipher3.DatabaseError):
            raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        raw.close()
    (folder / KEY_NAME).write_bytes(old_key_file)
    with pytest.raises(FieldkitError, match="does not open"):
        Store.open(settings, FIXTURE_PASSPHRASE)


def test_a_passphrase_only_change_keeps_the_old_key_file_working_as_documented(
    tmp_path: Path,
) -> None:
    """The limit said plainly in fieldkit.rekey: a copy of the old key file and the old
    passphrase still open the store after a passphrase-only change."""
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store-v1", folder)
    settings = _settings(folder)
    old_key_file = (folder / KEY_NAME).read_bytes()
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:
        rekey.change_passphrase_only(store, settings, FIXTURE_PASSPHRASE, OTHER_PASSPHRASE)
        notes.add_note(store, "v1", "Written after the change")
    os.replace(folder / KEY_NAME, tmp_path / "new.key")
    (folder / KEY_NAME).write_bytes(old_key_file)
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:
        assert notes.list_notes(store, "v1")[-1].text == "Written after the change"
