"""Space on a done step of the reception board never erases what was recorded: one Space on
"Screened" deleted the Police screening and its notes, on "Accommodation" where the person will
stay. A screening marked done from the board names no agency ("Other" was printed)."""

from __future__ import annotations

from datetime import date, datetime

from fieldkit.pdf.reception import render_reception_summary
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus, StepWait
from forms.choices import Agency
from forms.reception import ReferralForm, Screening
from tests.unit.test_pdf_tools import pdf_text

AS_OF = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 21, 20)
LATER = datetime(2026, 12, 4, 21, 30)


def test_space_on_a_screening_recorded_with_details_changes_nothing() -> None:
    """Undone, it lost its time (pressed again, a new one): its agency, notes and time are
    changed in F6 only; a screening marked by Space alone (no details) is undone by Space."""
    seen = PersonReceived(reference="A1", screenings=[Screening(
        agency=Agency.POLICE, notes="Account consistent; fears reprisal.")])
    done = seen.toggle_step(BoardStep.SCREENED, NOW, AS_OF)
    assert done.board(AS_OF)[BoardStep.SCREENED] is StepStatus.DONE
    assert done.step_waits(BoardStep.SCREENED, AS_OF) is StepWait.DETAILS_RECORDED
    assert done.toggle_step(BoardStep.SCREENED, LATER, AS_OF) == done
    assert [(s.agency, s.notes, s.done_at) for s in done.screenings] == [
        (Agency.POLICE, "Account consistent; fears reprisal.", NOW)]


def test_a_screening_marked_from_the_board_names_no_agency() -> None:
    marked = PersonReceived(reference="A2").toggle_step(BoardStep.SCREENED, NOW, AS_OF)
    assert [(s.agency, s.done_at) for s in marked.screenings] == [(None, NOW)]
    assert marked.toggle_step(BoardStep.SCREENED, LATER, AS_OF).screenings == [
        Screening(agency=None, done_at=None)]
    centre = ReceptionCentre(venue="Test Hall", people=[marked])
    text = " ".join(pdf_text(render_reception_summary(centre, "FK-2026-0001")).split())
    assert "A2 Not recorded 21:20" in text and "Other" not in text


def test_space_on_an_accommodation_recorded_with_where_changes_nothing() -> None:
    housed = PersonReceived(reference="A3", accommodation_needed=True,
                            accommodation_arranged="Salvation Army safe house, bed 3",
                            accommodation_arranged_at=NOW)
    assert housed.step_waits(BoardStep.ACCOMMODATION, AS_OF) is StepWait.DETAILS_RECORDED
    assert housed.toggle_step(BoardStep.ACCOMMODATION, LATER, AS_OF) == housed
    timed_only = PersonReceived(reference="A4", accommodation_needed=True,
                                accommodation_arranged_at=NOW)
    undone = timed_only.toggle_step(BoardStep.ACCOMMODATION, LATER, AS_OF)
    assert undone.board(AS_OF)[BoardStep.ACCOMMODATION] is StepStatus.WAITING


def test_an_invalid_date_keeps_every_other_field_typed() -> None:
    """31/02/1997 as a date of birth threw away the gender, language and interpreter typed."""
    from forms.person_edit import edit_person

    before = PersonReceived(reference="A3")
    edit = edit_person(before, {"age_group": "adult", "estimated_age": 29,
                                "date_of_birth": "1997-02-31", "gender": "male",
                                "language": "ron", "interpreter_needed": True}, NOW)
    assert [p.field for p in edit.problems] == ["date_of_birth"]
    kept = edit.person
    assert (kept.gender, kept.language, kept.interpreter_needed, kept.estimated_age) == (
        "male", "ron", True, 29)
    assert kept.date_of_birth is None
    fine = edit_person(before, {"date_of_birth": "1991-03-12"}, NOW)
    assert fine.problems == [] and fine.person.date_of_birth == date(1991, 3, 12)


def test_the_summary_counts_routes_says_what_to_arrange_and_which_print_it_is() -> None:
    """It said only "9 people received": no counts by age or route, nothing of what was still
    to arrange, no print time or version; a disputed age was printed "Child"."""
    from fieldkit.pdf.reception import PrintedFrom
    from forms.reception import ReferralForm

    people = [
        PersonReceived(reference="A1", age_group="adult", referral_form=ReferralForm.NRM,
                       referral_form_done_at=NOW, nrm_explained_at=NOW, consent="given",
                       consent_recorded_at=NOW),
        PersonReceived(reference="A2", age_group="adult",
                       referral_form=ReferralForm.DUTY_TO_NOTIFY, referral_form_done_at=NOW,
                       departed_at=LATER),
        PersonReceived(reference="C1", age_group="child"),
        PersonReceived(reference="U1", estimated_age=16, age_disputed=True,
                       interpreter_needed=True, language="tir"),
    ]
    centre = ReceptionCentre(venue="Test Hall", held_on=AS_OF, people=people)
    printed = PrintedFrom(3, datetime(2026, 12, 4, 21, 45))
    text = " ".join(pdf_text(render_reception_summary(centre, "FK-2026-0001",
                                                      printed=printed)).split())
    assert ("4 people received: 2 adults, 2 children. Routes: NRM 3, Duty to Notify 1, not "
            "decided yet 0. Made: NRM referrals 1, Duty to Notify 1. Left 1.") in text
    assert "Still to be made: NRM referral for C1, U1." in text
    assert ("Printed 4 December 2026 at 21:45, from version 3 of the board: a later printout "
            "supersedes it.") in text
    assert "Still to arrange: Tigrinya interpreter needed (U1)" in text
    assert "U1 Possibly a child (age disputed)" in text
    plain = " ".join(pdf_text(render_reception_summary(centre, "FK-2026-0001")).split())
    assert "Printed" not in plain  # the pack the sync sends is the same for the same board


