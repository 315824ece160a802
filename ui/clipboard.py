"""Copying to the clipboard through fieldkit, so locking can wipe what fieldkit put there, and
the X11 primary selection (text selected with the mouse) while fieldkit owns it."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication

_copied: set[str] = set()


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember it was fieldkit's."""
    _copied.add(text)
    QGuiApplication.clipboard().setText(text)


def clear_ours() -> bool:
    """Clear the clipboard if it holds anything copied from fieldkit, and the primary selection
    if fieldkit owns it; True when something was cleared.

    ``ownsClipboard`` also catches text the officer copied out of a fieldkit text box with
    Ctrl+C, which is just as sensitive as what the app copied itself. On X11, selecting text in
    a fieldkit box puts it in the primary selection (pasted with the middle button) without any
    copy at all: while fieldkit owns that selection, it is cleared too.
    """
    clipboard = QGuiApplication.clipboard()
    ours = clipboard.ownsClipboard() or clipboard.text() in _copied
    _copied.clear()
    cleared = False
    if ours and clipboard.text():
        clipboard.clear()
        cleared = True
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
        cleared = True
    return cleared
