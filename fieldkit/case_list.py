"""The cases list's rows: every case with its visit and people counts, read in one query.

Apart from ``fieldkit.cases`` so that showing the list (the first screen after unlocking) does
not load the record types and services the other screens use (issue 12, ``unlock_to_list``).
"""

from __future__ import annotations

from typing import NamedTuple

from fieldkit.store import Store


class CaseSummary(NamedTuple):
    """One line of a cases list: the case with its visit and people counts.

    A named tuple, not a frozen dataclass: the list makes one per case at every refresh, and a
    tuple is made about four times faster (immutable all the same)."""

    id: str
    reference: str
    title: str
    status: str
    updated_at: str
    visits: int
    people: int


# Correlated counts over indexes led by case_id: 10,000 visits cost milliseconds, not scans.
_SUMMARY = (
    "SELECT c.id, c.reference, c.title, c.status, c.updated_at, "
    "(SELECT COUNT(*) FROM visits v WHERE v.case_id = c.id), "
    "(SELECT COUNT(*) FROM people p WHERE p.case_id = c.id) FROM cases c"
)


def case_summaries(store: Store) -> list[CaseSummary]:
    """Every case with its visit and people counts (for the cases list)."""
    return list(map(CaseSummary._make, store.conn.execute(_SUMMARY).fetchall()))
