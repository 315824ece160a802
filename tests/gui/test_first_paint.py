"""What waits for the first paint (``ui.first_paint``): it runs once, after the paint, and
later paints run no Python code of ours."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel

from ui.first_paint import FirstPaint


def test_painted_is_told_once_after_the_first_paint(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel("Cases")
    qtbot.addWidget(label)
    told: list[bool] = []
    FirstPaint(label).painted.connect(lambda: told.append(label.isVisible()))
    label.grab()  # painted, but the signal waits for the event loop
    assert told == []
    qtbot.waitUntil(lambda: told == [False], timeout=2_000)
    label.show()
    for _ in range(3):
        label.grab()
    qtbot.wait(20)
    assert told == [False]


def test_repainting_the_unlocked_window_leaves_none_alone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """With PySide6 6.12 on Python 3.11 each call of a Qt method that returns nothing, such as
    ``super().paintEvent`` in an override, takes a reference to ``None`` it never gives back;
    enough of them crash the app ("deallocating None"). The window's paints must not."""
    window.grab()
    qtbot.wait(20)
    before = sys.getrefcount(None)
    for _ in range(50):
        window.grab()
    assert sys.getrefcount(None) - before > -10  # noise from Python itself, not 50 or 100
