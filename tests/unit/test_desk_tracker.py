"""The tracker's next-due dates, for every timeline rule in resources/timelines.yaml: calendar
days across month ends and leap years, working days across weekends and bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from fieldkit.resources import load_resources
from forms.working_days import add_days, add_working_days, is_working_day
from sync.desk.tracker import EventKind, Outcome, RecordedEvent, Referral, timeline_due

RESOURCES = load_resources()
HOLIDAYS = RESOURCES.bank_holidays
RULES = list(RESOURCES.timelines.values())


def event(kind: EventKind, on: date, outcome: Outcome = Outcome.NONE) -> RecordedEvent:
    return RecordedEvent(0, kind, outcome, on, "", "")


def due(*recorded: RecordedEvent) -> dict[str, date]:
    numbered = [RecordedEvent(i, e.kind, e.outcome, e.happened_on, "", "")
                for i, e in enumerate(recorded, start=1)]
    return {rule.id: day for rule, day in timeline_due(numbered, RULES, HOLIDAYS)}


SUBMITTED = event(EventKind.SUBMITTED, date(2026, 1, 5))


def test_every_timeline_with_days_is_tracked_by_some_event() -> None:
    tracked = {rule.id for rule in RULES if rule.days is not None}
    assert tracked == {"reasonable_grounds", "recovery_period", "conclusive_grounds",
                       "reconsideration", "reconsideration_outcome", "move_on_support"}
    assert all(rule.starts and rule.closed_by and rule.due for rule in RULES
               if rule.days is not None)


def test_rg_decision_is_expected_five_working_days_after_submission() -> None:
    # Monday 5 January 2026: five working days later is Monday 12 January.
    assert due(SUBMITTED) == {"reasonable_grounds": date(2026, 1, 12)}


def test_working_days_skip_a_weekend() -> None:
    friday = date(2026, 1, 9)
    assert add_working_days(friday, 1, HOLIDAYS) == date(2026, 1, 12)
    assert due(event(EventKind.SUBMITTED, friday))["reasonable_grounds"] == date(2026, 1, 16)


def test_working_days_skip_easter_and_christmas_bank_holidays() -> None:
    # Thursday 2 April 2026: Good Friday 3 April and Easter Monday 6 April are not counted.
    assert due(event(EventKind.SUBMITTED, date(2026, 4, 2)))["reasonable_grounds"] == \
        date(2026, 4, 13)
    # Wednesday 23 December 2026: 25 and 28 December (Boxing Day substitute) and 1 January 2027.
    assert add_working_days(date(2026, 12, 23), 5, HOLIDAYS) == date(2027, 1, 4)
    assert not is_working_day(date(2026, 12, 28), HOLIDAYS)
    assert is_working_day(date(2026, 12, 29), HOLIDAYS)


def test_a_decision_settles_the_rg_expectation() -> None:
    rg = event(EventKind.RG, date(2026, 1, 14), Outcome.POSITIVE)
    assert "reasonable_grounds" not in due(SUBMITTED, rg)


def test_positive_rg_starts_the_recovery_period_and_cg_waiting() -> None:
    found = due(SUBMITTED, event(EventKind.RG, date(2026, 1, 14), Outcome.POSITIVE))
    assert found == {"recovery_period": date(2026, 2, 13), "conclusive_grounds": date(2026, 2, 13)}


@pytest.mark.parametrize(("decided", "deadline"), [
    (date(2026, 1, 31), date(2026, 3, 2)),   # 31 January + 30 days, not a leap year
    (date(2028, 1, 31), date(2028, 3, 1)),   # the same in a leap year
    (date(2028, 2, 29), date(2028, 3, 30)),  # from a leap day
    (date(2026, 11, 30), date(2026, 12, 30)),
    (date(2026, 12, 15), date(2027, 1, 14)),  # over the year end
])
def test_reconsideration_deadline_is_30_calendar_days_after_a_negative_decision(
    decided: date, deadline: date
) -> None:
    submitted = event(EventKind.SUBMITTED, date(decided.year, 1, 2))
    negative_rg = event(EventKind.RG, decided, Outcome.NEGATIVE)
    assert due(submitted, negative_rg) == {"reconsideration": deadline}
    positive_rg = event(EventKind.RG, date(decided.year, 1, 10), Outcome.POSITIVE)
    negative_cg = event(EventKind.CG, decided, Outcome.NEGATIVE)
    assert due(submitted, positive_rg, negative_cg) == {"reconsideration": deadline}


def test_a_reconsideration_request_settles_the_deadline_and_its_outcome_is_awaited() -> None:
    """The person dropped off the tracker once a reconsideration was asked for: its outcome
    is now awaited (no fixed date) until recorded."""
    negative = event(EventKind.RG, date(2026, 1, 31), Outcome.NEGATIVE)
    request = event(EventKind.RECONSIDERATION_REQUEST, date(2026, 2, 20))
    assert due(SUBMITTED, negative, request) == {"reconsideration_outcome": date(2026, 2, 20)}
    upheld = event(EventKind.RECONSIDERATION_OUTCOME, date(2026, 3, 10), Outcome.NEGATIVE)
    assert due(SUBMITTED, negative, request, upheld) == {}


def test_a_positive_reconsideration_outcome_counts_as_a_positive_decision() -> None:
    negative = event(EventKind.RG, date(2026, 1, 31), Outcome.NEGATIVE)
    request = event(EventKind.RECONSIDERATION_REQUEST, date(2026, 2, 20))
    changed = event(EventKind.RECONSIDERATION_OUTCOME, date(2026, 3, 10), Outcome.POSITIVE)
    assert due(SUBMITTED, negative, request, changed) == {
        "recovery_period": date(2026, 4, 9), "conclusive_grounds": date(2026, 4, 9)}
    upheld = event(EventKind.RECONSIDERATION_OUTCOME, date(2026, 3, 10), Outcome.NEGATIVE)
    assert due(SUBMITTED, negative, request, upheld) == {}


def test_a_negative_cg_after_an_rg_overturned_on_reconsideration_has_no_move_on_support(
) -> None:
    """The reconsideration was of the RG: a CG made later is not what it overturned, so a
    negative CG opens its own reconsideration deadline and no move-on support (the overturned
    RG was read as a positive CG once any CG was recorded)."""
    negative_rg = event(EventKind.RG, date(2026, 9, 9), Outcome.NEGATIVE)
    request = event(EventKind.RECONSIDERATION_REQUEST, date(2026, 9, 20))
    changed = event(EventKind.RECONSIDERATION_OUTCOME, date(2026, 10, 10), Outcome.POSITIVE)
    negative_cg = event(EventKind.CG, date(2026, 11, 20), Outcome.NEGATIVE)
    assert due(SUBMITTED, negative_rg, request, changed, negative_cg) == {
        "reconsideration": date(2026, 12, 20)}


def test_positive_cg_starts_move_on_support_which_ends_when_recorded() -> None:
    rg = event(EventKind.RG, date(2026, 1, 14), Outcome.POSITIVE)
    cg = event(EventKind.CG, date(2026, 12, 31), Outcome.POSITIVE)
    assert due(SUBMITTED, rg, cg) == {"move_on_support": date(2027, 2, 14)}
    ended = event(EventKind.SUPPORT_ENDED, date(2027, 2, 14))
    assert due(SUBMITTED, rg, cg, ended) == {}
    moved = event(EventKind.MOVE_ON, date(2027, 2, 1))
    assert due(SUBMITTED, rg, cg, moved) == {}


def test_a_corrected_decision_replaces_the_earlier_version() -> None:
    wrong = event(EventKind.RG, date(2026, 1, 14), Outcome.NEGATIVE)
    corrected = event(EventKind.RG, date(2026, 1, 14), Outcome.POSITIVE)
    assert "reconsideration" not in due(SUBMITTED, wrong, corrected)
    assert "recovery_period" in due(SUBMITTED, wrong, corrected)


def test_leave_to_remain_has_no_date_to_track() -> None:
    assert RESOURCES.timelines["leave_to_remain"].days is None


def test_calendar_and_working_days_from_one_function() -> None:
    assert add_days(date(2026, 1, 31), 30, working=False, bank_holidays=HOLIDAYS) == \
        date(2026, 3, 2)
    assert add_days(date(2026, 1, 30), 1, working=True, bank_holidays=HOLIDAYS) == \
        date(2026, 2, 2)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 30), -1, HOLIDAYS)


def test_bank_holidays_are_only_weekdays() -> None:
    # A substitute day is always a weekday; a holiday on a weekend means a mistake in the file.
    assert HOLIDAYS and all(day.weekday() < 5 for day in HOLIDAYS)


def test_a_date_past_the_councils_bank_holidays_says_so() -> None:
    """Working days counted into a year the council's bank holidays do not list yet: the item
    says the date needs checking (it silently skipped the holidays)."""
    from sync.desk.tracker import DueItem, holidays_note

    last = max(day.year for day in HOLIDAYS)
    late = event(EventKind.SUBMITTED, date(last + 1, 12, 21))
    [(rule, due_on)] = timeline_due([late], RULES, HOLIDAYS)
    note = holidays_note(rule, due_on, last)
    assert note == f" (counted without {last + 1}'s bank holidays, not yet in the council's " \
        "list: check the date)"
    item = DueItem(due_on, "FK-1", "W1", rule.due or rule.event, rule.id, rule.deadline,
                   note=note)
    assert item.what_on().endswith("check the date)")
    [(rule, due_on)] = timeline_due([event(EventKind.SUBMITTED, date(last, 3, 2))], RULES,
                                    HOLIDAYS)
    assert holidays_note(rule, due_on, last) == ""


def _found(**changes: object) -> Referral:
    return Referral("case", "FK-2026-0001", "p1", "W1", "nrm", False, date(2026, 1, 5),
                    **changes)  # type: ignore[arg-type]


def _so_far(*recorded: RecordedEvent) -> dict[EventKind, RecordedEvent]:
    return {e.kind: e for e in recorded}


def test_a_cg_decision_comes_after_the_recovery_period() -> None:
    """A CG dated the day after the positive RG was accepted: it comes at least 30 days after
    (the recovery period), so a date like that is a typing slip."""
    from fieldkit.errors import InvalidInput
    from sync.desk.tracker import _check_order

    rg = event(EventKind.RG, date(2026, 11, 5), Outcome.POSITIVE)
    with pytest.raises(InvalidInput, match="1 day after W1's positive reasonable grounds"):
        _check_order(_found(), EventKind.CG, date(2026, 11, 6), _so_far(rg))
    with pytest.raises(InvalidInput, match="at least 30 days after it"):
        _check_order(_found(), EventKind.CG, date(2026, 12, 4), _so_far(rg))
    _check_order(_found(), EventKind.CG, date(2026, 12, 5), _so_far(rg))  # 30 days: fine
    # After an RG overturned on reconsideration, the 30 days run from the overturning.
    overturned = (event(EventKind.RG, date(2026, 9, 1), Outcome.NEGATIVE),
                  event(EventKind.RECONSIDERATION_REQUEST, date(2026, 9, 10)),
                  event(EventKind.RECONSIDERATION_OUTCOME, date(2026, 11, 5), Outcome.POSITIVE))
    with pytest.raises(InvalidInput, match="at least 30 days"):
        _check_order(_found(), EventKind.CG, date(2026, 11, 20), _so_far(*overturned))
    _check_order(_found(), EventKind.CG, date(2026, 12, 5), _so_far(*overturned))


def test_a_reconsideration_is_asked_for_only_after_a_negative_decision() -> None:
    """A reconsideration request after a positive RG and a positive CG was accepted and
    counted in the quarter's figures."""
    from fieldkit.errors import InvalidInput
    from sync.desk.tracker import _check_order

    positive = (event(EventKind.RG, date(2026, 6, 1), Outcome.POSITIVE),
                event(EventKind.CG, date(2026, 8, 1), Outcome.POSITIVE))
    with pytest.raises(InvalidInput, match="after a negative decision"):
        _check_order(_found(), EventKind.RECONSIDERATION_REQUEST, date(2026, 8, 5),
                     _so_far(*positive))
    with pytest.raises(InvalidInput, match="after a negative decision"):
        _check_order(_found(), EventKind.RECONSIDERATION_REQUEST, date(2026, 8, 5), {})
    negative_cg = (positive[0], event(EventKind.CG, date(2026, 8, 1), Outcome.NEGATIVE))
    with pytest.raises(InvalidInput, match="before the negative decision"):
        _check_order(_found(), EventKind.RECONSIDERATION_REQUEST, date(2026, 7, 30),
                     _so_far(*negative_cg))
    _check_order(_found(), EventKind.RECONSIDERATION_REQUEST, date(2026, 8, 5),
                 _so_far(*negative_cg))


