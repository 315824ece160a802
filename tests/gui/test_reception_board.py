"""The reception board: the model alone with 200 people, then the page with the keyboard."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from fieldkit import cases, documents
from fieldkit.store import Store
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from forms.choices import AgeGroup
from tests.conftest import PASSPHRASE
from tests.gui.conftest import board_with_a_person_selected
from ui.reception_model import STEPS, BoardFilter, ReceptionBoardModel

NOW = datetime(2026, 11, 22, 10, 30)
TODAY = date(2026, 11, 22)


def _board(people: int) -> ReceptionBoardModel:
    model = ReceptionBoardModel(ReceptionCentre(operation="Larkspur"), TODAY)
    for n in range(1, people + 1):
        model.add_person(f"R{n:03d}", NOW)
    return model


def test_the_model_holds_200_people_with_a_column_per_step(qtbot):
    model = _board(200)
    assert model.rowCount() == 200
    assert model.columnCount() == 1 + len(STEPS)
    assert [model.headerData(c, Qt.Orientation.Horizontal).split("\n")[0]
            for c in range(1, 4)] == ["Arrived", "Welfare", "Medical"]
    arrived = model.index(0, 1 + STEPS.index(BoardStep.ARRIVED))
    welfare = model.index(0, 1 + STEPS.index(BoardStep.WELFARE))
    assert arrived.data() == "✓ 10:30" and welfare.data() == "… Waiting"  # words, not colour
    assert arrived.data(Qt.ItemDataRole.ToolTipRole) == "Arrived at 10:30 on 22 Nov 2026"
    assert arrived.data(Qt.ItemDataRole.BackgroundRole) != welfare.data(
        Qt.ItemDataRole.BackgroundRole)
    assert model.counts()[BoardStep.WELFARE] == (0, 200)
    assert "200 waiting" in model.headerData(2, Qt.Orientation.Horizontal)


def test_the_arrived_and_left_cells_show_the_time_and_its_day_in_the_tooltip(qtbot):
    model = ReceptionBoardModel(ReceptionCentre(operation="Larkspur"), TODAY)
    model.add_person("R001", datetime(2026, 11, 21, 23, 50))  # arrived before midnight
    person = model.person(0).model_copy(update={"departed_at": datetime(2026, 11, 22, 1, 5)})
    model.set_person(0, person)
    left = model.index(0, 1 + STEPS.index(BoardStep.LEFT))
    arrived = model.index(0, 1 + STEPS.index(BoardStep.ARRIVED))
    assert model.status(0, BoardStep.LEFT) is StepStatus.DONE
    assert left.data() == "✓ 01:05"
    assert left.data(Qt.ItemDataRole.ToolTipRole) == "Left at 01:05 on 22 Nov 2026"
    assert left.data(Qt.ItemDataRole.AccessibleTextRole) == "Left: ✓ 01:05"
    # Another day than the centre's keeps its time (every row read "5 Dec" after midnight);
    # the day is in the tooltip and the words a screen reader says.
    assert arrived.data() == "✓ 23:50"
    assert arrived.data(Qt.ItemDataRole.ToolTipRole) == "Arrived at 23:50 on 21 Nov 2026"
    assert arrived.data(Qt.ItemDataRole.AccessibleTextRole) == "Arrived: ✓ 23:50 on 21 Nov"


def test_a_change_repaints_only_its_row(qtbot):
    model = _board(200)
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last: changes.append((first.row(), last.row())))
    model.toggle(57, BoardStep.WELFARE, NOW)
    assert changes == [(57, 57)]
    assert model.status(57, BoardStep.WELFARE) is StepStatus.DONE
    assert model.counts()[BoardStep.WELFARE] == (1, 199)
    model.toggle(57, BoardStep.WELFARE, NOW)  # Space again undoes
    assert model.status(57, BoardStep.WELFARE) is StepStatus.WAITING


def test_the_board_follows_the_rules_for_consent_and_children(qtbot):
    model = _board(2)
    consent = BoardStep.CONSENT
    model.set_person(0, model.person(0).model_copy(update={"age_group": AgeGroup.ADULT}))
    model.toggle(0, BoardStep.NRM_EXPLAINED, NOW)  # consent counts once it is informed
    model.toggle(0, consent, NOW)
    assert model.index(0, 1 + STEPS.index(consent)).data() == "✓ Given"
    model.toggle(0, consent, NOW)
    assert model.index(0, 1 + STEPS.index(consent)).data() == "✓ Refused"
    model.toggle(0, BoardStep.NRM_OR_DTN, NOW)
    assert model.person(0).referral_form.value == "dtn"  # refused: a Duty to Notify
    model.set_person(1, model.person(1).model_copy(update={"age_group": AgeGroup.CHILD}))
    assert model.status(1, consent) is StepStatus.NOT_NEEDED
    assert model.status(1, BoardStep.MASH) is StepStatus.WAITING
    with pytest.raises(ValueError):
        model.add_person("R001", NOW)


def test_filters_show_who_is_waiting_for_what(qtbot):
    model = _board(200)
    for row in range(200):
        model.set_person(row, model.person(row).model_copy(
            update={"interpreter_needed": row % 4 == 0}))
    for row in range(0, 20, 4):
        model.toggle(row, BoardStep.INTERPRETER, NOW)
    proxy = BoardFilter()
    proxy.setSourceModel(model)
    proxy.show_waiting_for(BoardStep.INTERPRETER)
    assert proxy.rowCount() == 45
    model.toggle(40, BoardStep.INTERPRETER, NOW)  # the filter follows the change
    assert proxy.rowCount() == 44
    proxy.show_waiting_for(None)
    assert proxy.rowCount() == 200


def _new_centre(window):
    case = cases.create_case(window.store, "Operation Foxglove: nail bars")
    window.workspace.open_case(case.id)
    return case, window.workspace.open_reception(case.id)


def test_the_page_registers_arrivals_with_one_key_and_saves_the_board(qtbot, window):
    case, page = _new_centre(window)
    assert not window.workspace.pathway.isVisible()  # the board gets the full width
    for _ in range(3):
        qtbot.keyClick(page, Qt.Key.Key_Insert)
        assert page.new_reference.hasFocus()
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page.new_reference.clear()
    qtbot.keyClicks(page.new_reference, "W1")
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    assert [page.model.person(r).reference for r in range(4)] == ["R001", "R002", "R003", "W1"]
    assert "4 received" in page.summary.text()

    page.table.setFocus()
    welfare = page.proxy.index(1, 1 + STEPS.index(BoardStep.WELFARE))
    page.table.setCurrentIndex(welfare)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.status(1, BoardStep.WELFARE) is StepStatus.DONE
    page.filter.setFocus()
    index = page.filter.findText("Waiting for: Welfare")
    page.filter.setCurrentIndex(index)
    assert page.proxy.rowCount() == 3
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = documents.list_documents(window.store, case.id, "reception")
    assert len(saved) == 1
    centre = ReceptionCentre.model_validate(json.loads(saved[0].data))
    assert [p.reference for p in centre.people] == ["R001", "R002", "R003", "W1"]
    assert centre.people[1].welfare_given_at is not None


def test_the_set_up_checklist_is_kept(qtbot, window):
    case, page = _new_centre(window)
    assert page.tabs.currentIndex() == 0  # a new centre starts with its set-up
    view = page.checklist.view
    view.setFocus()
    view.setCurrentIndex(page.checklist.model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    page.save()
    saved = documents.list_documents(window.store, case.id, "reception")
    assert json.loads(saved[0].data)["setup_ticked"] == ["setup.venue_ready"]


def test_the_demo_board_opens_with_its_people(qtbot, window, demo):
    page = window.workspace.open_reception(demo.case.id)
    assert page.tabs.currentIndex() == 1
    assert page.model.rowCount() >= 4


def test_space_on_nrm_or_dtn_before_consent_says_why_nothing_changed(qtbot, window):
    _case, page = _new_centre(window)
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.ADULT}))  # an adult, not yet asked about consent
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 1 + STEPS.index(BoardStep.NRM_OR_DTN)))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.status(0, BoardStep.NRM_OR_DTN) is not StepStatus.DONE
    assert page.message.text() == "Ask about consent first: the route depends on it."

    page.table.setCurrentIndex(page.proxy.index(0, 1 + STEPS.index(BoardStep.NRM_EXPLAINED)))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # explained with the booklet, then asked
    page.table.setCurrentIndex(page.proxy.index(0, 1 + STEPS.index(BoardStep.CONSENT)))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # consent given: an NRM
    page.table.setCurrentIndex(page.proxy.index(0, 1 + STEPS.index(BoardStep.NRM_OR_DTN)))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.status(0, BoardStep.NRM_OR_DTN) is StepStatus.DONE
    assert page.model.person(0).referral_form.value == "nrm"


def _cell(page, row, step):
    return page.proxy.index(row, 1 + STEPS.index(step))


def test_space_on_a_step_the_rules_rule_out_changes_nothing_and_says_why(qtbot, window):
    """A child's consent, a refusal's Salvation Army: Space used to record a consent or a
    time hidden behind "not needed". The message clears at the next change, and the panel's
    route follows what the board records."""
    _case, page = _new_centre(window)
    for _ in range(2):
        qtbot.keyClick(page, Qt.Key.Key_Insert)
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.CHILD, "estimated_age": 15}))
    page.model.set_person(1, page.model.person(1).model_copy(
        update={"age_group": AgeGroup.ADULT}))
    page.table.setFocus()
    before = page.model.person(0)
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.CONSENT))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.person(0) == before
    assert page.message.text().startswith("Not needed for a child")
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.WELFARE))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.message.text() == ""  # that change went through: the old message goes

    page.table.setCurrentIndex(_cell(page, 1, BoardStep.CONSENT))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # refused
    assert "Duty to Notify" in page.panel.route.text()  # the panel follows at once
    # refused with no "NRM explained" time: the panel says the record is not complete, why
    assert "Not complete yet: Record when the NRM was explained" in page.panel.route.text()
    page.table.setCurrentIndex(_cell(page, 1, BoardStep.NRM_OR_DTN))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.index(1, 1 + STEPS.index(BoardStep.NRM_OR_DTN)).data() == "✓ DtN"
    page.table.setCurrentIndex(_cell(page, 1, BoardStep.SALVATION_ARMY))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.person(1).salvation_army_referred_at is None
    assert page.message.text().startswith("Not on this route")
    page.table.setCurrentIndex(_cell(page, 1, BoardStep.CONSENT))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # consent back to not asked after the DtN
    assert page.model.person(1).consent.value == "not_asked"
    assert page.model.status(1, BoardStep.NRM_OR_DTN) is StepStatus.WAITING  # not "DtN" done

    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.current() is page  # Ctrl+Home moves in the board, not away
    assert page.table.currentIndex().row() == 0


def test_a_board_never_saved_is_listed_with_the_case_and_comes_back_as_unsaved(qtbot, window):
    case, page = _new_centre(window)
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    window.workspace.back()  # the draft is kept as the page closes
    case_page = window.workspace.current()
    rows = [case_page.receptions.index(r, 0).data()
            for r in range(case_page.receptions.rowCount())]
    assert rows == ["Operation Foxglove: nail bars (not saved yet: a draft)"]
    again = window.workspace.open_reception(case.id)
    assert again.model.rowCount() == 1
    assert again.save_state.text().startswith("Restored changes not yet saved")


def test_the_form_opened_from_the_board_starts_from_what_is_on_screen(qtbot, window):
    """An estimated age typed on the board and not yet saved reached the NRM form only after
    Ctrl+S: opening the form now saves the board first."""
    case, page = _new_centre(window)
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.table.setFocus()
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.WELFARE))
    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.CHILD, "estimated_age": 15}))
    assert documents.list_documents(window.store, case.id, "reception") == []
    page.panel.form_button.click()
    saved = documents.list_documents(window.store, case.id, "reception")
    assert len(saved) == 1
    assert ReceptionCentre.model_validate(json.loads(saved[0].data)).people[0].estimated_age == 15
    assert window.workspace.current() is not page  # the person's form is on top


def test_the_board_opens_ready_to_type_and_follows_each_arrival(qtbot, window):
    case, page = _new_centre(window)
    first = page.details.widget_at("operation")
    qtbot.waitUntil(first.hasFocus)  # a new centre: its first detail
    assert page.panel.editor.isHidden()  # nobody chosen: no one's values shown
    for _ in range(2):
        qtbot.keyClick(page, Qt.Key.Key_Insert)
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    assert page.proxy.mapToSource(page.table.currentIndex()).row() == 1  # R002, just registered
    assert page.panel.heading.text() == "Person R002" and not page.panel.editor.isHidden()
    page.save()
    window.workspace.back()
    again = window.workspace.open_reception(case.id, page._document_id)
    qtbot.waitUntil(again.table.hasFocus)  # people on it: the board's first cell
    assert again.table.currentIndex().row() == 0


def test_f6_moves_between_the_board_and_the_person_s_details(qtbot, window):
    """At 1366x768 the details showed three fields and the divider could not be moved from
    the keyboard: F6 goes to the details and gives them most of the height, and back."""
    _case, page = _new_centre(window)
    window.resize(1366, 768)
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    page.table.setFocus()
    board_height = page.split.sizes()[0]
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    assert page.panel.isAncestorOf(QApplication.focusWidget())
    assert page.split.sizes()[1] > page.split.sizes()[0]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert page.table.hasFocus() and page.split.sizes()[0] >= board_height - 1


def test_people_who_have_left_are_not_counted_as_waiting(qtbot):
    model = _board(3)
    model.toggle(0, BoardStep.LEFT, NOW)  # R001 left before welfare was given
    assert model.counts()[BoardStep.WELFARE] == (0, 2)
    proxy = BoardFilter()
    proxy.setSourceModel(model)
    proxy.show_waiting_for(BoardStep.WELFARE)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["R002", "R003"]


def test_a_reference_typed_in_another_case_or_with_spaces_is_the_same_person(qtbot, window):
    """' n1 ' registered a second person beside N1 (on the board and on the People tab)."""
    from fieldkit.errors import InvalidInput

    case, page = _new_centre(window)
    cases.add_person(window.store, case.id, "W1")
    for typed in ("N1", " n1 "):
        page.new_reference.setText(typed)
        page.register()
    assert [page.model.person(r).reference for r in range(page.model.rowCount())] == ["N1"]
    assert "N1 is already on the board" in page.message.text()
    assert page.new_reference.selectedText() == " n1 "  # what is typed next replaces it
    page.new_reference.setText("w1")  # met on the visit as W1: the same person
    page.register()
    assert page.model.person(1).reference == "W1"
    with pytest.raises(InvalidInput, match="W1 is already used"):
        cases.add_person(window.store, case.id, " w1")


def test_a_case_can_have_a_second_board_and_a_new_one_comes_back_after_unlocking(
        qtbot, window, demo):
    """"Open a new reception board" opened the case's last saved board (the demo's), so the
    arrivals went onto it and a case could never have a second centre."""
    from ui.case_view import CasePage

    case_page = window.workspace.open_case(demo.case.id)
    assert isinstance(case_page, CasePage)
    saved_before = documents.list_documents(window.store, demo.case.id, "reception")
    case_page.tabs.setCurrentIndex(5)  # Reception centre
    new_button = next(b for b in case_page.findChildren(QPushButton)
                      if b.text().replace("&", "") == "Open a new reception board")
    new_button.click()
    page = window.workspace.current()
    assert page.model.rowCount() == 0  # a new board, not the demo's
    qtbot.keyClick(page, Qt.Key.Key_Insert)
    qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    assert page.place() == ("reception", demo.case.id, "new")
    page.flush_drafts()
    window.lock()
    window.open_store(Store.unwrap_key(demo.settings, PASSPHRASE))
    again = window.workspace.current()
    assert again.place() == ("reception", demo.case.id, "new") and again.model.rowCount() == 1
    again.save()
    boards = documents.list_documents(window.store, demo.case.id, "reception")
    assert len(boards) == len(saved_before) + 1


def test_back_from_a_persons_form_the_cursor_is_on_the_board_again(qtbot, window, demo):
    """Alt+N opens the selected person's form; Back puts the cursor where it was, on the
    board (it landed on the Back button, and the board's keys went elsewhere)."""
    board = board_with_a_person_selected(qtbot, window, demo)
    qtbot.waitUntil(board.table.hasFocus)
    qtbot.keyClick(board, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.workspace.current() is not board)
    window.workspace.back()
    qtbot.waitUntil(board.isVisible)
    qtbot.waitUntil(board.table.hasFocus)


def test_a_printed_summary_says_which_version_of_the_board_and_when(
        qtbot, window, monkeypatch, tmp_path):
    """Two printouts handed round a centre could not be told apart."""
    from tests.unit.test_pdf_tools import pdf_text

    _case, page = _new_centre(window)
    page.new_reference.setText("A1")
    page.register()
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr("ui.print_pack.choose_pack_path", lambda *_: str(target))
    page.print_summary()
    qtbot.waitUntil(lambda: "Summary saved" in page.message.text(), timeout=20_000)
    text = " ".join(pdf_text(target.read_bytes()).split())
    assert "from version 1 of the board: a later printout supersedes it." in text
    assert "1 person received: 1 possibly a child." in text


def test_a_reference_registered_by_mistake_is_marked_and_no_one(qtbot, window):
    """A wrongly typed reference could not be removed ("That step is always needed"): ticked
    "Registered by mistake" in its details, it says so on the board and nothing waits."""
    _case, page = _new_centre(window)
    for reference in ("A3", "A33"):
        page.new_reference.setText(reference)
        page.register()
    row = next(r for r in range(page.model.rowCount()) if page.model.person(r).reference == "A33")
    page.table.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row, 1)))
    page.panel.editor.fields["registered_in_error"].box.setChecked(True)
    assert page.model.person(row).registered_in_error
    assert page.model.index(row, 0).data() == "A33 (registered by mistake)"
    assert page.model.person(row).waiting_for(page.model.as_of) == []
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row, 2)))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.message.text().startswith("Registered by mistake: no one")

    # A3 has an age recorded: the tick would hide a possible child, so it is not kept.
    real = next(r for r in range(page.model.rowCount()) if page.model.person(r).reference == "A3")
    page.table.setCurrentIndex(page.proxy.mapFromSource(page.model.index(real, 1)))
    page.panel.editor.fields["estimated_age"].set_value(15)
    page.panel.editor.fields["estimated_age"].changed.emit()
    assert page.model.person(real).estimated_age == 15
    box = page.panel.editor.fields["registered_in_error"].box
    box.setChecked(True)
    assert not page.model.person(real).registered_in_error and not box.isChecked()
    assert "Registered by mistake is only for a reference typed wrongly" in \
        page.panel.problem.text()
    assert page.panel.typed_problem() == "" and page.save()  # said, but never in the way
    # The board counts and marks the mistaken reference apart.
    assert page.summary.text().startswith("1 received, 1 still here")
    mistaken = next(r for r in range(page.model.rowCount())
                    if page.model.person(r).reference == "A33")
    assert page.model.headerData(mistaken, Qt.Orientation.Vertical) == "A33 (mistake)"


