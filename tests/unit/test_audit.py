"""The audit trail is a hash chain: an edited, deleted or reordered event is found and named."""

from __future__ import annotations

import pytest

from fieldkit import audit, cases, notes
from fieldkit.store import Store


def drop_protection(store: Store) -> None:
    """What an insider with the passphrase and a SQLCipher shell can do: remove the triggers."""
    for name in audit.PROTECTION_TRIGGERS:
        store.conn.execute(f"DROP TRIGGER IF EXISTS {name}")


@pytest.fixture
def busy_store(store: Store) -> Store:
    case = cases.create_case(store, "Audit")
    visit = cases.create_visit(store, case.id, "Warehouse", "Dock Road")
    entry = notes.add_note(store, visit.id, "first")
    notes.correct_note(store, entry.id, "first, corrected")
    return store


def test_an_untouched_chain_is_whole(busy_store: Store) -> None:
    report = audit.verify(busy_store.conn)
    assert report.ok and report.events == 5
    actions = [e.action for e in audit.events(busy_store.conn)]
    assert actions == ["store.create", "case.create", "visit.create", "note.add", "note.correct"]


def test_events_never_hold_the_personal_data(busy_store: Store) -> None:
    rows = busy_store.conn.execute("SELECT * FROM audit_events").fetchall()
    flat = " ".join(str(value) for row in rows for value in row)
    for secret in ("Warehouse", "Dock Road", "first, corrected", "Audit"):
        assert secret not in flat


def test_an_edited_event_is_found(busy_store: Store) -> None:
    drop_protection(busy_store)
    busy_store.conn.execute("UPDATE audit_events SET action = 'case.delete' WHERE seq = 2")
    report = audit.verify(busy_store.conn)
    assert report.first_bad == 2 and "changed" in report.problem


def test_a_deleted_event_is_found(busy_store: Store) -> None:
    drop_protection(busy_store)
    busy_store.conn.execute("DELETE FROM audit_events WHERE seq = 3")
    report = audit.verify(busy_store.conn)
    assert report.first_bad == 3 and "missing" in report.problem


def test_a_deleted_last_event_is_found(busy_store: Store) -> None:
    drop_protection(busy_store)
    last = busy_store.conn.execute("SELECT MAX(seq) FROM audit_events").fetchone()[0]
    busy_store.conn.execute("DELETE FROM audit_events WHERE seq = ?", (last,))
    report = audit.verify(busy_store.conn)
    assert not report.ok and report.first_bad == last


def test_reordered_events_are_found(busy_store: Store) -> None:
    drop_protection(busy_store)
    conn = busy_store.conn
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT seq, at, actor, action, record_kind, record_id, prev_hash, hash FROM audit_events"
    ).fetchall()}
    conn.execute("DELETE FROM audit_events WHERE seq IN (3, 4)")
    insert = ("INSERT INTO audit_events(seq, at, actor, action, record_kind, record_id, "
              "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    conn.execute(insert, (3, *rows[4]))
    conn.execute(insert, (4, *rows[3]))
    report = audit.verify(conn)
    assert report.first_bad == 3


def test_seals_and_event_hashes_are_the_same_text_as_json_dumps_gave() -> None:
    # The encoder is made once; what it writes (so every stored seal and hash) is unchanged.
    import hashlib
    import json

    from fieldkit import seals

    row = ["note", "n1", "v1", 3, "2026-12-02T16:00:00.123456Z", "Zoë Ó Briain",
           "Ünïcode, \"quotes\", \\ back\nline, tab\t, emoji 🙂, \u2028 and 中文", None, 1.5, True]
    text = json.dumps(row, separators=(",", ":"), ensure_ascii=False)
    assert seals.seal(row) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    fields = [7, row[4], row[5], "note.add", "note", "n1", "ab" * 32]
    body = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    assert audit.event_hash("0" * 64, 7, row[4], row[5], "note.add", "note", "n1",
                            "ab" * 32) == hashlib.sha256(("0" * 64 + body).encode()).hexdigest()
