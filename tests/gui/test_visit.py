"""A premises visit with the keyboard: timed notes, a correction, exhibits, the visit record."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from fieldkit import cases, documents, exhibits, notes
from fieldkit.demo import demo_photo
from tests.gui.conftest import write_file
from ui.notes_view import NotesModel, reading_order
from ui.roles import ID_ROLE


def test_notes_are_timed_entries_and_corrections_keep_the_original(qtbot, window, demo):
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_visit(demo.visit.id)
    box = page.notes.input
    box.setFocus()
    before = page.notes.model.rowCount()
    qtbot.keyClicks(box, "10:50 Second cabin found")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "behind the office")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    entries = notes.list_notes(window.store, demo.visit.id)
    assert entries[-1].text == "10:50 Second cabin found\nbehind the office"
    assert box.toPlainText() == ""
    assert page.notes.model.rowCount() == before + 1
    # The visit record says the visit ended before this entry was written: it is marked as
    # written after the visit ended (written up later; which entries are is
    # tests/unit/test_notes_written_after.py).
    from fieldkit.clock import parse_stamp
    from fieldkit.demo.forms import visit_form

    [record] = documents.list_documents(window.store, demo.case.id, "visit")
    ended = parse_stamp(entries[-1].written_at).replace(microsecond=0) - timedelta(minutes=1)
    documents.save_document(window.store, demo.case.id, "visit",
                            visit_form(ended - timedelta(minutes=95), ended),
                            document_id=record.id)
    page.notes.reload()
    newest = page.notes.model.index(page.notes.model.rowCount() - 1, 0).data()
    assert "(written after the visit ended)" in newest and "Second cabin" in newest

    # Correct it: select the entry, Ctrl+E, edit, Enter.
    page.notes.list.setFocus()
    page.notes.list.setCurrentIndex(page.notes.model.index(page.notes.model.rowCount() - 1, 0))
    qtbot.keyClick(page.notes.list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert box.hasFocus()
    assert "Correcting entry" in page.notes.mode.text()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "10:50 Second cabin found behind the staff toilets")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    after = notes.list_notes(window.store, demo.visit.id)
    original, correction = after[-2], after[-1]
    assert original.text == "10:50 Second cabin found\nbehind the office"  # never changed
    assert correction.corrects == original.id
    shown = [page.notes.model.entry(r).id for r in range(page.notes.model.rowCount())]
    assert shown.index(correction.id) == shown.index(original.id) + 1  # right beneath it
    row = shown.index(original.id)
    index = page.notes.model.index(row, 0)
    assert index.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert f"[corrected by #{correction.seq}]" in index.data()  # in words, not only struck out


def test_reading_order_places_each_correction_after_its_original(store):
    case = cases.create_case(store, "Reading order")
    visit = cases.create_visit(store, case.id, "Unit 1", "1 Example Road")
    first = notes.add_note(store, visit.id, "one")
    notes.add_note(store, visit.id, "two")
    fixed = notes.correct_note(store, first.id, "one, corrected")
    again = notes.correct_note(store, fixed.id, "one, corrected again")
    order = [e.text for e in reading_order(notes.list_notes(store, visit.id))]
    assert order == ["one", "one, corrected", "one, corrected again", "two"]
    assert again.corrects == fixed.id


def test_the_notes_list_names_every_correction_of_an_entry(qtbot, store):
    case = cases.create_case(store, "Corrected twice")
    visit = cases.create_visit(store, case.id, "Unit 1", "1 Example Road")
    one = notes.add_note(store, visit.id, "three men")
    two = notes.correct_note(store, one.id, "four men")
    notes.correct_note(store, two.id, "three men and a boy")
    notes._append(store, visit.id, "three men, in the store room", one.id)  # as an earlier
    model = NotesModel()                                  # release allowed: shown as it is
    model.set_entries(notes.list_notes(store, visit.id))
    shown = {model.entry(row).seq: model.describe(model.entry(row))
             for row in range(model.rowCount())}
    assert shown[1].endswith("three men  [corrected by #2, #4]")
    assert "correction of #1:" in shown[2] and shown[2].endswith("[corrected by #3]")
    assert "correction of #2:" in shown[3] and "[corrected" not in shown[3]
    assert "correction of #1:" in shown[4] and "[corrected" not in shown[4]


def test_photos_and_documents_become_numbered_hashed_exhibits(qtbot, window, demo, tmp_path: Path,
                                                              picked_files, monkeypatch):
    page = window.workspace.open_visit(demo.visit.id)
    page.tabs.setCurrentIndex(2)
    view = page.exhibits
    picked_files.append(write_file(tmp_path, "yard.png", demo_photo(40, 30)))
    picked_files.append(write_file(tmp_path, "rota.txt", b"Fictional rota: 7am-9pm daily"))
    qtbot.keyClicks(view.description, "Yard and rota")
    view.add_button.setFocus()
    qtbot.keyClick(view.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)

    saved = exhibits.list_exhibits(window.store, demo.case.id)
    assert [e.exhibit_ref for e in saved] == ["OT/1", "OT/2", "OT/3"]
    assert saved[1].filename == "yard.png" and saved[1].description == "Yard and rota"
    import hashlib

    assert saved[2].sha256 == hashlib.sha256(b"Fictional rota: 7am-9pm daily").hexdigest()
    photo = view.model.index(1, 0)
    assert photo.data(Qt.ItemDataRole.DecorationRole) is not None  # a thumbnail
    assert saved[1].sha256 in view.model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)

    # The same photo chosen again is asked about (No: not added twice; Yes: it is).
    answers = [False, True]
    monkeypatch.setattr("ui.exhibits_view.confirm_same_file",
                        lambda _parent, reference: reference == "OT/2" and answers.pop(0))
    picked_files[:] = [write_file(tmp_path, "yard-again.png", demo_photo(40, 30))]
    qtbot.keyClick(view.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Not added again: already OT/2." in view.message.text(),
                    timeout=10_000)
    assert view.model.rowCount() == 3
    qtbot.keyClick(view.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10_000)
    assert view.message.text() == "Added OT/4."


def test_a_new_visit_record_saves_with_the_indicators_for_the_business(qtbot, window):
    workspace = window.workspace
    case = cases.create_case(window.store, "Operation Foxglove: car washes")
    workspace.open_case(case.id)
    case_page = workspace.current()
    qtbot.keyClicks(case_page.premises, "Sparkle Valet")
    qtbot.keyClicks(case_page.address, "Yard 2, 14 Example Lane, Coventry")
    qtbot.keyClick(case_page.address, Qt.Key.Key_Return)
    page = workspace.current()
    assert page.visit.premises_name == "Sparkle Valet"
    assert page.notes.input.hasFocus()  # ready to write the first note at once
    business = page.form.fields["premises"].editor.fields["business_type"].combo
    business.setFocus()
    qtbot.keyClick(business, Qt.Key.Key_Down)  # Not answered -> Hand car wash
    titles = lambda: [page.indicators.model.item(r).text()  # noqa: E731
                      for r in range(page.indicators.model.rowCount())]
    qtbot.waitUntil(lambda: "Hand car wash" in titles())
    assert "Sexual exploitation" not in titles()  # only the lists for this business
    page.tabs.setCurrentIndex(1)
    view = page.indicators.view
    view.setFocus()
    view.setCurrentIndex(page.indicators.model.index(1, 0))  # the first general indicator
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert page.indicators.ticked() == ["general.signs_of_abuse"]
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = documents.list_documents(window.store, case.id, "visit")
    assert len(saved) == 1 and saved[0].visit_id == page.visit.id
    data = json.loads(saved[0].data)
    assert data["premises"]["business_type"] == "hand_car_wash"
    assert data["premises"]["name"] == "Sparkle Valet"
    assert data["indicators_ticked"] == ["general.signs_of_abuse"]
    assert "saved" in page.form_message.text()


def test_ctrl_e_from_the_entry_box_goes_to_the_entries_to_choose_one(qtbot, window, demo):
    """From the entry box, Ctrl+E said only "Select the entry to correct first", and the
    entries were dozens of Tab presses away."""
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_visit(demo.visit.id)
    box, entries = page.notes.input, page.notes.list
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert entries.hasFocus()
    assert entries.currentIndex().row() == page.notes.model.rowCount() - 1  # the newest
    assert "Up and Down" in page.notes.message.text()
    qtbot.keyClick(entries, Qt.Key.Key_Up)
    chosen = page.notes.model.entry(entries.currentIndex().row())
    qtbot.keyClick(entries, Qt.Key.Key_Return)
    assert box.hasFocus() and box.toPlainText() == chosen.text
    assert "Correcting entry" in page.notes.mode.text()


def test_an_entry_found_by_search_says_when_it_was_corrected_since(qtbot, window, demo):
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_visit(demo.visit.id)
    original = notes.add_note(window.store, demo.visit.id, "11:02 Van registration noted")
    notes.correct_note(window.store, original.id, "11:02 Van seen, registration not clear")
    page.notes.reload()
    assert page.notes.show_entry(original.id)
    assert page.notes.model.entry(page.notes.list.currentIndex().row()).id == original.id
    assert "corrected later" in page.notes.message.text()
    assert not page.notes.show_entry("no-such-entry")


def test_starting_a_correction_never_types_over_words_not_yet_added(qtbot, window, demo):
    """Half a note in the box, Ctrl+E, Enter: the entry's text replaced it, and Escape then
    emptied the box: the words were gone."""
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_visit(demo.visit.id)
    box, entries = page.notes.input, page.notes.list
    box.setFocus()
    qtbot.keyClicks(box, "half typed words about the back room")
    qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert entries.hasFocus()
    qtbot.keyClick(entries, Qt.Key.Key_Return)
    assert box.toPlainText() == "half typed words about the back room"
    assert "not yet added" in page.notes.message.text() and box.hasFocus()
    assert "Correcting entry" not in page.notes.mode.text()


def test_ctrl_home_in_the_indicator_list_stays_in_the_visit(qtbot, window, demo):
    """In a list (or a text box) Ctrl+Home goes to its first item, as it does everywhere; it
    threw the officer out of the visit to all cases, where the next keys typed into the filter."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    workspace = window.workspace
    page = workspace.open_visit(demo.visit.id)
    page.tabs.setCurrentWidget(page.indicators)
    view = page.indicators.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(view.model().index(3, 0))
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current() is page and view.hasFocus()
    page.tabs.setCurrentIndex(0)
    page.form.setFocus()  # not a list: Ctrl+Home is "all cases" as before
    qtbot.keyClick(page.form, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workspace.current() is workspace.cases)


