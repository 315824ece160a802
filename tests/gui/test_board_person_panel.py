"""The reception board's person panel and board at 1366x768, from the keyboard (defects found
by a coordinator's walk): the rules' "Not complete yet" line follows each edit, F6 shows the
field it focuses, a child is never offered consent, a child's NRM waits for the MASH, the
messages read as sentences, leaving is counted apart from waiting, and Alt+C in a case goes to
its boards."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit import cases
from forms import BoardStep, StepStatus
from forms.choices import AgeGroup, ConsentDecision
from ui.reception_board import ReceptionBoardPage
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


def test_editing_the_person_keeps_the_not_complete_line(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """An edit rewrote the route alone: the rules' "Not complete yet" line went, and came
    back only when the person was selected again."""
    _case, page = _centre_with(qtbot, window)
    _choose(page.panel, "age_group", AgeGroup.ADULT.value)
    _choose(page.panel, "consent", ConsentDecision.GIVEN.value)  # before the booklet time
    text = page.panel.route.text()
    assert text.startswith("Route: NRM referral (the adult consented).")
    assert "Not complete yet: Record when the NRM was explained with the booklet" in text
    _choose(page.panel, "consent", ConsentDecision.NOT_ASKED.value)
    assert "Record when the NRM was explained" not in page.panel.route.text()


def test_the_panels_messages_read_as_sentences(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """"…told what the NRM is; An NRM referral is needed": each rule's words are a sentence."""
    _case, page = _centre_with(qtbot, window)
    _choose(page.panel, "age_group", AgeGroup.ADULT.value)
    _choose(page.panel, "consent", ConsentDecision.GIVEN.value)
    page.panel.show_person(page.model.person(0), page.model.as_of)  # as when selected
    text = page.panel.route.text()
    assert "; A" not in text
    assert ("Record when the NRM was explained with the booklet: consent counts only once "
            "the person was told what the NRM is. An NRM referral is needed") in text
    assert text.endswith("not a Duty to Notify.")


def _shown(page, widget: QWidget) -> bool:  # type: ignore[no-untyped-def]
    """``widget`` wholly inside the panel's scrolled view."""
    view = page.panel.details_scroll.viewport()
    top_left = widget.mapTo(view, widget.rect().topLeft())
    return view.rect().contains(QRect(top_left, widget.size()))


def test_f6_shows_the_field_it_puts_the_cursor_in(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case, page = _centre_with(qtbot, window)
    bar = page.panel.details_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # the officer had scrolled to the end of the details
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    focused = QApplication.focusWidget()
    assert page.panel.isAncestorOf(focused)
    qtbot.waitUntil(lambda: _shown(page, focused))


def test_with_the_board_focused_the_panel_shows_several_fields(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """At 1366x768 the panel showed two or three fields beside the board: half the height each
    (the board still shows several people), and F6 back gives the board that half again."""
    window.resize(1366, 768)
    _case, page = _centre_with(qtbot, window, people=4)
    qtbot.wait(50)
    fields = [page.panel.editor.widget_at(name) for name in page.panel.editor.fields]
    assert sum(_shown(page, w) for w in fields if w is not None) >= 5
    rows = page.table.viewport().height() // page.table.verticalHeader().defaultSectionSize()
    assert rows >= 6  # the board still shows several people
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert page.table.hasFocus()
    assert sum(_shown(page, w) for w in fields if w is not None) >= 5


def test_a_child_is_not_offered_consent(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case, page = _centre_with(qtbot, window, people=2)
    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.CHILD, "estimated_age": 16}))
    page.model.set_person(1, page.model.person(1).model_copy(
        update={"age_group": AgeGroup.ADULT}))
    consent = page.panel.editor.fields["consent"]
    page.table.setCurrentIndex(page.proxy.index(0, 1))
    assert not consent.isEnabled()
    assert page.panel.consent_note.isVisibleTo(page.panel)
    assert page.panel.consent_note.text() == (
        "A child needs no consent: always referred to the NRM, and to the MASH.")
    page.table.setCurrentIndex(page.proxy.index(1, 1))
    assert consent.isEnabled() and not page.panel.consent_note.isVisibleTo(page.panel)
    _choose(page.panel, "age_group", AgeGroup.CHILD.value)  # an edit: the rules apply at once
    assert not consent.isEnabled() and page.panel.consent_note.isVisibleTo(page.panel)


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
    assert page.summary.text().startswith("3 received, 2 still here, 1 left")
    filters = [page.filter.itemText(i) for i in range(page.filter.count())]
    assert "Waiting for: Left" not in filters and "Still at the centre" in filters


def test_alt_c_in_a_case_goes_to_its_boards_and_enter_reopens_one(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.open_case(demo.case.id)
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.receptions_view.hasFocus)
    assert page.receptions_view.currentIndex().isValid()
    qtbot.keyClick(page.receptions_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.workspace.current(), ReceptionBoardPage))
    assert window.workspace.current()._document_id is not None  # the demo's board, not a new one


def test_alt_c_in_a_case_with_no_board_goes_to_open_a_new_one(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    case = cases.create_case(window.store, "Operation Foxglove: nail bars")
    page = window.workspace.open_case(case.id)
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and
                    QApplication.focusWidget().text().replace("&", "")  # type: ignore[attr-defined]
                    == "Open a new reception board")


def test_the_summary_prints_from_the_board(qtbot, window, demo, tmp_path,
                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The reception summary could be printed only with every pack of the case (Print all
    packs), which writes every NRM and Duty to Notify draft too: the board prints its own,
    saving the board first so what is printed is a saved version."""
    from fieldkit import documents
    from tests.gui.conftest import board_with_a_person_selected
    from tests.unit.test_pdf_tools import pdf_text

    board = board_with_a_person_selected(qtbot, window, demo)
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr("ui.print_pack.choose_pack_path", lambda *_: str(target))
    board.new_reference.setText("W9")
    board.register()  # an unsaved change: printing saves it first
    qtbot.keyClick(board, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Print the su&mmary
    qtbot.waitUntil(lambda: "Summary saved to" in board.message.text(), timeout=30_000)
    text = pdf_text(target.read_bytes())
    assert "W9" in text and "Reception" in text
    saved = documents.list_documents(board._store, board._case_id, "reception")[-1]
    assert "W9" in saved.data
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_f6_keeps_the_selected_person_in_sight_on_the_smaller_board(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """With R007 selected, F6 gave the details most of the height and the board, now two rows
    high, showed R001 and R002: nothing said whose details these were."""
    window.resize(1366, 768)
    _case, page = _centre_with(qtbot, window, people=20)
    qtbot.wait(50)
    page.table.setCurrentIndex(page.proxy.index(15, 1))  # scrolled to: the board's last row
    qtbot.wait(50)
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: page.table.viewport().rect().contains(
        page.table.visualRect(page.table.currentIndex())))


def test_the_set_up_records_the_interpreters_booked(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The set-up had no way to record interpreters, so the printed summary always said
    "Interpreters: Not recorded" though the checklist asks for one for each language."""
    _case, page = _centre_with(qtbot, window, people=1)
    section = page.details.fields["interpreters"]
    section.add_button.setFocus()
    qtbot.keyClick(section.add_button, Qt.Key.Key_Space)
    entry = section.items[-1]
    combo = entry.fields["language"].combo
    combo.setCurrentIndex(combo.findData("vie"))
    page.save()
    from fieldkit import documents

    saved = documents.list_documents(window.store, _case.id, "reception")[-1]
    assert '"language":"vie"' in saved.data.replace(" ", "")
