"""The store's connection keeps the statements it runs prepared: a note append, however late in
the connection's life it first runs, compiles none of its statements again (sqlcipher3's own
statement cache, once full, recompiled every statement it had not kept at every call)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlcipher3

from fieldkit import audit, cases, notes
from fieldkit.errors import NotFound
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


def _compiling(store: Store) -> list[tuple[Any, ...]]:
    """Watch the connection: SQLite asks the authorizer only while it compiles a statement.
    FTS5 compiles some statements of its own on its shadow tables (``note_search_*``) when it
    merges its index; those are SQLite's, not the store's, and left out."""
    asked: list[tuple[Any, ...]] = []

    def authorizer(action: int, table: str | None, *rest: Any) -> int:
        if not (table or "").startswith("note_search_"):
            asked.append((action, table, *rest))
        return int(sqlcipher3.SQLITE_OK)

    store.conn.set_authorizer(authorizer)
    return asked


def _append_notes(store: Store, visit_id: str, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        notes.add_note(store, visit_id, f"Workers seen at the back of the yard, {n}")


def test_notes_compile_nothing_after_the_first_on_a_new_store(store: Store) -> None:
    # A new store ran every migration on this very connection (hundreds of statements)
    # before its first note.
    case = cases.create_case(store, "Statements")
    visit = cases.create_visit(store, case.id, "Unit 4", "Dock road")
    _append_notes(store, visit.id, 20)
    asked = _compiling(store)  # expires every prepared statement once
    _append_notes(store, visit.id, 5, start=20)
    assert asked, "the authorizer sees statements compiled again"
    asked.clear()
    _append_notes(store, visit.id, 10, start=25)
    assert asked == []
    assert len(notes.list_notes(store, visit.id)) == 35


def test_notes_compile_nothing_after_many_other_statements(settings: Settings) -> None:
    # An officer's session runs many other statements before the first note: a note's
    # statements, new to the connection then, are kept all the same.
    store = Store.create(settings, PASSPHRASE, officer="Officer Test")
    try:
        case = cases.create_case(store, "Statements")
        visit = cases.create_visit(store, case.id, "Unit 4", "Dock road")
        for n in range(300):
            store.conn.execute(f"SELECT {n} FROM meta LIMIT 1").fetchall()
        _append_notes(store, visit.id, 20)
        asked = _compiling(store)
        _append_notes(store, visit.id, 5, start=20)
        asked.clear()
        _append_notes(store, visit.id, 10, start=25)
        assert asked == []
    finally:
        store.lock()


def test_a_note_for_no_such_visit_is_refused_and_leaves_nothing(store: Store) -> None:
    # The visit is looked up inside the append's own transaction (one read with the next
    # number): a missing one is refused before anything is written, the trail unchanged.
    before = audit.head(store.conn)
    with pytest.raises(NotFound):
        notes.add_note(store, "no-such-visit", "Workers seen at the back of the yard")
    assert audit.head(store.conn) == before
    assert store.conn.execute("SELECT count(*) FROM note_entries").fetchone()[0] == 0
    case = cases.create_case(store, "Statements")
    visit = cases.create_visit(store, case.id, "Unit 4", "Dock road")
    first = notes.add_note(store, visit.id, "First")
    fixed = notes.correct_note(store, first.id, "First, corrected")
    assert (first.seq, fixed.seq, fixed.corrects) == (1, 2, first.id)
    assert audit.verify(store.conn).ok


def test_a_note_its_case_and_its_event_carry_one_time(store: Store) -> None:
    case = cases.create_case(store, "Statements")
    visit = cases.create_visit(store, case.id, "Unit 4", "Dock road")
    entry = notes.add_note(store, visit.id, "Workers seen at the back of the yard")
    assert cases.get_case(store, case.id).updated_at == entry.written_at
    event = audit.events(store.conn)[-1]
    assert (event.action, event.record_id, event.at) == ("note.add", entry.id, entry.written_at)
