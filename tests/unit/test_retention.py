"""Retention: a closed case's personal data is purged only after its latest bundle was delivered
and the profile's retention period has passed; an audit event and tombstones remain."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fieldkit import audit, cases, documents, exhibits, notes
from fieldkit.clock import utc_now
from fieldkit.drafts import DraftKind, DraftOwner, save_draft
from fieldkit.store import Store
from sync import outbox, retention

ADULT = {"where_found": {"age_group": "adult"}}


def _delivered_case(store: Store) -> tuple[str, str]:
    case = cases.create_case(store, "Operation Retention")
    visit = cases.create_visit(store, case.id, "Example Farm", "Example Lane")
    notes.add_note(store, visit.id, "Pickers sleeping in a barn")
    exhibits.add_exhibit(store, case.id, b"photo bytes", "barn.jpg", visit_id=visit.id)
    person = cases.add_person(store, case.id, "P01", visit_id=visit.id)
    # An NRM draft later replaced by a DtN: the NRM is withdrawn, and must purge too.
    documents.save_document(store, case.id, "nrm", ADULT, person_id=person.id)
    documents.save_document(store, case.id, "dtn", {}, person_id=person.id)
    cases.set_case_status(store, case.id, "closed")
    bundle_id = str(uuid.uuid4())
    outbox.enqueue(store, bundle_id, case.id, None, b"age-encrypted bytes")
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'delivered', delivered_at = created_at, "
                     "acknowledged_at = created_at")
    return case.id, visit.id


def test_delivered_but_not_imported_by_the_lead_is_kept(store: Store) -> None:
    case_id, _ = _delivered_case(store)
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET acknowledged_at = NULL")
    assert retention.purgeable_cases(store, 1, utc_now() + timedelta(days=400)) == []
    del case_id


def test_nothing_is_purged_without_a_retention_policy(store: Store) -> None:
    _delivered_case(store)
    assert retention.apply_retention(store, None, utc_now() + timedelta(days=3650)) == []


def test_nothing_is_purged_before_the_period_has_passed(store: Store) -> None:
    _delivered_case(store)
    assert retention.apply_retention(store, 30, utc_now() + timedelta(days=29)) == []


def test_open_cases_and_undelivered_changes_are_kept(store: Store) -> None:
    case_id, visit_id = _delivered_case(store)
    notes.add_note(store, visit_id, "Added after the bundle was made")
    assert retention.purgeable_cases(store, 30, utc_now() + timedelta(days=31)) == []
    other = cases.create_case(store, "Still open")
    outbox.enqueue(store, str(uuid.uuid4()), other.id, None, b"x")
    assert case_id not in retention.purgeable_cases(store, 1, utc_now() + timedelta(days=400))


def test_a_due_case_is_purged_with_tombstones_and_an_audit_event(store: Store) -> None:
    case_id, visit_id = _delivered_case(store)
    save_draft(store, DraftOwner(DraftKind.NOTE, case_id, visit_id=visit_id),
               {"text": "half-typed note"})
    other = cases.create_case(store, "Another case")
    other_visit = cases.create_visit(store, other.id, "Kept premises", "1 Kept Road")
    kept = DraftOwner(DraftKind.NOTE, other.id, visit_id=other_visit.id)
    save_draft(store, kept, {"text": "kept"})
    purged = retention.apply_retention(store, 30, utc_now() + timedelta(days=31))
    assert purged == [case_id]
    assert cases.get_case(store, case_id).title == retention.PURGED_TITLE
    assert cases.list_visits(store, case_id) == []
    assert exhibits.list_exhibits(store, case_id) == []
    assert notes.search_notes(store, "barn") == []
    drafts = [row[0] for row in store.conn.execute("SELECT key FROM drafts")]
    assert drafts == [kept.key]
    kinds = {row[0] for row in store.conn.execute("SELECT record_kind FROM tombstones")}
    assert {"note", "visit", "exhibit", "person", "form", "form_withdrawal"} <= kinds
    # Not even the search index's own segments keep the purged words.
    segments = b"".join(bytes(row[0]) for row in store.conn.execute(
        "SELECT block FROM note_search_data") if row[0] is not None)
    assert b"barn" not in segments.lower()
    assert audit.events(store.conn)[-1].action == "purge"
    assert audit.verify(store.conn).ok
    # Append-only protection is back on once the purge is over.
    case = cases.create_case(store, "After purge")
    visit = cases.create_visit(store, case.id, "Shop", "High Street")
    entry = notes.add_note(store, visit.id, "kept")
    try:
        store.conn.execute("DELETE FROM note_entries WHERE id = ?", (entry.id,))
    except Exception as error:
        assert "append-only" in str(error)
    else:
        raise AssertionError("notes became deletable after a purge")
    del visit_id


def test_board_changes_made_or_received_after_the_last_bundle_keep_the_case(
        store: Store) -> None:
    """A reception board change recorded (or received from a peer laptop) after the case's
    last bundle has not reached the Lead: the case is not purged until it is sent again."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.board_share import journal
    from sync.board_share.changes import BoardChange, field_value

    case_id, _ = _delivered_case(store)
    later = utc_now() + timedelta(days=400)
    board = journal.board_id(store, case_id)
    assert retention.purgeable_cases(store, 1, later) == [case_id]
    journal.record_change(store, case_id, "R002", "estimated_age", 16)
    assert retention.purgeable_cases(store, 1, later) == []

    _redelivered(store, case_id)
    assert retention.purgeable_cases(store, 1, later) == [case_id]
    peer = str(uuid.uuid4())
    received = BoardChange(
        board_id=board, person="R003", field="estimated_age",
        value=field_value("estimated_age", 15),
        hlc=f"{int(utc_now().timestamp() * 1000) + 5:013d}.000000.{peer}", device_id=peer,
        officer="Officer Health").signed_by(Ed25519PrivateKey.generate())
    assert journal.receive(store, board, [received]) == 1
    assert retention.purgeable_cases(store, 1, later) == []


def _redelivered(store: Store, case_id: str) -> None:
    """The case sent again and acknowledged by the Lead (a new bundle, after every change)."""
    outbox.enqueue(store, str(uuid.uuid4()), case_id, None, b"age-encrypted bytes")
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'delivered', delivered_at = created_at, "
                     "acknowledged_at = created_at")
