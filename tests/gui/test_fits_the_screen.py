"""Every screen fits a 1366x768 laptop: the NRM form opened from the reception board (Alt+N)
made the window 1476 pixels wide (the board below it counted, with the pathway panel beside
the form), so the panel was cut off at the right of the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.gui.access_keys import walk
from tests.gui.conftest import board_with_a_person_selected
from ui.person_form import PersonFormPage

AVAILABLE = QRect(0, 0, 1366, 768 - 40)
"""A 1366x768 laptop's screen less a 40-pixel task bar (the offscreen screen is not one)."""
TITLE_BAR = 38  # the window manager's, above the window (openbox at 1366x768)


def _fits(window) -> str:  # type: ignore[no-untyped-def]
    """Why ``window`` cannot fit the laptop's screen, or "" when it can (the layouts' sizes
    worked out again first: each level up asks the next in an event of its own)."""
    for _ in range(20):  # more than the levels of nested layouts in the window
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
    if smallest.width() > AVAILABLE.width() or smallest.height() + TITLE_BAR > AVAILABLE.height():
        return f"its smallest size {smallest.toTuple()} is larger than the screen"
    window.resize(AVAILABLE.width(), AVAILABLE.height() - TITLE_BAR)
    if window.width() > AVAILABLE.width():
        return f"resized to the screen it stays {window.width()} pixels wide"
    return ""


def test_the_nrm_form_opened_from_the_board_fits_the_screen(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    board = board_with_a_person_selected(qtbot, window, demo)
    qtbot.keyClick(board, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(window.workspace.current(), PersonFormPage))
    form = window.workspace.current()
    qtbot.waitUntil(form.isVisible)
    assert _fits(window) == ""
    pathway = window.workspace.pathway
    assert pathway.isVisible()
    right = pathway.mapTo(window, pathway.rect().topRight()).x()
    assert right < window.width()  # the panel beside the form is all on screen
    for row in range(form.nav.count()):  # every section's fields wrap: nothing scrolls sideways
        if form.nav.item(row).isHidden():
            continue
        form.nav.setCurrentRow(row)
        scroll = form.pages.currentWidget()
        assert isinstance(scroll, QScrollArea)
        qtbot.waitUntil(scroll.widget().isVisible)
        needed = scroll.widget().minimumSizeHint().width()
        assert needed <= scroll.viewport().width(), form.nav.item(row).text()

    window.workspace.back()  # the board again: its whole width, and it still fits
    qtbot.waitUntil(board.isVisible)
    assert _fits(window) == ""


def test_every_screen_fits_the_screen(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    for where in walk(qtbot, window, demo):
        assert _fits(window) == "", where


def test_a_long_refusal_on_a_form_wraps_instead_of_widening_the_window(  # type: ignore[no-untyped-def]
        qtbot, window, demo) -> None:
    """Mark ready refused with a long message (an intelligence report naming a person of the
    case): the message wraps under its buttons; the window stays on the screen."""
    page = window.workspace.open_document(demo.case.id, "intel")
    page.message.setText("Intelligence (sanitised) seems to contain a name: a sanitised report "
                         "never identifies the source, so remove it (the premises or person it "
                         "is about belong in the subject). " * 2)
    assert _fits(window) == ""
