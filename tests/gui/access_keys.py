"""The Alt+letter keys (mnemonics) a window answers as it stands, for the tests that check no
key does two things in one window."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMainWindow, QTabBar, QWidget


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
