"""Keyboard users press Enter on a focused button: outside a dialog Qt ignored it (only Space
pressed), so Enter on "Open a new reception board" did nothing. Every push button on every
screen of the main window now presses on Enter as on Space."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.access_keys import walk
from ui.reception_board import ReceptionBoardPage


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_or_space_on_open_a_new_reception_board_opens_one(qtbot, window, demo,  # type: ignore[no-untyped-def]
                                                                 key) -> None:
    page = window.workspace.open_case(demo.case.id)
    page.tabs.setCurrentIndex(5)  # Reception centre
    button = next(b for b in page.tabs.currentWidget().findChildren(QPushButton)
                  if b.text().replace("&", "") == "Open a new reception board")
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, key)
    qtbot.waitUntil(lambda: isinstance(window.workspace.current(), ReceptionBoardPage))
    assert window.workspace.current()._document_id is None  # a new board, not the demo's


def test_every_push_button_on_every_screen_presses_on_enter(qtbot, window, demo) -> None:  # type: ignore[no-untyped-def]
    for where in walk(qtbot, window, demo):
        deaf = [b.text() or b.accessibleName() for b in window.findChildren(QPushButton)
                if b.isVisible() and not (b.autoDefault() or b.isDefault())]
        assert not deaf, f"{where}: Enter does nothing on {deaf}"
