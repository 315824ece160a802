"""Finding a shared board from the app's Sharing tab with real mDNS (zeroconf) on loopback,
by keyboard: boards found are listed by the officer whose laptop shares them (from the Lead's
devices file), choosing one fills the address, the address can still be typed, and sharing
from the app announces the board until sharing stops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit import cases
from fieldkit.store import Store
from sync import device
from sync.board_share import journal
from sync.board_share.discovery import browse
from sync.board_share.live import LiveBoard
from tests.conftest import PASSPHRASE
from tests.gui.board_windows import board_window
from tests.reliability.board_rig import build_centre

WAIT_MS = 60_000  # an upper bound on a slow, shared machine; never a timing assertion
LOOPBACK = ["127.0.0.1"]
# These tests browse: they see every board announced on this machine's loopback. Under
# `make test` (several test processes) the tests that browse run one after another in one
# process, so none sees another's boards come and go while it looks.
pytestmark = pytest.mark.xdist_group("mdns")




def _sharing_tab(qtbot, main, case_id: str):  # type: ignore[no-untyped-def]
    main.workspace.open_case(case_id)
    page = main.workspace.open_reception(case_id)
    main.activateWindow()  # a shortcut acts in the window in front
    qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(page.tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.share_panel
    return page


@pytest.fixture
def centre(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    yield build_centre(tmp_path, ["coordinator", "police"])


def test_look_for_boards_lists_them_by_officer_and_fills_the_address(  # type: ignore[no-untyped-def]
        qtbot, centre) -> None:
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
        shared_case = cases.create_case(store, "Reception centre").id
        journal.record_change(store, shared_case, "R001", "consent", "given")
    sharer = LiveBoard(centre.devices["coordinator"],
                       Store.unwrap_key(centre.devices["coordinator"], PASSPHRASE),
                       shared_case, lambda _report: None)
    main = board_window(qtbot, centre.devices["police"])
    try:
        sharing = sharer.share("127.0.0.1", 0)  # announced on loopback while served
        page = _sharing_tab(qtbot, main, cases.create_case(main.store, "Reception centre").id)
        panel = page.share_panel
        assert not panel.looking.isVisible()

        qtbot.keyClick(panel, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # clicks shortly
        qtbot.waitUntil(panel.looking.isVisible, timeout=WAIT_MS)  # looking takes seconds
        assert panel.looking.isVisible() and not panel.look_button.isEnabled()
        assert panel.found_state.text() == "Looking for boards shared on this network…"
        qtbot.waitUntil(panel.look_button.isEnabled, timeout=WAIT_MS)
        assert not panel.looking.isVisible()
        texts = [panel.found.item(row).text() for row in range(panel.found.count())]
        # other boards may be announced on this machine's loopback too: only ours is named
        ours = f"Officer coordinator's laptop, at 127.0.0.1:{sharing.port}"
        assert ours in texts, texts
        # boards of laptops not enrolled with this Lead (another test's, say) are never
        # offered: only counted
        assert texts == [ours], texts
        assert panel.found_state.text().startswith("1 board found: choose it, then type")

        qtbot.keyClick(panel, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # Boards found
        assert panel.found.hasFocus()
        qtbot.keyClick(panel.found, Qt.Key.Key_Home)
        while panel.found.currentItem().text() != ours:
            qtbot.keyClick(panel.found, Qt.Key.Key_Down)
        assert panel.join_address.text() == f"127.0.0.1:{sharing.port}"

        qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # typing works
        assert panel.join_address.hasFocus()
        panel.join_address.selectAll()
        qtbot.keyClicks(panel.join_address, f"127.0.0.1:{sharing.port + 1}")
        assert panel.join_address.text() == f"127.0.0.1:{sharing.port + 1}"
        panel.join_address.selectAll()
        qtbot.keyClicks(panel.join_address, f"127.0.0.1:{sharing.port}")
        assert panel.join_address.text() == f"127.0.0.1:{sharing.port}"

        qtbot.keyClick(panel, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(panel.join_code, sharing.code)
        qtbot.keyClick(panel.join_code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Joined" in panel.state.text(), timeout=WAIT_MS)
    finally:
        sharer.stop()
        main.lock()

    sharer_id = _device_id(centre.devices["coordinator"])
    assert [f for f in browse(3.0, LOOPBACK) if f.device_id == sharer_id] == []


def _device_id(settings) -> str:  # type: ignore[no-untyped-def]
    with Store.open(settings, PASSPHRASE) as store:
        return device.device_id(store)


def test_sharing_from_the_app_announces_the_board_until_it_stops(  # type: ignore[no-untyped-def]
        qtbot, centre) -> None:
    me = _device_id(centre.devices["coordinator"])
    main = board_window(qtbot, centre.devices["coordinator"])
    try:
        page = _sharing_tab(qtbot, main, cases.create_case(main.store, "Reception centre").id)
        panel = page.share_panel
        qtbot.keyClick(panel, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Share the board
        qtbot.waitUntil(lambda: main.board_sharing.sharing is not None, timeout=WAIT_MS)
        qtbot.waitUntil(panel.code.isVisible, timeout=WAIT_MS)
        port = main.board_sharing.sharing.port
        assert [(f.address, f.port) for f in browse(3.0, LOOPBACK) if f.device_id == me] == \
            [("127.0.0.1", port)]
        qtbot.keyClick(panel, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Stop sharing
        qtbot.waitUntil(lambda: not panel.code.isVisible(), timeout=WAIT_MS)
        assert [f for f in browse(3.0, LOOPBACK) if f.device_id == me] == []
    finally:
        main.lock()

