"""Migrations: a new store is created at the current schema; a schema-1 fixture store upgrades,
with a backup first and nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from fieldkit import audit, cases, migrations, notes
from fieldkit.settings import Settings
from fieldkit.store import BACKUP_DIR, Store
from tests.conftest import PASSPHRASE
from tests.fixtures.make_store_v1 import FIXTURE_PASSPHRASE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _tables(store: Store) -> set[str]:
    rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def test_a_new_store_is_at_the_current_schema(store: Store) -> None:
    assert store.schema_version() == migrations.CURRENT
    assert {"cases", "visits", "people", "note_entries", "attachments", "form_documents",
            "form_versions", "audit_events", "drafts", "note_search"} <= _tables(store)


def test_the_schema_1_fixture_store_upgrades_with_a_backup(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store-v1", folder)
    settings = Settings(data_dir=folder)
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:
        assert store.schema_version() == migrations.CURRENT
        assert "drafts" in _tables(store)
        case = cases.get_case(store, "c1")
        assert case.title == "Operation Fixture"
        entries = notes.list_notes(store, "v1")
        assert entries[0].text == "Pickers living in caravans behind the packhouse"
        assert audit.verify(store.conn).ok
        # Still usable after the upgrade.
        notes.add_note(store, "v1", "Added after the upgrade")
    backups = list((folder / BACKUP_DIR).iterdir())
    assert len(backups) == 1 and "schema1" in backups[0].name
    assert b"Pickers" not in backups[0].read_bytes()
    # The backup is the old store itself, encrypted under the same key.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(folder / "fieldkit.key", restored / "fieldkit.key")
    shutil.copy(backups[0], restored / "fieldkit.db")
    with Store.open(Settings(data_dir=restored), FIXTURE_PASSPHRASE) as old:
        assert len(notes.list_notes(old, "v1")) == 1


def test_a_failing_step_rolls_back_whole(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    Store.create(settings, PASSPHRASE).lock()

    def broken_step(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed part way")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, broken_step])
    monkeypatch.setattr(migrations, "CURRENT", len(migrations.STEPS))
    try:
        Store.open(settings, PASSPHRASE)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the broken step did not fail")
    monkeypatch.undo()
    with Store.open(settings, PASSPHRASE) as store:
        assert store.schema_version() == migrations.CURRENT
        assert "half_done" not in _tables(store)
