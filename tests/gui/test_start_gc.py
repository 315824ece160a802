"""While the app starts the collector's young generation waits (``fieldkit.start_gc``); the
usual thresholds are back once the first window has been painted."""

from __future__ import annotations

import gc

from fieldkit import start_gc
from tests.gui.conftest import Demo
from ui.app import release_gc_when_painted


def test_hold_raises_the_young_threshold_and_release_puts_it_back() -> None:
    before = gc.get_threshold()
    start_gc.hold()
    try:
        start_gc.hold()  # once: a second hold changes nothing
        assert gc.get_threshold() == (max(start_gc.START_THRESHOLD, before[0]), *before[1:])
        assert start_gc.held()
    finally:
        start_gc.release()
    assert gc.get_threshold() == before
    assert not start_gc.held()
    start_gc.release()  # nothing held: nothing changes
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_once_the_window_is_painted(qtbot, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    before = gc.get_threshold()
    start_gc.hold()
    try:
        window = MainWindow(demo.settings)
        qtbot.addWidget(window)
        release_gc_when_painted(window)
        assert start_gc.held()  # built, not painted yet
        window.show()
        qtbot.waitUntil(lambda: not start_gc.held(), timeout=5_000)
    finally:
        start_gc.release()
    assert gc.get_threshold() == before
