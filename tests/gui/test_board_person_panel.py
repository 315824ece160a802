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
    assert text.startswith("Route: not decided yet: the consent recorded does not count")
    assert "Not complete yet: Consent was recorded at " in text
    assert "the NRM has not been recorded as explained with the booklet" in text
    _choose(page.panel, "consent", ConsentDecision.NOT_ASKED.value)
    assert "Consent was recorded" not in page.panel.route.text()


def test_the_panels_messages_read_as_sentences(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """"…told what the NRM is; An NRM referral is needed": each rule's words are a sentence."""
    _case, page = _centre_with(qtbot, window)
    _choose(page.panel, "age_group", AgeGroup.ADULT.value)
    page.model.set_person(0, page.model.person(0).model_copy(  # an older record: no time kept
        update={"consent": ConsentDecision.GIVEN}))
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
        "A child, or possibly a child (an age disputed or not sure), needs no consent: "
        "always referred to the NRM, and to the MASH.")
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


def test_consent_before_the_explanation_is_asked_again_on_the_board(qtbot, window,
                                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """R-RECEPTION-CONSENT-ORDER, from the keyboard: consent ticked at 10:05 before the NRM was
    explained at 10:20 stayed "✓ Given" and its warning went once "NRM explained" was ticked.
    The board says "! Ask again", the panel shows when the decision was recorded and why it
    does not count, and Space on Consent after the explanation records the answer again."""
    from datetime import datetime

    from fieldkit import clock

    _case, page = _centre_with(qtbot, window)
    now = [datetime(2026, 5, 14, 10, 5).astimezone()]
    monkeypatch.setattr(clock, "local_now", lambda: now[0])

    def at(minutes: int) -> None:
        now[0] = datetime(2026, 5, 14, 10, minutes).astimezone()

    page.model.set_person(0, page.model.person(0).model_copy(
        update={"age_group": AgeGroup.ADULT}))
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.CONSENT))
    at(5)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # 10:05: given, before any explanation
    assert page.model.person(0).consent is ConsentDecision.GIVEN
    assert page.model.index(0, 1 + STEPS.index(BoardStep.CONSENT)).data() == "! Ask again"
    assert page.panel.consent_time.text() == "Decision recorded at 10:05"
    assert page.panel.consent_time.isVisibleTo(page.panel)
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.NRM_EXPLAINED))
    at(20)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # 10:20: explained, after the consent
    text = page.panel.route.text()
    assert "the adult consented" not in text
    assert ("Consent was recorded at 10:05, before the NRM was explained at 10:20: explain the "
            "NRM with the booklet, then ask again and record their answer") in text
    assert page.model.status(0, BoardStep.CONSENT) is StepStatus.WAITING
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.NRM_OR_DTN))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # no NRM on consent that was not informed
    assert page.message.text() == "Ask about consent first: the route depends on it."
    page.table.setCurrentIndex(_cell(page, 0, BoardStep.CONSENT))
    at(30)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # 10:30: asked again, given
    assert page.model.index(0, 1 + STEPS.index(BoardStep.CONSENT)).data() == "✓ Given"
    assert page.panel.consent_time.text() == "Decision recorded at 10:30"
    assert page.panel.route.text().startswith("Route: NRM referral (the adult consented).")
    assert "Consent was recorded" not in page.panel.route.text()


def test_the_panels_consent_choice_stamps_its_time(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """R-RECEPTION-CONSENT-TIME: a decision chosen in the person's details is stamped by the
    core as Space on the board is; another edit keeps the time; not asked clears it."""
    from datetime import datetime, timedelta

    from fieldkit import clock

    _case, page = _centre_with(qtbot, window)
    now = [datetime(2026, 5, 14, 11, 10).astimezone()]
    monkeypatch.setattr(clock, "local_now", lambda: now[0])
    _choose(page.panel, "age_group", AgeGroup.ADULT.value)
    assert not page.panel.consent_time.isVisibleTo(page.panel)
    _choose(page.panel, "consent", ConsentDecision.REFUSED.value)
    stamped = page.model.person(0).consent_recorded_at
    assert stamped == now[0] and page.panel.consent_time.text() == "Decision recorded at 11:10"
    now[0] += timedelta(minutes=5)
    _choose(page.panel, "gender", "female")
    assert page.model.person(0).consent_recorded_at == stamped
    _choose(page.panel, "consent", ConsentDecision.NOT_ASKED.value)
    assert page.model.person(0).consent_recorded_at is None
    assert not page.panel.consent_time.isVisibleTo(page.panel)
