"""The case's visits list: when each visit started (its record's time) and how far its record
is (ready, draft, typed but not saved, nothing)."""

from __future__ import annotations

from datetime import datetime

from fieldkit import cases, documents
from fieldkit.store import Store


def test_a_visit_starts_when_its_record_says(store: Store) -> None:
    """The visits list showed when the visit was added to the case, not when it started."""
    case = cases.create_case(store, "Operation Elm")
    visit = cases.create_visit(store, case.id, "Glow Nails", "3 Test Street")
    [line] = documents.visit_lines(store, case.id)
    assert line.record == "" and line.started.tzinfo is not None  # added: now, local
    documents.save_document(store, case.id, "visit",
                            {"started_at": "2026-12-01T09:40:00"}, visit_id=visit.id)
    [line] = documents.visit_lines(store, case.id)
    assert (line.started, line.record) == (datetime(2026, 12, 1, 9, 40), "draft")
