"""Reception-centre scenarios: a 17-year-old who refuses, an adult who refuses, a disputed age and
an adult not yet asked, on the board and in the printed summary (read back with pdftotext)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fieldkit.pdf import render_reception_summary
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import ReferralForm, StepWait
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
    assert child.step_waits(BoardStep.NRM_OR_DTN, TODAY) is StepWait.MASH_FIRST  # MASH first
    referred = child.toggle_step(BoardStep.MASH, NOW, TODAY)
    done = referred.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
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
    assert "Possibly a child" in text and "Not needed (possibly a child)" in text


def test_an_adult_not_yet_asked_cannot_be_marked_as_referred_or_notified() -> None:
    """R-BOARD-UNDECIDED-NO-FORM: Space on "NRM or DtN" for an adult not yet asked about
    consent records neither form: the step waits for their decision."""
    adult = PersonReceived(reference="R020", arrived_at=NOW, age_group=AgeGroup.ADULT,
                           estimated_age=40)
    assert adult.obligations(TODAY).route is Route.UNDECIDED
    tapped = adult.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert tapped.referral_form is ReferralForm.NONE and tapped.referral_form_done_at is None
    assert tapped.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.WAITING
    explained = tapped.toggle_step(BoardStep.NRM_EXPLAINED, NOW, TODAY)
    given = explained.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    assert given.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY).referral_form is ReferralForm.NRM


def test_space_on_a_step_the_rules_rule_out_records_nothing_and_says_why() -> None:
    """Space on a child's consent, or on the Salvation Army for an adult who refused, used to
    record a consent or a referral time hidden behind "not needed" (and printed)."""
    from forms import StepWait

    child = PersonReceived(reference="R003", arrived_at=NOW, age_group=AgeGroup.CHILD,
                           estimated_age=15)
    for step in (BoardStep.CONSENT, BoardStep.NRM_EXPLAINED, BoardStep.SALVATION_ARMY):
        assert child.board(TODAY)[step] is StepStatus.NOT_NEEDED
        assert child.step_waits(step, TODAY) is StepWait.NOT_FOR_A_CHILD
        assert child.toggle_step(step, NOW, TODAY) == child
    refused = PersonReceived(reference="R004", arrived_at=NOW, age_group=AgeGroup.ADULT,
                             consent=ConsentDecision.REFUSED)
    assert refused.step_waits(BoardStep.SALVATION_ARMY, TODAY) is StepWait.NOT_ON_THE_DTN_ROUTE
    assert refused.toggle_step(BoardStep.SALVATION_ARMY, NOW, TODAY) == refused
    assert refused.step_waits(BoardStep.MASH, TODAY) is StepWait.ONLY_FOR_A_CHILD
    not_victim = refused.model_copy(update={"potential_victim": False})
    assert not_victim.step_waits(BoardStep.NRM_OR_DTN, TODAY) is \
        StepWait.NOT_A_POTENTIAL_VICTIM
    # A step that is a choice: Delete says not needed, Space takes that back and records it.
    given = refused.model_copy(update={"consent": ConsentDecision.GIVEN})
    declined = given.mark_not_needed(BoardStep.SALVATION_ARMY)
    assert declined is not None
    assert declined.board(TODAY)[BoardStep.SALVATION_ARMY] is StepStatus.NOT_NEEDED
    assert declined.step_waits(BoardStep.SALVATION_ARMY, TODAY) is None
    referred = declined.toggle_step(BoardStep.SALVATION_ARMY, NOW, TODAY)
    assert referred.board(TODAY)[BoardStep.SALVATION_ARMY] is StepStatus.DONE


def test_consent_changed_after_the_form_was_made_makes_the_step_wait_for_the_right_one() -> None:
    """Consent given, the NRM marked done, then refused (withdrawn, or recorded wrongly): the
    board kept "NRM" done for an adult who refused. Now the step waits again, for the DtN; and
    with consent back to not asked, for the adult's decision."""
    from forms import StepWait

    adult = PersonReceived(reference="R001", arrived_at=NOW, age_group=AgeGroup.ADULT,
                           consent=ConsentDecision.GIVEN)
    done = adult.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert done.referral_form is ReferralForm.NRM
    assert done.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.DONE
    refused = done.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    assert refused.consent is ConsentDecision.REFUSED
    assert refused.form_due_instead(TODAY) is ReferralForm.DUTY_TO_NOTIFY
    assert refused.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.WAITING
    dtn = refused.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert dtn.referral_form is ReferralForm.DUTY_TO_NOTIFY
    assert dtn.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.DONE
    not_asked = refused.toggle_step(BoardStep.CONSENT, NOW, TODAY)  # cycles to not asked
    assert not_asked.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.WAITING
    assert not_asked.step_waits(BoardStep.NRM_OR_DTN, TODAY) is StepWait.CONSENT_FIRST


