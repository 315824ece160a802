"""Issue 10, item 2 (device half): the attacks an insider holding the passphrase tried on the
audit trail, each now refused by the database or found by ``audit.verify``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlcipher3

from fieldkit import audit, cases, documents, exhibits, notes
from fieldkit.clock import utc_now
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import retention
from tests.fixtures.make_store_v1 import FIXTURE_PASSPHRASE
from tests.unit.test_retention import _delivered_case

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
Refused = sqlcipher3.DatabaseError


@contextmanager
def protection_lifted(store: Store) -> Iterator[None]:
    """The careful attacker: save the triggers' SQL, drop them, tamper, put them back."""
    conn = store.conn
    saved = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        f"({', '.join('?' * len(audit.PROTECTION_TRIGGERS))})", audit.PROTECTION_TRIGGERS)]
    for name in audit.PROTECTION_TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for sql in saved:
        conn.execute(sql)


@pytest.fixture
def visit_id(store: Store) -> str:
    case = cases.create_case(store, "Operation Kestrel")
    visit = cases.create_visit(store, case.id, "Car wash", "Sample Road")
    notes.add_note(store, visit.id, "Four men washing cars, no gloves")
    notes.add_note(store, visit.id, "Manager arrived at 10:40")
    assert audit.verify(store.conn).ok
    return visit.id


def test_deleting_the_last_events_is_refused(store: Store, visit_id: str) -> None:
    last = store.conn.execute("SELECT MAX(seq) FROM audit_events").fetchone()[0]
    with pytest.raises(Refused, match="append-only"):
        store.conn.execute("DELETE FROM audit_events WHERE seq >= ?", (last - 1,))
    with pytest.raises(Refused, match="append-only"):
        store.conn.execute("UPDATE audit_events SET action = 'x' WHERE seq = ?", (last,))
    assert audit.verify(store.conn).ok