def test_an_adult_who_left_before_consenting_is_owed_a_duty_to_notify() -> None:
    """A5 left before being seen: the panel asked for the NRM to be explained to someone no
    longer there, and the NRM or Duty to Notify step could not be marked (consent first)."""
    from forms.choices import ConsentDecision
    from forms.rules import Route
    from ui.person_panel import route_text

    left = PersonReceived(reference="A5", age_group="adult", arrived_at=NOW,
                          departed_at=LATER)
    assert left.left_unasked() and left.consent is ConsentDecision.NOT_ASKED
    assert left.obligations(AS_OF).route is Route.DUTY_TO_NOTIFY
    assert left.step_waits(BoardStep.NRM_OR_DTN, AS_OF) is None
    done = left.toggle_step(BoardStep.NRM_OR_DTN, LATER, AS_OF)
    assert done.referral_form is ReferralForm.DUTY_TO_NOTIFY
    assert route_text(left, AS_OF) == ("Route: Duty to Notify, anonymous: the adult left "
                                       "before consenting to the NRM.")
    still_here = left.model_copy(update={"departed_at": None})
    assert still_here.obligations(AS_OF).route is Route.UNDECIDED
    child = left.model_copy(update={"age_group": "child"})
    assert child.obligations(AS_OF).route is Route.NRM


def test_a_reference_registered_by_mistake_is_no_one() -> None:
    """A33 typed for A3 at the door could not be removed: it counted among those received,
    printed as "Possibly a child" with every step waiting. Marked "registered by mistake" it
    stays on the board (never erased) but nothing is asked, counted or waited for."""
    mistaken = PersonReceived(reference="A33", arrived_at=NOW, registered_in_error=True)
    real = PersonReceived(reference="A3", arrived_at=NOW, age_group="adult")
    board = mistaken.board(AS_OF)
    assert board[BoardStep.ARRIVED] is StepStatus.DONE
    assert all(status is StepStatus.NOT_NEEDED for step, status in board.items()
               if step is not BoardStep.ARRIVED)
    assert mistaken.waiting_for(AS_OF) == [] and mistaken.ready_problems(AS_OF) == []
    assert mistaken.step_waits(BoardStep.WELFARE, AS_OF) is StepWait.REGISTERED_IN_ERROR
    assert mistaken.toggle_step(BoardStep.WELFARE, NOW, AS_OF) == mistaken
    centre = ReceptionCentre(venue="Test Hall", held_on=AS_OF, people=[real, mistaken])
    assert centre.received() == [real] and centre.to_arrange(AS_OF) == []
    text = " ".join(pdf_text(render_reception_summary(centre, "FK-2026-0001")).split())
    assert "1 person received: 1 adult." in text
    assert "Registered by mistake, not counted: A33." in text
    with_undo = mistaken.model_copy(update={"registered_in_error": False})
    assert with_undo.board(AS_OF)[BoardStep.WELFARE] is StepStatus.WAITING


def test_registered_by_mistake_cannot_hide_a_person_with_details() -> None:
    """A 15-year-old potential victim, MASH not yet called: one tick of "registered by
    mistake" made every step "not needed" and the Lead's figures skip them. The tick is only
    for a reference with nothing recorded but what was typed at the door."""
    from forms.person_edit import edit_person

    child = PersonReceived(reference="C7", arrived_at=NOW, age_group="child", estimated_age=15,
                           potential_victim=True)
    edit = edit_person(child, {"registered_in_error": True}, NOW)
    assert not edit.person.registered_in_error
    [problem] = edit.problems
    assert problem.field == "registered_in_error"
    assert "Adult or child" in problem.message and "Estimated age" in problem.message
    assert edit.person.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING

    # Other fields typed with the tick are kept.
    edit = edit_person(child, {"registered_in_error": True, "language": "ron"}, NOW)
    assert edit.person.language == "ron" and not edit.person.registered_in_error

    # A reference typed wrongly at the door takes the tick ...
    typo = PersonReceived(reference="C77", arrived_at=NOW)
    ticked = edit_person(typo, {"registered_in_error": True}, NOW)
    assert ticked.person.registered_in_error and ticked.problems == []
    # ... and details recorded for it afterwards make it a person again, said so.
    typed = edit_person(ticked.person, {"estimated_age": 15}, NOW)
    assert not typed.person.registered_in_error and typed.person.estimated_age == 15
    assert "taken off" in typed.problems[0].message
    assert typed.person.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING


def test_a_ticked_record_holding_details_is_still_a_person() -> None:
    """A record ticked "registered by mistake" that holds details (ticked by an older
    fieldkit, or arriving from a shared board's peer) is still counted, asked and waited for."""
    ticked = PersonReceived(reference="C7", arrived_at=NOW, age_group="child",
                            estimated_age=15, registered_in_error=True)
    assert not ticked.no_one
    assert ticked.board(AS_OF)[BoardStep.MASH] is StepStatus.WAITING
    assert ticked.step_waits(BoardStep.WELFARE, AS_OF) is None
    centre = ReceptionCentre(venue="Test Hall", held_on=AS_OF, people=[ticked])
    assert centre.received() == [ticked]
    text = " ".join(pdf_text(render_reception_summary(centre, "FK-2026-0001")).split())
    assert "Registered by mistake, not counted" not in text
    assert "Ticked as registered by mistake, but details are recorded for them, so counted: " \
        "C7." in text
