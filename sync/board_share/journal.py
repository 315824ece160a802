"""A device's copy of a shared board in its encrypted store: its own changes written first
(durable before the board shows them), peers' changes added as they arrive, and the merged
board read back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date

from fieldkit import cases
from fieldkit.cases import get_case
from fieldkit.clock import local_now, stamp, utc_now
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.store import Store
from forms.reception import PersonReceived
from sync import device
from sync.board_share.changes import (
    REGISTRATION,
    SHARED_FIELDS,
    TIME_OF,
    BoardChange,
    field_value,
)
from sync.board_share.held import (
    COLUMNS,
    Vector,
    all_changes,
    changes_since,
    held_clocks,
    shared_board,
    vector,
)
from sync.board_share.hlc import Hlc, next_clock, seen_clock
from sync.board_share.merge import Conflict, MergedBoard, merge

CLOCK_KEY = "board_share_clock"



def board_id(store: Store, case_id: str) -> str:
    """The shared board's id for this case: made the first time the board is shared (the
    sharing device's case id) or taken from the device that shared it, on joining."""
    row = store.conn.execute(
        "SELECT board_id FROM board_shares WHERE case_id = ?", (case_id,)).fetchone()
    if row is not None:
        return str(row[0])
    get_case(store, case_id)
    with store.transaction() as conn:
        conn.execute("INSERT INTO board_shares(case_id, board_id, join_code, created_at) "
                     "VALUES (?, ?, NULL, ?)", (case_id, case_id, stamp()))
    return case_id


def link_board(store: Store, case_id: str, shared_board_id: str) -> None:
    """Record that this case's board is the board ``shared_board_id`` another device shares."""
    get_case(store, case_id)
    row = store.conn.execute(
        "SELECT board_id FROM board_shares WHERE case_id = ?", (case_id,)).fetchone()
    if row is not None and str(row[0]) == shared_board_id:
        return  # already this board (its join code, if it shares it too, is kept)
    if row is not None:
        has_changes = store.conn.execute(
            "SELECT 1 FROM board_changes WHERE board_id = ? LIMIT 1", (row[0],)).fetchone()
        if has_changes:
            raise InvalidInput("This case already shares a different board; join from a new "
                               "case instead.")
    with store.transaction() as conn:
        conn.execute("DELETE FROM board_shares WHERE case_id = ?", (case_id,))
        conn.execute("INSERT INTO board_shares(case_id, board_id, join_code, created_at) "
                     "VALUES (?, ?, NULL, ?)", (case_id, shared_board_id, stamp()))
        store.audit("board.join", "case", case_id)


def case_of_board(store: Store, shared_board_id: str) -> str:
    """This device's case holding the board ``shared_board_id``."""
    row = store.conn.execute(
        "SELECT case_id FROM board_shares WHERE board_id = ?", (shared_board_id,)).fetchone()
    if row is None:
        raise NotFound("shared board", shared_board_id)
    return str(row[0])


def _tick(store: Store, device_id: str) -> Hlc:
    raw = store.meta(CLOCK_KEY)
    last = Hlc.parse(raw) if raw else None
    clock = next_clock(last, int(utc_now().timestamp() * 1000), device_id)
    store.set_meta(CLOCK_KEY, clock.text())
    return clock


def _heads(store: Store, board: str, person: str, field: str) -> tuple[str, ...]:
    rows = store.conn.execute(
        "SELECT hlc, supersedes FROM board_changes WHERE board_id = ? AND person = ? "
        "AND field = ?", (board, person, field)).fetchall()
    replaced = {clock for _, text in rows for clock in json.loads(text)}
    return tuple(sorted(str(hlc) for hlc, _ in rows if hlc not in replaced))


def record_change(
    store: Store, case_id: str, person: str, field: str, value: object, *,
    resolution: bool = False,
) -> BoardChange:
    """Set one field of one person on this device, replacing every value of it this device
    holds (a resolution when a coordinator settles a conflict). Saved before returning."""
    return record_changes(store, case_id, person, {field: value}, resolution=resolution)[0]


def record_changes(
    store: Store, case_id: str, person: str, values: dict[str, object], *,
    resolution: bool = False, replacing: dict[str, tuple[str, ...]] | None = None,
) -> list[BoardChange]:
    """Set several fields of one person in one transaction (all saved, or none). A field in
    ``replacing`` replaces only the values given there (those its officer was shown), not
    every value held: one arrived since then stays beside it, shown as a conflict. The first
    change this device makes to a reference it holds nothing of also registers the person (a
    random id), so the same reference given to someone else on another device shows as a
    conflict."""
    for field in values:
        if field not in SHARED_FIELDS:
            raise InvalidInput(f"{field} is not a field of a person received.")
    return _record(store, case_id, person, dict(values), resolution=resolution,
                   replacing=replacing)


def _record(store: Store, case_id: str, person: str, values: dict[str, object], *,
            resolution: bool, replacing: dict[str, tuple[str, ...]] | None = None,
            ) -> list[BoardChange]:
    board = board_id(store, case_id)
    person = person.strip()
    if not person:
        raise InvalidInput("Reference: a reference is needed (no name is needed).")
    me, key = device.device_id(store), device.signing_key(store)
    made: list[BoardChange] = []
    with store.transaction() as conn:
        new = conn.execute("SELECT 1 FROM board_changes WHERE board_id = ? AND person = ? "
                           "LIMIT 1", (board, person)).fetchone() is None
        asked = set(values)
        if new and REGISTRATION not in values:
            values = {REGISTRATION: str(uuid.uuid4()), **values}
        for field, value in values.items():
            change = BoardChange(
                board_id=board, person=person, field=field, value=field_value(field, value),
                hlc=_tick(store, me).text(), device_id=me, officer=store.actor,
                supersedes=(replacing[field] if replacing is not None and field in replacing
                            else _heads(store, board, person, field)),
                kind="resolution" if resolution else "edit",
            ).signed_by(key)
            _insert(conn, change)
            if field in asked:
                made.append(change)
        # The case changed: it must reach the Lead again before retention may purge it.
        cases.touch_case(store, case_id)
        store.audit("board.resolve" if resolution else "board.change", "case", case_id)
    return made


