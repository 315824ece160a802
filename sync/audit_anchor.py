"""The Lead's copy of each device's audit trail, anchored by the bundles it sends.

Every bundle carries the device's audit head and the events since the last bundle the Lead
acknowledged. The Lead keeps every event it receives, and at each import checks that the
device's chain still continues what it received before: an event that changed, a head that went
backwards or a chain that no longer links is recorded as a break against the device. Someone
holding the device's passphrase can rewrite its trail on the device, but no longer unnoticed.

The chain is checked with :func:`fieldkit.audit.verify` itself, on an in-memory copy, so the
Lead always hashes events exactly as the device does.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from fieldkit import audit
from fieldkit.clock import stamp
from fieldkit.store import Store
from sync.bundle import AuditAnchor
from sync.canonical import canonical_json

_COLUMN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True)
class AuditBreak:
    """One break found in a device's audit trail, and the bundle that showed it."""

    device_id: str
    bundle_id: str
    problem: str
    found_at: str


@dataclass(frozen=True)
class TrailCheck:
    """What one bundle's anchor showed: breaks (evidence the trail was cut or rewritten), and
    events the Lead is still waiting for (carried by a bundle on its way or refused)."""

    breaks: list[str]
    waiting: str | None
    verified: tuple[int, str] = (0, audit.GENESIS)
    """(sequence number, hash) of the last event of the Lead's copy verified from the first
    without a gap or a break: the next check of this device may start after it."""


def check_device_trail(
    conn: Any, device_id: str, bundle_id: str, counter: int, anchor: AuditAnchor,
    events: list[dict[str, Any]], verified: tuple[int, str] | None = None,
) -> TrailCheck:
    """Merge a bundle's audit events into the Lead's copy and check the chain, in plain words.

    Runs inside the importer's transaction; the breaks are recorded by :func:`record_breaks`.
    ``verified`` is what an earlier check of this device in the same transaction returned (the
    copy up to there is not walked again); ``None``: from the first event.
    """
    problems: list[str] = []
    seqs = [event.get("seq") for event in events]
    if seqs != list(range(anchor.since + 1, anchor.seq + 1)):
        problems.append(f"the audit events it carries do not run from {anchor.since + 1} "
                        f"to {anchor.seq}")
    numbered = [(seq, event) for event in events
                if isinstance(seq := event.get("seq"), int) and not isinstance(seq, bool)]
    held: dict[int, str] = {}
    if numbered:  # what the Lead holds of the same stretch, in one query
        held = dict(conn.execute(
            "SELECT seq, event FROM lead_audit_events WHERE device_id = ? AND seq BETWEEN ? AND ?",
            (device_id, min(s for s, _ in numbered), max(s for s, _ in numbered)),
        ).fetchall())
    again = [(seq, event) for seq, event in numbered if seq in held]
    # The events carried again, compared as one block (a list's canonical JSON is its items'
    # joined by commas); only when the block differs is each compared, to name the changed ones.
    if again and canonical_json([e for _, e in again]).decode("utf-8") != (
            "[" + ",".join(held[seq] for seq, _ in again) + "]"):
        problems += [f"audit event {seq} is not the one an earlier bundle carried "
                     "(the trail was rewritten on the device)" for seq, event in again
                     if canonical_json(event).decode("utf-8") != held[seq]]
    new: list[tuple[str, int, str, str]] = []
    added: set[int] = set()
    for seq, event in numbered:
        if seq in held and seq not in added:
            continue  # compared above
        text = canonical_json(event).decode("utf-8")
        if seq in added:  # the same number twice in one bundle
            if held[seq] != text:
                problems.append(f"audit event {seq} is not the one an earlier bundle carried "
                                "(the trail was rewritten on the device)")
            continue
        held[seq] = text
        added.add(seq)
        new.append((device_id, seq, text, bundle_id))
    conn.executemany("INSERT INTO lead_audit_events(device_id, seq, event, bundle_id) "
                     "VALUES (?, ?, ?, ?)", new)
    problems.extend(_moved_back(conn, device_id, bundle_id, counter, anchor))
    chain, waiting, head = _chain_problems(conn, device_id, anchor,
                                           verified or (0, audit.GENESIS))
    return TrailCheck(problems + chain, waiting, head)


def _moved_back(
    conn: Any, device_id: str, bundle_id: str, counter: int, anchor: AuditAnchor
) -> list[str]:
    """A later bundle must never carry an earlier audit head than an earlier bundle did."""
    row = conn.execute(
        "SELECT counter, audit_seq FROM lead_bundles WHERE device_id = ? AND bundle_id != ? "
        "AND counter IS NOT NULL AND audit_seq IS NOT NULL "
        "AND ((counter < ? AND audit_seq > ?) OR (counter > ? AND audit_seq < ?)) LIMIT 1",
        (device_id, bundle_id, counter, anchor.seq, counter, anchor.seq),
    ).fetchone()
    if row is None:
        return []
    earlier, later = sorted([(row[0], row[1]), (counter, anchor.seq)])
    return [f"the audit trail went back: bundle {earlier[0]} reached event {earlier[1]}, "
            f"the later bundle {later[0]} only event {later[1]}"]


