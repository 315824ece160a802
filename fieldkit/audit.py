"""The audit trail: every unlock, create, correction, export, sync, import and purge, each
event chained to the one before by a SHA-256 hash. Events carry who, what, when and which
record, never the personal data itself; an event about a note, exhibit or form version also
carries that record's seal (the hash of its content, ``fieldkit.seals``), so the trail speaks
for the records too.

:func:`event_hash` is the one place an event's hash is computed, here and at the Lead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fieldkit import seals
from fieldkit.clock import stamp

GENESIS = "0" * 64

PROTECTION_TRIGGERS = (
    "audit_events_no_update", "audit_events_no_delete",
    "note_entries_no_update", "note_entries_no_delete",
    "attachments_no_update", "attachments_no_delete",
    "form_versions_no_update", "form_versions_no_delete",
    "tombstones_no_update", "tombstones_no_delete",
    "upgrade_seals_no_update", "upgrade_seals_no_delete",
)
"""The database triggers that keep the trail and the records append-only (from the seals step)."""


def event_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, kind: str, rid: str,
    content_hash: str = "",
) -> str:
    """The hash of one event, chained to ``prev_hash``. An event without a seal hashes as
    events did before seals existed, so older trails still verify."""
    fields: list[object] = [seq, at, actor, action, kind, rid]
    if content_hash:
        fields.append(content_hash)
    body = seals.COMPACT_JSON.encode(fields)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    conn: Any, actor: str, action: str, record_kind: str = "", record_id: str = "",
    content_hash: str = "", *, sealed_schema: bool | None = None, at: str | None = None,
) -> int:
    """Append one event inside the caller's transaction; returns its sequence number.
    ``content_hash`` is the seal of the record the event is about (``fieldkit.seals``).
    ``sealed_schema`` says whether the trail has its seal column (an open store is always
    migrated, so it knows); None asks the schema. ``at`` is when it happened, for an event
    that waited for room (now, by default)."""
    last = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, GENESIS) if last is None else (last[0] + 1, last[1])
    at = at or stamp()
    digest = event_hash(prev, seq, at, actor, action, record_kind, record_id, content_hash)
    if sealed_schema is None:
        sealed_schema = has_seals(conn)
    if sealed_schema:
        conn.execute(
            "INSERT INTO audit_events(seq, at, actor, action, record_kind, record_id, prev_hash,"
            " hash, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, record_kind, record_id, prev, digest, content_hash),
        )
    else:  # a store being built at an older schema (fixtures, the upgrade steps themselves)
        if content_hash:
            raise ValueError("this store's schema cannot hold a sealed event yet")
        conn.execute(
            "INSERT INTO audit_events(seq, at, actor, action, record_kind, record_id, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, record_kind, record_id, prev, digest),
        )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return int(seq)


def has_seals(conn: Any) -> bool:
    """True when the trail has its seal column (every store from the seals step on)."""
    columns = conn.execute("PRAGMA table_info(audit_events)").fetchall()
    return any(column[1] == "content_hash" for column in columns)


@dataclass(frozen=True)
class AuditEvent:
    """One event as stored."""

    seq: int
    at: str
    actor: str
    action: str
    record_kind: str
    record_id: str
    content_hash: str = ""


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the chain: ``first_bad`` is None when it is whole. ``problem``
    is the first problem in plain words; ``problems`` lists every one found."""

    events: int
    first_bad: int | None
    problem: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every event is present, unchanged and in order, and every record matches."""
        return self.first_bad is None


def events(conn: Any) -> list[AuditEvent]:
    """Every event in order."""
    seal_column = "content_hash" if has_seals(conn) else "''"
    rows = conn.execute(
        f"SELECT seq, at, actor, action, record_kind, record_id, {seal_column} "
        "FROM audit_events ORDER BY seq"
    ).fetchall()
    return [AuditEvent(*row) for row in rows]


def verify(conn: Any) -> ChainReport:
    """Check the whole trail: the chain from the start, the stored head, the append-only
    triggers, and every note, exhibit and form version against the events about it."""
    chain = verify_chain(conn)
    if not chain.ok or not has_seals(conn):
        return chain
    present = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
    missing = [name for name in PROTECTION_TRIGGERS if name not in present]
    if missing:
        text = f"the append-only protection {missing[0]} was removed from the database"
        return ChainReport(chain.events, 0, text, (text,))
    found = seals.check_records(conn)
    if found:
        return ChainReport(chain.events, found[0].seq, found[0].text,
                           tuple(p.text for p in found))
    return chain


CHAIN_COLUMNS = ("seq", "at", "actor", "action", "record_kind", "record_id", "prev_hash", "hash")
"""The columns of an event that its place in the chain depends on (with ``content_hash``, the
seal, in every trail from the seals step on)."""


def verify_chain(conn: Any, after: tuple[int, str] = (0, GENESIS)) -> ChainReport:
    """Walk the chain from the start; report the first event that was changed, removed or moved.

    ``after`` (sequence number, hash) of an event already verified: the events held start just
    after it (the Lead checks each device's copy from where it last verified it).
    """
    seal_column = "content_hash" if has_seals(conn) else "''"
    rows = conn.execute(
        f"SELECT seq, at, actor, action, record_kind, record_id, prev_hash, hash, {seal_column} "
        "FROM audit_events ORDER BY seq"
    ).fetchall()
    report, last = _walk(rows, after)
    if report is not None:
        return report
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head is not None and head[0] != f"{last[0]}:{last[1]}":
        claimed = int(str(head[0]).split(":", 1)[0])
        bad = min(claimed, last[0] + 1)
        return _bad(len(rows), bad, f"event {bad} onwards is missing or was replaced")
    return ChainReport(len(rows), None, "")


def verify_rows(rows: Sequence[Sequence[Any]], after: tuple[int, str] = (0, GENESIS)
                ) -> ChainReport:
    """:func:`verify_chain` over events already read (each ``CHAIN_COLUMNS`` then the seal, in
    order of ``seq``), with no head to compare: how the Lead checks a device's copy."""
    report, _ = _walk(rows, after)
    return report or ChainReport(len(rows), None, "")


def _walk(rows: Sequence[Sequence[Any]], after: tuple[int, str]
          ) -> tuple[ChainReport | None, tuple[int, str]]:
    """The first break in ``rows`` (None if whole), and the last event's (seq, hash)."""
    prev, expected_seq = after[1], after[0] + 1
    for seq, at, actor, action, kind, rid, prev_hash, digest, content_hash in rows:
        if seq != expected_seq:
            return _bad(len(rows), expected_seq, f"event {expected_seq} is missing"), after
        if prev_hash != prev:
            return _bad(len(rows), seq, f"event {seq} does not follow event {seq - 1}"), after
        if event_hash(prev, seq, at, actor, action, kind, rid, content_hash) != digest:
            return _bad(len(rows), seq, f"event {seq} was changed"), after
        prev, expected_seq = digest, seq + 1
    return None, (expected_seq - 1, prev)


def head(conn: Any) -> tuple[int, str]:
    """The last event's sequence number and hash, ``(0, GENESIS)`` when there is none yet."""
    row = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def events_since(conn: Any, seq: int) -> list[dict[str, Any]]:
    """Every stored column of each event after ``seq``, in order (to anchor them elsewhere)."""
    cursor = conn.execute("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq", (seq,))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _bad(count: int, seq: int, text: str) -> ChainReport:
    return ChainReport(count, seq, text, (text,))
