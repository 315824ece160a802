"""A reference registered on two laptops apart, settled in the app by keyboard: the conflict
said in words (who registered it, on which laptop, when; never the registrations' random ids),
one person given a new reference (asked for in the tab), the other kept as one person. Two
windows on two encrypted stores, real HTTPS on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit import cases
from fieldkit.store import Store
from forms.choices import ConsentDecision
from sync import device
from sync.board_share import journal
from tests.conftest import PASSPHRASE
from tests.gui.board_windows import board_window
from tests.reliability.board_rig import build_centre

WAIT_MS = 60_000  # an upper bound on a slow, shared machine; never a timing assertion
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")




@pytest.fixture
def two_windows(qtbot, tmp_path: Path) -> Iterator[tuple]:  # type: ignore[type-arg]
    centre = build_centre(tmp_path, ["coordinator", "police"])
    windows = [board_window(qtbot, centre.devices[name]) for name in ("coordinator", "police")]
    yield windows, centre
    for main in windows:
        if main.store is not None:
            main.lock()


def _apart(store: Store, case_id: str, name: str, consent: ConsentDecision) -> str:
    """R007 and R008 registered on this laptop while apart (R007's consent differently)."""
    journal.record_change(store, case_id, "R007", "consent", consent.value)
    journal.record_change(store, case_id, "R008", "welfare_notes", f"Seen by {name}")
    return device.device_id(store)


def _page(qtbot, main, case_id: str):  # type: ignore[no-untyped-def]
    main.workspace.open_case(case_id)
    page = main.workspace.open_reception(case_id)
    main.activateWindow()
    main.raise_()
    qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(page.tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    return page


def _people(page) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {page.model.person(r).reference: page.model.person(r)
            for r in range(page.model.rowCount())}


def test_a_reference_registered_twice_is_said_in_words_and_settled_both_ways(  # type: ignore[no-untyped-def]
        qtbot, two_windows) -> None:
    (coordinator, police), centre = two_windows
    mine = _page(qtbot, coordinator, cases.create_case(coordinator.store, "Reception").id)
    qtbot.keyClick(mine.share_panel, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: coordinator.board_sharing.sharing is not None, timeout=WAIT_MS)
    sharing = coordinator.board_sharing.sharing
    police_case = cases.create_case(police.store, "Reception").id
    theirs = _page(qtbot, police, police_case)
    panel = theirs.share_panel
    qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(panel.join_address, f"127.0.0.1:{sharing.port}")
    qtbot.keyClick(panel, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(panel.join_code, sharing.code)
    qtbot.keyClick(panel.join_code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Joined" in panel.state.text(), timeout=WAIT_MS)

    police.lock()  # the police laptop apart: both register R007 and R008 meanwhile
    with Store.open(centre.devices["police"], PASSPHRASE) as store:
        police_laptop = _apart(store, police_case, "police", ConsentDecision.GIVEN)[:8]
    _apart(coordinator.store, mine._case_id, "coordinator", ConsentDecision.REFUSED)
    police.open_store(Store.unwrap_key(police.settings, PASSPHRASE))
    theirs = police.workspace.pages()[-1]
    panel = theirs.share_panel

    shown = mine.share_panel
    qtbot.waitUntil(lambda: {shown.conflicts.item(i).text()
                             for i in range(shown.conflicts.count())} >= {
        "R007: registered on 2 laptops", "R008: registered on 2 laptops"}, timeout=WAIT_MS)
    coordinator.activateWindow()
    qtbot.waitUntil(coordinator.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(shown, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert shown.conflicts.hasFocus()
    qtbot.keyClick(shown.conflicts, Qt.Key.Key_Home)
    while shown.conflicts.currentItem().text() != "R007: registered on 2 laptops":
        qtbot.keyClick(shown.conflicts, Qt.Key.Key_Down)
    said = shown.conflict_said.text()
    assert re.fullmatch(
        r"R007 was registered on two laptops: by Officer (coordinator|police) on laptop "
        r"[0-9a-f]{8} at \d\d:\d\d:\d\d and by Officer (coordinator|police) on laptop "
        r"[0-9a-f]{8} at \d\d:\d\d:\d\d\.", said), said
    assert {"Officer coordinator", "Officer police"} <= set(re.findall(r"Officer \w+", said))
    texts = [shown.values.item(i).text() for i in range(shown.values.count())]
    assert all(t.startswith("Registered by Officer ") for t in texts), texts
    assert not any(UUID.search(t) for t in [said, *texts])  # no random ids shown
    assert shown.resolve_button.text() == "&Keep as one person"
    assert shown.new_reference_button.isVisible()

    # Give one a new reference: asked which laptop's person, then for the reference.
    qtbot.keyClick(shown, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(shown.values.hasFocus, timeout=WAIT_MS)
    assert "Choose the laptop whose person gets a new reference" in shown.conflict_said.text()
    qtbot.keyClick(shown.values, Qt.Key.Key_Home)
    while "Officer police" not in shown.values.currentItem().text():
        qtbot.keyClick(shown.values, Qt.Key.Key_Down)
    before = [shown.conflicts.item(i).text() for i in range(shown.conflicts.count())]
    qtbot.keyClick(shown, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(shown.new_reference.hasFocus, timeout=WAIT_MS)
    assert shown.conflict_said.text().startswith(
        "Type the new reference for the person registered on laptop ")
    qtbot.keyClicks(shown.new_reference, "R008")  # already on the board: refused, said
    qtbot.keyClick(shown.new_reference, Qt.Key.Key_Return)
    assert shown.state.text() == "Reference: R008 is needed that is not on the board yet."
    assert shown.conflicts.count() == len(before)  # nothing half-done
    shown.new_reference.selectAll()
    qtbot.keyClicks(shown.new_reference, "R007-P")
    qtbot.keyClick(shown.new_reference, Qt.Key.Key_Return)
    assert shown.state.text() == (f"Resolved: the person registered as R007 on laptop "
                                  f"{police_laptop} is now R007-P.")
    people = _people(mine)
    assert people["R007"].consent is ConsentDecision.REFUSED  # the coordinator's
    assert people["R007-P"].consent is ConsentDecision.GIVEN  # the police's person
    remaining = [shown.conflicts.item(i).text() for i in range(shown.conflicts.count())]
    # R007's consent went with each person; R008's notes still differ (settled as usual)
    assert sorted(remaining) == ["R008: Welfare notes (2 values)",
                                 "R008: registered on 2 laptops"]

    # Keep as one person: the same person registered twice.
    qtbot.keyClick(shown, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(shown.conflicts, Qt.Key.Key_Home)
    while shown.conflicts.currentItem().text() != "R008: registered on 2 laptops":
        qtbot.keyClick(shown.conflicts, Qt.Key.Key_Down)
    qtbot.keyClick(shown, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert shown.values.hasFocus()
    qtbot.keyClick(shown.values, Qt.Key.Key_Home)
    qtbot.keyClick(shown, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # clicks shortly
    qtbot.waitUntil(lambda: [shown.conflicts.item(i).text() for i in range(
        shown.conflicts.count())] == ["R008: Welfare notes (2 values)"], timeout=WAIT_MS)
    assert shown.state.text() == "Resolved: R008 kept as one person."
    assert set(_people(mine)) == {"R007", "R007-P", "R008"}
    qtbot.waitUntil(lambda: set(_people(theirs)) == {"R007", "R007-P", "R008"}
                    and panel.conflicts.count() == 1, timeout=WAIT_MS)
    assert _people(theirs)["R007-P"].consent is ConsentDecision.GIVEN
    assert _people(theirs)["R007"].consent is ConsentDecision.REFUSED