def test_a_form_that_no_longer_fits_the_person_shows_the_one_now_due() -> None:
    """A Duty to Notify made for an adult who refused, then the person found to be 16: the
    step waits again, for an NRM, on the board and in the printed summary."""
    refused = PersonReceived(reference="R005", arrived_at=NOW, age_group=AgeGroup.ADULT,
                             consent=ConsentDecision.REFUSED)
    dtn = refused.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY)
    assert dtn.form_due_instead(TODAY) is None
    assert dtn.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.DONE
    child = dtn.model_copy(update={"age_group": AgeGroup.CHILD, "estimated_age": 16})
    assert child.form_due_instead(TODAY) is ReferralForm.NRM
    assert child.board(TODAY)[BoardStep.NRM_OR_DTN] is StepStatus.WAITING
    nrm = child.toggle_step(BoardStep.MASH, NOW, TODAY).toggle_step(
        BoardStep.NRM_OR_DTN, NOW, TODAY)  # children's services first, then the NRM
    assert nrm.referral_form is ReferralForm.NRM and nrm.form_due_instead(TODAY) is None

    centre = ReceptionCentre(operation="Birch", held_on=TODAY, people=[
        child, dtn.model_copy(update={"reference": "R006"})])
    words = pdf_text(render_reception_summary(centre, "FK-2026-0001"))
    board_part = words[words.index("The board"):words.index("People received")]
    assert "NRM due" in board_part  # R005 as a child: the DtN made no longer fits
    assert board_part.count("DtN") == 2  # the column title, and R006: the DtN made (adult)
    assert "Refused" in board_part  # consent in words, not "Done"
    assert "Still here" in board_part  # no one has left: not "WAITING"


def test_consent_given_before_the_interpreter_arrived_is_a_rule_problem() -> None:
    """R-RECEPTION-CONSENT-INTERPRETER: consent recorded as given while the interpreter the
    person needs has not been provided is not informed consent: the board says so (the tap is
    not refused); a refusal is not held up."""
    person = PersonReceived(reference="R2", arrived_at=NOW, age_group=AgeGroup.ADULT,
                            potential_victim=True, language="ron", interpreter_needed=True)
    # Space on "NRM explained" waits for the interpreter now (it was ticked without one);
    # a board recorded before, or on a laptop without the check, may still hold it.
    assert person.step_waits(BoardStep.NRM_EXPLAINED, TODAY) is StepWait.INTERPRETER_FIRST
    assert person.toggle_step(BoardStep.NRM_EXPLAINED, NOW, TODAY) == person
    person = person.model_copy(update={"nrm_explained_at": NOW})
    given = person.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    assert given.consent is ConsentDecision.GIVEN
    [problem] = [p for p in given.rule_problems(TODAY) if p.field == "consent"]
    assert "interpreter" in problem.message and "language the person understands" in problem.message
    provided = given.toggle_step(BoardStep.INTERPRETER, NOW, TODAY)
    assert [p for p in provided.rule_problems(TODAY) if p.field == "consent"] == []
    refused = given.model_copy(update={"consent": ConsentDecision.REFUSED})
    assert [p for p in refused.rule_problems(TODAY) if p.field == "consent"] == []


def test_the_salvation_army_referral_waits_for_an_adults_consent() -> None:
    """R-RECEPTION-SA-AFTER-CONSENT: Salvation Army (Victim Care Contract) support is NRM
    support: for an adult not yet asked the step waits, and a referral stored for someone who
    refused is a rule problem rather than hidden as "not needed"."""
    adult = PersonReceived(reference="R1", arrived_at=NOW, age_group=AgeGroup.ADULT,
                           potential_victim=True)
    assert adult.step_waits(BoardStep.SALVATION_ARMY, TODAY) is StepWait.SUPPORT_AFTER_CONSENT
    assert adult.toggle_step(BoardStep.SALVATION_ARMY, NOW, TODAY) == adult
    given = adult.model_copy(update={"consent": ConsentDecision.GIVEN, "nrm_explained_at": NOW})
    assert given.step_waits(BoardStep.SALVATION_ARMY, TODAY) is None
    referred = given.toggle_step(BoardStep.SALVATION_ARMY, NOW, TODAY)
    assert referred.salvation_army_referred_at == NOW
    refused = referred.model_copy(update={"consent": ConsentDecision.REFUSED})
    assert refused.board(TODAY)[BoardStep.SALVATION_ARMY] is StepStatus.NOT_NEEDED
    [problem] = [p for p in refused.rule_problems(TODAY)
                 if p.field == "salvation_army_referred_at"]
    assert problem.message.startswith("A Salvation Army referral is recorded but the person "
                                      "refused the NRM: check it")


def test_a_kept_identity_document_needs_an_exhibit_reference() -> None:
    """R-RECEPTION-ID-EXHIBIT: an identity document kept is an exhibit: its record is not
    complete without the exhibit reference, and the problem names the item."""
    from forms.reception import PropertyItem, PropertyOutcome

    passport = PropertyItem(description="Passport", is_identity_document=True,
                            outcome=PropertyOutcome.KEPT)
    person = PersonReceived(reference="R4", arrived_at=NOW, age_group=AgeGroup.ADULT,
                            property_logged=True, property_items=[passport])
    [problem] = [p for p in person.ready_problems(TODAY) if p.field.startswith("property")]
    assert problem.field == "property_items.0.exhibit_reference"
    assert "Property item 1 (Passport)" in problem.message and "exhibit" in problem.message
    numbered = passport.model_copy(update={"exhibit_reference": "RH/1"})
    done = person.model_copy(update={"property_items": [numbered]})
    assert [p for p in done.ready_problems(TODAY) if p.field.startswith("property")] == []
