"""Nothing typed is lost: what is being typed is kept as a draft in the store, owned by the
record it belongs to (a visit's note box, a person's form, a case's document), and restored when
that screen opens again. Drafts belong to a case, so retention removes them with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from fieldkit.clock import stamp
from fieldkit.store import Store


class DraftKind(StrEnum):
    """What a draft is of."""

    NOTE = "note"  # the note box of a visit
    VISIT_FORM = "visit_form"  # the premises-visit form of a visit
    PERSON_FORM = "person_form"  # a person's NRM or Duty to Notify
    RECEPTION = "reception"  # a reception-centre board
    DOCUMENT = "document"  # any other form document of a case


@dataclass(frozen=True)
class DraftOwner:
    """The record a draft belongs to. ``document_id`` None means a form not saved yet."""

    kind: DraftKind
    case_id: str
    visit_id: str | None = None
    person_id: str | None = None
    form_kind: str | None = None
    document_id: str | None = None

    @property
    def key(self) -> str:
        """The one key of this owner's draft."""
        parts = [self.kind.value, self.case_id, self.visit_id or "", self.person_id or "",
                 self.form_kind or "", self.document_id or "new"]
        return ":".join(parts)

    def saved_as(self, document_id: str) -> DraftOwner:
        """The same owner once its form has been saved as ``document_id``."""
        return replace(self, document_id=document_id)


@dataclass(frozen=True)
class Draft:
    """A saved draft: its data, when it was first typed and when last saved (UTC stamps)."""

    data: dict[str, Any]
    first_saved_at: str
    saved_at: str


def load_draft(store: Store, owner: DraftOwner) -> Draft | None:
    """The owner's saved draft, or None."""
    row = store.conn.execute(
        "SELECT data, first_saved_at, saved_at FROM drafts WHERE key = ?", (owner.key,)
    ).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    return Draft(value, str(row[1]), str(row[2])) if isinstance(value, dict) else None


def save_draft(store: Store, owner: DraftOwner, data: dict[str, Any]) -> None:
    """Write (or replace) the owner's draft; durable when this returns. The time it was first
    typed is kept across saves."""
    now = stamp()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO drafts(key, kind, case_id, visit_id, person_id, form_kind, document_id,"
            " data, first_saved_at, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            (owner.key, owner.kind.value, owner.case_id, owner.visit_id, owner.person_id,
             owner.form_kind, owner.document_id, json.dumps(data), now, now),
        )


def delete_draft(store: Store, owner: DraftOwner) -> None:
    """Forget the owner's draft (what it held was saved for real)."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM drafts WHERE key = ?", (owner.key,))


def delete_case_drafts(conn: Any, case_id: str) -> int:
    """Remove every draft of a case inside the caller's transaction; returns how many."""
    cursor = conn.execute("DELETE FROM drafts WHERE case_id = ?", (case_id,))
    return int(cursor.rowcount)


def case_drafts(store: Store, case_id: str) -> list[DraftOwner]:
    """The owners of a case's drafts (what is typed but not yet saved as a record)."""
    rows = store.conn.execute(
        "SELECT kind, case_id, visit_id, person_id, form_kind, document_id FROM drafts "
        "WHERE case_id = ? ORDER BY saved_at", (case_id,)).fetchall()
    return [DraftOwner(DraftKind(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def new_form_draft(store: Store, case_id: str, form_kind: str) -> Draft | None:
    """The draft of a form of the case begun and never saved (a referral, an intelligence
    report), so the case can list it beside the saved ones and it is never lost from sight."""
    return load_draft(store, DraftOwner(DraftKind.DOCUMENT, case_id, form_kind=form_kind))
