"""The shared board's merge, with no network and no store: any delivery order converges,
concurrent different values become conflicts a resolution settles, the child rule holds."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.choices import AgeGroup, ConsentDecision
from forms.reception import BoardStep, StepStatus
from forms.rules import AgeStatus
from sync.board_share.changes import BoardChange
from sync.board_share.hlc import Hlc, next_clock, seen_clock
from sync.board_share.merge import MergedBoard, merge

BOARD = str(uuid.UUID(int=1))
DEVICES = [str(uuid.UUID(int=n)) for n in (11, 12, 13)]
AS_OF = date(2026, 3, 2)
FIELDS = {
    "consent": ["not_asked", "given", "refused"],
    "welfare_notes": ["", "water given", "resting"],
    "age_group": ["adult", "child", "not_sure"],
    "estimated_age": [16, 25, 40],
    "onward_destination": ["", "safe house", "family"],
    "consent_recorded_at": [None, "2026-03-02T10:05:00+00:00", "2026-03-02T10:20:00+00:00"],
}


class Device:
    """One device's view: the changes it holds and its clock."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.held: dict[str, BoardChange] = {}
        self.clock: Hlc | None = None
        self.now = 1_700_000_000_000

    def edit(self, person: str, field: str, value: object, kind: str = "edit") -> BoardChange:
        self.now += 1
        self.clock = next_clock(self.clock, self.now, self.device_id)
        current = merge(self.held.values(), AS_OF)
        change = BoardChange(
            board_id=BOARD, person=person, field=field, value=json.dumps(value),
            hlc=self.clock.text(), device_id=self.device_id, officer="Officer Test",
            supersedes=current.heads(person, field), kind=kind,  # type: ignore[arg-type]
        )
        self.held[change.hlc] = change
        return change

    def receive_from(self, other: Device) -> None:
        for change in other.held.values():
            self.held.setdefault(change.hlc, change)
            self.clock = seen_clock(self.clock, change.clock, self.device_id)


def shape(board: MergedBoard) -> tuple[object, ...]:
    """Everything a board shows, as comparable data."""
    return (tuple((m.person.model_dump_json(), m.child_rule_applied) for m in board.people),
            tuple((c.person, c.field, c.clocks()) for c in board.conflicts))


