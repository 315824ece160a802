"""Escape in a form's text box puts back what it held when the cursor came into it (a walk
found it did nothing); with nothing changed there, Escape goes on to close a dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout

from ui.field_widgets import DateField, LongTextField, NumberField, TextField


def _in_dialog(qtbot, field):  # type: ignore[no-untyped-def]
    dialog = QDialog()
    QVBoxLayout(dialog).addWidget(field)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_escape_puts_back_a_text_box_as_it_was(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = TextField("Onward destination")
    field.set_value("Salvation Army safe house")
    dialog = _in_dialog(qtbot, field)
    changes: list[str] = []
    field.changed.connect(lambda: changes.append(field.value()))
    field.edit.setFocus()
    qtbot.waitUntil(field.edit.hasFocus)
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "Wrong place")
    assert field.value() == "Wrong place"
    qtbot.keyClick(field.edit, Qt.Key.Key_Escape)
    assert field.value() == "Salvation Army safe house" and dialog.isVisible()
    assert changes[-1] == "Salvation Army safe house"  # saved as any other edit
    qtbot.keyClick(field.edit, Qt.Key.Key_Escape)  # nothing changed now: the dialog closes
    assert not dialog.isVisible()


def test_escape_undoes_numbers_dates_and_long_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    for field, typed, was in ((NumberField("Estimated age", optional=True), "9", 17),
                              (DateField("Date of birth", with_time=False), "3", "1994-03-12"),
                              (LongTextField("Welfare notes"), " and more", "Tea given")):
        field.set_value(was)
        dialog = _in_dialog(qtbot, field)
        edit = field.focus_widget()
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        qtbot.keyClick(edit, Qt.Key.Key_End)
        qtbot.keyClicks(edit, typed)
        assert field.value() != was
        qtbot.keyClick(edit, Qt.Key.Key_Escape)
        assert field.value() == was and dialog.isVisible(), field.title
        dialog.close()
