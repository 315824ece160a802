"""The printed board says what the screen says of someone who left before steps were done:
"Left before", not "WAITING" (the count of steps waiting already left those out)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fieldkit.pdf import render_reception_summary
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from tests.unit.test_pdf_tools import pdf_text, qpdf_check

ARRIVED = datetime(2026, 5, 14, 7, 0)


def test_a_person_who_left_early_is_printed_as_left_before_not_waiting() -> None:
    gone = PersonReceived(reference="R001", arrived_at=ARRIVED, age_group="adult",
                          departed_at=ARRIVED + timedelta(minutes=20))
    here = PersonReceived(reference="R002", arrived_at=ARRIVED, age_group="adult")
    when = date(2026, 5, 14)
    assert gone.left_before(BoardStep.WELFARE, StepStatus.WAITING)
    assert not gone.left_before(BoardStep.NRM_OR_DTN, StepStatus.WAITING)  # still to be made
    assert not here.left_before(BoardStep.WELFARE, StepStatus.WAITING)
    assert gone.board(when)[BoardStep.WELFARE] is StepStatus.WAITING
    pdf = render_reception_summary(ReceptionCentre(operation="Operation Harrier", held_on=when,
                                                   people=[gone, here]), "FK-2026-0003")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    # Every step R001 left before says so (welfare, medical, interpreter, screened, NRM
    # explained, consent, accommodation, property); the Duty to Notify is still to be made
    # (an adult who left before consenting is owed one): waiting, as R002's steps are.
    from fieldkit.pdf.reception import _step_text

    board = gone.board(when)
    cells = [_step_text(gone, step, board[step], when) for step in BoardStep]
    assert cells.count("Left before") == 8 and text.count("Left before") == 8
    assert cells[list(BoardStep).index(BoardStep.NRM_OR_DTN)] == "WAITING"
    here_board = here.board(when)
    assert "Left before" not in [_step_text(here, s, here_board[s], when) for s in BoardStep]
