"""The Lead's view of a shared reception board: every device's changes, as carried by each
device's bundles, merged into one board with who did what."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from fieldkit.store import Store
from forms.reception import PersonReceived
from sync import lead
from sync.board_share.changes import REGISTRATION, BoardChange, check_change
from sync.board_share.merge import MergedBoard, merge


def _current_changes(store: Store, case_id: str | None = None) -> list[BoardChange]:
    query = "SELECT data FROM lead_records WHERE record_type = 'board_change' AND current = 1"
    params: tuple[str, ...] = ()
    if case_id is not None:
        query += " AND case_id = ?"
        params = (case_id,)
    rows = store.conn.execute(query, params).fetchall()
    officers = {device_id: device.officer for device_id, device
                in lead.enrolled_devices(store).items()}
    changes = [check_change(json.loads(str(row[0]))["change"]) for row in rows]
    # Who made a change is the officer the Lead enrolled its laptop for (the importer checked
    # the laptop's signature), not the name the change carries.
    return [change.model_copy(update={"officer": officers.get(change.device_id,
                                                              change.officer)})
            for change in changes]


def lead_board(store: Store, board_id: str, as_of: date) -> MergedBoard:
    """The board ``board_id`` as the Lead holds it, from the current bundles of every case
    (each device sends its own case) that carry its changes."""
    return merge([c for c in _current_changes(store) if c.board_id == board_id], as_of)


def boards_of_case(store: Store, case_id: str) -> list[str]:
    """The shared boards a received case's changes belong to (usually none or one)."""
    return sorted({change.board_id for change in _current_changes(store, case_id)})


def _when(change: BoardChange) -> str:
    at = datetime.fromtimestamp(change.clock.wall_ms / 1000, UTC)
    return f"{at.day} {at:%B %Y %H:%M:%S} UTC"


def _who(change: BoardChange) -> str:
    return f"{change.officer}, laptop {change.device_id[:8]}, {_when(change)}"


def _title(field: str) -> str:
    info = PersonReceived.model_fields.get(field)
    title = info.title if info is not None and info.title else field.replace("_", " ")
    return title[:1].upper() + title[1:]


def _value(change: BoardChange) -> str:
    if change.field == REGISTRATION:
        return "registered"  # a random id: who registered the reference is what matters
    value = change.decoded()
    if value is None or value == "":
        return "(cleared)"
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    return str(value)


def board_lines(store: Store, case_id: str, as_of: date) -> list[str]:
    """Every shared board the case belongs to, merged from every device's bundle, for the
    Lead to read: each person's recorded values with who set them, on which laptop and when,
    the child rule where it holds, and the conflicts still to be resolved."""
    lines: list[str] = []
    for board_id in boards_of_case(store, case_id):
        merged = lead_board(store, board_id, as_of)
        laptops = {c.device_id for p in merged.people for c in p.latest.values()}
        laptops |= {c.device_id for k in merged.conflicts for c in k.changes}
        lines += ["", f"Shared reception board: {len(merged.people)} people recorded on "
                      f"{len(laptops)} laptop(s); {len(merged.conflicts)} conflict(s) to resolve"]
        for person in merged.people:
            rule = ""
            if person.child_rule_applied:
                rule = " [child route kept: recorded as under 18 (or possibly) on a laptop]"
            elif person.person.obligations(as_of).treated_as_child:
                rule = " [child route: MASH referral, NRM without consent]"
            lines.append(f"  {person.person.reference}{rule}")
            for field, change in sorted(person.latest.items()):
                if field != REGISTRATION:
                    lines.append(f"    {_title(field)}: {_value(change)} ({_who(change)})")
        for conflict in merged.conflicts:
            values = "; ".join(f"{_value(c)} ({_who(c)})" for c in conflict.changes)
            lines.append(f"  Conflict, {conflict.person}, {_title(conflict.field)}: {values}")
    return lines
