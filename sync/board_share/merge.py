"""The merge: every device's changes to a board in, one board out, the same on every device
whatever order the changes arrived in (it depends only on the set of changes).

Each field of each person is a multi-value register. A change names the changes it replaced
(the field's current values on its device when it was made); the field's value is the change
no other change replaced. Two such changes with different values were made without either
device seeing the other's: a conflict, kept and shown until a coordinator's resolution (itself a
change, replacing both) settles it. The protocol's child rule then holds on the merged board:
a person recorded on any device as under 18, or possibly under 18, keeps the child route unless
a coordinator's later resolution of their age says otherwise.

Lists (screenings, property items) are merged item by item (``lists.py``): items added on
different devices all survive; two different edits of the same item are a conflict. A person's
registration (``changes.REGISTRATION``) is a register like any field: two devices that gave the
same new reference to two people while apart hold two registrations, shown as a conflict on the
field ``registration`` until the coordinator keeps them as one person or gives one a new
reference (``registration.py``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from forms.choices import AgeGroup
from forms.reception import PersonReceived
from forms.rules import ADULT_AGE, AgeStatus, age_on
from sync.board_share.changes import AGE_FIELDS, LIST_FIELDS, REGISTRATION, TIME_OF, BoardChange
from sync.board_share.lists import merged_list


@dataclass(frozen=True)
class Conflict:
    """One field of one person set differently on devices that had not seen each other's
    change: every value is kept, with who set it, until a coordinator resolves it."""

    person: str
    field: str
    changes: tuple[BoardChange, ...]

    def clocks(self) -> tuple[str, ...]:
        """The clocks a resolution must replace."""
        return tuple(change.hlc for change in self.changes)


@dataclass(frozen=True)
class MergedPerson:
    """One person on the merged board, with the change behind each field's value."""

    person: PersonReceived
    latest: dict[str, BoardChange]
    child_rule_applied: bool
    merged_lists: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """For a list merged item by item: the clocks of every value merged into it."""
    child_records: tuple[BoardChange, ...] = ()
    """Where the child rule holds: the changes that recorded the person as (possibly) under 18
    since the last decision on their age, which keep them on the child route."""


@dataclass(frozen=True)
class MergedBoard:
    """The board every device converges to."""

    people: tuple[MergedPerson, ...]
    conflicts: tuple[Conflict, ...]

    def person(self, reference: str) -> MergedPerson:
        """The merged person with ``reference``."""
        for merged in self.people:
            if merged.person.reference == reference:
                return merged
        raise KeyError(reference)

    def heads(self, reference: str, field: str) -> tuple[str, ...]:
        """The clocks a new change to this field replaces (every current value of it)."""
        for conflict in self.conflicts:
            if conflict.person == reference and conflict.field == field:
                return conflict.clocks()
        merged = next((m for m in self.people if m.person.reference == reference), None)
        if merged is None or field not in merged.latest:
            return ()
        return merged.merged_lists.get(field, (merged.latest[field].hlc,))


def merge(changes: Iterable[BoardChange], as_of: date) -> MergedBoard:
    """The board made by ``changes`` (duplicates and order make no difference)."""
    unique: dict[str, BoardChange] = {}
    for change in changes:
        held = unique.get(change.hlc)
        if held is None or change.signed_bytes() > held.signed_bytes():
            unique[change.hlc] = change
    by_field: dict[tuple[str, str], list[BoardChange]] = defaultdict(list)
    by_person: dict[str, list[BoardChange]] = defaultdict(list)
    for change in unique.values():
        by_field[(change.person, change.field)].append(change)
        by_person[change.person].append(change)
    people: list[tuple[str, MergedPerson]] = []
    conflicts: list[Conflict] = []
    for reference, own in by_person.items():
        values: dict[str, Any] = {"reference": reference}
        latest: dict[str, BoardChange] = {}
        lists: dict[str, tuple[str, ...]] = {}
        for field in sorted({change.field for change in own}):
            heads = _heads(by_field[(reference, field)])
            merged_items = (merged_list(heads, unique) if field in LIST_FIELDS
                            and len({head.value for head in heads}) > 1 else None)
            if merged_items is not None:
                values[field], latest[field] = merged_items, heads[-1]
                lists[field] = tuple(head.hlc for head in heads)
                continue
            decision = _heads(by_field.get((reference, TIME_OF.get(field, "")), []))
            if field in TIME_OF and len({head.value for head in decision}) > 1:
                # The decision is in conflict: its time goes with the decision shown.
                paired = [h for h in heads if h.device_id == decision[-1].device_id]
                shown = (paired or heads)[-1]
                values[field], latest[field] = shown.decoded(), shown
                continue
            if len({head.value for head in heads}) > 1:
                conflicts.append(Conflict(reference, field, tuple(heads)))
            if field == REGISTRATION:
                continue  # not a field of the form: shown only when it is in conflict
            shown = _shown(field, heads, as_of)
            values[field], latest[field] = shown.decoded(), shown
        merged = _validated(values)
        child = _child_records(own, as_of)
        applied = bool(child) and merged.age_status(as_of) is AgeStatus.ADULT
        if applied:
            merged = merged.model_copy(update={"age_group": AgeGroup.CHILD})
        first = min(change.hlc for change in own)
        people.append((first, MergedPerson(merged, latest, applied, lists,
                                           child if applied else ())))
    people.sort(key=lambda item: (item[0], item[1].person.reference))
    conflicts.sort(key=lambda conflict: (conflict.person, conflict.field))
    return MergedBoard(tuple(person for _, person in people), tuple(conflicts))


def _heads(changes: list[BoardChange]) -> list[BoardChange]:
    replaced = {clock for change in changes for clock in change.supersedes}
    return sorted((c for c in changes if c.hlc not in replaced), key=lambda c: c.hlc)


def _shown(field: str, heads: list[BoardChange], as_of: date) -> BoardChange:
    """The value the board shows for a field: the latest, except that while a person's age is
    in conflict the value that makes them a child is shown."""
    if field in AGE_FIELDS:
        child = [head for head in heads if _says_child(head, as_of)]
        if child:
            return child[-1]
    return heads[-1]


def _validated(values: dict[str, Any]) -> PersonReceived:
    try:
        return PersonReceived.model_validate(values)
    except ValidationError:
        # Each value was checked on its own when received; fields that only disagree together
        # fall back one by one to the form's defaults rather than losing the person.
        kept = {"reference": values["reference"]}
        for field, value in values.items():
            try:
                PersonReceived.model_validate({**kept, field: value})
            except ValidationError:
                continue
            kept[field] = value
        return PersonReceived.model_validate(kept)


def _says_child(change: BoardChange, as_of: date) -> bool:
    """True if the change records the person as under 18, or possibly under 18."""
    value = change.decoded()
    if value is None:
        return False
    if change.field == "age_group":
        return value in (AgeGroup.CHILD.value, AgeGroup.NOT_SURE.value)
    if change.field == "estimated_age":
        return isinstance(value, int) and value < ADULT_AGE
    if change.field == "date_of_birth":
        return age_on(date.fromisoformat(value), as_of) < ADULT_AGE
    return False


def _child_records(changes: list[BoardChange], as_of: date) -> tuple[BoardChange, ...]:
    """The changes recording the person as (possibly) a child made after the latest
    coordinator's resolution (or decision) on their age, oldest first."""
    age = [change for change in changes if change.field in AGE_FIELDS]
    settled = max((c.hlc for c in age if c.kind == "resolution"), default="")
    return tuple(sorted((change for change in age
                         if change.hlc > settled and _says_child(change, as_of)),
                        key=lambda change: change.hlc))
