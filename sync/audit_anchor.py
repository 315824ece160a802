"""The Lead's copy of each device's audit trail, anchored by the bundles it sends.

Every bundle carries the device's audit head and the events no earlier bundle carries (those
after the head of the last one sealed that the Lead has not refused). The Lead keeps every
event it receives, and at each import checks that the device's chain still continues what it
received before: an event that changed, a head that went backwards or a chain that no longer
links is recorded as a break against the device. Someone holding the device's passphrase can
rewrite its trail on the device, but no longer unnoticed.

The chain is checked with :mod:`fieldkit.audit`'s own walk (:func:`fieldkit.audit.verify_rows`,
the one :func:`fieldkit.audit.verify_chain` uses on the device), so the Lead always hashes
events exactly as the device does.
"""

from __future__ import annotations

import json
import re
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
    carried: dict[int, dict[str, Any]] = {}  # the new events, as parsed
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
        carried[seq] = event
        new.append((device_id, seq, text, bundle_id))
    conn.executemany("INSERT INTO lead_audit_events(device_id, seq, event, bundle_id) "
                     "VALUES (?, ?, ?, ?)", new)
    problems.extend(_moved_back(conn, device_id, bundle_id, counter, anchor))
    chain, waiting, head = _chain_problems(conn, device_id, anchor,
                                           verified or (0, audit.GENESIS), carried)
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
    conn: Any, device_id: str, anchor: AuditAnchor, verified: tuple[int, str],
    carried: dict[int, dict[str, Any]],
) -> tuple[list[str], str | None, tuple[int, str]]:
    """Check the Lead's copy with the device's own chain rule (:func:`fieldkit.audit.
    verify_rows`), from the first event (or just after the last one already verified) as far
    as it runs without a gap, and against this bundle's head when the copy reaches it; name the
    first gap, if any. Also returns the new verified head. ``carried``: this bundle's new
    events by number, as parsed (the same as the copy's text, not parsed again)."""
    start = verified[0]
    cursor = conn.execute(
        "SELECT seq, event FROM lead_audit_events WHERE device_id = ? AND seq > ? ORDER BY seq",
        (device_id, start),
    )
    fresh: list[dict[str, Any]] = []
    gap_ends: int | None = None
    for seq, text in cursor:  # read only as far as the first gap
        if seq != start + len(fresh) + 1:
            gap_ends = seq
            break
        event = carried.get(seq)
        fresh.append(json.loads(text) if event is None else event)
    cursor.close()
    reached = start + len(fresh)
    waiting = None
    if gap_ends is not None:
        waiting = f"audit events {reached + 1} to {gap_ends - 1} not received yet"
    problems = _verify_copy(fresh, verified)
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


_NOT_THE_FORMAT = "the audit events it carries are not in the device's audit format"


def _verify_copy(events: list[dict[str, Any]], after: tuple[int, str] = (0, audit.GENESIS)
                 ) -> list[str]:
    """Verify the events as the device's trail would be verified: every event with the same
    columns (the device's own, seal included when it has one), each value one a database
    column holds (text, number or null), the chain from ``after``."""
    if not events:
        return []  # nothing received from the first event on yet: nothing to check
    columns = set(events[0])
    if "seq" not in columns or any(not _COLUMN.fullmatch(name) for name in columns) or any(
        set(event) != columns for event in events
    ):
        return [_NOT_THE_FORMAT]
    if not columns.issuperset(audit.CHAIN_COLUMNS):
        return [_NOT_THE_FORMAT]
    sealed = "content_hash" in columns
    rows = []
    for event in events:
        row = [event[name] for name in audit.CHAIN_COLUMNS]
        row.append(event["content_hash"] if sealed else "")
        if any(not _storable(value) for value in row):
            return [_NOT_THE_FORMAT]
        rows.append([int(value) if isinstance(value, bool) else value for value in row])
    report = audit.verify_rows(rows, after)  # the chain only: records stay on the device
    return [] if report.ok else [f"the audit trail does not verify: {report.problem}"]


def _storable(value: object) -> bool:
    """A value an SQLite column holds as it is (a bool is held as its integer)."""
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return value is None or isinstance(value, str | float)


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
