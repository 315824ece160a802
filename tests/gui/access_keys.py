"""The Alt+letter keys (mnemonics) a window answers as it stands, for the tests that check no
key does two things in one window; and a walk through every screen of the main window."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabBar,
    QTabWidget,
    QWidget,
)

from fieldkit import cases


def mnemonic(text: str) -> str:
    """The key a text's & gives (``"Alt+R"``), or ``""`` for none (``&&`` is a plain &)."""
    return QKeySequence.mnemonic(text).toString()


def keyed_texts(window: QWidget) -> list[str]:
    """The texts of everything in ``window`` that answers an Alt key as it stands: the menu
    bar's titles, and every visible button, label with a buddy, group box and tab title
    (enabled or not: a control disabled now is enabled later, and its key with it)."""
    texts: list[str] = []
    if isinstance(window, QMainWindow):
        texts += [a.text() for a in window.menuBar().actions() if a.isVisible()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
                isinstance(widget, QLabel) and widget.buddy() is not None):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
    return texts


def alt_keys(window: QWidget) -> Counter[str]:
    """How many things in ``window`` each Alt key (``"Alt+R"``) belongs to, as it stands."""
    return Counter(key for key in map(mnemonic, keyed_texts(window)) if key)


def clashes(window: QWidget) -> dict[str, list[str]]:
    """The Alt keys used more than once in ``window`` now, each with the texts using it."""
    found: dict[str, list[str]] = {}
    for text in keyed_texts(window):
        if key := mnemonic(text):
            found.setdefault(key, []).append(text)
    return {key: texts for key, texts in found.items() if len(texts) > 1}


def walk(qtbot: Any, window: Any, demo: Any) -> Iterator[str]:
    """Show every screen of the main window (unlocked on the demo store) in turn, each tab of
    each, and say where it is: the cases list, the case (open and closed), the visit, a
    person's NRM form, the referral and intelligence forms, the reception board (a person
    chosen, and the NRM form opened from it), the outbox, search, and the unlock screen."""
    workspace = window.workspace

    def shown(where: str) -> str:
        qtbot.waitUntil(workspace.current().isVisible)
        return where

    def tabs(widget: QTabWidget, where: str) -> Iterator[str]:
        for index in range(widget.count()):
            widget.setCurrentIndex(index)
            qtbot.waitUntil(widget.currentWidget().isVisible)
            yield shown(f"{where}, tab {widget.tabText(index)!r}")

    yield shown("cases list")
    case_page = workspace.open_case(demo.case.id)
    yield from tabs(case_page.tabs, "case")
    visit = workspace.open_visit(demo.visit.id)
    yield from tabs(visit.tabs, "visit")
    workspace.back()
    workspace.open_person(demo.people["W1"].id)
    yield shown("person's NRM form")
    workspace.back()
    for kind in ("referral", "intel"):
        workspace.open_document(demo.case.id, kind)
        yield shown(f"{kind} form")
        workspace.back()
    board = workspace.open_reception(demo.case.id)
    yield from tabs(board.tabs, "reception board")
    board.tabs.setCurrentIndex(1)
    board.table.setFocus()
    board.table.setCurrentIndex(board.proxy.index(0, 1))
    qtbot.waitUntil(board.panel.form_button.isVisible)
    yield shown("reception board, a person chosen")
    board.panel.form_button.click()
    yield shown("NRM form opened from the board")
    workspace.home()
    workspace.open_outbox()
    yield shown("outbox")
    workspace.open_search()
    yield shown("search")
    workspace.home()
    cases.set_case_status(window.store, demo.case.id, "closed")  # Reopen shows instead
    yield from tabs(workspace.open_case(demo.case.id).tabs, "closed case")
    window.lock()
    qtbot.waitUntil(window.unlock_page.isVisible)
    yield "unlock screen"
