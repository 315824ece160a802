"""What a coordinator types into a person's details on the reception board is saved, or the
board says it is not (a walk found a date of birth typed wrong dropped on the next save while
the board said "All changes saved", and 12/05/1990, the way dates are written in England,
refused)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from fieldkit.documents import list_documents
from tests.gui.test_board_person_panel import _centre_with as _board


def _type(qtbot, page, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = page.panel.editor.fields[field].edit
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)  # the field cleared


def _saved_versions(window, case_id: str) -> int:  # type: ignore[no-untyped-def]
    return sum(d.version for d in list_documents(window.store, case_id) if d.kind == "reception")


def test_a_date_written_day_first_is_saved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case, page = _board(qtbot, window)
    _type(qtbot, page, "date_of_birth", "12/05/1990")
    assert not page.panel.problem.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text().startswith("Board saved")
    assert page.model.person(0).date_of_birth == date(1990, 5, 12)
    assert page.save_state.text().startswith("All changes saved")


def test_a_field_not_valid_stops_the_save_and_says_which(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case, page = _board(qtbot, window)
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # a first version
    before = _saved_versions(window, case.id)
    _type(qtbot, page, "date_of_birth", "1990-13-45")
    _type(qtbot, page, "estimated_age", "150")
    shown = page.panel.problem.text()
    assert "Date of birth must be a date (for example 31/05/2024 or 2024-05-31)." in shown
    assert "Estimated age" in shown  # both fields wrong, both named
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    said = page.message.text()
    assert said.startswith("Not saved: Person R001: ")
    assert "Date of birth must be a date" in said and "Estimated age must be 120 or less" in said
    assert said.endswith("Correct it or clear the field, then save.")
    assert page.save_state.text().startswith("Not saved")
    assert _saved_versions(window, case.id) == before
    assert page.panel.editor.fields["date_of_birth"].edit.text() == "1990-13-45"  # still there
    page.print_summary()  # a print saves first: refused the same way, nothing asked
    assert page.message.text().startswith("Not saved: Person R001")
    _type(qtbot, page, "date_of_birth", "")
    _type(qtbot, page, "estimated_age", "35")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text().startswith("Board saved")
    assert page.model.person(0).estimated_age == 35


def test_moving_on_says_what_was_typed_and_not_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case, page = _board(qtbot, window, people=2)
    _type(qtbot, page, "date_of_birth", "31/02/1990")
    _type(qtbot, page, "estimated_age", "29")  # typed after it: kept (it was thrown away)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.message.text().startswith(
        "Not kept: Person R001: Date of birth must be a date")
    assert page.message.text().endswith("everything else typed is kept.")
    assert page.model.person(0).date_of_birth is None
    assert page.model.person(0).estimated_age == 29
