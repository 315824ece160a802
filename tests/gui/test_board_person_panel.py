"""The reception board's person panel and board at 1366x768, from the keyboard (defects found
by a coordinator's walk): the rules' "Not complete yet" line follows each edit, F6 shows the
field it focuses, a child is never offered consent, a child's NRM waits for the MASH, the
messages read as sentences, leaving is counted apart from waiting, and Alt+C in a case goes to
its boards."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QWidget

from fieldkit import cases
from forms import BoardStep, StepStatus
from forms.choices import AgeGroup
from ui.reception_model import STEPS


def _centre_with(qtbot, window, people: int = 1):  # type: ignore[no-untyped-def]
    case = cases.create_case(window.store, "Operation Foxglove: nail bars")
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    for _ in range(people):
        qtbot.keyClick(page, Qt.Key.Key_Insert)
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 1))
    qtbot.waitUntil(page.panel.editor.isVisible)
    return case, page


def _choose(panel, field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    combo = panel.editor.fields[field].combo
    combo.setCurrentIndex(combo.findData(value))  # as the officer's choice: emits changed


def _cell(page, row: int, step: BoardStep):  # type: ignore[no-untyped-def]
    return page.proxy.index(row, 1 + STEPS.index(step))


def _shown(page, widget: QWidget) -> bool:  # type: ignore[no-untyped-def]
    """``widget`` wholly inside the panel's scrolled view."""
    view = page.panel.details_scroll.viewport()
    top_left = widget.mapTo(view, widget.rect().topLeft())
    return view.rect().contains(QRect(top_left, widget.size()))


def test_space_on_a_childs_nrm_before_the_mash_says_mash_first(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case, page = _centre_with(qtbot, window)
    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.CHILD, "estimated_age": 16}))
    before = page.model.person(0)
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.NRM_OR_DTN))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.person(0) == before
    assert page.model.status(0, BoardStep.NRM_OR_DTN) is StepStatus.WAITING
    assert page.message.text() == ("Refer a child (or possibly a child) to the MASH first: "
                                   "children's services, then the NRM.")
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.MASH))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.NRM_OR_DTN))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.status(0, BoardStep.NRM_OR_DTN) is StepStatus.DONE
    assert page.message.text() == ""


def test_leaving_is_counted_apart_from_waiting(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """"Left / 2 waiting" counted those still here as waiting: the column counts who left."""
    _case, page = _centre_with(qtbot, window, people=3)
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.LEFT))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    column = 1 + STEPS.index(BoardStep.LEFT)
    assert page.model.headerData(column, Qt.Orientation.Horizontal) == "Left\n1 left"
    assert page.summary.text() == "3 received, 2 still here, 1 left"
    filters = [page.filter.itemText(i) for i in range(page.filter.count())]
    assert "Waiting for: Left" not in filters and "Still at the centre" in filters

