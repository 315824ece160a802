"""The link between the board the app edits (the case's ``reception`` form document) and the
shared board's journal of per-field changes.

- :func:`save_board` is the one way the app saves a board: on a shared case it records one
  change per field that differs from the board the officer was shown (new people included)
  and writes the document's new version (with the merged people) in the same transaction, so
  either both are on disk or neither is.
- :func:`write_back` puts the merged board into the case's reception document after changes
  arrived from peers (a new version only if something changed; centre-level fields kept).
- :func:`refresh` gives the board a window should show once changes arrived, keeping the
  officer's unsaved edits: a field the officer changed and has not saved keeps the officer's
  value on screen and, when saved, replaces only the values the officer was shown, so a value
  that arrived meanwhile stays beside it as a conflict rather than being silently overwritten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from fieldkit import documents, prefill
from fieldkit.clock import today
from fieldkit.drafts import DraftKind, DraftOwner, load_draft
from fieldkit.errors import InvalidInput
from fieldkit.records import FormDocument
from fieldkit.store import Store
from forms.choices import AgeGroup
from forms.reception import PersonReceived, ReceptionCentre
from forms.rules import AgeStatus
from sync.board_share import journal
from sync.board_share.changes import REGISTRATION, SHARED_FIELDS, BoardChange
from sync.board_share.held import shared_board
from sync.board_share.hlc import Hlc
from sync.board_share.merge import MergedBoard

Clocks = dict[tuple[str, str], tuple[str, ...]]
"""For each (reference, field): the clocks of the values shown (what an edit replaces)."""


@dataclass(frozen=True)
class ValueSet:
    """One of a conflict's values, with who set it, on which device and when."""

    value: Any
    officer: str
    device_id: str
    at: datetime
    clock: str
    field: str = ""


@dataclass(frozen=True)
class BoardView:
    """The board as an officer was shown it: the centre, and the clocks behind each value."""

    centre: ReceptionCentre
    clocks: Clocks
    shared: bool
    child_route: dict[str, tuple[ValueSet, ...]] = dataclasses.field(default_factory=dict)
    """People kept on the child route by the child rule (recorded as under 18, or possibly, on
    a device since the last decision on their age, though their record here says adult): for
    each reference, who recorded that, on which device and when."""


@dataclass(frozen=True)
class SavedBoard:
    """A saved board: the document's new version and the board as it now stands."""

    document: FormDocument
    view: BoardView


@dataclass(frozen=True)
class ConflictShown:
    """A field of a person set differently on devices that had not seen each other's change."""

    person: str
    field: str
    values: tuple[ValueSet, ...]


def is_shared(store: Store, case_id: str) -> bool:
    """True once this case's board is shared with (or joined from) another device."""
    return shared_board(store, case_id) is not None


def reception_document(store: Store, case_id: str) -> FormDocument | None:
    """The case's reception document the board lives in (the latest one not withdrawn)."""
    held = [d for d in documents.list_documents(store, case_id, "reception")
            if not documents.is_withdrawn(store, d.id)]
    return max(held, key=lambda d: (d.updated_at, d.created_at), default=None)


def _centre_of(store: Store, case_id: str, document: FormDocument | None) -> ReceptionCentre:
    if document is None:
        return ReceptionCentre.model_validate(prefill.new_reception(store, case_id))
    return ReceptionCentre.model_validate_json(document.data)


def _as_of(centre: ReceptionCentre) -> date:
    return centre.held_on or today()


def with_merged(centre: ReceptionCentre, merged: MergedBoard) -> ReceptionCentre:
    """``centre`` (its own fields kept) with the merged people: each person it has, as merged
    (a person not yet in the journal as it is), then the people only peers have recorded."""
    by_reference = {m.person.reference: m.person for m in merged.people}
    people = [by_reference.pop(p.reference, p) for p in centre.people]
    people += [m.person for m in merged.people if m.person.reference in by_reference]
    return centre.model_copy(update={"people": people})


def _clocks(merged: MergedBoard) -> Clocks:
    return {(m.person.reference, name): merged.heads(m.person.reference, name)
            for m in merged.people for name in m.latest}