def record_person(
    store: Store, case_id: str, before: PersonReceived | None, after: PersonReceived
) -> list[BoardChange]:
    """Record an edit made on the board (for example :meth:`PersonReceived.toggle_step`):
    one change per field that differs from ``before`` (or from a new record)."""
    old = (before or PersonReceived(reference=after.reference)).model_dump(mode="json")
    new = after.model_dump(mode="json")
    changed = {f: new[f] for f in sorted(SHARED_FIELDS) if new[f] != old[f]}
    if before is None and not changed:
        changed = {"arrived_at": new["arrived_at"]}  # a person is on the board once recorded
    return record_changes(store, case_id, after.reference, changed) if changed else []


def resolve(store: Store, case_id: str, conflict: Conflict, value: object) -> BoardChange:
    """Settle a conflict with the value the coordinator chose (replacing every value shown).
    For a registration conflict this keeps the registrations as one person (the same person
    registered twice); ``registration.give_new_reference`` separates them instead."""
    if conflict.field == REGISTRATION:
        chosen = value if value in {c.decoded() for c in conflict.changes} else min(
            c.decoded() for c in conflict.changes)
        return _record(store, case_id, conflict.person, {REGISTRATION: chosen},
                       resolution=True)[0]
    times = [time for time, decision in TIME_OF.items() if decision == conflict.field]
    if times:  # the decision's time is settled with it: the one recorded with the value kept
        return _record(store, case_id, conflict.person, {
            conflict.field: value, times[0]: _time_of(store, conflict, times[0], value)},
            resolution=True)[0]
    return record_change(store, case_id, conflict.person, conflict.field, value,
                         resolution=True)


def _time_of(store: Store, conflict: Conflict, field: str, value: object) -> object:
    """The time recorded with the decision ``value`` kept in ``conflict`` (by the laptop that
    recorded it; unknown, None, if it recorded none, as an older laptop); a decision none of
    them recorded is recorded now (not asked has no time)."""
    kept = field_value(conflict.field, value)
    chosen = next((c for c in conflict.changes if c.value == kept), None)
    if chosen is not None:
        board = chosen.board_id
        heads = set(_heads(store, board, conflict.person, field))
        rows = store.conn.execute(
            "SELECT hlc, value, device_id FROM board_changes WHERE board_id = ? AND person = ? "
            "AND field = ?", (board, conflict.person, field)).fetchall()
        same = sorted((str(hlc), str(text)) for hlc, text, device_id in rows
                      if hlc in heads and device_id == chosen.device_id)
        return json.loads(same[-1][1]) if same else None  # none recorded with it: unknown
    return None if json.loads(kept) == "not_asked" else local_now()


def _insert(conn: object, change: BoardChange) -> bool:
    cursor = conn.execute(  # type: ignore[attr-defined]
        f"INSERT OR IGNORE INTO board_changes({COLUMNS}, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (change.hlc, change.board_id, change.person, change.field, change.value,
         change.device_id, change.officer, json.dumps(list(change.supersedes)), change.kind,
         change.signature, stamp()))
    return bool(cursor.rowcount)


def receive(store: Store, shared_board_id: str, changes: Iterable[BoardChange]) -> int:
    """Keep peers' changes (already checked) in one transaction; how many were new."""
    me = device.device_id(store)
    added = 0
    with store.transaction() as conn:
        raw = store.meta(CLOCK_KEY)
        clock = Hlc.parse(raw) if raw else None
        for change in changes:
            if change.board_id != shared_board_id:
                raise InvalidInput("A change received belongs to another board.")
            added += _insert(conn, change)
            clock = seen_clock(clock, change.clock, me)
        if clock is not None:
            store.set_meta(CLOCK_KEY, clock.text())
        if added:  # the case holding the board changed: it must reach the Lead again
            for (case_id,) in conn.execute("SELECT case_id FROM board_shares WHERE board_id = ?",
                                           (shared_board_id,)).fetchall():
                cases.touch_case(store, str(case_id))
    return added


def unseen_count(store: Store, shared_board_id: str, seen: Vector) -> int:
    """How many of this device's held changes a peer that has seen ``seen`` lacks."""
    return sum(count for device_id, count in _counts_since(store, shared_board_id, seen))


def _counts_since(store: Store, board: str, seen: Vector) -> list[tuple[str, int]]:
    counts: list[tuple[str, int]] = []
    for device_id, _ in vector(store, board).items():
        row = store.conn.execute(
            "SELECT COUNT(*) FROM board_changes WHERE board_id = ? AND device_id = ? "
            "AND hlc > ?", (board, device_id, seen.get(device_id, ""))).fetchone()
        counts.append((device_id, int(row[0])))
    return counts


def merged_board(store: Store, case_id: str, as_of: date) -> MergedBoard:
    """The case's shared board as merged from every change this device holds."""
    return merge(all_changes(store, board_id(store, case_id)), as_of)


__all__ = ["Vector", "all_changes", "changes_since", "held_clocks", "shared_board", "vector"]
