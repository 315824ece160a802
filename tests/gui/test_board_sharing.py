"""Two app windows on two encrypted stores, two laptops enrolled with the same Lead: the
coordinator shares the reception board from the keyboard, the police officer joins with the
address and code, each sees the other's changes (announced in the status line), consent
recorded differently on both becomes a conflict, and the coordinator resolves it in the app.
Real HTTPS on loopback between the two windows' background threads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit import cases
from forms import BoardStep
from forms.choices import AgeGroup, ConsentDecision
from tests.gui.board_windows import board_window
from tests.reliability.board_rig import build_centre
from ui.reception_model import STEPS

WAIT_MS = 60_000  # an upper bound on a slow, shared machine; never a timing assertion




@pytest.fixture
def two_windows(qtbot, tmp_path: Path) -> Iterator[tuple]:  # type: ignore[type-arg]
    centre = build_centre(tmp_path, ["coordinator", "police"])
    windows = [board_window(qtbot, centre.devices[name]) for name in ("coordinator", "police")]
    yield tuple(windows)
    for main in windows:
        if main.store is not None:
            main.lock()


def _board(main):  # type: ignore[no-untyped-def]
    case = cases.create_case(main.store, "Reception centre")
    main.workspace.open_case(case.id)
    return main.workspace.open_reception(case.id)


def _cell(page, reference: str, step: BoardStep):  # type: ignore[no-untyped-def]
    row = next(r for r in range(page.model.rowCount())
               if page.model.person(r).reference == reference)
    return page.proxy.mapFromSource(page.model.index(row, 1 + STEPS.index(step)))


def _person(page, reference: str):  # type: ignore[no-untyped-def]
    return next((page.model.person(r) for r in range(page.model.rowCount())
                 if page.model.person(r).reference == reference), None)


def _press(qtbot, page, reference: str, step: BoardStep, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(1)
    page.table.setFocus()
    page.table.setCurrentIndex(_cell(page, reference, step))
    for _ in range(times):
        qtbot.keyClick(page.table, Qt.Key.Key_Space)


def _active(qtbot, main) -> None:  # type: ignore[no-untyped-def]
    """Bring a window to the front (as the officer at that laptop works in it)."""
    main.activateWindow()
    main.raise_()
    qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)


def _save(qtbot, main, page) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S in that window (a shortcut acts in the window in front)."""
    _active(qtbot, main)
    version = page.message.text()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text() != version and "saved" in page.message.text()


def _wait(qtbot, check: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(check, timeout=WAIT_MS)


def test_two_windows_share_a_board_and_resolve_a_conflict(qtbot, two_windows) -> None:  # type: ignore[no-untyped-def]
    coordinator, police = two_windows
    mine, theirs = _board(coordinator), _board(police)

    _active(qtbot, coordinator)
    qtbot.keyClick(mine, Qt.Key.Key_Insert)
    qtbot.keyClick(mine.new_reference, Qt.Key.Key_Return)  # R001 registered
    _save(qtbot, coordinator, mine)

    _active(qtbot, coordinator)
    qtbot.keyClick(mine.tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert mine.tabs.currentWidget() is mine.share_panel
    mine.share_panel.share_button.setFocus()
    qtbot.keyClick(mine.share_panel.share_button, Qt.Key.Key_Space)
    _wait(qtbot, lambda: mine.share_panel.code.isVisible())
    sharing = coordinator.board_sharing.sharing
    assert sharing.code in mine.share_panel.code.text()
    assert f"127.0.0.1:{sharing.port}" in mine.share_panel.address.text()

    panel = theirs.share_panel
    theirs.tabs.setCurrentWidget(panel)
    qtbot.keyClicks(panel.join_address, f"127.0.0.1:{sharing.port}")
    qtbot.keyClicks(panel.join_code, sharing.code.lower().replace("-", " "))
    qtbot.keyClick(panel.join_code, Qt.Key.Key_Return)
    _wait(qtbot, lambda: "Joined" in panel.state.text())
    _wait(qtbot, lambda: _person(theirs, "R001") is not None)

    _press(qtbot, theirs, "R001", BoardStep.WELFARE)  # police: food, water and rest given
    _save(qtbot, police, theirs)
    _wait(qtbot, lambda: _person(mine, "R001").welfare_given_at is not None)
    _wait(qtbot, lambda: "Officer police changed R001" in mine.shared_status.text())
    assert mine.shared_status.accessibleDescription() == mine.shared_status.text()
    _wait(qtbot, lambda: mine.share_panel.peers.rowCount() == 1
          and mine.share_panel.peers.item(0, 0).text() == "Officer police")

    # Police type welfare notes for R001 (not saved) while the coordinator records R001's
    # medical triage: the notes being typed are kept, with the coordinator's change shown.
    _press(qtbot, theirs, "R001", BoardStep.WELFARE, times=0)
    notes = theirs.panel.editor.widget_at("welfare_notes")
    notes.setFocus()
    qtbot.keyClicks(notes, "Needs rest")
    _press(qtbot, mine, "R001", BoardStep.MEDICAL)
    _save(qtbot, coordinator, mine)
    _wait(qtbot, lambda: _person(theirs, "R001").medical_triage_at is not None)
    assert theirs.panel.editor.field_values()["welfare_notes"] == "Needs rest"
    assert _person(theirs, "R001").welfare_notes == "Needs rest"
    _save(qtbot, police, theirs)
    _wait(qtbot, lambda: _person(mine, "R001").welfare_notes == "Needs rest")

    # The coordinator records R001 as an adult; both then record consent, differently,
    # each without having seen the other's.
    row = next(r for r in range(mine.model.rowCount())
               if mine.model.person(r).reference == "R001")
    mine.model.set_person(row, mine.model.person(row).model_copy(
        update={"age_group": AgeGroup.ADULT}))
    _save(qtbot, coordinator, mine)
    _wait(qtbot, lambda: _person(theirs, "R001").age_group is AgeGroup.ADULT)
    _press(qtbot, mine, "R001", BoardStep.CONSENT)  # given
    _press(qtbot, theirs, "R001", BoardStep.CONSENT, times=2)  # refused
    _save(qtbot, coordinator, mine)
    _save(qtbot, police, theirs)
    _wait(qtbot, lambda: mine.share_panel.conflicts.count() == 1
          and theirs.share_panel.conflicts.count() == 1)
    assert "1 conflict to resolve" in mine.message.text()

    _active(qtbot, coordinator)
    qtbot.keyClick(mine.tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    values = mine.share_panel.values
    texts = [values.item(i).text() for i in range(values.count())]
    assert any(t.startswith("refused — set by Officer police, laptop ") for t in texts)
    assert any(t.startswith("given — set by Officer coordinator") for t in texts)
    values.setFocus()
    values.setCurrentRow(next(i for i, t in enumerate(texts) if t.startswith("refused")))
    qtbot.keyClick(values, Qt.Key.Key_Return)  # keep the value chosen
    assert mine.share_panel.conflicts.count() == 0
    assert _person(mine, "R001").consent is ConsentDecision.REFUSED
    assert "Resolved: R001 consent to the nrm." in mine.shared_status.text()
    _wait(qtbot, lambda: theirs.share_panel.conflicts.count() == 0
          and _person(theirs, "R001").consent is ConsentDecision.REFUSED)

    coordinator.lock()  # locking stops serving
    assert not coordinator.board_sharing.sharing and coordinator.board_sharing.case_id is None
