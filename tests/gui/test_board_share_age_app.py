"""A person kept on the child route by the child rule (recorded as under 18 on another laptop,
as an adult on this one), in the app by keyboard: the person panel says why, and who recorded
what; recording the decision on their age settles it on the board and in the document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldkit import cases, documents
from fieldkit.store import Store
from forms.choices import AgeGroup
from forms.reception import ReceptionCentre
from sync.board_share import journal
from tests.conftest import PASSPHRASE
from tests.gui.access_keys import clashes
from tests.gui.board_windows import board_window
from tests.reliability.board_rig import build_centre

WAIT_MS = 60_000  # an upper bound on a slow, shared machine; never a timing assertion


def test_the_person_panel_says_why_the_child_route_holds_and_records_the_age_decided(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    centre = build_centre(tmp_path, ["coordinator", "police"])
    stores = [Store.open(centre.devices[name], PASSPHRASE) for name in ("coordinator", "police")]
    mine, theirs = (cases.create_case(store, "Reception centre").id for store in stores)
    board = journal.board_id(stores[0], mine)
    journal.link_board(stores[1], theirs, board)
    journal.record_change(stores[1], theirs, "R003", "age_group", "child")
    journal.receive(stores[0], board, journal.changes_since(
        stores[1], board, journal.vector(stores[0], board)))
    journal.record_change(stores[0], mine, "R003", "age_group", "adult")  # having seen it
    for store in stores:
        store.lock()

    main = board_window(qtbot, centre.devices["coordinator"])
    try:
        main.workspace.open_case(mine)
        page = main.workspace.open_reception(mine)
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)
        page.table.setFocus()
        page.table.setCurrentIndex(page.proxy.index(0, 1))
        panel = page.panel
        assert page.model.person(0).age_group is AgeGroup.CHILD  # the rule holds
        assert panel.child_route.isVisible() and panel.decided_adult.isVisible()
        said = panel.child_route.text()
        assert said.startswith("Kept on the child route: recorded as under 18, or possibly")
        assert "Officer police recorded “Adult or child: child” at " in said
        twice = clashes(main)
        assert not twice, f"{twice} used more than once"

        qtbot.keyClick(page, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # an adult
        qtbot.waitUntil(lambda: not panel.child_route.isVisible(), timeout=WAIT_MS)
        assert page.message.text() == "Recorded: R003's age was decided: an adult."
        assert page.model.person(0).age_group is AgeGroup.ADULT
        latest = max(documents.list_documents(main.store, mine, "reception"),
                     key=lambda d: d.version)
        person = ReceptionCentre.model_validate_json(latest.data).people[0]
        assert person.age_group is AgeGroup.ADULT and not person.age_disputed
    finally:
        main.lock()
