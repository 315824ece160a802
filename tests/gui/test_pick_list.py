"""Nationality and language lists: what the officer types and Enters is added (it looked chosen
in the box while the list stayed empty, so the nationality was never recorded)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.field_widgets import PickListField

COUNTRIES = (("VN", "Vietnam"), ("AL", "Albania"), ("RO", "Romania"))


def test_a_name_typed_and_entered_is_added_and_the_box_is_ready_for_the_next(qtbot):
    field = PickListField("Nationalities", COUNTRIES)
    qtbot.addWidget(field)
    field.combo.setFocus()
    qtbot.keyClicks(field.combo.lineEdit(), "vietnam")
    qtbot.keyClick(field.combo.lineEdit(), Qt.Key.Key_Return)
    assert field.value() == ["VN"]
    assert field.combo.currentText() == ""  # ready for the next one
    qtbot.keyClicks(field.combo.lineEdit(), "Albania")
    qtbot.keyClick(field.combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.keyClicks(field.combo.lineEdit(), "Albania")
    qtbot.keyClick(field.combo.lineEdit(), Qt.Key.Key_Return)  # twice: held once
    assert field.value() == ["VN", "AL"]


def test_a_suggestion_chosen_from_part_of_a_name_is_added(qtbot):
    field = PickListField("Nationalities", COUNTRIES)
    qtbot.addWidget(field)
    changes: list[int] = []
    field.changed.connect(lambda: changes.append(1))
    completer = field.combo.completer()
    completer.activated.emit("Romania")  # Enter on the suggestion the completer shows
    field.combo.lineEdit().setText("Romania")
    qtbot.waitUntil(lambda: field.value() == ["RO"])
    assert changes == [1]


def test_part_of_a_name_only_one_holds_is_enough_and_an_unknown_one_adds_nothing(qtbot):
    field = PickListField("Nationalities", COUNTRIES)
    qtbot.addWidget(field)
    qtbot.keyClicks(field.combo.lineEdit(), "Viet")
    qtbot.keyClick(field.combo.lineEdit(), Qt.Key.Key_Return)
    assert field.value() == ["VN"]
    qtbot.keyClicks(field.combo.lineEdit(), "ia")  # Albania and Romania: which one?
    qtbot.keyClick(field.combo.lineEdit(), Qt.Key.Key_Return)
    assert field.value() == ["VN"]


def test_typing_in_a_country_box_replaces_not_answered(qtbot):
    """Clicking into "Not answered" and typing "Alb" gave "Not answeredAlb"."""
    from ui.field_widgets import ChoiceField

    field = ChoiceField("Country", [(name, code) for code, name in COUNTRIES], True,
                        searchable=True)
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    edit = field.combo.lineEdit()
    assert field.combo.currentText() == "Not answered"
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.wait(20)
    qtbot.keyClicks(edit, "Alb")
    assert edit.text().startswith("Alb")
    field.set_value("RO")
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)  # something chosen: a click only places
    qtbot.wait(20)                                      # the cursor, nothing is selected
    assert not edit.hasSelectedText()
