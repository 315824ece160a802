"""Settling a registration conflict: the same new reference given on two devices while apart.

The coordinator either keeps the registrations as one person (it really is the same person,
registered twice: ``journal.resolve``), or gives the person registered on one device a new
reference here: everything that device recorded for the reference since its registration is
recorded again under the new reference, and the old reference goes back to what the other
devices recorded. Both are resolutions by the coordinator, so they replace the values in
conflict and every device converges to the same two people. The child rule holds on both: a
person recorded as (possibly) under 18 on the device that registered them keeps that record
under their new reference.
"""

from __future__ import annotations

from fieldkit.errors import InvalidInput
from fieldkit.store import Store
from forms.reception import PersonReceived
from sync.board_share import journal
from sync.board_share.changes import REGISTRATION, SHARED_FIELDS, BoardChange
from sync.board_share.held import all_changes
from sync.board_share.merge import Conflict


def give_new_reference(store: Store, case_id: str, conflict: Conflict, device_id: str,
                       new_reference: str) -> list[BoardChange]:
    """Move the person registered on ``device_id`` under ``conflict.person`` to
    ``new_reference`` (all saved in one transaction, or nothing)."""
    if conflict.field != REGISTRATION:
        raise InvalidInput("Only a reference registered on two devices can be given a new "
                           "reference.")
    moved = next((c for c in conflict.changes if c.device_id == device_id), None)
    if moved is None:
        raise InvalidInput("That device did not register this reference; choose one of the "
                           "devices shown in the conflict.")
    new_reference = new_reference.strip()
    board = journal.board_id(store, case_id)
    held = all_changes(store, board)
    if not new_reference or any(change.person == new_reference for change in held):
        raise InvalidInput(f"Reference: {new_reference or 'a new reference'} is needed that is "
                           "not on the board yet.")
    own = [c for c in held if c.person == conflict.person and c.field in SHARED_FIELDS]
    theirs: dict[str, BoardChange] = {}
    for change in sorted(own, key=lambda c: c.hlc):
        if change.device_id == device_id and change.hlc >= moved.hlc:
            theirs[change.field] = change  # the latest each field was set to there
    blank = PersonReceived(reference="R").model_dump(mode="json")
    kept: dict[str, object] = {}
    for field in theirs:
        others = [c for c in own if c.field == field and c.device_id != device_id]
        kept[field] = max(others, key=lambda c: c.hlc).decoded() if others else blank[field]
    stays = next(c for c in conflict.changes if c.device_id != device_id)
    with store.transaction():
        made = journal.record_changes(
            store, case_id, new_reference, {f: c.decoded() for f, c in theirs.items()})
        resolved = journal.resolve(store, case_id, conflict, stays.decoded())
        if kept:
            made += journal.record_changes(store, case_id, conflict.person, kept,
                                           resolution=True)
    return [*made, resolved]