def _child_route(merged: MergedBoard) -> dict[str, tuple[ValueSet, ...]]:
    return {m.person.reference: tuple(_value_set(change) for change in m.child_records)
            for m in merged.people if m.child_rule_applied}


def open_board(store: Store, case_id: str, document_id: str | None) -> BoardView:
    """The board to show for the reception document ``document_id`` (None: a new one)."""
    document = documents.get_document(store, document_id) if document_id else None
    centre = _centre_of(store, case_id, document)
    if not is_shared(store, case_id):
        return BoardView(centre, {}, False)
    merged = journal.merged_board(store, case_id, _as_of(centre))
    return BoardView(with_merged(centre, merged), _clocks(merged), True, _child_route(merged))


def save_board(store: Store, case_id: str, centre: ReceptionCentre | dict[str, Any],
               document_id: str | None, shown: BoardView | None = None) -> SavedBoard:
    """Save the board as the next version of ``document_id`` (a new document if None). On a
    shared case, each field differing from the board ``shown`` to the officer (or, without it,
    from the merged board) is recorded as a change in the same transaction."""
    centre = ReceptionCentre.model_validate(centre)
    if not is_shared(store, case_id):
        saved = documents.save_document(store, case_id, "reception",
                                        centre.model_dump(mode="json"), document_id=document_id)
        return SavedBoard(saved, BoardView(centre, {}, False))
    as_of = _as_of(centre)
    with store.transaction():
        merged = journal.merged_board(store, case_id, as_of)
        _record_edits(store, case_id, centre, merged, shown)
        merged = journal.merged_board(store, case_id, as_of)
        final = with_merged(centre, merged)
        saved = documents.save_document(store, case_id, "reception",
                                        final.model_dump(mode="json"), document_id=document_id)
    return SavedBoard(saved, BoardView(final, _clocks(merged), True, _child_route(merged)))


def _record_edits(store: Store, case_id: str, centre: ReceptionCentre, merged: MergedBoard,
                  shown: BoardView | None, *, seen_nothing: bool = False) -> None:
    """One change per field of ``centre``'s people differing from what the officer was shown
    (``shown``; the merged board for people it lacks), replacing the values shown."""
    current = {m.person.reference: m.person for m in merged.people}
    base = {p.reference: p for p in shown.centre.people} if shown is not None else {}
    for person in centre.people:
        before = base.get(person.reference) or current.get(person.reference)
        old = (before or PersonReceived(reference=person.reference)).model_dump(mode="json")
        new = person.model_dump(mode="json")
        changed: dict[str, object] = {
            f: new[f] for f in sorted(SHARED_FIELDS) if new[f] != old[f]}
        if before is None and not changed:
            changed = {"arrived_at": new["arrived_at"]}  # on the board once recorded
        if not changed:
            continue
        replacing: dict[str, tuple[str, ...]] | None = None
        if seen_nothing:
            replacing = {field: () for field in changed}
        elif shown is not None and person.reference in base:
            replacing = {f: shown.clocks.get((person.reference, f), ()) for f in changed}
        journal.record_changes(store, case_id, person.reference, changed, replacing=replacing)


def publish(store: Store, case_id: str) -> None:
    """On sharing or joining: record what the case's reception document already holds and the
    shared board does not, as made without seeing the others' values (so a difference is
    shown as a conflict, never overwriting what another device recorded)."""
    document = reception_document(store, case_id)
    if document is None:
        return
    centre = _centre_of(store, case_id, document)
    with store.transaction():
        merged = journal.merged_board(store, case_id, _as_of(centre))
        _record_edits(store, case_id, centre, merged, None, seen_nothing=True)


def write_back(store: Store, case_id: str) -> FormDocument | None:
    """Put the merged board into the case's reception document as a new version (or a new
    document if it has none), audited as any save; None when nothing changed."""
    if not is_shared(store, case_id):
        return None
    with store.transaction():  # read and written under the write lock: no save in between
        document = reception_document(store, case_id)
        centre = _centre_of(store, case_id, document)
        merged = journal.merged_board(store, case_id, _as_of(centre))
        final = with_merged(centre, merged)
        if final == centre and (document is not None or not merged.people):
            return None
        return documents.save_document(store, case_id, "reception",
                                       final.model_dump(mode="json"),
                                       document_id=document.id if document else None)


