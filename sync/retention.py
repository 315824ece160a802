"""Retention: once a closed case's latest bundle has been delivered to the Lead and the Lead
profile's retention period has passed, the device purges the case's personal data, keeping an
audit event and a tombstone for each record removed. Off until a profile sets it."""

from __future__ import annotations

from datetime import datetime, timedelta

from fieldkit.clock import parse_stamp, stamp, utc_now
from fieldkit.events import hub
from fieldkit.store import Store

PURGED_TITLE = "[personal data purged after delivery to the Lead]"

# Each table's rows for one case, children before parents so foreign keys hold.
_CASE_TABLES = [
    ("note", "note_entries", "visit_id IN (SELECT id FROM visits WHERE case_id = ?)"),
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
    rows = store.conn.execute(
        "SELECT c.id, c.updated_at, MAX(o.delivered_at), MAX(o.created_at) FROM cases c "
        "JOIN outbox o ON o.case_id = c.id AND o.state = 'delivered' "
        "WHERE c.status = 'closed' AND c.title != ? GROUP BY c.id",
        (PURGED_TITLE,),
    ).fetchall()
    ready = []
    for case_id, updated_at, delivered_at, bundled_at in rows:
        waiting = store.conn.execute(
            "SELECT 1 FROM outbox WHERE case_id = ? AND state != 'delivered'", (case_id,)
        ).fetchone()
        if waiting or parse_stamp(updated_at) > parse_stamp(bundled_at):
            continue  # something changed after the last bundle: it must reach the Lead first
        if parse_stamp(delivered_at) <= cutoff:
            ready.append(str(case_id))
    return ready


def purge_case(store: Store, case_id: str) -> int:
    """Remove a case's personal data, leaving tombstones; returns how many records went."""
    removed = 0
    now = stamp()
    with store.transaction() as conn:
        # Drafts are keyed by the record being edited (note:<visit>, person-form:<person>, ...).
        owners = [case_id] + [r[0] for r in conn.execute(
            "SELECT id FROM visits WHERE case_id = ? UNION SELECT id FROM people WHERE case_id = ?"
            " UNION SELECT id FROM form_documents WHERE case_id = ?",
            (case_id, case_id, case_id)).fetchall()]
        for owner in owners:
            conn.execute("DELETE FROM drafts WHERE instr(key, ?) > 0", (owner,))
        store.set_meta("purging", "1")
        for kind, table, where in _CASE_TABLES:
            key = "document_id || ':' || version" if table == "form_versions" else "id"
            ids = [r[0] for r in conn.execute(f"SELECT {key} FROM {table} WHERE {where}",
                                              (case_id,)).fetchall()]
            conn.executemany(
                "INSERT OR IGNORE INTO tombstones(record_kind, record_id, purged_at, reason) "
                "VALUES (?, ?, ?, 'retention period passed after delivery')",
                [(kind, record_id, now) for record_id in ids],
            )
            conn.execute(f"DELETE FROM {table} WHERE {where}", (case_id,))
            removed += len(ids)
        conn.execute("UPDATE outbox SET content = x'' WHERE case_id = ?", (case_id,))
        conn.execute("UPDATE cases SET title = ?, updated_at = ? WHERE id = ?",
                     (PURGED_TITLE, now, case_id))
        store.set_meta("purging", "0")
        store.audit("purge", "case", case_id)
    hub.publish("records.changed", kind="case", record_id=case_id)
    return removed


def apply_retention(
    store: Store, retention_days: int | None, now: datetime | None = None
) -> list[str]:
    """Purge every case that is due; returns their ids."""
    due = purgeable_cases(store, retention_days, now)
    for case_id in due:
        purge_case(store, case_id)
    return due
