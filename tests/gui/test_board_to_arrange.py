"""The board says what the people here need and the set-up does not record, as it changes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldkit import cases
from forms.choices import AgeGroup


def _choose(panel, field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    combo = panel.editor.fields[field].combo
    combo.setCurrentIndex(combo.findData(value))


def test_the_board_prompts_for_an_interpreter_and_childrens_services(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case = cases.create_case(window.store, "Operation Foxglove: nail bars")
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    assert page.to_arrange.isHidden()  # nobody here yet
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 1))
    qtbot.waitUntil(page.panel.editor.isVisible)
    # A new arrival's age is not known yet: possibly a child, so children's services are asked.
    assert page.summary.text() == ("1 received, 1 still here, 0 left; 1 to arrange: see 1. "
                                   "Set up (Alt+S)")
    assert not page.to_arrange.isHidden()
    assert "possibly a child, is here (R001)" in page.to_arrange.text()
    _choose(page.panel, "age_group", AgeGroup.ADULT.value)
    _choose(page.panel, "language", "vie")
    page.panel.editor.fields["interpreter_needed"].set_value(True)
    page.panel.editor.changed.emit()
    assert page.to_arrange.text() == ("To arrange: Vietnamese interpreter needed (R001): none "
                                      "is booked in the set-up.")
