"""The Qt binding in use keeps Python's None alive: PySide6 6.12.0 lost a reference to None at
every call of a Qt method returning nothing, and on Python 3.11 (where None can be freed) the
app then aborted with "deallocating None" after a few thousand label updates, repaints or
button changes: a crash in the middle of an officer's work. pyproject.toml keeps that release
out; this test checks whichever release is installed before it is allowed in."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QPushButton


def test_qt_calls_returning_nothing_keep_none_s_references(qtbot) -> None:  # type: ignore[no-untyped-def]
    label, button = QLabel(), QPushButton()
    qtbot.addWidget(label)
    qtbot.addWidget(button)
    before = sys.getrefcount(None)
    for n in range(2_000):
        label.setText(f"Saved {n}")
        button.setEnabled(n % 2 == 0)
        label.repaint()
    after = sys.getrefcount(None)
    # a few references may come and go with the interpreter's own work; 6,000 calls each
    # losing one would leave thousands fewer
    assert after >= before - 100, f"None lost {before - after} references in 6,000 Qt calls"