def test_a_form_marked_ready_is_recorded_on_the_board(qtbot, window):
    """All three forms were marked ready, and every person's NRM / DtN cell still waited (the
    panel said "A Duty to Notify is needed"): opening the board records them, and says so."""
    from datetime import timedelta

    from fieldkit import clock
    from fieldkit.demo.forms import w1_nrm
    from forms.choices import ConsentDecision

    case = cases.create_case(window.store, "Operation Hawthorn: hand car wash")
    arrived = clock.local_now() - timedelta(hours=2)
    person = cases.add_person(window.store, case.id, "R001")
    centre = ReceptionCentre(operation="Hawthorn", held_on=clock.today(), people=[
        PersonReceived(reference="R001", arrived_at=arrived, age_group="adult",
                       interpreter_needed=False, nrm_explained_at=arrived + timedelta(minutes=5),
                       consent=ConsentDecision.GIVEN,
                       consent_recorded_at=arrived + timedelta(minutes=9))])
    board = documents.save_document(window.store, case.id, "reception",
                                    centre.model_dump(mode="json"))
    documents.save_document(window.store, case.id, "nrm",
                            w1_nrm(clock.today()).model_dump(mode="json"), status="ready",
                            person_id=person.id)
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id, board.id)
    cell = page.model.index(0, 1 + STEPS.index(BoardStep.NRM_OR_DTN))
    assert cell.data() == "✓ NRM"
    assert page.message.text().startswith("Recorded from the forms marked ready: R001 NRM.")
    assert page.save()
    saved = ReceptionCentre.model_validate_json(documents.get_document(
        window.store, board.id).data)
    assert saved.people[0].referral_form == "nrm"


