"""The Lead's view of a shared reception board: every device's changes, as carried by each
device's bundles, merged into one board with who did what."""

from __future__ import annotations

import json
from datetime import date

from fieldkit.store import Store
from sync.board_share.changes import check_change
from sync.board_share.merge import MergedBoard, merge


def lead_board(store: Store, board_id: str, as_of: date) -> MergedBoard:
    """The board ``board_id`` as the Lead holds it, from the current bundles of every case
    (each device sends its own case) that carry its changes."""
    rows = store.conn.execute(
        "SELECT data FROM lead_records WHERE record_type = 'board_change' AND current = 1"
    ).fetchall()
    changes = [check_change(json.loads(str(row[0]))["change"]) for row in rows]
    return merge([c for c in changes if c.board_id == board_id], as_of)
