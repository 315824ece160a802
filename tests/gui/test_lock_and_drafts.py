"""Auto-lock, Ctrl+L, the clipboard wipe, and drafts that survive locking and reopening."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fieldkit.drafts import DraftKind, DraftOwner, load_draft
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from ui import clipboard
from ui.cases import CasesModel
from ui.main_window import MainWindow


def _unlock(window: MainWindow, demo) -> None:
    window.open_store(Store.unwrap_key(demo.settings, PASSPHRASE))


def test_auto_lock_after_a_shortened_idle_time(qtbot, demo):
    window = MainWindow(demo.settings, idle_ms=300)
    qtbot.addWidget(window)
    window.show()
    _unlock(window, demo)
    store = window.store
    assert window.idle.is_running()
    clipboard.copy_text("EX-001 hash, copied from fieldkit")
    with qtbot.waitSignal(window.idle.idle, timeout=5_000):
        pass
    assert window.store is None and not store.is_open
    assert window.workspace is None
    assert window.pages.currentWidget() is window.unlock_page
    assert window.status.lock_label.text() == "Locked"
    assert QGuiApplication.clipboard().text() == ""
    qtbot.waitUntil(lambda: not window.findChildren(CasesModel))  # decrypted views destroyed


def test_typing_keeps_the_window_unlocked(qtbot, demo):
    window = MainWindow(demo.settings, idle_ms=1000)
    qtbot.addWidget(window)
    window.show()
    _unlock(window, demo)
    search = window.workspace.cases.search
    search.setFocus()
    # ~13 x 120 ms of typing: longer than the idle time in total, with a wide margin per key.
    for letter in "Larkspur yard":
        qtbot.keyClick(search, letter)
        qtbot.wait(120)
    assert window.store is not None
    window.lock()


def _note_owner(demo) -> DraftOwner:
    return DraftOwner(DraftKind.NOTE, demo.visit.case_id, visit_id=demo.visit.id)


def test_ctrl_l_locks_and_keeps_the_note_being_typed(qtbot, window, demo):
    page = window.workspace.open_visit(demo.visit.id)
    qtbot.keyClicks(page.notes.input, "10:55 Half-typed note")
    assert page.notes.draft.pending
    qtbot.keyClick(page.notes.input, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.store is None  # locked at once; the pending draft was written first
    _unlock(window, demo)
    assert load_draft(window.store, _note_owner(demo)).data == {
        "text": "10:55 Half-typed note", "corrects": None}
    page = window.workspace.open_visit(demo.visit.id)
    assert page.notes.input.toPlainText() == "10:55 Half-typed note"
    assert "Restored" in page.notes.message.text()


def test_a_draft_is_written_within_two_seconds_of_typing(qtbot, window, demo):
    page = window.workspace.open_visit(demo.visit.id)
    with qtbot.waitSignal(page.notes.draft.saved, timeout=2_000):
        qtbot.keyClicks(page.notes.input, "11:02 Vehicle registration noted")
    assert load_draft(window.store, _note_owner(demo)).data["text"] == (
        "11:02 Vehicle registration noted")
    qtbot.keyClick(page.notes.input, Qt.Key.Key_Return)  # committed: the draft is gone
    assert load_draft(window.store, _note_owner(demo)) is None


def test_person_form_fields_are_drafted_and_restored(qtbot, window, demo):
    person = demo.people["W4"]
    page = window.workspace.open_person(person.id)
    page.show_section("account")
    edit = page.editor("account").widget_at("account")
    with qtbot.waitSignal(page.draft.saved, timeout=2_000):
        qtbot.keyClicks(edit, "Says he was promised work in a warehouse")
    window.workspace.back()
    page = window.workspace.open_person(person.id)
    assert page.form_data()["account"] == "Says he was promised work in a warehouse"


def test_send_to_lead_says_honestly_it_is_not_set_up(qtbot, window):
    window.send_action.trigger()
    assert "Open a case first" in window.statusBar().currentMessage()
    assert window.status.outbox_label.text() == "To Lead: not set up"


def test_unlocking_comes_back_to_the_case_tab_that_was_showing(qtbot, window, demo):
    """Locked on a case's People tab, unlocked on its Visits tab."""
    page = window.workspace.open_case(demo.case.id)
    page.tabs.setCurrentIndex(1)  # People
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.store is None
    _unlock(window, demo)
    again = window.workspace.current()
    assert again.place()[:2] == ("case", demo.case.id)
    assert again.tabs.currentIndex() == 1
