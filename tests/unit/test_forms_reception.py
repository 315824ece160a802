"""The reception centre: each person's board steps (not needed / waiting / done), the rules for
children and consent, and a complete record before the centre closes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from forms import check_document
from forms.choices import AgeGroup, Agency, ConsentDecision
from forms.reception import (
    BoardStep,
    PersonReceived,
    PropertyItem,
    PropertyOutcome,
    ReceptionCentre,
    ReferralForm,
    Screening,
    StepStatus,
    StepWait,
)
from tests.unit.test_forms_roundtrip import full_examples

TODAY = date(2025, 3, 14)
AT = datetime(2025, 3, 14, 10, 0)
W, D, N = StepStatus.WAITING, StepStatus.DONE, StepStatus.NOT_NEEDED


def test_the_board_has_every_step_in_order() -> None:
    board = PersonReceived(reference="R-1").board(TODAY)
    assert list(board) == [
        BoardStep.ARRIVED, BoardStep.WELFARE, BoardStep.MEDICAL, BoardStep.INTERPRETER,
        BoardStep.SCREENED, BoardStep.MASH, BoardStep.NRM_EXPLAINED, BoardStep.CONSENT,
        BoardStep.NRM_OR_DTN, BoardStep.SALVATION_ARMY, BoardStep.ACCOMMODATION,
        BoardStep.PROPERTY, BoardStep.LEFT,
    ]


def test_a_new_arrival_of_unknown_age_waits_as_a_child() -> None:
    person = PersonReceived(reference="R-1", arrived_at=AT)
    board = person.board(TODAY)
    assert board[BoardStep.ARRIVED] is D
    assert board[BoardStep.MASH] is W  # unknown age: treated as a child
    assert board[BoardStep.CONSENT] is N and board[BoardStep.NRM_EXPLAINED] is N
    assert board[BoardStep.NRM_OR_DTN] is W
    assert board[BoardStep.SALVATION_ARMY] is N
    assert person.waiting_for(TODAY)[:3] == [BoardStep.WELFARE, BoardStep.MEDICAL,
                                             BoardStep.INTERPRETER]


def test_an_adult_who_consented_moves_through_every_step() -> None:
    person = PersonReceived(reference="R-2", arrived_at=AT, age_group=AgeGroup.ADULT,
                            medical_triage_needed=True, interpreter_needed=True)
    board = person.board(TODAY)
    assert board[BoardStep.MASH] is N
    assert board[BoardStep.MEDICAL] is W and board[BoardStep.INTERPRETER] is W
    assert board[BoardStep.NRM_EXPLAINED] is W and board[BoardStep.CONSENT] is W
    assert board[BoardStep.SALVATION_ARMY] is W
    done = person.model_copy(update=dict(
        welfare_given_at=AT, medical_triage_at=AT, interpreter_provided_at=AT,
        screenings=[Screening(agency=Agency.POLICE, done_at=AT)], nrm_explained_at=AT,
        consent=ConsentDecision.GIVEN, referral_form=ReferralForm.NRM, referral_form_done_at=AT,
        salvation_army_referred_at=AT, accommodation_needed=False, property_logged=True,
        departed_at=AT, onward_destination="Safe house",
    ))
    statuses = done.board(TODAY)
    assert statuses[BoardStep.ACCOMMODATION] is N and statuses[BoardStep.MASH] is N
    assert all(s in (D, N) for s in statuses.values())
    assert done.waiting_for(TODAY) == []
    assert done.ready_problems(TODAY) == []


def test_an_adult_who_refused_needs_no_salvation_army_referral() -> None:
    person = PersonReceived(reference="R-3", age_group=AgeGroup.ADULT,
                            consent=ConsentDecision.REFUSED)
    board = person.board(TODAY)
    assert board[BoardStep.CONSENT] is D
    assert board[BoardStep.SALVATION_ARMY] is N
    assert board[BoardStep.NRM_OR_DTN] is W


def test_someone_found_not_to_be_a_potential_victim_skips_the_nrm_steps() -> None:
    person = PersonReceived(reference="R-4", age_group=AgeGroup.ADULT, potential_victim=False)
    board = person.board(TODAY)
    for step in (BoardStep.NRM_EXPLAINED, BoardStep.CONSENT, BoardStep.NRM_OR_DTN,
                 BoardStep.SALVATION_ARMY):
        assert board[step] is N


def test_screening_is_done_only_when_every_agency_has_screened() -> None:
    person = PersonReceived(screenings=[Screening(agency=Agency.POLICE, done_at=AT),
                                        Screening(agency=Agency.GLAA)])
    assert person.board(TODAY)[BoardStep.SCREENED] is W
    person.screenings[1].done_at = AT
    assert person.board(TODAY)[BoardStep.SCREENED] is D


def test_a_child_who_left_still_waits_for_the_mash_referral_and_the_nrm() -> None:
    """Leaving the centre ends what the centre offers, not its duties: a child who left
    before the MASH referral (or anyone before the NRM or Duty to Notify) still shows as
    waiting for it; welfare and the rest do not."""
    child = PersonReceived(reference="C1", arrived_at=AT, age_group=AgeGroup.CHILD,
                           departed_at=AT, onward_destination="With an aunt")
    assert child.waiting_for(TODAY) == [BoardStep.MASH, BoardStep.NRM_OR_DTN]
    referred = child.model_copy(update={"mash_referred_at": AT,
                                        "referral_form": ReferralForm.NRM,
                                        "referral_form_done_at": AT})
    assert referred.waiting_for(TODAY) == []


def test_property_is_done_when_logged_and_every_item_kept_or_returned() -> None:
    person = PersonReceived(property_logged=True,
                            property_items=[PropertyItem(description="Phone")])
    assert person.board(TODAY)[BoardStep.PROPERTY] is W
    person.property_items[0].outcome = PropertyOutcome.KEPT
    assert person.board(TODAY)[BoardStep.PROPERTY] is D


@pytest.mark.parametrize(
    ("age_group", "consent", "form", "problem"),
    [
        (AgeGroup.CHILD, ConsentDecision.REFUSED, ReferralForm.DUTY_TO_NOTIFY,
         "An NRM referral is needed"),
        (AgeGroup.NOT_SURE, ConsentDecision.NOT_ASKED, ReferralForm.DUTY_TO_NOTIFY,
         "An NRM referral is needed"),
        (AgeGroup.ADULT, ConsentDecision.REFUSED, ReferralForm.NRM, "A Duty to Notify is needed"),
        (AgeGroup.ADULT, ConsentDecision.GIVEN, ReferralForm.DUTY_TO_NOTIFY,
         "An NRM referral is needed"),
        # Left (all of these have) before being asked: no consent, so a Duty to Notify.
        (AgeGroup.ADULT, ConsentDecision.NOT_ASKED, ReferralForm.NONE,
         "A Duty to Notify is needed"),
    ],
)
def test_the_form_made_must_match_the_rules(
    age_group: AgeGroup, consent: ConsentDecision, form: ReferralForm, problem: str
) -> None:
    person = PersonReceived(reference="R-5", arrived_at=AT, age_group=age_group,
                            consent=consent, referral_form=form, mash_referred_at=AT,
                            nrm_explained_at=AT, onward_destination="Home", departed_at=AT)
    found = person.ready_problems(TODAY)
    assert len(found) == 1 and found[0].message.startswith(problem)


@pytest.mark.parametrize("consent", [ConsentDecision.GIVEN, ConsentDecision.REFUSED])
def test_an_adults_consent_needs_the_nrm_explained_first(consent: ConsentDecision) -> None:
    """Consent (given or refused) is informed only once the NRM was explained: a record with
    a decision and no explanation is not complete, and says so in words."""
    form = ReferralForm.NRM if consent is ConsentDecision.GIVEN else ReferralForm.DUTY_TO_NOTIFY
    person = PersonReceived(reference="R-7", arrived_at=AT, age_group=AgeGroup.ADULT,
                            consent=consent, referral_form=form, onward_destination="Home",
                            departed_at=AT)
    assert [(p.field, p.message) for p in person.ready_problems(TODAY)] == [
        ("nrm_explained_at", "Record when the NRM was explained with the booklet: consent "
         "counts only once the person was told what the NRM is")]
    explained = person.model_copy(update={"nrm_explained_at": AT})
    assert explained.ready_problems(TODAY) == []
    child = person.model_copy(update={"age_group": AgeGroup.CHILD, "mash_referred_at": AT,
                                      "referral_form": ReferralForm.NRM})
    assert child.ready_problems(TODAY) == []  # a child is not asked for consent


def test_a_child_needs_a_mash_referral_before_the_record_is_complete() -> None:
    person = PersonReceived(reference="R-6", arrived_at=AT, age_group=AgeGroup.CHILD,
                            referral_form=ReferralForm.NRM, onward_destination="Foster care",
                            departed_at=AT)
    assert [(p.field, p.message) for p in person.ready_problems(TODAY)] == [
        ("mash_referred_at", "A child (or possibly a child) needs a MASH referral")]


def test_a_closed_centre_names_each_person_with_something_missing() -> None:
    centre = full_examples()["reception"]
    assert isinstance(centre, ReceptionCentre)
    centre.people.append(PersonReceived(reference="R-002", arrived_at=AT,
                                        age_group=AgeGroup.ADULT, potential_victim=False))
    problems = check_document("reception", centre.model_dump_json(), ready=True)
    assert [(p.field, p.message) for p in problems] == [
        ("people.1.onward_destination", "R-002: Onward destination is needed"),
        ("people.1.departed_at", "R-002: Departure time is needed"),
    ]
    assert centre.person("R-002").age_group is AgeGroup.ADULT


def test_each_person_needs_a_different_reference() -> None:
    problems = check_document(
        "reception", {"people": [{"reference": "R-1"}, {"reference": "R-1"}]}, ready=False)
    assert [p.field for p in problems] == ["people"]
    assert "different reference" in problems[0].message


def test_the_rules_problems_leave_out_what_waits_for_departure() -> None:
    """What the board says beside someone still at the centre: the rules' problems (NRM
    explained before consent), not the departure time and destination still to come."""
    person = PersonReceived(reference="R-8", arrived_at=AT, age_group=AgeGroup.ADULT,
                            consent=ConsentDecision.GIVEN)
    assert [p.field for p in person.ready_problems(TODAY)] == [
        "nrm_explained_at", "referral_form", "onward_destination", "departed_at"]
    assert [p.field for p in person.rule_problems(TODAY)] == ["nrm_explained_at",
                                                               "referral_form"]


@pytest.mark.parametrize("age", [dict(age_group=AgeGroup.CHILD, estimated_age=16),
                                 dict(age_group=AgeGroup.NOT_SURE)])
def test_a_childs_nrm_waits_for_the_mash_referral(age: dict[str, object]) -> None:
    """Children's services (the MASH) first, then the NRM: Space on a child's (or possibly a
    child's) NRM step before the MASH referral records nothing and says why."""
    child = PersonReceived(reference="R003", arrived_at=AT, **age)
    assert child.step_waits(BoardStep.NRM_OR_DTN, TODAY) is StepWait.MASH_FIRST
    assert child.toggle_step(BoardStep.NRM_OR_DTN, AT, TODAY) == child
    referred = child.toggle_step(BoardStep.MASH, AT, TODAY)
    assert referred.step_waits(BoardStep.NRM_OR_DTN, TODAY) is None
    done = referred.toggle_step(BoardStep.NRM_OR_DTN, AT, TODAY)
    assert done.board(TODAY)[BoardStep.NRM_OR_DTN] is D
    assert done.referral_form is ReferralForm.NRM
    # An NRM recorded before the MASH (an older board) can still be undone.
    early = child.model_copy(update={"referral_form": ReferralForm.NRM,
                                     "referral_form_done_at": AT})
    assert early.step_waits(BoardStep.NRM_OR_DTN, TODAY) is None
    assert early.toggle_step(BoardStep.NRM_OR_DTN, AT, TODAY).referral_form_done_at is None


def test_an_adults_nrm_does_not_wait_for_a_mash_referral() -> None:
    adult = PersonReceived(reference="R001", arrived_at=AT, age_group=AgeGroup.ADULT,
                           consent=ConsentDecision.GIVEN)
    assert adult.step_waits(BoardStep.NRM_OR_DTN, TODAY) is None


def test_no_one_waits_to_leave_the_centre() -> None:
    """Someone still at the centre is "still here", not waiting for the "Left" step: counts of
    who waits (the board's, the printed summary's) never include leaving."""
    here = PersonReceived(reference="R1", arrived_at=AT, age_group=AgeGroup.ADULT)
    assert here.board(TODAY)[BoardStep.LEFT] is W  # the cell still says "Still here"
    assert BoardStep.LEFT not in here.waiting_for(TODAY)
