"""Read-only queries the screens need that the core does not offer yet (see docs/ui.md)."""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.store import Store


@dataclass(frozen=True)
class CaseRow:
    """One line of the cases list."""

    id: str
    reference: str
    title: str
    status: str
    updated_at: str
    visits: int
    people: int


# One statement with correlated counts: both use an index led by case_id, so 10,000 visits
# cost a few milliseconds, not a scan per case.
_CASE_ROWS = (
    "SELECT c.id, c.reference, c.title, c.status, c.updated_at, "
    "(SELECT COUNT(*) FROM visits v WHERE v.case_id = c.id), "
    "(SELECT COUNT(*) FROM people p WHERE p.case_id = c.id) "
    "FROM cases c"
)


def case_rows(store: Store) -> list[CaseRow]:
    """Every case with its visit and people counts."""
    return [CaseRow(*row) for row in store.conn.execute(_CASE_ROWS).fetchall()]


def case_row(store: Store, case_id: str) -> CaseRow | None:
    """One case's line, or None."""
    row = store.conn.execute(f"{_CASE_ROWS} WHERE c.id = ?", (case_id,)).fetchone()
    return None if row is None else CaseRow(*row)


def visit_case_id(store: Store, visit_id: str) -> str | None:
    """The case a visit belongs to."""
    row = store.conn.execute("SELECT case_id FROM visits WHERE id = ?", (visit_id,)).fetchone()
    return None if row is None else str(row[0])
