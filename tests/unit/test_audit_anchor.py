"""The read-only views of the audit trail that bundles carry to the Lead: the head and the
events after a given one, with every stored column so the Lead can re-check their hashes."""

from __future__ import annotations

from fieldkit import audit, cases
from fieldkit.store import Store


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
