"""Migrations: a new store is created at the current schema; a schema-1 fixture store upgrades,
with a backup first and nothing lost; the notes' search index rebuilt by schema 12 finds what it
found before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


_SEARCHES = ("caravans", "packhouse pickers", "cafe", "CAFÉ", "can't", "yard", "cabin 7",
             "nothing like this")


def test_schema_12_rebuilds_the_search_index_without_sizes_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store-v11", folder)
    settings = Settings(data_dir=folder)
    # The store at schema 11, as an officer's is, with notes written through fieldkit.
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:11])
    monkeypatch.setattr(migrations, "CURRENT", 11)
    with Store.open(settings, FIXTURE_PASSPHRASE) as old:
        assert old.schema_version() == 11
        for n in range(40):
            notes.add_note(old, "v1", f"Mattresses in cabin {n} at the back of the yard")
        notes.add_note(old, "v1", "Workers can't leave; the café owner holds the passports")
        before = {text: [e.id for e in notes.search_notes(old, text)] for text in _SEARCHES}
    monkeypatch.undo()
    assert before["caravans"] and len(before["yard"]) == 40 and before["cafe"] == before["CAFÉ"]
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:
        assert store.schema_version() == migrations.CURRENT
        sql = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'note_search'").fetchone()[0]
        assert "columnsize=0" in sql
        assert "note_search_docsize" not in _tables(store)
        store.conn.execute("INSERT INTO note_search(note_search) VALUES ('integrity-check')")
        assert {text: [e.id for e in notes.search_notes(store, text)]
                for text in _SEARCHES} == before
        assert audit.verify(store.conn).ok
        # Indexed as before from here on: a new note is found, in entry order, after the rest.
        added = notes.add_note(store, "v1", "Another caravan by the yard")
        assert notes.search_notes(store, "yard")[-1].id == added.id
        assert len(notes.search_notes(store, "yard")) == 41
