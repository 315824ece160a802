"""The reception board page's sharing, one window at a time: no Alt key does two things on
any of its tabs, the Lead's devices file imported from the Sharing tab (or refused, in plain
words), and sharing resumed by itself after the laptop locked and was unlocked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit import cases
from fieldkit.store import Store
from sync import lead
from tests.conftest import PASSPHRASE
from tests.gui.access_keys import clashes
from tests.gui.board_windows import board_window
from tests.gui.conftest import write_file
from tests.reliability.board_rig import build_centre

WAIT_MS = 60_000  # an upper bound on a slow, shared machine; never a timing assertion

def test_no_alt_key_does_two_things_on_any_tab_of_the_board(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case = cases.create_case(window.store, "Reception centre")
    window.workspace.open_case(case.id)
    page = window.workspace.open_reception(case.id)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        qtbot.waitUntil(page.tabs.currentWidget().isVisible)
        twice = clashes(window)
        assert not twice, f"tab {page.tabs.tabText(tab)!r}: {twice} used more than once"




@pytest.fixture
def coordinator(qtbot, tmp_path: Path) -> Iterator[tuple]:  # type: ignore[type-arg]
    """A window on a laptop the Lead enrolled (police's laptop enrolled, then revoked)."""
    centre = build_centre(tmp_path, ["coordinator", "police"], revoked=("police",))
    main = board_window(qtbot, centre.devices["coordinator"])
    yield main, centre
    if main.store is not None:
        main.lock()


def test_the_leads_devices_file_is_imported_from_the_sharing_tab(  # type: ignore[no-untyped-def]
        qtbot, coordinator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main, centre = coordinator
    with Store.open(centre.lead, PASSPHRASE) as lead_store:
        older, newer = lead.export_devices(lead_store), lead.export_devices(lead_store)
    files = {"older": write_file(tmp_path, "devices-older.json", older),
             "newer": write_file(tmp_path, "devices.json", newer),
             "not one": write_file(tmp_path, "notes.txt", b"shopping list")}
    chosen: list[str | None] = []
    monkeypatch.setattr("ui.board_share_link.pick_devices_file", lambda _parent: chosen[-1])
    case = cases.create_case(main.store, "Reception centre")
    main.workspace.open_case(case.id)
    page = main.workspace.open_reception(case.id)
    main.activateWindow()  # a shortcut acts in the window in front
    qtbot.waitUntil(main.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(page.tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    panel = page.share_panel
    assert page.tabs.currentWidget() is panel and panel.devices_button.isVisible()

    chosen.append(files["newer"])
    qtbot.keyClick(panel, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # clicks shortly
    qtbot.waitUntil(lambda: panel.devices_state.text().startswith(
        "The Lead's devices file was imported"), timeout=WAIT_MS)
    assert "Laptops enrolled: 1; revoked: 1." in panel.devices_state.text()

    chosen.append(files["older"])  # could bring back a revoked laptop: refused
    panel.devices_button.click()
    assert panel.devices_state.text() == (
        "The devices file was not imported. This devices file is older than the one this "
        "device holds; it was not imported.")

    chosen.append(files["not one"])
    panel.devices_button.click()
    assert panel.devices_state.text().startswith(
        "The devices file was not imported. The enrolled devices file cannot be trusted")

    chosen.append(str(tmp_path / "gone.json"))
    panel.devices_button.click()
    assert "could not be read (No such file or directory); nothing was imported." in \
        panel.devices_state.text()

    text = panel.devices_state.text()
    chosen.append(None)  # the officer cancelled the chooser: nothing changes
    panel.devices_button.click()
    assert panel.devices_state.text() == text


def test_sharing_resumes_after_unlocking_with_a_notice(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    main, _centre = coordinator
    case = cases.create_case(main.store, "Reception centre")
    main.workspace.open_case(case.id)
    page = main.workspace.open_reception(case.id)
    page.tabs.setCurrentWidget(page.share_panel)
    page.share_panel.share_button.click()
    qtbot.waitUntil(page.share_panel.code.isVisible, timeout=WAIT_MS)
    before = main.board_sharing.sharing

    main.lock()
    assert main.board_sharing.sharing is None
    with pytest.raises(OSError):  # nothing served while locked
        socket.create_connection(("127.0.0.1", before.port), timeout=WAIT_MS / 1000).close()

    main.open_store(Store.unwrap_key(main.settings, PASSPHRASE))
    again = main.workspace.pages()[-1]
    assert again is not page and again.place() == page.place()
    qtbot.waitUntil(lambda: main.board_sharing.sharing is not None, timeout=WAIT_MS)
    after = main.board_sharing.sharing
    assert (after.code, after.port) == (before.code, before.port)
    assert "shared again since unlocking" in again.shared_status.text()
    assert again.shared_status.accessibleDescription() == again.shared_status.text()
    assert after.code in again.share_panel.code.text()
    with socket.create_connection(("127.0.0.1", after.port), timeout=WAIT_MS / 1000):
        pass

    again.share_panel.stop_button.click()  # stopped by the officer: not resumed next time
    main.lock()
    main.open_store(Store.unwrap_key(main.settings, PASSPHRASE))
    assert main.board_sharing.resume_case_id is None
    assert main.board_sharing.sharing is None
    assert "shared again" not in main.workspace.pages()[-1].shared_status.text()


def test_locking_does_not_wait_for_a_laptop_that_never_answers(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    from sync.board_share.live import LiveBoard

    centre = build_centre(tmp_path, ["coordinator", "police"])
    with Store.open(centre.devices["coordinator"], PASSPHRASE) as store:
        shared_case = cases.create_case(store, "Reception centre").id
    sharer = LiveBoard(centre.devices["coordinator"],
                       Store.unwrap_key(centre.devices["coordinator"], PASSPHRASE),
                       shared_case, lambda _report: None)
    main = board_window(qtbot, centre.devices["police"])
    silent = socket.socket()
    try:
        sharing = sharer.share("127.0.0.1", 0)
        case = cases.create_case(main.store, "Reception centre")
        main.workspace.open_case(case.id)
        page = main.workspace.open_reception(case.id)
        panel = page.share_panel
        page.tabs.setCurrentWidget(panel)
        qtbot.keyClicks(panel.join_address, f"127.0.0.1:{sharing.port}")
        qtbot.keyClicks(panel.join_code, sharing.code)
        qtbot.keyClick(panel.join_code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Joined" in panel.state.text(), timeout=WAIT_MS)
        sharer.stop()
        # The sharing laptop hangs: its port accepts connections and never answers.
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", sharing.port))
        silent.listen(8)
        silent.settimeout(WAIT_MS / 1000)
        exchanging = main.board_sharing._live  # the window's live board, to watch it end
        stuck, _ = silent.accept()  # the next exchange, waiting for an answer
        try:
            main.lock()
            assert main.store is None and main.board_sharing.sharing is None
            assert exchanging is not None and exchanging.running  # lock did not wait for it
        finally:
            stuck.close()  # the connection breaks: the stuck exchange ends by itself
        assert exchanging.wait_stopped() and not exchanging.running
    finally:
        silent.close()
        sharer.stop()
        if main.store is not None:
            main.lock()