def test_alt_i_puts_the_cursor_in_the_indicator_list(qtbot, window, demo):
    """From the note box, Alt+I shows the Indicators and puts the cursor in the list (it left
    the cursor in the note box: Down and Space typed spaces into the next note)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_visit(demo.visit.id)
    qtbot.waitUntil(page.notes.input.hasFocus)
    qtbot.keyClick(page.notes.input, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.indicators.view.hasFocus)
    assert page.tabs.currentWidget() is page.indicators
    assert page.notes.input.toPlainText() == ""


def test_tab_goes_through_an_added_action_before_leaving_the_section(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """An action added on the premises record joined the window's Tab order at its end: Tab
    from its Remove button went to Back (Enter then left the visit), and after a reload Tab
    skipped the action's fields."""
    from ui.form_editor import RepeatingSection

    page = window.workspace.open_visit(demo.visit.id)
    actions = page.form.fields["actions"]
    assert isinstance(actions, RepeatingSection)
    before = len(actions.items)
    actions.add_button.setFocus()
    qtbot.keyClick(actions.add_button, Qt.Key.Key_Space)
    assert len(actions.items) == before + 1
    box = actions.items[-1].parentWidget()
    assert box is not None and box.isAncestorOf(QApplication.focusWidget())
    qtbot.waitUntil(box.isVisible)  # shown on the event loop's next turn, as on screen
    seen = []
    for _ in range(12):  # Time, Action, Details, Remove, then Add
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if seen[-1] is actions.add_button:
            break
    assert seen[-1] is actions.add_button, [w.accessibleName() for w in seen]
    assert all(box.isAncestorOf(w) for w in seen[:-1])
    assert any(w.accessibleName().startswith("Remove") for w in seen)
    # Shift+Tab from Add comes back into the entry, not to the fields above the section.
    qtbot.keyClick(actions.add_button, Qt.Key.Key_Backtab)
    assert box.isAncestorOf(QApplication.focusWidget())