def test_deleting_the_last_events_and_moving_the_head_back_is_found(
    store: Store, visit_id: str
) -> None:
    conn = store.conn
    last = conn.execute("SELECT MAX(seq) FROM audit_events").fetchone()[0]
    for name in audit.PROTECTION_TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM audit_events WHERE seq >= ?", (last - 1,))
    seq, digest = conn.execute(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    store.set_meta("audit_head", f"{seq}:{digest}")
    report = audit.verify(conn)
    assert not report.ok and "protection" in report.problem


def test_deleted_events_are_found_even_with_the_triggers_put_back(
    store: Store, visit_id: str
) -> None:
    conn = store.conn
    last = conn.execute("SELECT MAX(seq) FROM audit_events").fetchone()[0]
    with protection_lifted(store):
        conn.execute("DELETE FROM audit_events WHERE seq >= ?", (last - 1,))
        seq, digest = conn.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
        store.set_meta("audit_head", f"{seq}:{digest}")
    report = audit.verify(conn)
    # The chain alone is consistent now; the notes it no longer speaks for give it away.
    assert not report.ok and "has no audit event" in report.problem


def test_the_purging_flag_no_longer_turns_protection_off(store: Store, visit_id: str) -> None:
    store.set_meta("purging", "1")
    with pytest.raises(Refused, match="append-only"):
        store.conn.execute("UPDATE note_entries SET text = 'Nothing seen', "
                           "written_at = '2026-01-01T00:00:00.000000Z' WHERE seq = 1")
    with pytest.raises(Refused, match="append-only"):
        store.conn.execute("DELETE FROM note_entries WHERE visit_id = ?", (visit_id,))
    store.set_meta("purging", "0")
    assert notes.list_notes(store, visit_id)[0].text.startswith("Four men")


def test_an_edited_note_text_and_time_is_found(store: Store, visit_id: str) -> None:
    with protection_lifted(store):
        store.conn.execute("UPDATE note_entries SET text = 'Nothing seen', "
                           "written_at = '2026-01-01T00:00:00.000000Z' WHERE seq = 1")
    report = audit.verify(store.conn)
    assert not report.ok and "was changed after it was saved" in report.problem
    assert report.problem.startswith("note ")
    assert "Nothing seen" not in report.problem and "Four men" not in report.problem


def test_a_deleted_note_is_found(store: Store, visit_id: str) -> None:
    with protection_lifted(store):
        store.conn.execute("DELETE FROM note_entries WHERE seq = 2")
    report = audit.verify(store.conn)
    assert not report.ok and "was deleted" in report.problem


def test_a_purge_started_by_hand_is_visible_and_unaccounted(
    store: Store, visit_id: str
) -> None:
    case_id = cases.get_visit(store, visit_id).case_id
    with store.transaction() as conn:
        store.audit("purge.start", "case", case_id)
        conn.execute("DELETE FROM note_entries WHERE seq = 2")
    report = audit.verify(store.conn)
    assert not report.ok
    assert any("never recorded as finished" in p for p in report.problems)
    assert any("was deleted" in p for p in report.problems)


def test_an_edited_exhibit_and_form_version_are_found(store: Store, visit_id: str) -> None:
    case_id = cases.get_visit(store, visit_id).case_id
    exhibit = exhibits.add_exhibit(store, case_id, b"photo bytes", "yard.jpg")
    form = documents.save_document(store, case_id, "nrm", {"where_found": {"place": "Coventry"}})
    assert audit.verify(store.conn).ok
    with protection_lifted(store):
        store.conn.execute("UPDATE attachments SET description = 'none' WHERE id = ?",
                           (exhibit.id,))
        store.conn.execute("UPDATE form_versions SET data = '{}' WHERE document_id = ?",
                           (form.id,))
    problems = audit.verify(store.conn).problems
    assert any(p.startswith(f"exhibit {exhibit.id} was changed") for p in problems)
    assert any(p.startswith(f"form {form.id} version 1 was changed") for p in problems)


def test_exhibit_bytes_swapped_with_a_matching_hash_column_are_found(
    store: Store, visit_id: str
) -> None:
    case_id = cases.get_visit(store, visit_id).case_id
    exhibit = exhibits.add_exhibit(store, case_id, b"original photo", "yard.jpg")
    with protection_lifted(store):
        store.conn.execute("UPDATE attachments SET content = ? WHERE id = ?",
                           (b"another photo", exhibit.id))
    assert "no longer matches the hash" in audit.verify(store.conn).problem


def test_a_note_slipped_in_without_an_event_is_found(store: Store, visit_id: str) -> None:
    store.conn.execute(
        "INSERT INTO note_entries VALUES ('planted', ?, 9, '2026-01-01T00:00:00.000000Z', "
        "'Officer Test', 'Planted', NULL)", (visit_id,))
    report = audit.verify(store.conn)
    assert not report.ok and "note planted has no audit event" in report.problem


def test_a_retention_purge_is_audited_and_accounted_for(store: Store) -> None:
    case_id, _visit = _delivered_case(store)
    assert retention.apply_retention(store, 30, utc_now() + timedelta(days=31)) == [case_id]
    actions = [e.action for e in audit.events(store.conn)]
    assert actions[-2:] == ["purge.start", "purge"]
    assert audit.events(store.conn)[-1].content_hash
    assert audit.verify(store.conn).ok
    # A tombstone taken away afterwards no longer matches the purge's seal.
    with pytest.raises(Refused, match="append-only"):
        store.conn.execute("DELETE FROM tombstones WHERE record_kind = 'note'")
    with protection_lifted(store):
        store.conn.execute("DELETE FROM tombstones WHERE record_kind = 'note'")
    problems = audit.verify(store.conn).problems
    assert any("do not match its audit event" in p for p in problems)
    assert any("was deleted, and no audited purge removed it" in p for p in problems)


def test_records_from_before_the_upgrade_are_sealed_by_it(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store-v1", folder)
    with Store.open(Settings(data_dir=folder), FIXTURE_PASSPHRASE) as store:
        assert "audit.upgrade" in [e.action for e in audit.events(store.conn)]
        assert audit.verify(store.conn).ok
        with protection_lifted(store):
            store.conn.execute("UPDATE note_entries SET text = 'Nothing here' WHERE id = 'n1'")
        assert audit.verify(store.conn).problem == "note n1 was changed after it was saved"