def refresh(store: Store, case_id: str, shown: BoardView,
            local: ReceptionCentre) -> tuple[BoardView, ReceptionCentre]:
    """The board after changes arrived, and what the window should now show: the merged
    board with the officer's unsaved edits (fields of ``local`` differing from ``shown``)
    kept, and kept as unsaved edits of the values the officer was shown."""
    merged = journal.merged_board(store, case_id, _as_of(local))
    fresh = with_merged(shown.centre, merged)
    clocks = _clocks(merged)
    base = {p.reference: p for p in shown.centre.people}
    fresh_people = {p.reference: p for p in fresh.people}
    view_people: list[PersonReceived] = []
    local_people: list[PersonReceived] = []
    for person in local.people:
        before, after = base.get(person.reference), fresh_people.pop(person.reference, None)
        if before is None or after is None:  # registered here, not saved yet: all local
            local_people.append(person)
            if after is not None:
                view_people.append(after)
            continue
        old, mine = before.model_dump(mode="json"), person.model_dump(mode="json")
        edited = {f: mine[f] for f in SHARED_FIELDS if mine[f] != old[f]}
        view_people.append(_updated(after, {f: old[f] for f in edited}) or after)
        local_people.append(_updated(after, edited) or person)
        for field in edited:
            clocks[(person.reference, field)] = shown.clocks.get((person.reference, field), ())
    view_people += fresh_people.values()
    local_people += fresh_people.values()
    view = BoardView(fresh.model_copy(update={"people": view_people}), clocks, True,
                     _child_route(merged))
    return view, local.model_copy(update={"people": local_people})


def draft_of(shown: BoardView, local: ReceptionCentre) -> dict[str, Any]:
    """What a board's draft keeps: the board as the officer has it (``local``, unsaved edits
    included) and the board they were shown with the clocks of its values, so that a draft
    restored after a restart still saves as edits of what the officer saw."""
    return {"centre": local.model_dump(mode="json"),
            "shown": {"centre": shown.centre.model_dump(mode="json"),
                      "clocks": [[reference, name, list(clocks)]
                                 for (reference, name), clocks in shown.clocks.items()],
                      "shared": shown.shared}}


@dataclass(frozen=True)
class UnsavedBoard:
    """A board opened and worked on but never saved: only its draft holds it."""

    centre: ReceptionCentre
    kept_at: str
    """When its draft was last kept (a UTC stamp)."""


def unsaved_new_board(store: Store, case_id: str) -> UnsavedBoard | None:
    """The case's new board that was never saved, as its draft keeps it (or ``None``), so
    the case can list it beside the saved ones and it is never lost from sight."""
    draft = load_draft(store, DraftOwner(DraftKind.RECEPTION, case_id, form_kind="reception"))
    if draft is None:
        return None
    try:
        centre = ReceptionCentre.model_validate(draft.data["centre"])
    except (KeyError, TypeError, ValidationError):
        return None
    return UnsavedBoard(centre, draft.saved_at)


def restore_draft(store: Store, case_id: str, document_id: str | None,
                  draft: dict[str, Any]) -> tuple[BoardView, ReceptionCentre]:
    """The board to show for a draft restored after a restart, and the board as the officer
    had it: on a shared board, what arrived since the draft is shown with the officer's
    unsaved edits kept as edits of the values they were shown (as :func:`refresh` does while
    the board is open), so saving it never silently replaces a value that arrived meanwhile.
    A draft kept before drafts held what was shown is the board as the officer had it."""
    current = open_board(store, case_id, document_id)
    if "shown" not in draft:
        return current, ReceptionCentre.model_validate(draft)
    local = ReceptionCentre.model_validate(draft["centre"])
    if not current.shared:
        return current, local
    kept = draft["shown"]
    shown = BoardView(ReceptionCentre.model_validate(kept["centre"]),
                      {(str(reference), str(name)): tuple(clocks)
                       for reference, name, clocks in kept["clocks"]}, bool(kept["shared"]))
    return refresh(store, case_id, shown, local)


