"""The shell: fits a 1366x768 laptop, every control is named, errors become plain words,
slow work comes back on the GUI thread, and core events arrive as Qt signals."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from fieldkit import errors
from fieldkit.events import EventHub
from ui.bridge import CoreEvents
from ui.messages import error_text
from ui.worker import Worker

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
            QAbstractItemView)


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractItemView | QLineEdit) or (
                parent is not None
                and parent.metaObject().className() == "QComboBoxPrivateContainer"):
            continue  # Qt's own parts of a composite control (a combo box's popup list)
        if widget.objectName().startswith("qt_") or isinstance(parent, QTabBar):
            continue  # Qt's scroll arrows and the like
        if not widget.accessibleName():
            parent_name = type(parent).__name__ if parent is not None else ""
            missing.append(f"{type(widget).__name__} in {parent_name} "
                           f"{getattr(widget, 'text', lambda: '')()}")
    return missing


def test_every_screen_fits_a_small_laptop_and_names_its_controls(qtbot, window, demo):
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    workspace.open_visit(demo.visit.id)
    workspace.open_person(demo.people["W1"].id)
    workspace.open_reception(demo.case.id)
    workspace.open_document(demo.case.id, "referral")
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    missing = _unnamed(window)
    assert missing == [], "\n".join(missing)
    window.lock()
    assert _unnamed(window) == []  # first run and unlock too


@pytest.mark.parametrize("error", [
    errors.WrongPassphrase(), errors.StoreLocked(), errors.KeyringUnavailable(),
    errors.DeviceSecretMissing(), errors.StoreTooNew(9, 3), errors.AppendOnly(),
    errors.NotFound("case", "x"), errors.StoreMissing(__import__("pathlib").Path("/x")),
])
def test_core_errors_become_plain_words_without_paths_or_commands(error, qtbot):
    text = error_text(error)
    assert text and "/x" not in text and "fieldkit init" not in text
    assert "Traceback" not in text


def test_unexpected_errors_get_a_calm_message(qtbot):
    """The kind of error is named (for support), never its words (they may hold a record's
    values)."""
    text = error_text(RuntimeError("Andrei Dobrescu 1994-03-12"))
    assert "Nothing was lost" in text and "(RuntimeError)" in text
    assert "Dobrescu" not in text and "1994" not in text


def test_the_worker_delivers_results_and_errors_on_the_gui_thread(qtbot):
    worker = Worker()
    gui = threading.get_ident()
    seen: list[tuple[object, bool]] = []
    # Callbacks are connected before the task starts, so none can be missed (a waitSignal set
    # up afterwards could miss a task that finished first).
    worker.run(lambda: threading.get_ident() != gui,
               lambda value: seen.append((value, threading.get_ident() == gui)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(True, True)]  # ran elsewhere, answered here
    failed: list[BaseException] = []
    worker.run(lambda: 1 / 0, on_error=failed.append)
    qtbot.waitUntil(lambda: bool(failed))
    assert isinstance(failed[0], ZeroDivisionError)
    qtbot.waitUntil(lambda: worker.running == 0)


def test_core_events_from_any_thread_arrive_as_signals(qtbot):
    hub = EventHub()
    bridge = CoreEvents(hub)
    bridge.attach()
    with qtbot.waitSignal(bridge.recordsChanged, timeout=5_000) as blocker:
        threading.Thread(target=lambda: hub.publish("records.changed", kind="note",
                                                    record_id="n1")).start()
    assert blocker.args == ["note", "n1"]
    bridge.detach()
    with qtbot.assertNotEmitted(bridge.storeLocked, wait=50):
        hub.publish("store.locked")
