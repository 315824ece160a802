"""Alt keys, walked screen by screen in the main window at 1366x768: no Alt+letter belongs to
two things at once (a tab's key shadowed by the File menu, two buttons sharing Alt+P), and the
keys that clashed now do what they say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from fieldkit import cases
from tests.gui.access_keys import clashes, mnemonic


def _no_clash(qtbot, window, where: str) -> None:  # type: ignore[no-untyped-def]
    page = window.workspace.current()
    qtbot.waitUntil(page.isVisible)
    assert not clashes(window), f"{where}: an Alt key does two things: {clashes(window)}"


def _each_tab(qtbot, window, tabs: QTabWidget, where: str) -> None:  # type: ignore[no-untyped-def]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.waitUntil(tabs.currentWidget().isVisible)
        _no_clash(qtbot, window, f"{where}, tab {tabs.tabText(index)!r}")


def test_no_alt_key_does_two_things_on_any_screen(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    workspace = window.workspace
    _no_clash(qtbot, window, "cases list")
    case_page = workspace.open_case(demo.case.id)
    _each_tab(qtbot, window, case_page.tabs, "case")
    visit = workspace.open_visit(demo.visit.id)
    _each_tab(qtbot, window, visit.tabs, "visit")
    workspace.back()
    workspace.open_person(demo.people["W1"].id)
    _no_clash(qtbot, window, "person's NRM form")
    workspace.back()
    for kind in ("referral", "intel"):
        workspace.open_document(demo.case.id, kind)
        _no_clash(qtbot, window, f"{kind} form")
        workspace.back()
    board = workspace.open_reception(demo.case.id)
    _each_tab(qtbot, window, board.tabs, "reception board")
    board.tabs.setCurrentIndex(1)
    board.table.setFocus()
    board.table.setCurrentIndex(board.proxy.index(0, 1))
    qtbot.waitUntil(board.panel.form_button.isVisible)
    _no_clash(qtbot, window, "reception board, a person chosen")
    board.panel.form_button.click()
    _no_clash(qtbot, window, "NRM form opened from the board")
    workspace.home()
    workspace.open_outbox()
    _no_clash(qtbot, window, "outbox")
    workspace.open_search()
    _no_clash(qtbot, window, "search")
    workspace.home()
    cases.set_case_status(window.store, demo.case.id, "closed")  # Reopen shows instead
    _each_tab(qtbot, window, workspace.open_case(demo.case.id).tabs, "closed case")
    window.lock()
    qtbot.waitUntil(window.unlock_page.isVisible)
    assert not clashes(window), f"unlock screen: {clashes(window)}"


def test_no_alt_key_does_two_things_at_first_run(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    main = MainWindow(settings)  # no store yet: first run
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitUntil(main.first_run.isVisible)
    assert not clashes(main), f"first run: {clashes(main)}"


def test_no_two_items_of_a_menu_share_an_alt_key(window) -> None:  # type: ignore[no-untyped-def]
    for title in window.menuBar().actions():
        items = [a.text() for a in title.menu().actions() if not a.isSeparator()]
        keys = [mnemonic(text) for text in items]
        assert len(set(keys)) == len(keys), f"{title.text()}: {items}"


def _active(qtbot, window):  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_the_case_tabs_keys_that_clashed_now_work(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    """Alt+F (Referrals) was the File menu's; Alt+I was the Intelligence tab's and never pressed
    New intelligence report; Alt+P was Print all packs' as well as Add person's."""
    _active(qtbot, window)
    page = window.workspace.open_case(demo.case.id)
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 3)  # Referrals
    qtbot.keyClick(page, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 4)  # Intelligence
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # New intelligence report
    qtbot.waitUntil(lambda: window.workspace.current() is not page)
    assert window.workspace.current().title.startswith("Intelligence")

    window.workspace.back()
    qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # People
    qtbot.waitUntil(page.reference.hasFocus)
    qtbot.keyClicks(page.reference, "W9")
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Add person
    qtbot.waitUntil(lambda: window.workspace.current() is not page)
    assert window.workspace.current().person.reference == "W9"  # added, their form open