def _updated(person: PersonReceived, values: dict[str, Any]) -> PersonReceived | None:
    if not values:
        return person
    try:
        return PersonReceived.model_validate({**person.model_dump(mode="json"), **values})
    except ValidationError:
        return None


def conflicts(store: Store, case_id: str, as_of: date | None = None) -> list[ConflictShown]:
    """The board's conflicts, each value with who set it, on which device and when."""
    if not is_shared(store, case_id):
        return []
    merged = journal.merged_board(store, case_id, as_of or today())
    return [ConflictShown(c.person, c.field, tuple(_value_set(ch) for ch in c.changes))
            for c in merged.conflicts]


def _value_set(change: BoardChange) -> ValueSet:
    moment = datetime.fromtimestamp(Hlc.parse(change.hlc).wall_ms / 1000, tz=UTC)
    return ValueSet(change.decoded(), change.officer, change.device_id, moment, change.hlc,
                    change.field)


def resolve(store: Store, case_id: str, person: str, field: str,
            chosen_clock: str) -> FormDocument | None:
    """Settle a conflict with the value set by the change ``chosen_clock`` (one of those
    shown), then put the board into the reception document; both in one transaction."""
    with store.transaction():
        merged = journal.merged_board(store, case_id, today())
        conflict = next((c for c in merged.conflicts
                         if (c.person, c.field) == (person, field)), None)
        if conflict is None:
            raise InvalidInput(f"{person} has no conflict in {field} any more: someone "
                               "has already settled it.")
        chosen = next((c for c in conflict.changes if c.hlc == chosen_clock), None)
        if chosen is None:
            raise InvalidInput("The value chosen is no longer one of the conflict's values.")
        journal.resolve(store, case_id, conflict, chosen.decoded())
        return write_back(store, case_id)


def give_new_reference(store: Store, case_id: str, person: str, device_id: str,
                       new_reference: str) -> FormDocument | None:
    """A reference registered on two devices apart: give the person registered on
    ``device_id`` ``new_reference``, then put the board into the reception document; both in
    one transaction."""
    from sync.board_share import registration

    with store.transaction():
        merged = journal.merged_board(store, case_id, today())
        conflict = next((c for c in merged.conflicts
                         if (c.person, c.field) == (person, REGISTRATION)), None)
        if conflict is None:
            raise InvalidInput(f"{person} is no longer registered on two laptops: someone has "
                               "already settled it.")
        registration.give_new_reference(store, case_id, conflict, device_id, new_reference)
        return write_back(store, case_id)


def decide_age(store: Store, case_id: str, person: str, adult: bool) -> FormDocument | None:
    """Record the decision on the age of ``person``, kept on the child route by the child rule
    (for example after an age assessment): as a coordinator's resolution of their age fields,
    so the records of them as under 18 made before it no longer hold them there (one made
    after it does again). An adult: age group adult, the age no longer disputed, the date of
    birth and estimated age as shown, refused while either says under 18. A child: age group
    child. Then the board goes into the reception document; all in one transaction."""
    with store.transaction():
        merged = journal.merged_board(store, case_id, today())
        try:
            held = merged.person(person)
        except KeyError:
            raise InvalidInput(f"{person} is not on the shared board.") from None
        current = held.person
        if not adult:
            values: dict[str, object] = {"age_group": AgeGroup.CHILD.value}
        else:
            decided = current.model_copy(update={"age_group": AgeGroup.ADULT,
                                                 "age_disputed": False})
            if decided.age_status(today()) is not AgeStatus.ADULT:
                shown = (f"date of birth {current.date_of_birth.isoformat()}"
                         if current.date_of_birth is not None
                         else f"estimated age {current.estimated_age}")
                raise InvalidInput(
                    f"{person}'s {shown} makes them under 18: if their age was decided as an "
                    "adult, correct that first, then record the decision.")
            values = {"age_group": AgeGroup.ADULT.value, "age_disputed": False,
                      "date_of_birth": (current.date_of_birth.isoformat()
                                        if current.date_of_birth is not None else None),
                      "estimated_age": current.estimated_age}
        journal.record_changes(store, case_id, person, values, resolution=True)
        return write_back(store, case_id)
