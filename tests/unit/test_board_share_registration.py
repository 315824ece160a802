"""Two devices apart giving the same new reference to two people: shown as a conflict on the
person's registration, settled by keeping them as one person or by giving one a new reference;
lists in a person merged item by item. Real encrypted stores, changes exchanged by vector."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings
from fieldkit.store import Store
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import BoardStep, StepStatus
from sync.board_share import journal
from sync.board_share.changes import REGISTRATION
from sync.board_share.merge import MergedBoard
from sync.board_share.registration import give_new_reference
from tests.conftest import PASSPHRASE

AS_OF = date(2026, 3, 2)
ARRIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Pair:
    """Two devices holding one board, each in its own store."""

    def __init__(self, tmp_path: Path) -> None:
        self.stores: list[Store] = []
        for name in ("coordinator", "police"):
            settings = Settings(data_dir=tmp_path / name, kdf_min_seconds=0.001,
                                kdf_memory_kib=8192)
            self.stores.append(Store.create(settings, PASSPHRASE, officer=f"Officer {name}"))
        self.cases = [cases.create_case(s, "Reception centre").id for s in self.stores]
        self.board = journal.board_id(self.stores[0], self.cases[0])
        journal.link_board(self.stores[1], self.cases[1], self.board)

    def sync(self) -> None:
        a, b = self.stores
        for source, target in ((a, b), (b, a), (a, b)):
            journal.receive(target, self.board, journal.changes_since(
                source, self.board, journal.vector(target, self.board)))

    def boards(self) -> list[MergedBoard]:
        pairs = zip(self.stores, self.cases, strict=True)
        return [journal.merged_board(store, case, AS_OF) for store, case in pairs]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = Pair(tmp_path)
    yield made
    for store in made.stores:
        store.lock()


def _register_apart(pair: Pair) -> None:
    coordinator, police = pair.stores
    journal.record_changes(coordinator, pair.cases[0], "R007",
                           {"arrived_at": ARRIVED, "age_group": AgeGroup.ADULT,
                            "consent": ConsentDecision.GIVEN})
    journal.record_changes(police, pair.cases[1], "R007",
                           {"arrived_at": ARRIVED, "age_group": AgeGroup.CHILD,
                            "welfare_notes": "resting"})
    pair.sync()


def test_the_same_reference_registered_apart_is_a_conflict(pair: Pair) -> None:
    _register_apart(pair)
    mine, theirs = pair.boards()
    assert mine == theirs
    conflict = next(c for c in mine.conflicts if c.field == REGISTRATION)
    assert conflict.person == "R007"
    assert {c.officer for c in conflict.changes} == {"Officer coordinator", "Officer police"}
    assert mine.person("R007").child_rule_applied is False  # child recorded: shown as child
    assert mine.person("R007").person.obligations(AS_OF).mash_referral


def test_a_person_registered_once_and_edited_elsewhere_is_no_conflict(pair: Pair) -> None:
    coordinator, police = pair.stores
    journal.record_change(coordinator, pair.cases[0], "R001", "arrived_at", ARRIVED)
    pair.sync()
    journal.record_change(police, pair.cases[1], "R001", "welfare_notes", "water given")
    pair.sync()
    mine, theirs = pair.boards()
    assert mine == theirs
    assert mine.conflicts == ()
    assert [c.field for c in journal.all_changes(police, pair.board)
            if c.field == REGISTRATION] == [REGISTRATION]


def test_kept_as_one_person_the_child_rule_still_holds(pair: Pair) -> None:
    _register_apart(pair)
    coordinator, _ = pair.stores
    board = journal.merged_board(coordinator, pair.cases[0], AS_OF)
    conflict = next(c for c in board.conflicts if c.field == REGISTRATION)
    journal.resolve(coordinator, pair.cases[0], conflict, conflict.changes[1].decoded())
    pair.sync()
    mine, theirs = pair.boards()
    assert mine == theirs
    assert [c.field for c in mine.conflicts] == ["age_group"]  # still to settle, person by one
    person = mine.person("R007")
    assert person.person.age_group is AgeGroup.CHILD
    assert person.person.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING
    assert person.person.obligations(AS_OF).mash_referral


def test_given_a_new_reference_each_person_keeps_what_was_recorded(pair: Pair) -> None:
    _register_apart(pair)
    coordinator, police = pair.stores
    board = journal.merged_board(coordinator, pair.cases[0], AS_OF)
    conflict = next(c for c in board.conflicts if c.field == REGISTRATION)
    police_id = next(c.device_id for c in conflict.changes if c.officer == "Officer police")
    with pytest.raises(InvalidInput, match="not on the board yet"):
        give_new_reference(coordinator, pair.cases[0], conflict, police_id, "R007")
    give_new_reference(coordinator, pair.cases[0], conflict, police_id, "R008")
    pair.sync()
    mine, theirs = pair.boards()
    assert mine == theirs
    assert mine.conflicts == ()
    first, second = mine.person("R007").person, mine.person("R008").person
    assert (first.age_group, first.consent, first.welfare_notes) == (
        AgeGroup.ADULT, ConsentDecision.GIVEN, "")
    assert (second.age_group, second.welfare_notes) == (AgeGroup.CHILD, "resting")
    assert second.obligations(AS_OF).mash_referral  # the child rule holds under the new one
    assert not first.obligations(AS_OF).mash_referral
    # the police laptop, editing R007 after the split, edits the coordinator's person
    journal.record_change(police, pair.cases[1], "R007", "onward_destination", "family")
    pair.sync()
    assert pair.boards()[0].conflicts == ()


SCREENING = {"agency": "police", "done_at": "2026-03-02T10:00:00Z", "notes": ""}
HEALTH = {"agency": "nhs", "done_at": "2026-03-02T10:05:00Z", "notes": "seen"}
PHONE = {"description": "phone", "is_identity_document": False, "outcome": "pending",
         "exhibit_reference": ""}


def test_items_added_on_two_devices_both_survive(pair: Pair) -> None:
    coordinator, police = pair.stores
    journal.record_change(coordinator, pair.cases[0], "R001", "arrived_at", ARRIVED)
    pair.sync()
    journal.record_change(coordinator, pair.cases[0], "R001", "screenings", [HEALTH])
    journal.record_change(police, pair.cases[1], "R001", "screenings", [SCREENING])
    journal.record_change(police, pair.cases[1], "R001", "property_items", [PHONE])
    pair.sync()
    mine, theirs = pair.boards()
    assert mine == theirs
    assert mine.conflicts == ()
    person = mine.person("R001").person
    assert sorted(s.agency.value for s in person.screenings) == ["nhs", "police"]
    assert [p.description for p in person.property_items] == ["phone"]
    # the next edit starts from the merged list and replaces both values
    edited = [s.model_dump(mode="json") for s in person.screenings][:1]
    journal.record_change(police, pair.cases[1], "R001", "screenings", edited)
    pair.sync()
    assert len(pair.boards()[0].person("R001").person.screenings) == 1


def test_two_different_edits_of_the_same_item_are_a_conflict(pair: Pair) -> None:
    coordinator, police = pair.stores
    journal.record_change(coordinator, pair.cases[0], "R001", "screenings", [SCREENING])
    pair.sync()
    journal.record_change(coordinator, pair.cases[0], "R001", "screenings",
                          [{**SCREENING, "notes": "interview done"}])
    journal.record_change(police, pair.cases[1], "R001", "screenings",
                          [{**SCREENING, "notes": "interview stopped"}])
    pair.sync()
    mine, theirs = pair.boards()
    assert mine == theirs
    [conflict] = mine.conflicts
    assert conflict.field == "screenings"
    journal.resolve(coordinator, pair.cases[0], conflict,
                    [{**SCREENING, "notes": "interview done"}])
    pair.sync()
    assert pair.boards()[1].conflicts == ()