def _chain_problems(
    conn: Any, device_id: str, anchor: AuditAnchor, verified: tuple[int, str]
) -> tuple[list[str], str | None, tuple[int, str]]:
    """Check the Lead's copy with audit.verify, from the first event (or just after the last one
    already verified) as far as it runs without a gap, and against this bundle's head when the
    copy reaches it; name the first gap, if any. Also returns the new verified head."""
    start = verified[0]
    rows = conn.execute(
        "SELECT seq, event FROM lead_audit_events WHERE device_id = ? AND seq > ? ORDER BY seq",
        (device_id, start),
    ).fetchall()
    fresh: list[dict[str, Any]] = []
    for seq, text in rows:
        if seq != start + len(fresh) + 1:
            break
        fresh.append(json.loads(text))
    reached = start + len(fresh)
    waiting = None
    if len(fresh) < len(rows):
        waiting = f"audit events {reached + 1} to {rows[len(fresh)][0] - 1} not received yet"
    problems = _verify_copy(fresh, None, verified)
    if problems:
        return problems, waiting, verified
    head = verified if not fresh else (reached, str(fresh[-1].get("hash")))
    if 0 < anchor.seq <= reached and _hash_at(conn, device_id, anchor.seq, fresh, start) != (
            anchor.hash):
        # What audit.verify says of a copy whose head is not the one the device claims.
        problems = [f"the audit trail does not verify: event {anchor.seq} onwards is missing "
                    "or was replaced"]
    return problems, waiting, head


def _hash_at(conn: Any, device_id: str, seq: int, fresh: list[dict[str, Any]],
             start: int) -> str:
    """The hash of event ``seq`` of the verified copy (``seq`` 0: the chain's start)."""
    if seq == 0:
        return audit.GENESIS
    if seq > start:
        return str(fresh[seq - start - 1].get("hash"))
    row = conn.execute("SELECT event FROM lead_audit_events WHERE device_id = ? AND seq = ?",
                       (device_id, seq)).fetchone()
    return str(json.loads(row[0]).get("hash"))


def _verify_copy(events: list[dict[str, Any]], head: tuple[int, str] | None,
                 after: tuple[int, str] = (0, audit.GENESIS)) -> list[str]:
    if not events:
        return []  # nothing received from the first event on yet: nothing to check
    columns = list(events[0])
    if "seq" not in columns or any(not _COLUMN.fullmatch(name) for name in columns) or any(
        set(event) != set(columns) for event in events
    ):
        return ["the audit events it carries are not in the device's audit format"]
    copy = sqlite3.connect(":memory:")
    try:
        names = ", ".join(columns)
        copy.execute(f"CREATE TABLE audit_events ({names}, PRIMARY KEY (seq))")
        copy.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        marks = ", ".join("?" for _ in columns)
        copy.executemany(f"INSERT INTO audit_events ({names}) VALUES ({marks})",
                         [tuple(event[name] for name in columns) for event in events])
        if head is not None:
            copy.execute("INSERT INTO meta(key, value) VALUES ('audit_head', ?)",
                         (f"{head[0]}:{head[1]}",))
        report = audit.verify_chain(copy, after)  # the chain only: records stay on the device
    except (sqlite3.Error, TypeError, ValueError):
        return ["the audit events it carries are not in the device's audit format"]
    finally:
        copy.close()
    return [] if report.ok else [f"the audit trail does not verify: {report.problem}"]


def record_breaks(store: Store, device_id: str, bundle_id: str, problems: list[str]) -> None:
    """Keep the breaks against the device (inside the caller's transaction), audited."""
    at = stamp()
    for problem in problems:
        store.conn.execute(
            "INSERT INTO lead_audit_breaks(device_id, bundle_id, problem, found_at) "
            "VALUES (?, ?, ?, ?)",
            (device_id, bundle_id, problem[:500], at),
        )
    if problems:
        store.audit("lead.audit_break", "device", device_id)


def audit_breaks(store: Store, device_id: str | None = None) -> list[AuditBreak]:
    """Every break the Lead has found in devices' audit trails (of one device if given)."""
    rows = store.conn.execute(
        "SELECT device_id, bundle_id, problem, found_at FROM lead_audit_breaks "
        "WHERE ? IS NULL OR device_id = ? ORDER BY id",
        (device_id, device_id),
    ).fetchall()
    return [AuditBreak(*row) for row in rows]