def test_registering_someone_the_case_has_a_form_for_takes_its_age(qtbot, window):
    """W1 of the demo (an adult on an NRM) registered on a new board showed "Not sure", on the
    child route with MASH waiting."""
    from fieldkit import clock
    from fieldkit.demo.forms import w1_nrm

    case = cases.create_case(window.store, "Operation Juniper: hand car wash")
    met = cases.add_person(window.store, case.id, "W1")  # met on the visit, an NRM made
    documents.save_document(window.store, case.id, "nrm",
                            w1_nrm(clock.today()).model_dump(mode="json"), person_id=met.id)
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    page.new_reference.setText("w1")
    page.register()
    row = next(r for r in range(page.model.rowCount()) if page.model.person(r).reference == "W1")
    person = page.model.person(row)
    assert person.age_group == "adult" and person.language == "ron"
    assert page.model.status(row, BoardStep.MASH) is StepStatus.NOT_NEEDED
    assert page.message.text().startswith("W1 registered, with the age, gender and language")


def test_a_new_date_for_the_centre_is_read_at_once(qtbot):
    """The centre's date changed on the Set up tab was read only when the board was reopened."""
    model = _board(1)
    later = date(2026, 11, 23)
    model.set_centre_details(ReceptionCentre(operation="Larkspur", held_on=later))
    assert model.as_of == later
    arrived = model.index(0, 1 + STEPS.index(BoardStep.ARRIVED))
    assert arrived.data(Qt.ItemDataRole.AccessibleTextRole) == "Arrived: ✓ 10:30 on 22 Nov"


