"""The shared board in a device's encrypted store: changes saved and signed, exchanged between
two real stores by vector, checked on arrival, merged the same on both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.records import Case
from fieldkit.settings import Settings
from fieldkit.store import Store
from forms.choices import ConsentDecision
from forms.reception import BoardStep, PersonReceived
from sync import device
from sync.board_share import journal
from sync.board_share.changes import ChangeRefused, change_from_peer
from sync.keys import verifying_key
from tests.conftest import PASSPHRASE

AS_OF = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _second_store(tmp_path: Path) -> Store:
    settings = Settings(data_dir=tmp_path / "other", kdf_min_seconds=0.001, kdf_memory_kib=8192)
    return Store.create(settings, PASSPHRASE, officer="Officer Two")


def _keys(*stores: Store) -> dict[str, object]:
    return {device.device_id(s): verifying_key(device.signing_key(s)) for s in stores}


def _shared_board(store: Store, other: Store) -> tuple[Case, Case, Callable[[], None]]:
    """A case's board on ``store`` shared with a case on ``other``, and an exchange both ways
    (what each laptop's sharing does when they meet)."""
    case = cases.create_case(store, "Reception centre")
    board = journal.board_id(store, case.id)
    other_case = cases.create_case(other, "Reception centre")
    journal.link_board(other, other_case.id, board)

    def exchange() -> None:
        for source, target in ((store, other), (other, store)):
            news = journal.changes_since(source, board, journal.vector(target, board))
            journal.receive(target, board, news)

    return case, other_case, exchange


def test_board_edits_are_saved_signed_and_exchanged(store: Store, tmp_path: Path) -> None:
    other = _second_store(tmp_path)
    try:
        case = cases.create_case(store, "Reception centre")
        board = journal.board_id(store, case.id)
        person = PersonReceived(reference="R001").toggle_step(BoardStep.ARRIVED, NOW, AS_OF)
        made = journal.record_person(store, case.id, None, person)
        assert [c.field for c in made] == ["arrived_at"]
        assert made[0].officer == "Officer Test"
        other_case = cases.create_case(other, "Reception centre")
        journal.link_board(other, other_case.id, board)
        keys = _keys(store, other)
        incoming = journal.changes_since(store, board, journal.vector(other, board))
        checked = [change_from_peer(c.model_dump(), keys) for c in incoming]  # type: ignore[arg-type]
        assert [c.field for c in checked] == ["registration", "arrived_at"]  # a new person
        assert journal.receive(other, board, checked) == 2
        assert journal.receive(other, board, checked) == 0  # a repeat delivery changes nothing
        journal.record_change(other, other_case.id, "R001", "consent", ConsentDecision.GIVEN)
        journal.record_change(store, case.id, "R001", "consent", ConsentDecision.REFUSED)
        for source, target in ((store, other), (other, store)):
            news = journal.changes_since(source, board, journal.vector(target, board))
            journal.receive(target, board, news)
        mine = journal.merged_board(store, case.id, AS_OF)
        theirs = journal.merged_board(other, other_case.id, AS_OF)
        assert mine == theirs
        [conflict] = mine.conflicts
        assert conflict.field == "consent"
        journal.resolve(store, case.id, conflict, ConsentDecision.GIVEN)
        settled = journal.merged_board(store, case.id, AS_OF)
        assert settled.conflicts == ()
        assert settled.person("R001").person.consent is ConsentDecision.GIVEN
        # The resolution, and the decision's time settled with it: none was recorded with the
        # value kept, so it stays unknown rather than stamped at the resolution.
        assert settled.person("R001").person.consent_recorded_at is None
        assert journal.unseen_count(store, board, journal.vector(other, board)) == 2
    finally:
        other.lock()


def test_a_change_not_signed_by_its_device_is_refused(store: Store, tmp_path: Path) -> None:
    other = _second_store(tmp_path)
    try:
        case = cases.create_case(store, "Reception centre")
        change = journal.record_change(store, case.id, "R001", "welfare_notes", "resting")
        forged = change.model_copy(update={"value": '"moved on"'}).model_dump()
        with pytest.raises(ChangeRefused, match="not signed by an enrolled device"):
            change_from_peer(forged, _keys(store))  # type: ignore[arg-type]
        with pytest.raises(ChangeRefused, match="not signed by an enrolled device"):
            change_from_peer(change.model_dump(), _keys(other))  # type: ignore[arg-type]
        bad = change.model_copy(update={"field": "estimated_age", "value": "200"})
        with pytest.raises(ChangeRefused):
            change_from_peer(bad.model_dump(), _keys(store))  # type: ignore[arg-type]
    finally:
        other.lock()


def test_board_changes_cannot_be_rewritten(store: Store) -> None:
    case = cases.create_case(store, "Reception centre")
    journal.record_change(store, case.id, "R001", "welfare_notes", "resting")
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE board_changes SET value = '\"x\"'")


def test_purging_a_case_removes_its_shared_board(store: Store) -> None:
    from sync import retention

    case = cases.create_case(store, "Reception centre")
    journal.record_change(store, case.id, "R001", "welfare_notes", "resting")
    retention.purge_case(store, case.id)
    for table in ("board_changes", "board_shares"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_the_consent_time_travels_and_both_laptops_agree_on_asking_again(
        store: Store, tmp_path: Path) -> None:
    """The time of the consent decision is a field of its own, recorded per field like the
    others: consent given on one laptop before the NRM was explained on the other is seen as
    not informed on both, and asking again on the second laptop (only the time changes, the
    decision is still "given") reaches the first, so both end with the same time and the
    consent counting."""
    from datetime import timedelta

    other = _second_store(tmp_path)
    try:
        case, other_case, exchange = _shared_board(store, other)

        adult = PersonReceived(reference="R001", arrived_at=NOW, age_group="adult")  # type: ignore[arg-type]
        given = adult.toggle_step(BoardStep.CONSENT, NOW + timedelta(minutes=5), AS_OF)
        made = journal.record_person(store, case.id, None, given)
        assert {"consent", "consent_recorded_at"} <= {c.field for c in made}
        exchange()
        seen = journal.merged_board(other, other_case.id, AS_OF).person("R001").person
        assert seen.consent_recorded_at == NOW + timedelta(minutes=5)
        explained = seen.toggle_step(BoardStep.NRM_EXPLAINED, NOW + timedelta(minutes=20),
                                     AS_OF)
        journal.record_person(other, other_case.id, seen, explained)
        exchange()
        mine = journal.merged_board(store, case.id, AS_OF).person("R001").person
        assert mine.consent_not_informed() is not None  # the same on the first laptop
        again = explained.toggle_step(BoardStep.CONSENT, NOW + timedelta(minutes=30), AS_OF)
        asked = journal.record_person(other, other_case.id, explained, again)
        assert [c.field for c in asked] == ["consent_recorded_at"]  # still "given"
        exchange()
        boards = (journal.merged_board(store, case.id, AS_OF),
                  journal.merged_board(other, other_case.id, AS_OF))
        assert boards[0] == boards[1] and boards[0].conflicts == ()
        final = boards[0].person("R001").person
        assert final.consent is ConsentDecision.GIVEN
        assert final.consent_recorded_at == NOW + timedelta(minutes=30)
        assert final.consent_not_informed() is None
    finally:
        other.lock()


def test_a_consent_conflict_carries_its_time_and_its_resolution_settles_both(
        store: Store, tmp_path: Path) -> None:
    """Two laptops record different decisions while apart: one conflict (the decision), not a
    second one on its time; the time shown is the one recorded with the decision shown, and
    keeping one decision keeps the time its laptop recorded with it."""
    from datetime import timedelta

    other = _second_store(tmp_path)
    try:
        case, other_case, exchange = _shared_board(store, other)

        adult = PersonReceived(reference="R001", arrived_at=NOW, age_group="adult",  # type: ignore[arg-type]
                               nrm_explained_at=NOW)
        journal.record_person(store, case.id, None, adult)
        exchange()
        given = adult.toggle_step(BoardStep.CONSENT, NOW + timedelta(minutes=5), AS_OF)
        refused = given.toggle_step(BoardStep.CONSENT, NOW + timedelta(minutes=7), AS_OF)
        journal.record_person(store, case.id, adult, given)
        journal.record_person(other, other_case.id, adult, refused)
        exchange()
        merged = journal.merged_board(store, case.id, AS_OF)
        assert merged == journal.merged_board(other, other_case.id, AS_OF)
        [conflict] = merged.conflicts
        assert conflict.field == "consent"
        shown = merged.person("R001").person
        recorded = {ConsentDecision.GIVEN: NOW + timedelta(minutes=5),
                    ConsentDecision.REFUSED: NOW + timedelta(minutes=7)}
        assert shown.consent_recorded_at == recorded[shown.consent]  # a pair, never mixed
        journal.resolve(store, case.id, conflict, ConsentDecision.REFUSED)
        exchange()
        for settled in (journal.merged_board(store, case.id, AS_OF),
                        journal.merged_board(other, other_case.id, AS_OF)):
            assert settled.conflicts == ()
            person = settled.person("R001").person
            assert person.consent is ConsentDecision.REFUSED
            assert person.consent_recorded_at == NOW + timedelta(minutes=7)
    finally:
        other.lock()
