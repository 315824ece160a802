"""What a device holds of a shared board, read only: the changes, and the vector of the latest
clock held from each device."""

from __future__ import annotations

import json

from fieldkit.store import Store
from sync.board_share.changes import BoardChange

COLUMNS = "hlc, board_id, person, field, value, device_id, officer, supersedes, kind, signature"

Vector = dict[str, str]
"""The latest clock held from each device: what a device has already seen of a board."""


def shared_board(store: Store, case_id: str) -> str | None:
    """The id of the board this case shares or joined, if any (reading only)."""
    row = store.conn.execute(
        "SELECT board_id FROM board_shares WHERE case_id = ?", (case_id,)).fetchone()
    return None if row is None else str(row[0])


def vector(store: Store, shared_board_id: str) -> Vector:
    """The latest clock held from each device for this board."""
    rows = store.conn.execute(
        "SELECT device_id, MAX(hlc) FROM board_changes WHERE board_id = ? GROUP BY device_id",
        (shared_board_id,)).fetchall()
    return {str(d): str(h) for d, h in rows}


def changes_since(store: Store, shared_board_id: str, seen: Vector) -> list[BoardChange]:
    """Every change of the board newer than ``seen`` holds for its device, in clock order per
    device (so whoever receives them holds an unbroken run of each device's changes)."""
    found: list[BoardChange] = []
    for device_id in sorted(vector(store, shared_board_id)):
        rows = store.conn.execute(
            f"SELECT {COLUMNS} FROM board_changes WHERE board_id = ? AND device_id = ? "
            "AND hlc > ? ORDER BY hlc", (shared_board_id, device_id, seen.get(device_id, "")))
        found.extend(_change(row) for row in rows)
    return found


def held_clocks(store: Store, shared_board_id: str, items: list[object]) -> set[str]:
    """Which of the clocks named by ``items`` (changes as received, not yet checked) this
    device already holds for the board: those are not checked or kept again."""
    named = sorted({str(item.get("hlc")) for item in items
                    if isinstance(item, dict) and isinstance(item.get("hlc"), str)})
    held: set[str] = set()
    for start in range(0, len(named), 500):
        chunk = named[start:start + 500]
        rows = store.conn.execute(
            f"SELECT hlc FROM board_changes WHERE board_id = ? AND hlc IN "
            f"({', '.join('?' * len(chunk))})", (shared_board_id, *chunk))
        held.update(str(hlc) for (hlc,) in rows)
    return held


def all_changes(store: Store, shared_board_id: str) -> list[BoardChange]:
    """Every change held for the board."""
    return changes_since(store, shared_board_id, {})


def _change(row: tuple[object, ...]) -> BoardChange:
    hlc, board, person, field, value, device_id, officer, supersedes, kind, signature = row
    return BoardChange(board_id=str(board), person=str(person), field=str(field),
                       value=str(value), hlc=str(hlc), device_id=str(device_id),
                       officer=str(officer), supersedes=tuple(json.loads(str(supersedes))),
                       kind="resolution" if kind == "resolution" else "edit",
                       signature=str(signature))
