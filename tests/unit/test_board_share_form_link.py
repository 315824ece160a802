"""The board the app edits (the reception document) and the shared journal, on real encrypted
stores: a save records one change per field with the document version (all or nothing), the
merged board is written back, an officer's unsaved edits survive changes arriving, and a value
that arrived while the officer was editing becomes a conflict, resolved into the document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fieldkit import cases, documents
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings
from fieldkit.store import Store
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import PersonReceived, ReceptionCentre
from sync.board_share import form_link, journal
from tests.conftest import PASSPHRASE

AS_OF = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    settings = Settings(data_dir=tmp_path / "other", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    second = Store.create(settings, PASSPHRASE, officer="Officer Two")
    yield second
    second.lock()


def _centre(*people: PersonReceived) -> ReceptionCentre:
    return ReceptionCentre(operation="Larkspur", held_on=AS_OF, people=list(people))


def _level(a: Store, b: Store, board: str) -> None:
    """Both stores hold every change (what an exchange does, without the network)."""
    for source, target in ((a, b), (b, a)):
        journal.receive(target, board, journal.changes_since(
            source, board, journal.vector(target, board)))


def _shared_pair(store: Store, other: Store) -> tuple[str, str, str]:
    case = cases.create_case(store, "Reception centre")
    board = journal.board_id(store, case.id)
    other_case = cases.create_case(other, "Reception centre")
    journal.link_board(other, other_case.id, board)
    return case.id, other_case.id, board


def test_an_unshared_board_saves_only_its_document(store: Store) -> None:
    case = cases.create_case(store, "Reception centre")
    saved = form_link.save_board(store, case.id, _centre(PersonReceived(reference="R001")), None)
    assert saved.document.version == 1 and not saved.view.shared
    assert store.conn.execute("SELECT COUNT(*) FROM board_changes").fetchone()[0] == 0


def test_a_save_records_each_changed_field_with_the_document(store: Store) -> None:
    case = cases.create_case(store, "Reception centre")
    journal.board_id(store, case.id)  # the case is shared from now on
    first = _centre(PersonReceived(reference="R001", arrived_at=NOW),
                    PersonReceived(reference="R002"))
    saved = form_link.save_board(store, case.id, first, None)
    board = journal.board_id(store, case.id)
    held = journal.all_changes(store, board)
    assert sorted((c.person, c.field) for c in held) == [  # each new person also registered
        ("R001", "arrived_at"), ("R001", "registration"),
        ("R002", "arrived_at"), ("R002", "registration")]
    edited = saved.view.centre.model_copy(update={"people": [
        saved.view.centre.people[0].model_copy(update={"consent": ConsentDecision.GIVEN,
                                                       "welfare_notes": "tea and rest"}),
        saved.view.centre.people[1]]})
    again = form_link.save_board(store, case.id, edited, saved.document.id, saved.view)
    assert again.document.version == 2
    new = journal.all_changes(store, board)[len(held):]
    assert sorted(c.field for c in new) == ["consent", "welfare_notes"]
    assert form_link.save_board(store, case.id, again.view.centre, again.document.id,
                                again.view).document.version == 3
    assert len(journal.all_changes(store, board)) == 6  # saving again unchanged adds none


def test_a_save_that_fails_leaves_nothing_half_written(store: Store) -> None:
    case = cases.create_case(store, "Reception centre")
    journal.board_id(store, case.id)
    saved = form_link.save_board(store, case.id, _centre(PersonReceived(reference="R001")), None)
    documents.withdraw_document(store, saved.document.id, "entered in error")
    edited = _centre(PersonReceived(reference="R001", welfare_notes="water given"))
    with pytest.raises(InvalidInput, match="withdrawn"):
        form_link.save_board(store, case.id, edited, saved.document.id, saved.view)
    held = journal.all_changes(store, journal.board_id(store, case.id))
    # the change went with the failed save (the first save's change and registration stay)
    assert [c.field for c in held] == ["registration", "arrived_at"]


def test_changes_from_a_peer_are_written_back_into_the_document(
        store: Store, other: Store) -> None:
    mine, theirs, board = _shared_pair(store, other)
    saved = form_link.save_board(store, mine, _centre(PersonReceived(reference="R001")), None)
    form_link.save_board(other, theirs, _centre(PersonReceived(reference="R002")), None)
    _level(store, other, board)
    written = form_link.write_back(store, mine)
    assert written is not None and written.id == saved.document.id and written.version == 2
    centre = ReceptionCentre.model_validate_json(written.data)
    assert [p.reference for p in centre.people] == ["R001", "R002"]
    assert centre.operation == "Larkspur"  # the centre's own fields are kept
    assert form_link.write_back(store, mine) is None  # nothing new: no new version
    joined = form_link.write_back(other, theirs)
    assert joined is not None
    assert {p.reference for p in ReceptionCentre.model_validate_json(joined.data).people} == \
        {"R001", "R002"}
    actions = [row[0] for row in store.conn.execute("SELECT action FROM audit_events")]
    assert actions.count("form.update") == 1  # audited as any save


def test_an_unsaved_edit_survives_arrivals_and_a_clash_becomes_a_conflict(
        store: Store, other: Store) -> None:
    mine, theirs, board = _shared_pair(store, other)
    saved = form_link.save_board(store, mine, _centre(PersonReceived(reference="R001")), None)
    _level(store, other, board)
    form_link.write_back(other, theirs)
    view = form_link.open_board(store, mine, saved.document.id)
    # Typed here, not saved yet, while the other device records consent and welfare.
    typing = view.centre.model_copy(update={"people": [view.centre.people[0].model_copy(
        update={"consent": ConsentDecision.GIVEN})]})
    journal.record_changes(other, theirs, "R001", {"consent": ConsentDecision.REFUSED,
                                                   "welfare_notes": "water given"})
    _level(store, other, board)
    form_link.write_back(store, mine)
    view, shown = form_link.refresh(store, mine, view, typing)
    [person] = shown.people
    assert person.consent is ConsentDecision.GIVEN  # the officer's typing is kept
    assert person.welfare_notes == "water given"  # and the other device's news shown
    form_link.save_board(store, mine, shown, saved.document.id, view)
    _level(store, other, board)
    [conflict] = form_link.conflicts(store, mine, AS_OF)
    assert (conflict.person, conflict.field) == ("R001", "consent")
    assert {(v.value, v.officer) for v in conflict.values} == {
        ("given", "Officer Test"), ("refused", "Officer Two")}
    assert form_link.conflicts(other, theirs, AS_OF) == [conflict]
    refused = next(v for v in conflict.values if v.value == "refused")
    resolved = form_link.resolve(store, mine, "R001", "consent", refused.clock)
    assert resolved is not None
    people = json.loads(resolved.data)["people"]
    assert people[0]["consent"] == "refused" and people[0]["welfare_notes"] == "water given"
    assert form_link.conflicts(store, mine, AS_OF) == []
    with pytest.raises(InvalidInput, match="no conflict"):
        form_link.resolve(store, mine, "R001", "consent", refused.clock)


def test_an_edit_made_after_seeing_the_other_value_replaces_it(
        store: Store, other: Store) -> None:
    mine, theirs, board = _shared_pair(store, other)
    saved = form_link.save_board(store, mine, _centre(PersonReceived(reference="R001")), None)
    _level(store, other, board)
    journal.record_changes(other, theirs, "R001", {"consent": ConsentDecision.REFUSED})
    _level(store, other, board)
    view = form_link.open_board(store, mine, saved.document.id)
    assert view.centre.people[0].consent is ConsentDecision.REFUSED
    edited = view.centre.model_copy(update={"people": [view.centre.people[0].model_copy(
        update={"consent": ConsentDecision.GIVEN})]})
    form_link.save_board(store, mine, edited, saved.document.id, view)
    _level(store, other, board)
    assert form_link.conflicts(other, theirs, AS_OF) == []
    merged = journal.merged_board(other, theirs, AS_OF).person("R001")
    assert merged.person.consent is ConsentDecision.GIVEN


def test_an_age_decided_lifts_the_child_rule_until_someone_records_under_18_again(
        store: Store, other: Store) -> None:
    """Recorded as a child on one laptop and as an adult on another (having seen it): the
    child rule keeps the child route, and says who recorded what; the coordinator's decision
    on the age (an age assessment) settles it, on every laptop; a record of under 18 made
    after the decision holds the person on the child route again."""
    case, other_case, board = _shared_pair(store, other)
    journal.record_changes(other, other_case, "R003", {"age_group": "child",
                                                       "age_disputed": True})
    _level(store, other, board)
    shown = form_link.open_board(store, case, None)
    assert shown.centre.people[0].age_group == "child" and shown.child_route == {}
    adult = shown.centre.people[0].model_copy(update={"age_group": AgeGroup.ADULT,
                                                      "age_disputed": False})
    saved = form_link.save_board(store, case, shown.centre.model_copy(
        update={"people": [adult]}), None, shown)
    # the adult recorded here replaced the child recorded there, but the rule still holds
    assert saved.view.centre.people[0].age_group == "child"
    held = saved.view.child_route["R003"]
    assert [(v.officer, v.value) for v in held] == [("Officer Two", "child")]
    assert not form_link.conflicts(store, case)  # nothing to resolve: a decision is needed

    document = form_link.decide_age(store, case, "R003", adult=True)
    assert document is not None
    decided = ReceptionCentre.model_validate_json(document.data).people[0]
    assert decided.age_group == "adult" and not decided.age_disputed
    assert form_link.open_board(store, case, document.id).child_route == {}
    _level(store, other, board)
    there = journal.merged_board(other, other_case, AS_OF).person("R003")
    assert there.person.age_group == "adult" and not there.child_rule_applied

    journal.record_change(other, other_case, "R003", "age_group", "not_sure")  # after it
    _level(store, other, board)
    shown = form_link.open_board(store, case, document.id)
    assert shown.centre.people[0].age_group == "not_sure" and shown.child_route == {}
    saved = form_link.save_board(store, case, shown.centre.model_copy(update={"people": [
        shown.centre.people[0].model_copy(update={"age_group": AgeGroup.ADULT})]}), document.id,
        shown)
    assert [v.value for v in saved.view.child_route["R003"]] == ["not_sure"]  # held again

    journal.record_change(other, other_case, "R003", "estimated_age", 16)
    _level(store, other, board)
    with pytest.raises(InvalidInput, match="R003's estimated age 16 makes them under 18"):
        form_link.decide_age(store, case, "R003", adult=True)
    child = form_link.decide_age(store, case, "R003", adult=False)
    assert child is not None
    person = ReceptionCentre.model_validate_json(child.data).people[0]
    assert person.age_group == "child" and person.obligations(AS_OF).treated_as_child
    assert form_link.open_board(store, case, child.id).child_route == {}
    with pytest.raises(InvalidInput, match="R404 is not on the shared board"):
        form_link.decide_age(store, case, "R404", adult=False)


def test_a_draft_restored_after_a_restart_saves_as_edits_of_what_was_shown(
        store: Store, other: Store) -> None:
    """A draft kept while the app was closed: what arrived meanwhile in a field the officer
    did not touch is kept (never reverted by the draft's old copy of it), and a field both
    changed becomes a conflict, as while the board is open."""
    case, other_case, board = _shared_pair(store, other)
    journal.record_changes(other, other_case, "R001", {"consent": "given",
                                                       "welfare_notes": "water"})
    _level(store, other, board)
    shown = form_link.open_board(store, case, None)
    saved = form_link.save_board(store, case, shown.centre, None, shown)
    person = saved.view.centre.people[0]
    local = saved.view.centre.model_copy(update={"people": [person.model_copy(update={
        "welfare_notes": "water, tea and rest", "onward_destination": "Safe house"})]})
    draft = json.loads(json.dumps(form_link.draft_of(saved.view, local)))  # as kept, encrypted

    # the app is closed; meanwhile the other laptop records consent refused and a note
    journal.record_changes(other, other_case, "R001", {"consent": "refused",
                                                       "welfare_notes": "water and a meal"})
    _level(store, other, board)

    view, restored = form_link.restore_draft(store, case, saved.document.id, draft)
    mine = restored.people[0]
    assert mine.consent == ConsentDecision.REFUSED  # arrived meanwhile, kept
    assert mine.welfare_notes == "water, tea and rest"  # the officer's unsaved edit, kept
    assert mine.onward_destination == "Safe house"
    again = form_link.save_board(store, case, restored, saved.document.id, view)
    board_now = journal.merged_board(store, case, AS_OF)
    assert board_now.person("R001").person.consent == ConsentDecision.REFUSED
    assert [(c.person, c.field) for c in board_now.conflicts] == [("R001", "welfare_notes")]
    assert again.view.centre.people[0].onward_destination == "Safe house"

    legacy = form_link.restore_draft(store, case, again.document.id,
                                     json.loads(json.dumps(local.model_dump(mode="json"))))
    assert legacy[1].people[0].welfare_notes == "water, tea and rest"  # an older draft loads
