"""Someone who left the centre is shown as the header counts them (a walk found a person who had
left still shown amber "Waiting" for welfare and medical steps, while each column's count left
them out)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldkit import cases
from forms import BoardStep
from ui.reception_model import STEPS


def test_steps_missed_by_leaving_read_as_such_and_are_not_amber(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case = cases.create_case(window.store, "Operation Foxglove: nail bars")
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    for _ in range(2):
        qtbot.keyClick(page, Qt.Key.Key_Insert)
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.table.setFocus()
    left = page.proxy.index(0, 1 + STEPS.index(BoardStep.LEFT))
    page.table.setCurrentIndex(left)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # R001 left before anything was done
    model = page.model
    welfare = model.index(0, 1 + STEPS.index(BoardStep.WELFARE))
    still_here = model.index(1, 1 + STEPS.index(BoardStep.WELFARE))
    assert welfare.data() == "· Left before"
    waiting_colour = still_here.data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert still_here.data() == "… Waiting"
    assert welfare.data(Qt.ItemDataRole.BackgroundRole).color().name() != waiting_colour
    header = model.headerData(1 + STEPS.index(BoardStep.WELFARE), Qt.Orientation.Horizontal)
    assert header.endswith("1 waiting")  # R002 alone, as the cells now say
    # What the centre must still do without them stays amber and waiting.
    nrm = model.index(0, 1 + STEPS.index(BoardStep.NRM_OR_DTN))
    assert nrm.data() != "· Left before"
