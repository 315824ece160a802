"""Retention: once a closed case's latest bundle has been imported by the Lead (signed receipt)
and the Lead profile's retention period has passed, the device purges the case's personal data,
keeping a tombstone for each record removed. Off until a profile sets it.

A purge is an audited, visible event: ``purge.start`` opens it (the database refuses to delete
notes, exhibits or form versions otherwise), and ``purge`` closes it with the seal of its
tombstones, so ``fieldkit audit verify`` accounts for every record it removed."""

from __future__ import annotations

from datetime import datetime, timedelta

from fieldkit.clock import parse_stamp, stamp, utc_now
from fieldkit.drafts import delete_case_drafts
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.seals import PURGE, PURGE_START, tombstone_seal
from fieldkit.store import BACKUP_DIR, Store

PURGED_TITLE = "[personal data purged after delivery to the Lead]"

# Each table's rows for one case, children before parents so foreign keys hold.
_BOARD = "board_id IN (SELECT board_id FROM board_shares WHERE case_id = ?)"
_CASE_TABLES = [
    ("board_change", "board_changes", _BOARD),
    ("board_peer", "board_peers", _BOARD),
    ("board_invitation", "board_invited", _BOARD),
    ("board_share", "board_shares", "case_id = ?"),
    ("note", "note_entries", "visit_id IN (SELECT id FROM visits WHERE case_id = ?)"),
    ("form_withdrawal", "form_withdrawals",
     "document_id IN (SELECT id FROM form_documents WHERE case_id = ?)"),
    ("form_version", "form_versions",
     "document_id IN (SELECT id FROM form_documents WHERE case_id = ?)"),
    ("form", "form_documents", "case_id = ?"),
    ("exhibit", "attachments", "case_id = ?"),
    ("person", "people", "case_id = ?"),
    ("visit", "visits", "case_id = ?"),
]


def purgeable_cases(
    store: Store, retention_days: int | None, now: datetime | None = None
) -> list[str]:
    """Closed, unchanged-since-delivery cases whose retention period has passed."""
    if retention_days is None:
        return []
    cutoff = (now or utc_now()) - timedelta(days=retention_days)
    # Only once the Lead has confirmed the import (a signed "imported" receipt): delivery to a
    # folder or an inbox is not yet the Lead holding it.
    rows = store.conn.execute(
        "SELECT c.id, c.updated_at, MAX(o.acknowledged_at), MAX(o.created_at) FROM cases c "
        "JOIN outbox o ON o.case_id = c.id AND o.state = 'delivered' "
        "AND o.acknowledged_at IS NOT NULL "
        "WHERE c.status = 'closed' AND c.title != ? GROUP BY c.id",
        (PURGED_TITLE,),
    ).fetchall()
    ready = []
    for case_id, updated_at, acknowledged_at, bundled_at in rows:
        waiting = store.conn.execute(
            "SELECT 1 FROM outbox WHERE case_id = ? AND state != 'delivered'", (case_id,)
        ).fetchone()
        if waiting or parse_stamp(updated_at) > parse_stamp(bundled_at):
            continue  # something changed after the last bundle: it must reach the Lead first
        if parse_stamp(acknowledged_at) <= cutoff:
            ready.append(str(case_id))
    return ready


def purge_case(store: Store, case_id: str) -> int:
    """Remove a case's personal data, leaving tombstones; returns how many records went."""
    removed = 0
    now = stamp()
    with store.transaction() as conn:
        delete_case_drafts(conn, case_id)
        # The database lets a case's records go only while this is the newest event.
        store.audit(PURGE_START, "case", case_id)
        gone: list[tuple[str, str]] = []
        for kind, table, where in _CASE_TABLES:
            key = {"form_versions": "document_id || ':' || version",
                   "form_withdrawals": "document_id", "board_changes": "hlc",
                   "board_peers": "board_id || ':' || device_id",
                   "board_invited": "board_id || ':' || device_id",
                   "board_shares": "board_id"}.get(table, "id")
            ids = [r[0] for r in conn.execute(f"SELECT {key} FROM {table} WHERE {where}",
                                              (case_id,)).fetchall()]
            conn.executemany(
                "INSERT OR IGNORE INTO tombstones(record_kind, record_id, purged_at, reason, "
                "case_id) VALUES (?, ?, ?, 'retention period passed after delivery', ?)",
                [(kind, record_id, now, case_id) for record_id in ids],
            )
            conn.execute(f"DELETE FROM {table} WHERE {where}", (case_id,))
            gone += [(kind, str(record_id)) for record_id in ids]
            removed += len(ids)
        conn.execute("UPDATE outbox_content SET content = x'' WHERE bundle_id IN "
                     "(SELECT bundle_id FROM outbox WHERE case_id = ?)", (case_id,))
        conn.execute("UPDATE cases SET title = ?, updated_at = ? WHERE id = ?",
                     (PURGED_TITLE, now, case_id))
        # The closing event seals the list of tombstones: the verifier accounts for every
        # record removed, and a tombstone added or removed later breaks the seal.
        store.audit(PURGE, "case", case_id, tombstone_seal(gone))
    _forget_remnants(store)
    hub.publish(RECORDS_CHANGED, kind="case", record_id=case_id)
    return removed


def _forget_remnants(store: Store) -> None:
    """Leave no trace of purged words: the search index's segments are rebuilt, the WAL is
    checkpointed (freed pages are zeroed: secure_delete), and pre-migration backups, which hold
    everything as it was, are removed."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO note_search(note_search) VALUES ('rebuild')")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backups = store.folder / BACKUP_DIR
    if backups.is_dir():
        for old in backups.iterdir():
            old.unlink()


def apply_retention(
    store: Store, retention_days: int | None, now: datetime | None = None
) -> list[str]:
    """Purge every case that is due; returns their ids."""
    due = purgeable_cases(store, retention_days, now)
    for case_id in due:
        purge_case(store, case_id)
    return due
