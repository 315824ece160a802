"""The time of an adult's consent decision on the reception board: stamped by the core whenever
the decision changes (Space on the board, an edit in the person panel), and checked against the
NRM explained and the interpreter provided, so consent recorded before it was informed does not
count until the person is asked again (found by a tester walking the board as a coordinator:
the warnings went as soon as the later step was ticked)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from forms import check_document
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import (
    BoardStep,
    PersonReceived,
    ReceptionCentre,
    ReferralForm,
    StepStatus,
    StepWait,
    edited_person,
)
from forms.rules import Route

TODAY = date(2026, 5, 14)
AT = datetime(2026, 5, 14, 10, 5, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return AT + timedelta(minutes=minutes)


def _adult(**more: object) -> PersonReceived:
    return PersonReceived(reference="R001", arrived_at=_at(-60), age_group=AgeGroup.ADULT,
                          potential_victim=True, **more)  # type: ignore[arg-type]


def _consent_problems(person: PersonReceived) -> list[str]:
    return [p.message for p in person.rule_problems(TODAY) if p.field == "consent"]


# -- stamping ----------------------------------------------------------------------------------


def test_space_on_consent_stamps_each_decision_and_clears_it_back_to_not_asked() -> None:
    """R-RECEPTION-CONSENT-TIME: the board keeps when the decision was recorded."""
    explained = _adult().toggle_step(BoardStep.NRM_EXPLAINED, _at(-10), TODAY)
    given = explained.toggle_step(BoardStep.CONSENT, AT, TODAY)
    assert (given.consent, given.consent_recorded_at) == (ConsentDecision.GIVEN, AT)
    refused = given.toggle_step(BoardStep.CONSENT, _at(3), TODAY)
    assert (refused.consent, refused.consent_recorded_at) == (ConsentDecision.REFUSED, _at(3))
    cleared = refused.toggle_step(BoardStep.CONSENT, _at(4), TODAY)
    assert (cleared.consent, cleared.consent_recorded_at) == (ConsentDecision.NOT_ASKED, None)


def test_an_edit_in_the_panel_stamps_the_decision_only_when_it_changes() -> None:
    """R-RECEPTION-CONSENT-TIME: the panel's edit goes through one core function; the time is
    the core's, whatever the editor's values hold."""
    person = _adult(nrm_explained_at=_at(-10))
    given = edited_person(person, {"consent": "given"}, AT)
    assert (given.consent, given.consent_recorded_at) == (ConsentDecision.GIVEN, AT)
    typed = edited_person(given, {"welfare_notes": "Resting", "consent": "given",
                                  "consent_recorded_at": _at(-30).isoformat()}, _at(9))
    assert typed.welfare_notes == "Resting" and typed.consent_recorded_at == AT  # kept
    refused = edited_person(typed, {"consent": "refused"}, _at(10))
    assert refused.consent_recorded_at == _at(10)
    withdrawn = edited_person(refused, {"consent": "withdrawn"}, _at(11))
    assert withdrawn.consent_recorded_at == _at(11)
    not_asked = edited_person(withdrawn, {"consent": "not_asked"}, _at(12))
    assert not_asked.consent_recorded_at is None
    with pytest.raises(ValidationError):
        edited_person(person, {"date_of_birth": "last spring"}, AT)


# -- the order: informed before consent ----------------------------------------------------------


def test_consent_before_the_nrm_was_explained_does_not_count() -> None:
    """R-RECEPTION-CONSENT-ORDER: consent recorded at 10:05 and the NRM explained at 10:20:
    not informed consent. The board waits ("ask again"), the route is not decided, no NRM can be
    marked made, and the words say what to do."""
    given = _adult().toggle_step(BoardStep.CONSENT, AT, TODAY)
    explained = given.toggle_step(BoardStep.NRM_EXPLAINED, _at(15), TODAY)
    assert _consent_problems(explained) == [
        "Consent was recorded at 10:05, before the NRM was explained at 10:20: explain the NRM "
        "with the booklet, then ask again and record their answer (Space on the board's Consent "
        "cell)"]
    assert [p.field for p in explained.rule_problems(TODAY)] == ["consent"]  # said once
    assert explained.board(TODAY)[BoardStep.CONSENT] is StepStatus.WAITING
    assert explained.obligations(TODAY).route is Route.UNDECIDED
    assert explained.step_waits(BoardStep.NRM_OR_DTN, TODAY) is StepWait.CONSENT_FIRST
    assert explained.step_waits(BoardStep.SALVATION_ARMY, TODAY) is \
        StepWait.SUPPORT_AFTER_CONSENT


def test_consent_with_no_explanation_recorded_says_to_explain_and_record_it() -> None:
    """R-RECEPTION-CONSENT-ORDER: consent at a known time, nothing explained yet."""
    given = _adult().toggle_step(BoardStep.CONSENT, AT, TODAY)
    assert _consent_problems(given) == [
        "Consent was recorded at 10:05, but the NRM has not been recorded as explained with the "
        "booklet: explain the NRM with the booklet (record the explanation on the board), then "
        "ask again and record their answer (Space on the board's Consent cell)"]
    assert "nrm_explained_at" not in [p.field for p in given.rule_problems(TODAY)]


def test_consent_before_the_interpreter_was_provided_does_not_count() -> None:
    """R-RECEPTION-CONSENT-ORDER: the NRM explained first, but the interpreter the person needs
    came after the consent: not in a language they understand."""
    person = _adult(interpreter_needed=True, language="ron", nrm_explained_at=_at(-10))
    given = person.toggle_step(BoardStep.CONSENT, AT, TODAY)
    provided = given.toggle_step(BoardStep.INTERPRETER, _at(10), TODAY)
    assert _consent_problems(provided) == [
        "Consent was recorded at 10:05, before the interpreter was provided at 10:15: with the "
        "interpreter, explain the NRM with the booklet in a language the person understands, "
        "then ask again and record their answer (Space on the board's Consent cell)"]
    assert provided.obligations(TODAY).route is Route.UNDECIDED
    both = provided.model_copy(update={"nrm_explained_at": _at(20)})
    assert "before the NRM was explained at 10:25 and before the interpreter was provided at " \
        "10:15" in _consent_problems(both)[0]


def test_explained_and_interpreted_at_or_before_the_consent_counts() -> None:
    """R-RECEPTION-CONSENT-ORDER: at the same minute counts (at or before)."""
    person = _adult(interpreter_needed=True, nrm_explained_at=AT, interpreter_provided_at=_at(-5))
    given = person.toggle_step(BoardStep.CONSENT, AT, TODAY)
    assert given.consent_not_informed() is None and _consent_problems(given) == []
    assert given.board(TODAY)[BoardStep.CONSENT] is StepStatus.DONE
    assert given.obligations(TODAY).route is Route.NRM
    not_needed = _adult(interpreter_needed=False, nrm_explained_at=_at(-1)).toggle_step(
        BoardStep.CONSENT, AT, TODAY)
    assert not_needed.consent_not_informed() is None


def test_asking_again_after_the_explanation_records_the_answer_again() -> None:
    """R-RECEPTION-CONSENT-ORDER: Space on "Ask again" once the explanation is recorded
    records the answer again at that time (given), and the problem goes; Space once more for a
    refusal. Before the explanation is recorded, Space goes on to refused as always."""
    given = _adult().toggle_step(BoardStep.CONSENT, AT, TODAY)
    assert given.toggle_step(BoardStep.CONSENT, _at(1), TODAY).consent is \
        ConsentDecision.REFUSED  # not explained yet: the cycle as before
    explained = given.toggle_step(BoardStep.NRM_EXPLAINED, _at(15), TODAY)
    again = explained.toggle_step(BoardStep.CONSENT, _at(20), TODAY)
    assert (again.consent, again.consent_recorded_at) == (ConsentDecision.GIVEN, _at(20))
    assert _consent_problems(again) == [] and again.obligations(TODAY).route is Route.NRM
    assert again.board(TODAY)[BoardStep.CONSENT] is StepStatus.DONE
    made = again.toggle_step(BoardStep.NRM_OR_DTN, _at(30), TODAY)
    assert made.referral_form is ReferralForm.NRM
    refused = again.toggle_step(BoardStep.CONSENT, _at(21), TODAY)
    assert refused.consent is ConsentDecision.REFUSED
    # In the panel: not asked, then given again, records it again too.
    cleared = edited_person(explained, {"consent": "not_asked"}, _at(19))
    assert _consent_problems(edited_person(cleared, {"consent": "given"}, _at(20))) == []


def test_a_refusal_before_the_explanation_is_still_a_refusal() -> None:
    """R-RECEPTION-REFUSAL-STANDS: a no is never turned into a yes: refused before the NRM was
    explained, the adult is still owed a Duty to Notify, and no consent problem is raised."""
    refused = _adult().toggle_step(BoardStep.CONSENT, AT, TODAY).toggle_step(
        BoardStep.CONSENT, AT, TODAY)
    explained = refused.toggle_step(BoardStep.NRM_EXPLAINED, _at(15), TODAY)
    assert explained.consent is ConsentDecision.REFUSED
    assert explained.obligations(TODAY).route is Route.DUTY_TO_NOTIFY
    assert explained.board(TODAY)[BoardStep.CONSENT] is StepStatus.DONE
    assert _consent_problems(explained) == []
    assert explained.toggle_step(BoardStep.NRM_OR_DTN, _at(30), TODAY).referral_form is \
        ReferralForm.DUTY_TO_NOTIFY


def test_a_decision_with_no_time_keeps_todays_checks() -> None:
    """R-RECEPTION-CONSENT-TIME: a record made before the time was kept (or from an older
    laptop) has no consent time: its order is unknown, so it is not flagged as wrong, and the
    checks of before apply (the NRM explained, the interpreter provided)."""
    older = _adult(consent=ConsentDecision.GIVEN, nrm_explained_at=_at(15))
    assert older.consent_recorded_at is None and older.consent_not_informed() is None
    assert _consent_problems(older) == [] and older.obligations(TODAY).route is Route.NRM
    assert older.board(TODAY)[BoardStep.CONSENT] is StepStatus.DONE
    unexplained = _adult(consent=ConsentDecision.GIVEN, interpreter_needed=True)
    fields = [p.field for p in unexplained.rule_problems(TODAY)]
    assert fields == ["nrm_explained_at", "consent", "referral_form"]  # as before
    assert unexplained.obligations(TODAY).route is Route.NRM


def test_a_childs_consent_time_changes_nothing() -> None:
    """A child is not asked: no time or order of a decision changes their route."""
    child = PersonReceived(reference="R017", age_group=AgeGroup.CHILD, estimated_age=16,
                           consent=ConsentDecision.GIVEN, consent_recorded_at=AT,
                           nrm_explained_at=_at(15))
    assert child.obligations(TODAY).route is Route.NRM
    assert _consent_problems(child) == []
    assert child.toggle_step(BoardStep.CONSENT, _at(20), TODAY) == child


def test_times_in_different_zones_and_days_compare_and_read_plainly() -> None:
    """A time kept with no zone (an older record) is the laptop's local time; a time on another
    day says its day."""
    naive = datetime(2026, 5, 15, 9, 0)  # no zone
    person = _adult(consent=ConsentDecision.GIVEN, consent_recorded_at=AT,
                    nrm_explained_at=naive)
    [message] = _consent_problems(person)
    assert "before the NRM was explained at 09:00 on 15 May" in message
    same_minute = _adult(consent=ConsentDecision.GIVEN, consent_recorded_at=AT,
                         nrm_explained_at=AT + timedelta(seconds=40))
    assert _consent_problems(same_minute)[0].startswith(
        "Consent was recorded at 10:05:00, before the NRM was explained at 10:05:40:")
    east = timezone(timedelta(hours=2))
    early = _adult(consent=ConsentDecision.GIVEN, consent_recorded_at=AT,
                   nrm_explained_at=datetime(2026, 5, 14, 12, 0, tzinfo=east))  # 10:00 UTC
    assert early.consent_not_informed() is None


def test_an_older_board_without_the_consent_time_still_validates() -> None:
    """Records saved or received before the field existed read with no time (None)."""
    data = {"operation": "Operation Larkspur", "people": [
        {"reference": "W1", "age_group": "adult", "consent": "given",
         "nrm_explained_at": "2026-05-14T10:00:00+00:00"}]}
    assert check_document("reception", data, ready=False) == []
    centre = ReceptionCentre.model_validate(json.loads(json.dumps(data)))
    assert centre.people[0].consent_recorded_at is None
    stamped = centre.people[0].model_copy(update={"consent_recorded_at": AT})
    again = PersonReceived.model_validate(stamped.model_dump(mode="json"))
    assert again.consent_recorded_at == AT


def test_the_leads_import_takes_the_consent_time_and_older_records_without_it() -> None:
    """A bundle's board change setting the consent time, and a reception form with or without
    the field (an older laptop's), both pass the Lead's checks of the records."""
    import uuid

    from sync.board_share.changes import field_value
    from sync.board_share.hlc import next_clock
    from sync.payload import BoardChangeRecord, FormRecord, record_id_of

    device_id = str(uuid.uuid4())
    clock = next_clock(None, 1_778_752_800_000, device_id).text()
    change = {"board_id": str(uuid.uuid4()), "person": "R001", "field": "consent_recorded_at",
              "value": field_value("consent_recorded_at", AT), "hlc": clock,
              "device_id": device_id, "officer": "Officer Test"}
    record = BoardChangeRecord(type="board_change", id=record_id_of(clock), case_id="C1",
                               change=change)
    assert json.loads(record.change["value"]) == "2026-05-14T10:05:00Z"
    person = {"reference": "W1", "arrived_at": "2026-05-14T09:00:00Z", "age_group": "adult",
              "consent": "given", "nrm_explained_at": "2026-05-14T10:00:00Z"}
    for extra in ({}, {"consent_recorded_at": "2026-05-14T10:05:00Z"}):
        FormRecord(type="form", id="F1", case_id="C1", visit_id=None, person_id=None,
                   kind="reception", status="draft", version=1,
                   data={"operation": "Operation Larkspur", "people": [{**person, **extra}]},
                   created_at="2026-05-14T11:00:00.000000Z",
                   updated_at="2026-05-14T11:00:00.000000Z")