def random_history(seed: int, steps: int = 60) -> list[Device]:
    rng = random.Random(seed)
    devices = [Device(d) for d in DEVICES]
    for _ in range(steps):
        if rng.random() < 0.7:
            device = rng.choice(devices)
            field = rng.choice(sorted(FIELDS))
            device.edit(f"R{rng.randint(1, 4):03d}", field, rng.choice(FIELDS[field]))
        else:
            source, target = rng.sample(devices, 2)
            target.receive_from(source)
    return devices


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_any_order_of_delivery_gives_the_same_board(seed: int, order: random.Random) -> None:
    devices = random_history(seed)
    everything = [c for d in devices for c in d.held.values()]
    expected = shape(merge(everything, AS_OF))
    shuffled = list(everything)
    order.shuffle(shuffled)
    assert shape(merge(shuffled + shuffled[: len(shuffled) // 2], AS_OF)) == expected
    for device in devices:  # healing: every device receives from every other, in any order
        for other in order.sample(devices, len(devices)):
            device.receive_from(other)
    assert {shape(merge(d.held.values(), AS_OF)) for d in devices} == {expected}


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_every_edit_is_shown_or_in_a_conflict(seed: int) -> None:
    devices = random_history(seed)
    everything = {c.hlc: c for d in devices for c in d.held.values()}
    board = merge(everything.values(), AS_OF)
    replaced = {clock for c in everything.values() for clock in c.supersedes}
    in_conflict = {clock for conflict in board.conflicts for clock in conflict.clocks()}
    for change in everything.values():
        if change.hlc in replaced:
            continue  # replaced by someone who had seen it: kept in the history
        shown = board.person(change.person).latest[change.field]
        decided = {(c.person, c.field) for c in board.conflicts}  # a time goes with its decision
        paired = change.field == "consent_recorded_at" and (change.person, "consent") in decided
        assert change.value == shown.value or change.hlc in in_conflict or paired


def test_concurrent_different_values_are_a_conflict_until_resolved() -> None:
    a, b = Device(DEVICES[0]), Device(DEVICES[1])
    a.edit("R001", "welfare_notes", "water given")
    b.receive_from(a)
    a.edit("R001", "consent", ConsentDecision.GIVEN.value)
    b.edit("R001", "consent", ConsentDecision.REFUSED.value)
    a.receive_from(b)
    board = merge(a.held.values(), AS_OF)
    [conflict] = board.conflicts
    assert (conflict.person, conflict.field) == ("R001", "consent")
    assert sorted(json.loads(c.value) for c in conflict.changes) == ["given", "refused"]
    assert {c.device_id for c in conflict.changes} == {DEVICES[0], DEVICES[1]}
    a.edit("R001", "consent", ConsentDecision.REFUSED.value, kind="resolution")
    b.receive_from(a)
    settled = merge(b.held.values(), AS_OF)
    assert settled.conflicts == ()
    assert settled.person("R001").person.consent is ConsentDecision.REFUSED


def test_the_same_value_set_twice_is_no_conflict() -> None:
    a, b = Device(DEVICES[0]), Device(DEVICES[1])
    a.edit("R001", "onward_destination", "safe house")
    b.edit("R001", "onward_destination", "safe house")
    a.receive_from(b)
    board = merge(a.held.values(), AS_OF)
    assert board.conflicts == ()
    assert board.person("R001").person.onward_destination == "safe house"


def test_a_later_edit_by_a_device_that_saw_the_first_replaces_it() -> None:
    a, b = Device(DEVICES[0]), Device(DEVICES[1])
    a.edit("R001", "onward_destination", "family")
    b.receive_from(a)
    b.edit("R001", "onward_destination", "safe house")
    a.receive_from(b)
    board = merge(a.held.values(), AS_OF)
    assert board.conflicts == ()
    assert board.person("R001").person.onward_destination == "safe house"


def test_a_child_recorded_on_any_device_keeps_the_mash_step() -> None:
    a, b = Device(DEVICES[0]), Device(DEVICES[1])
    a.edit("R001", "age_group", AgeGroup.ADULT.value)
    b.receive_from(a)
    b.edit("R001", "estimated_age", 16)
    a.edit("R001", "estimated_age", 30)  # concurrent: a conflict, the child value shown
    a.receive_from(b)
    merged = merge(a.held.values(), AS_OF).person("R001")
    assert merged.person.age_status(AS_OF) is AgeStatus.CHILD
    assert merged.person.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING
    # Even an adult estimate made later by someone who saw it does not undo the child route...
    b.receive_from(a)
    b.edit("R001", "estimated_age", 30)
    later = merge(b.held.values(), AS_OF).person("R001")
    assert later.child_rule_applied
    assert later.person.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING
    # ...only the coordinator's resolution of the person's age does.
    b.edit("R001", "age_group", AgeGroup.ADULT.value, kind="resolution")
    settled = merge(b.held.values(), AS_OF).person("R001")
    assert not settled.child_rule_applied
    assert settled.person.board(AS_OF)[BoardStep.MASH] is StepStatus.NOT_NEEDED


def test_clocks_only_go_up_even_when_the_wall_clock_goes_back() -> None:
    first = next_clock(None, 2_000, DEVICES[0])
    second = next_clock(first, 1_000, DEVICES[0])
    assert second > first and Hlc.parse(second.text()) == second
    ahead = Hlc(5_000, 3, DEVICES[1])
    assert next_clock(seen_clock(second, ahead, DEVICES[0]), 10, DEVICES[0]) > ahead


SCREENINGS = [{"agency": agency, "done_at": None, "notes": notes}
              for agency in ("police", "nhs", "salvation_army") for notes in ("", "seen")]


def list_history(seed: int, steps: int = 40) -> tuple[list[Device], set[str]]:
    """Devices adding and removing screenings of one person on their own view of the board,
    exchanging now and then; also every screening removed by anyone."""
    rng = random.Random(seed)
    devices = [Device(d) for d in DEVICES]
    removed: set[str] = set()
    for _ in range(steps):
        if rng.random() < 0.7:
            device = rng.choice(devices)
            current = merge(device.held.values(), AS_OF)
            items = ([s.model_dump(mode="json") for s in current.person("R001").person
                      .screenings] if current.people else [])
            if items and rng.random() < 0.3:
                gone = items.pop(rng.randrange(len(items)))
                removed.add(json.dumps(gone, sort_keys=True))
            else:
                items.append(rng.choice(SCREENINGS))
            kept = {json.dumps(item, sort_keys=True) for item in items}
            for conflict in current.conflicts:  # an edit replaces every value in conflict:
                for change in conflict.changes:  # what it leaves out is taken away knowingly
                    removed |= {json.dumps(i, sort_keys=True) for i in change.decoded()} - kept
            device.edit("R001", "screenings", items)
        else:
            source, target = rng.sample(devices, 2)
            target.receive_from(source)
    return devices, removed


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_lists_merged_item_by_item_converge_and_keep_every_added_item(
        seed: int, order: random.Random) -> None:
    devices, removed = list_history(seed)
    everything = [c for d in devices for c in d.held.values()]
    expected = merge(everything, AS_OF)
    shuffled = list(everything)
    order.shuffle(shuffled)
    assert shape(merge(shuffled, AS_OF)) == shape(expected)
    if not everything or expected.conflicts:
        return  # a conflict keeps every value, shown for the coordinator to resolve
    shown = {json.dumps(s.model_dump(mode="json"), sort_keys=True)
             for s in expected.person("R001").person.screenings}
    added = {json.dumps(item, sort_keys=True) for c in everything for item in c.decoded()}
    assert added - removed <= shown  # nothing added and never removed is lost


def test_screenings_added_on_two_devices_both_survive() -> None:
    first, second = Device(DEVICES[0]), Device(DEVICES[1])
    first.edit("R001", "screenings", [SCREENINGS[0]])
    second.receive_from(first)
    first.edit("R001", "screenings", [SCREENINGS[0], SCREENINGS[2]])
    second.edit("R001", "screenings", [SCREENINGS[0], SCREENINGS[4]])
    first.receive_from(second)
    board = merge(first.held.values(), AS_OF)
    assert board.conflicts == ()
    assert sorted(s.agency.value for s in board.person("R001").person.screenings) == [
        "nhs", "police", "salvation_army"]
    assert len(board.heads("R001", "screenings")) == 2  # the next edit replaces both
    first.edit("R001", "screenings", [SCREENINGS[0]])
    assert len(merge(first.held.values(), AS_OF).person("R001").person.screenings) == 1
