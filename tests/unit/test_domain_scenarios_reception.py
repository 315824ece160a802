"""Reception-centre scenarios: a 17-year-old who refuses, an adult who refuses, a disputed age and
an adult not yet asked, on the board and in the printed summary (read back with pdftotext)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fieldkit.pdf import render_reception_summary
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import ReferralForm
from forms.rules import Route
from tests.unit.test_pdf_tools import pdf_text

TODAY = date(2026, 5, 14)
NOW = datetime(2026, 5, 14, 10, 30, tzinfo=UTC)


def test_a_17_year_old_who_refuses_at_reception_is_referred_and_goes_to_mash() -> None:
    """R-CHILD-NRM at reception: a child's refusal is not asked for and changes nothing."""
    child = PersonReceived(reference="R017", arrived_at=NOW, age_group=AgeGroup.CHILD,
                           estimated_age=17, consent=ConsentDecision.REFUSED)
    rules = child.obligations(TODAY)
    assert rules.route is Route.NRM and rules.mash_referral and rules.transition_to_adulthood
    board = child.board(TODAY)
    assert board[BoardStep.CONSENT] is StepStatus.NOT_NEEDED
    assert board[BoardStep.MASH] is StepStatus.WAITING
    done = child.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert done.referral_form is ReferralForm.NRM
    wrong = child.model_copy(update={"referral_form": ReferralForm.DUTY_TO_NOTIFY})
    assert "referral_form" in {p.field for p in wrong.ready_problems(TODAY)}


def test_an_adult_who_refuses_at_reception_gets_a_duty_to_notify_not_salvation_army() -> None:
    adult = PersonReceived(reference="R018", arrived_at=NOW, age_group=AgeGroup.ADULT,
                           estimated_age=30, consent=ConsentDecision.REFUSED)
    assert adult.obligations(TODAY).route is Route.DUTY_TO_NOTIFY
    done = adult.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert done.referral_form is ReferralForm.DUTY_TO_NOTIFY
    assert done.board(TODAY)[BoardStep.SALVATION_ARMY] is StepStatus.NOT_NEEDED
    assert done.board(TODAY)[BoardStep.MASH] is StepStatus.NOT_NEEDED


def test_a_disputed_age_at_reception_is_a_possible_child_on_the_printed_board() -> None:
    """R-AGE-DISPUTED-RECEPTION: says 19, may be 15: treated as a child until assessed."""
    person = PersonReceived(reference="R019", arrived_at=NOW, age_group=AgeGroup.ADULT,
                            estimated_age=19, age_disputed=True)
    assert person.obligations(TODAY).treated_as_child
    assert person.board(TODAY)[BoardStep.MASH] is StepStatus.WAITING
    centre = ReceptionCentre(operation="Operation Larch", held_on=TODAY, people=[person])
    text = pdf_text(render_reception_summary(centre, "FK-2026-0078"))
    assert "Possibly a child" in text and "Not needed (child)" in text


def test_an_adult_not_yet_asked_cannot_be_marked_as_referred_or_notified() -> None:
    """R-BOARD-UNDECIDED-NO-FORM: Space on "NRM or DtN" for an adult not yet asked about
    consent records neither form: the step waits for their decision."""
    adult = PersonReceived(reference="R020", arrived_at=NOW, age_group=AgeGroup.ADULT,
                           estimated_age=40)
    assert adult.obligations(TODAY).route is Route.UNDECIDED
    tapped = adult.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert tapped.referral_form is ReferralForm.NONE and tapped.referral_form_done_at is None
    assert tapped.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.WAITING
    given = tapped.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    assert given.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY).referral_form is ReferralForm.NRM
