"""Copying to the clipboard through fieldkit, so locking can wipe what fieldkit put there."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

_copied: set[str] = set()


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember it was fieldkit's."""
    _copied.add(text)
    QGuiApplication.clipboard().setText(text)


def clear_ours() -> bool:
    """Clear the clipboard if it holds anything copied from fieldkit; True when cleared.

    ``ownsClipboard`` also catches text the officer copied out of a fieldkit text box with
    Ctrl+C, which is just as sensitive as what the app copied itself.
    """
    clipboard = QGuiApplication.clipboard()
    ours = clipboard.ownsClipboard() or clipboard.text() in _copied
    _copied.clear()
    if ours and clipboard.text():
        clipboard.clear()
        return True
    return False
