"""The read-only views of the audit trail that bundles carry to the Lead: the head and the
events after a given one, with every stored column so the Lead can re-check their hashes; and
the Lead's check of such a copy, which must say what ``audit.verify_chain`` says of it."""

from __future__ import annotations

import sqlite3
from typing import Any

from fieldkit import audit, cases
from fieldkit.store import Store
from sync.audit_anchor import _verify_copy


def test_head_and_events_since_follow_the_chain(store: Store) -> None:
    first_seq, first_hash = audit.head(store.conn)
    cases.create_case(store, "Anchor")
    cases.create_case(store, "Anchor two")
    seq, digest = audit.head(store.conn)
    assert seq == first_seq + 2 and digest != first_hash
    later = audit.events_since(store.conn, first_seq)
    assert [event["seq"] for event in later] == [first_seq + 1, first_seq + 2]
    assert later[0]["prev_hash"] == first_hash and later[-1]["hash"] == digest
    assert audit.events_since(store.conn, seq) == []


def _old_way(events: list[dict[str, Any]]) -> audit.ChainReport:
    """The events checked by audit.verify_chain on an in-memory copy (how the Lead did it)."""
    copy = sqlite3.connect(":memory:")
    columns = list(events[0])
    copy.execute(f"CREATE TABLE audit_events ({', '.join(columns)}, PRIMARY KEY (seq))")
    copy.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    copy.executemany(f"INSERT INTO audit_events VALUES ({', '.join('?' for _ in columns)})",
                     [tuple(event[name] for name in columns) for event in events])
    try:
        return audit.verify_chain(copy)
    finally:
        copy.close()


def _trail(store: Store) -> list[dict[str, Any]]:
    case = cases.create_case(store, "Anchor")
    cases.create_visit(store, case.id, "Example Nails", "Example Parade")
    return audit.events_since(store.conn, 0)


def test_the_lead_checks_a_copy_as_verify_chain_does(store: Store) -> None:
    events = _trail(store)
    assert _verify_copy(events) == [] and _old_way(events).ok
    changed = [dict(event) for event in events]
    changed[1]["action"] = "case.delete"
    gone = events[:1] + events[2:]
    relinked = [dict(event) for event in events]
    relinked[2]["prev_hash"] = "f" * 64
    for copy in (changed, gone, relinked):
        old = _old_way(copy)
        assert not old.ok
        assert _verify_copy(copy) == [f"the audit trail does not verify: {old.problem}"]
    middle = events[1:]
    assert _verify_copy(middle, (events[0]["seq"], events[0]["hash"])) == []
    assert _verify_copy(middle) != []


def test_events_not_in_the_device_format_are_named_so(store: Store) -> None:
    events = _trail(store)
    not_format = ["the audit events it carries are not in the device's audit format"]
    for change in ({"actor": {"nested": 1}}, {"at": [1]}, {"seq": 2**70}):
        forged = [dict(event) for event in events]
        forged[1].update(change)
        assert _verify_copy(forged) == not_format
    missing = [{k: v for k, v in event.items() if k != "at"} for event in events]
    assert _verify_copy(missing) == not_format
    uneven = [dict(event) for event in events]
    uneven[0]["extra"] = "x"
    assert _verify_copy(uneven) == not_format


def test_a_trail_from_before_seals_verifies_without_the_seal_column(store: Store) -> None:
    events = [event for event in _trail(store) if not event["content_hash"]]
    first = events[0]["seq"]
    events = [e for e in events if e["seq"] < first + 2]  # a run without a sealed event
    older = [{k: v for k, v in event.items() if k != "content_hash"} for event in events]
    after = (0, audit.GENESIS) if first == 1 else (first - 1, older[0]["prev_hash"])
    assert _verify_copy(older, after) == []
