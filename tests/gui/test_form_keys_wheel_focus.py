"""From a walk of the officer's day at 1366x768 by keyboard: Mark ready has the same Alt key
on every form page; the mouse wheel scrolls a form instead of changing the drop-down list it
passes over; every Tab stop of a form shows where the cursor is; and a field typed wrong does
not send the pathway panel to the child route."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QScrollArea, QWidget

from ui.person_form import PersonFormPage

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _active(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _presses(qtbot, button, key_in: QWidget) -> None:  # type: ignore[no-untyped-def]
    pressed: list[bool] = []
    button.clicked.connect(lambda *_: pressed.append(True))
    key_in.setFocus()
    qtbot.keyClick(key_in, Qt.Key.Key_Y, ALT)
    qtbot.waitUntil(lambda: bool(pressed))


def test_alt_y_marks_ready_on_the_visit_the_nrm_and_the_other_forms(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """On the NRM page Alt+Y typed a "y" into the field ("...contact family.y")."""
    _active(qtbot, window)
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_person(demo.people["W1"].id)
    page.show_section("account")
    account = page.editor("account").widget_at("account")
    before = account.toPlainText()
    page.ready_button.clicked.disconnect()  # only that it is pressed, not the save
    _presses(qtbot, page.ready_button, account)
    assert account.toPlainText() == before  # no "y" typed
    workspace.back()

    referral = workspace.open_document(demo.case.id, "referral")
    referral.ready_button.clicked.disconnect()
    _presses(qtbot, referral.ready_button, referral.editor.focusWidget() or referral.editor)
    workspace.back()
    visit = workspace.open_visit(demo.visit.id)
    visit.ready_button.clicked.disconnect()
    _presses(qtbot, visit.ready_button, visit.form.widget_at("plan.risk_reasons"))


def _wheel(widget: QWidget, down: bool = True) -> None:
    centre = QPointF(widget.rect().center())
    delta = QPoint(0, -120 if down else 120)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), delta,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_drop_down_list_scrolls_the_form_not_the_value(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """Scrolling the visit form over "Risk rating" turned Medium into High, kept as a draft."""
    _active(qtbot, window)
    window.workspace.open_case(demo.case.id)
    page = window.workspace.open_visit(demo.visit.id)
    risk = page.form.widget_at("plan.risk_rating")
    assert isinstance(risk, QComboBox)
    area: QScrollArea = page.record_scroll
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    area.ensureWidgetVisible(risk)
    bar.setValue(min(bar.value(), bar.maximum() - 10))  # room to scroll down
    page.notes.input.setFocus()
    assert not risk.hasFocus()
    value, at = risk.currentIndex(), bar.value()

    _wheel(risk)
    assert risk.currentIndex() == value  # unchanged
    assert bar.value() > at  # the form scrolled
    assert not risk.hasFocus()  # and the wheel gave it no cursor either

    risk.setFocus()  # with the cursor, the wheel changes it, as the officer chose
    area.ensureWidgetVisible(risk)
    _wheel(risk)
    assert risk.currentIndex() != value


def test_a_forms_scroll_area_is_no_tab_stop(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """Tab after the first responder's phone number went to the section's scroll area, which
    showed nothing; now it goes on to the problems."""
    _active(qtbot, window)
    window.workspace.open_case(demo.case.id)
    page = window.workspace.open_person(demo.people["W1"].id)
    page.show_section("responder")
    phone = page.editor("responder").widget_at("first_responder.phone")
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert not isinstance(focused, QScrollArea)
    assert focused is page.problems
    for scroll in page.findChildren(QScrollArea):
        assert not scroll.focusPolicy() & Qt.FocusPolicy.TabFocus


def _ring_shows(window: QWidget, widget: QWidget) -> bool:
    """Whether ``widget``, with the cursor in it, is drawn with its focus ring: Qt's style
    draws a check box's or a drop-down list's ring only while the window says the focus moved
    by keys, and the same widget looks otherwise exactly like one without the cursor."""
    key = Qt.WidgetAttribute.WA_KeyboardFocusChange
    if not (widget.hasFocus() and window.testAttribute(key)):
        return False
    shown = widget.grab().toImage()
    window.setAttribute(key, False)
    unringed = widget.grab().toImage()
    window.setAttribute(key, True)
    return shown != unringed


def test_ctrl_page_down_shows_the_focus_ring_of_a_drop_down_list_or_check_box(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """After Ctrl+Page Down the drop-down list or check box with the cursor looked like every
    other (after a click, or coming back to the window, Qt draws their ring only once Tab is
    pressed): the officer typed into the wrong field."""
    _active(qtbot, window)
    window.workspace.open_case(demo.case.id)
    page = window.workspace.open_person(demo.people["W1"].id)
    page.show_section("responder")
    page.editor("responder").widget_at("first_responder.phone").setFocus()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)  # as after a click
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)  # to Consent
    decision = QApplication.focusWidget()
    assert isinstance(decision, QComboBox) and decision.accessibleName() == "Consent to the NRM"
    assert _ring_shows(window, decision)
    decision.grab().save("/tmp/wt-ui-focus-combo.png")

    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)
    page.problems.setFocus()
    page.go_to("immediate_risk")  # Enter on a problem: a check box
    box = QApplication.focusWidget()
    assert isinstance(box, QCheckBox)
    assert _ring_shows(window, box)


def test_an_email_typed_wrong_keeps_the_pathway_on_the_adult_route(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """"jo.marsh at example" as the first responder's email switched the panel to "A child is
    involved (or may be): contact the MASH" while the banner said an adult who consents."""
    _active(qtbot, window)
    window.workspace.open_case(demo.case.id)
    page = window.workspace.open_person(demo.people["W1"].id)
    assert isinstance(page, PersonFormPage)
    panel = window.workspace.pathway
    qtbot.waitUntil(lambda: bool(panel.step_ids()))
    assert not page.child
    before = panel.step_ids()
    assert "init.mash" not in before
    page.show_section("responder")
    email = page.editor("responder").widget_at("first_responder.work_email")
    email.setFocus()
    email.selectAll()
    qtbot.keyClicks(email, "jo.marsh at example")
    page.apply_rules()
    qtbot.wait(50)
    panel.refresh()
    assert "init.mash" not in panel.step_ids()
    assert panel.step_ids() == before



def test_a_referral_says_marked_ready_not_just_saved(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """Mark ready on a referral said only "Saved (version 1)"."""
    page = window.workspace.open_document(demo.case.id, "referral")
    page.editor.set_value({"destination": "mash", "person_reference": "W3",
                           "made_at": "2026-12-01T10:00:00", "made_by": "Rowan Hallam",
                           "method": "phone"})
    page.save("draft")
    assert page.message.text() == "Saved as a draft (version 1)."
    page.save("ready")
    assert page.message.text() == "Marked ready (version 2)."


def test_why_a_save_was_refused_goes_once_the_form_changes(
        qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """"safe email must be..." stayed beside the buttons after the email was put right."""
    page = window.workspace.open_document(demo.case.id, "referral")
    page.editor.set_value({"destination": "mash", "person_reference": "W99"})
    page.save("ready")
    assert "Time of the referral is needed" in page.message.text()
    made_by = page.editor.widget_at("made_by")
    made_by.setFocus()
    qtbot.keyClicks(made_by, "R")
    assert page.message.text() == ""