# -- a keyboard-only walk of the visit page (walk A) ------------------------------------------


def _in_view(page, widget) -> bool:  # type: ignore[no-untyped-def]
    """True when the whole of ``widget`` shows in the visit record's scroll area."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QScrollArea

    scroll = next(s for s in page.findChildren(QScrollArea) if s.widget() is page.form)
    viewport = scroll.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def _fresh_visit(qtbot, window):  # type: ignore[no-untyped-def]
    """A new visit with nothing recorded (so its problems list names the business and more)."""
    case = cases.create_case(window.store, "Operation Walk")
    visit = cases.create_visit(window.store, case.id, "Unit 9", "9 Example Road")
    window.workspace.open_case(case.id)
    page = window.workspace.open_visit(visit.id)
    qtbot.waitUntil(page.problems.isVisible)
    return page


def _go_to_problem(qtbot, page, message: str) -> None:  # type: ignore[no-untyped-def]
    problems = page.problems
    problems.setFocus()
    item = next(problems.item(row) for row in range(problems.count())
                if problems.item(row).text() == message)
    problems.setCurrentItem(item)
    qtbot.keyClick(problems, Qt.Key.Key_Return)


def test_enter_on_a_problem_scrolls_the_record_to_its_field(qtbot, window):
    """Enter on "Type of business is needed" put the cursor in the field but left the record
    scrolled where it was: the officer typed into a field out of sight."""
    page = _fresh_visit(qtbot, window)
    lead = page.form.widget_at("lead_officer")
    assert lead is not None and not _in_view(page, lead)  # further down than the screen shows
    _go_to_problem(qtbot, page, "Lead officer is needed")
    assert lead.hasFocus() and _in_view(page, lead)

    bar = page.form.parentWidget().parentWidget().verticalScrollBar()
    bar.setValue(bar.maximum())  # the officer had gone down the record
    business = page.form.widget_at("premises.business_type")
    assert business is not None and not _in_view(page, business)
    _go_to_problem(qtbot, page, "Type of business is needed")
    assert business.hasFocus() and _in_view(page, business)


def test_the_record_s_access_key_puts_the_cursor_in_its_first_field_and_tab_goes_on(
        qtbot, window, demo):
    """Alt+R put the cursor on the record's scroll area (nothing showed it), and Tab from there
    went to the problems list: the record's fields were made before its tabs, so they came
    first in the Tab order, before the page itself."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_visit(demo.visit.id)
    page.tabs.setCurrentWidget(page.indicators)
    qtbot.waitUntil(page.notes.input.hasFocus)
    qtbot.keyClick(page.notes.input, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    name = page.form.widget_at("premises.name")
    qtbot.waitUntil(lambda: name.hasFocus())
    assert page.tabs.currentIndex() == 0
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.form.widget_at("premises.address")
    # From the tabs themselves, Tab goes into the record, not past it.
    page.tabs.tabBar().setFocus()
    qtbot.keyClick(page.tabs.tabBar(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is name


def test_tab_reaches_a_saved_record_s_actions_where_they_show(qtbot, window, demo):
    """The actions a saved record brought back came after the Print button in the Tab order
    (Tab from the last count went to the problems list)."""
    page = window.workspace.open_visit(demo.visit.id)
    actions = page.form.fields["actions"]
    assert len(actions.items) > 1  # the demo's visit has actions
    last_count = page.form.widget_at("workers_of_concern")
    qtbot.waitUntil(last_count.isVisible)
    last_count.setFocus()
    qtbot.keyClick(last_count, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.form.widget_at("actions.0.at")
    page.print_button.setFocus()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is page.ready_button


def test_first_focusable_goes_into_a_scroll_area_s_form(qtbot):
    from PySide6.QtWidgets import QLineEdit, QScrollArea, QVBoxLayout, QWidget

    from ui.controls import first_focusable

    page = QWidget()
    qtbot.addWidget(page)
    scroll = QScrollArea(page)  # a Tab stop of its own, as Qt makes it
    QVBoxLayout(page).addWidget(scroll)
    form = QWidget()
    field = QLineEdit(form)
    scroll.setWidget(form)
    page.show()
    qtbot.waitUntil(field.isVisible)
    assert first_focusable(page) is field


def test_back_from_a_visit_puts_the_cursor_on_its_row_in_the_visits(qtbot, window, demo):
    """Alt+Left from a visit left the cursor on Close case (Enter then asked to close it): the
    visit took the cursor as it was made, so where it had been was never kept, and the list
    was re-read with no row chosen."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    workspace = window.workspace
    case_page = workspace.open_case(demo.case.id)
    view = case_page.visits_view
    view.setFocus()
    view.setCurrentIndex(case_page.visits.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    page = workspace.current()
    assert page.visit.id == demo.visit.id
    qtbot.keyClick(page.notes.input, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert workspace.current() is case_page
    assert view.hasFocus()
    assert view.currentIndex().siblingAtColumn(0).data(ID_ROLE) == demo.visit.id

    # A visit just started from the premises and address boxes: back to its row too.
    case_page.premises.setFocus()
    qtbot.keyClicks(case_page.premises, "Unit 12")
    qtbot.keyClicks(case_page.address, "12 Example Road")
    qtbot.keyClick(case_page.address, Qt.Key.Key_Return)
    started = workspace.current()
    assert started.visit.premises_name == "Unit 12"
    qtbot.keyClick(started.notes.input, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.hasFocus()
    assert view.currentIndex().siblingAtColumn(0).data(ID_ROLE) == started.visit.id


def test_a_correction_starts_from_the_original_selected_so_typing_replaces_it(
        qtbot, window, demo):
    """Ctrl+E, Up, Enter, then typing ran on from the end of the original ("…would not let
    them answer.Correction to #2: …"), and "Choose the entry to correct with Up and Down"
    stayed on screen while correcting."""
    page = window.workspace.open_visit(demo.visit.id)
    box, entries = page.notes.input, page.notes.list
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(entries, Qt.Key.Key_Up)
    original = page.notes.model.entry(entries.currentIndex().row())
    qtbot.keyClick(entries, Qt.Key.Key_Return)
    assert box.textCursor().selectedText() == original.text  # all of it, ready to replace
    message = page.notes.message.text()
    assert "Up and Down" not in message
    assert message == ("Type the corrected entry; Enter saves it as a new timed entry; "
                       "Esc cancels.")
    qtbot.keyClicks(box, "Manager spoke for the workers")
    assert box.toPlainText() == "Manager spoke for the workers"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    saved = notes.list_notes(window.store, demo.visit.id)
    assert saved[-1].corrects == original.id and saved[-1].text == "Manager spoke for the workers"
    assert next(e for e in saved if e.id == original.id).text == original.text  # never erased

    # An arrow key keeps the original to edit: End, then the words added after it.
    entries.setFocus()
    entries.setCurrentIndex(page.notes.model.index(0, 0))
    first = page.notes.model.entry(0)
    qtbot.keyClick(entries, Qt.Key.Key_Return)
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, " (two officers)")
    assert box.toPlainText() == first.text + " (two officers)"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert page.notes.message.text() == "" and box.toPlainText() == ""


def test_a_visit_reopened_with_unsaved_changes_says_so_once(qtbot, window, demo):
    """Back and reopen: "Restored changes that had not been saved." above "Nothing changed
    yet." Restored changes are unsaved changes: the save state says so."""
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    page = workspace.open_visit(demo.visit.id)
    field = page.form.widget_at("police_reference")
    field.setFocus()
    qtbot.keyClicks(field, "CAD 1234")
    workspace.back()  # the draft is kept as the page closes
    again = workspace.open_visit(demo.visit.id)
    assert again.form.widget_at("police_reference").text() == "CAD 1234"
    assert again.save_state.text().startswith("Restored changes not yet saved")
    assert "Nothing changed" not in again.save_state.text()
    assert "Restored" not in again.form_message.text()  # said once, where the state is said


def test_shift_tab_from_the_note_box_goes_to_the_entries_above_it(qtbot, window, demo):
    """Shift+Tab from the note box went to the pathway checklist beside the visit."""
    page = window.workspace.open_visit(demo.visit.id)
    box = page.notes.input
    qtbot.waitUntil(box.isVisible)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Backtab)
    assert page.notes.list.hasFocus()
    qtbot.keyClick(page.notes.list, Qt.Key.Key_Tab)
    assert box.hasFocus()


def test_a_repeating_section_s_entries_are_named_one_at_a_time(qtbot, window, demo):
    """The visit's actions were headed "Actions 1", "Actions 2"."""
    page = window.workspace.open_visit(demo.visit.id)
    actions = page.form.fields["actions"]
    first = actions.items[0].parentWidget()
    assert first.title() == "Action 1"
    remove = [w for w in first.findChildren(QPushButton) if w.text() == "Remove"]
    assert remove[0].accessibleName() == "Remove Action 1"
    assert actions.add_button.text() == "Add to: Actions"


# -- a keyboard-only walk of the visit page (walk C) ------------------------------------------


def test_start_visit_now_changes_only_the_start_and_asks_before_replacing_it(
        qtbot, window, demo, monkeypatch):
    """Alt+V remade the whole record (the actions' entries too): the cursor was lost (typing
    went nowhere, Tab went to Back) and the record jumped; pressed again, it silently
    overwrote the start already recorded."""
    from datetime import datetime

    asked: list[tuple[str, str, str]] = []
    answer = [False]
    monkeypatch.setattr("ui.visit.confirm_replace_time",
                        lambda _parent, which, recorded, now:
                        asked.append((which, recorded, now)) or answer[0])
    now = datetime(2026, 12, 3, 10, 21, 30).astimezone()
    monkeypatch.setattr("fieldkit.clock.local_now", lambda: now)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_visit(demo.visit.id)
    start = page.form.widget_at("started_at")
    recorded = start.text()
    assert recorded  # the demo's visit has a start
    details = page.form.widget_at("actions.0.details")
    qtbot.waitUntil(details.isVisible)
    details.setFocus()
    page.record_scroll.ensureWidgetVisible(details)
    qtbot.waitUntil(details.hasFocus)
    bar = page.record_scroll.verticalScrollBar()
    where = bar.value()
    assert where > 0

    qtbot.keyClick(details, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked[0][0] == "start" and asked[0][2] == "10:21"
    assert start.text() == recorded  # No (the default): the recorded start stays

    answer[0] = True
    qtbot.keyClick(details, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: start.text() == "2026-12-03 10:21")
    assert page.form.widget_at("actions.0.details") is details  # not remade
    assert details.hasFocus() and bar.value() == where
    qtbot.keyClicks(details, " Typed after.")
    assert page.form.value()["actions"][0]["details"].endswith(" Typed after.")
    assert "10:21" in page.form_message.text()

    # Nothing recorded yet: no question, the time is simply recorded.
    end = page.form.widget_at("ended_at")
    page.form.set_field_value("ended_at", None)
    assert end.text() == ""
    qtbot.keyClick(details, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: end.text() == "2026-12-03 10:21")
    assert len(asked) == 2 and details.hasFocus()


def test_the_question_before_replacing_a_time_defaults_to_no(qtbot):
    """Enter on the question keeps the recorded time: replacing it is never the default."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.visit import confirm_replace_time

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_enter)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    assert not confirm_replace_time(parent, "start", "10:17", "10:21")
    assert seen == ["The visit's start is recorded as 10:17. Replace it with now (10:21)?"]


def test_an_entry_added_to_a_section_scrolls_into_view(qtbot, window, demo):
    """Add to: Actions (and Add to: Partner agencies) put the cursor in the new entry's first
    field below what the record showed: the officer typed into a field out of sight."""
    from ui.form_editor import RepeatingSection

    page = window.workspace.open_visit(demo.visit.id)
    for path in ("actions", "plan.partners"):
        section = page.form.field_at(path)
        assert isinstance(section, RepeatingSection), path
        add = section.add_button
        qtbot.waitUntil(add.isVisible)
        add.setFocus()
        qtbot.waitUntil(add.hasFocus)
        page.record_scroll.verticalScrollBar().setValue(0)  # the new entry far below
        qtbot.keyClick(add, Qt.Key.Key_Space)
        entry = section.items[-1].parentWidget()
        first = QApplication.focusWidget()
        assert entry.isAncestorOf(first), path
        qtbot.waitUntil(lambda: _in_view(page, first), timeout=2000)  # noqa: B023
        qtbot.wait(200)  # and still once everything is laid out
        assert _in_view(page, first) and first.hasFocus()


def test_shift_tab_into_the_entries_starts_at_the_newest(qtbot, window, demo):
    """Three notes written, Shift+Tab to the entries, Up: the first entry was chosen, not the
    one before the newest (the list started at its top)."""
    page = window.workspace.open_visit(demo.visit.id)
    box, entries = page.notes.input, page.notes.list
    qtbot.waitUntil(box.isVisible)
    box.setFocus()
    for text in ("First look round", "Second room", "Third: the yard"):
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)
    rows = page.notes.model.rowCount()
    qtbot.keyClick(box, Qt.Key.Key_Backtab)
    assert entries.hasFocus()
    assert page.notes.model.entry(entries.currentIndex().row()).text == "Third: the yard"
    qtbot.keyClick(entries, Qt.Key.Key_Up)
    assert entries.currentIndex().row() == rows - 2
    assert page.notes.model.entry(rows - 2).text == "Second room"


def test_save_says_so_and_print_works_from_the_indicators_tab(qtbot, window, demo, monkeypatch):
    """Ctrl+S on the Indicators saved with nothing to show it (the message line and the save
    state were on the record's tab), and Alt+P (Print report) did nothing there."""
    asked: list[str] = []
    monkeypatch.setattr("ui.print_pack.choose_pack_path",
                        lambda _parent, suggested, *_: asked.append(suggested))  # cancelled
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_visit(demo.visit.id)
    page.tabs.setCurrentWidget(page.indicators)
    view = page.indicators.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "saved as a draft" in page.form_message.text()
    qtbot.waitUntil(page.form_message.isVisible)
    assert page.save_state.isVisible() and page.save_state.text().startswith("All changes saved")
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked[0].endswith("-visit-report.pdf")
    assert page.tabs.currentWidget() is page.indicators


def test_tab_from_the_indicators_and_photos_reaches_the_buttons_under_them(qtbot, window, demo):
    """The buttons under the tabs (Start visit now ... Print report) were out of reach by Tab
    from the Indicators and Photos tabs: Tab went past them to the notes."""
    from ui.controls import last_focusable

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_visit(demo.visit.id)
    for tab in (page.indicators, page.exhibits):
        page.tabs.setCurrentWidget(tab)
        last = last_focusable(tab)
        assert last is not None, tab
        last.setFocus()
        qtbot.waitUntil(last.hasFocus)
        qtbot.keyClick(last, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is page.start_button, tab
        qtbot.keyClick(page.start_button, Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is last, tab
    # From the last button, Tab goes on to the notes, as before.
    page.print_button.setFocus()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Tab)
    assert page.notes.isAncestorOf(QApplication.focusWidget())
    # On the record's tab, Shift+Tab from the first button still goes back into the record.
    page.tabs.setCurrentIndex(0)
    page.start_button.setFocus()
    qtbot.keyClick(page.start_button, Qt.Key.Key_Backtab)
    assert page.tabs.currentWidget().isAncestorOf(QApplication.focusWidget())
