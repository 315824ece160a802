"""Alt keys, walked screen by screen in the main window at 1366x768: no Alt+letter belongs to
two things at once (a tab's key shadowed by the File menu, two buttons sharing Alt+P), and the
keys that clashed now do what they say."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.access_keys import clashes, mnemonic, walk


def test_no_alt_key_does_two_things_on_any_screen(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    for where in walk(qtbot, window, demo):
        assert not clashes(window), f"{where}: an Alt key does two things: {clashes(window)}"


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
