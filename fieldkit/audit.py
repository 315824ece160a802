"""The audit trail: every unlock, create, correction, export, sync, import and purge, each
event chained to the one before by a SHA-256 hash. Events carry who, what, when and which
record, never the personal data itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fieldkit.clock import stamp

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, at: str, actor: str, action: str, kind: str, rid: str) -> str:
    body = json.dumps(
        [seq, at, actor, action, kind, rid], separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: Any, actor: str, action: str, record_kind: str = "", record_id: str = "") -> int:
    """Append one event inside the caller's transaction; returns its sequence number."""
    last = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, GENESIS) if last is None else (last[0] + 1, last[1])
    at = stamp()
    digest = _digest(prev, seq, at, actor, action, record_kind, record_id)
    conn.execute(
        "INSERT INTO audit_events(seq, at, actor, action, record_kind, record_id, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, record_kind, record_id, prev, digest),
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return int(seq)


@dataclass(frozen=True)
class AuditEvent:
    """One event as stored."""

    seq: int
    at: str
    actor: str
    action: str
    record_kind: str
    record_id: str


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the chain: ``first_bad`` is None when it is whole."""

    events: int
    first_bad: int | None
    problem: str

    @property
    def ok(self) -> bool:
        """True when every event is present, unchanged and in order."""
        return self.first_bad is None


def events(conn: Any) -> list[AuditEvent]:
    """Every event in order."""
    rows = conn.execute(
        "SELECT seq, at, actor, action, record_kind, record_id FROM audit_events ORDER BY seq"
    ).fetchall()
    return [AuditEvent(*row) for row in rows]


def verify(conn: Any) -> ChainReport:
    """Walk the chain from the start; report the first event that was changed, removed or moved."""
    rows = conn.execute(
        "SELECT seq, at, actor, action, record_kind, record_id, prev_hash, hash "
        "FROM audit_events ORDER BY seq"
    ).fetchall()
    prev, expected_seq = GENESIS, 1
    for seq, at, actor, action, kind, rid, prev_hash, digest in rows:
        if seq != expected_seq:
            return ChainReport(len(rows), expected_seq, f"event {expected_seq} is missing")
        if prev_hash != prev:
            return ChainReport(len(rows), seq, f"event {seq} does not follow event {seq - 1}")
        if _digest(prev, seq, at, actor, action, kind, rid) != digest:
            return ChainReport(len(rows), seq, f"event {seq} was changed")
        prev, expected_seq = digest, seq + 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head is not None and head[0] != f"{expected_seq - 1}:{prev}":
        claimed = int(str(head[0]).split(":", 1)[0])
        bad = min(claimed, expected_seq)
        return ChainReport(len(rows), bad, f"event {bad} onwards is missing or was replaced")
    return ChainReport(len(rows), None, "")


def head(conn: Any) -> tuple[int, str]:
    """The last event's sequence number and hash, ``(0, GENESIS)`` when there is none yet."""
    row = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def events_since(conn: Any, seq: int) -> list[dict[str, Any]]:
    """Every stored column of each event after ``seq``, in order (to anchor them elsewhere)."""
    cursor = conn.execute("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq", (seq,))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