def test_consent_recorded_on_an_open_board_takes_a_form_already_made(qtbot, window):
    """R006 refused on the board, with a Duty to Notify already marked ready for them: the
    step kept waiting until the board was opened again."""
    from datetime import timedelta

    from fieldkit import clock
    from fieldkit.demo.forms import w2_nrm_draft
    from forms import nrm_to_dtn

    case = cases.create_case(window.store, "Operation Elder: hand car wash")
    person = cases.add_person(window.store, case.id, "R006")
    documents.save_document(window.store, case.id, "dtn",
                            nrm_to_dtn(w2_nrm_draft(clock.today()))[0].model_dump(mode="json"),
                            status="ready", person_id=person.id)
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    page.new_reference.setText("R006")
    page.register()
    row = next(r for r in range(page.model.rowCount()) if page.model.person(r).reference == "R006")
    assert page.model.status(row, BoardStep.NRM_OR_DTN) is StepStatus.WAITING  # not asked
    from forms.choices import ConsentDecision

    refused = page.model.person(row).model_copy(update={
        "consent": ConsentDecision.REFUSED,
        "consent_recorded_at": clock.local_now() - timedelta(minutes=1)})
    page.model.set_person(row, refused)
    assert page.model.status(row, BoardStep.NRM_OR_DTN) is StepStatus.DONE
    assert page.model.index(row, 1 + STEPS.index(BoardStep.NRM_OR_DTN)).data() == "✓ DtN"