def test_the_state_of_what_is_due_in_words() -> None:
    """The tracker said "passed" beside the NRM withdrawal form still to send (read as done)
    and beside the earliest CG date."""
    from sync.desk.tracker import DueItem

    today = date(2026, 12, 3)
    rg = DueItem(date(2026, 12, 1), "FK-1", "W1", "RG decision expected by", "reasonable_grounds",
                 True)
    earliest = DueItem(date(2026, 12, 1), "FK-1", "W1", "CG decision not expected before",
                       "conclusive_grounds", False)
    withdrawal = DueItem(date(2026, 11, 1), "FK-1", "W1", "Send the NRM withdrawal form",
                         "nrm_withdrawal", False)
    later = DueItem(date(2026, 12, 9), "FK-1", "W1", "RG decision expected by",
                    "reasonable_grounds", True)
    assert [i.state(today) for i in (rg, earliest, withdrawal, later)] == [
        "OVERDUE", "date reached 2 days ago", "to do", "open"]
    assert [i.to_act_on for i in (rg, earliest, withdrawal)] == [True, False, True]


def test_a_reconsideration_asked_for_late_is_said_so() -> None:
    """Recorded 71 days after the negative decision, the request was taken without a word."""
    from sync.desk.tracker import late_request, latest

    negative = event(EventKind.RG, date(2026, 9, 10), Outcome.NEGATIVE)
    late = event(EventKind.RECONSIDERATION_REQUEST, date(2026, 11, 20))
    in_time = event(EventKind.RECONSIDERATION_REQUEST, date(2026, 10, 10))
    assert late_request(latest([SUBMITTED, negative, late]), 30) == (
        " (71 days after the negative decision: later than the 30 days a reconsideration is "
        "asked for within)")
    assert late_request(latest([SUBMITTED, negative, in_time]), 30) == ""
