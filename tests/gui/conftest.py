"""GUI test fixtures: offscreen Qt, a store with the demo operation, a window unlocked on it,
and a stub for the file dialog."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fieldkit import cases
from fieldkit.demo import create_demo_operation
from fieldkit.records import Case, Person, Visit
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE

if TYPE_CHECKING:
    from tests.reliability.sync_rig import SyncRig


@dataclass
class Demo:
    """The demo operation's ids, recorded before the store was locked for the window."""

    settings: Settings
    case: Case
    visit: Visit
    people: dict[str, Person]


@pytest.fixture
def demo(settings: Settings) -> Demo:
    """A locked store holding the fictional demo operation."""
    store = Store.create(settings, PASSPHRASE, officer="Officer Test")
    try:
        case = create_demo_operation(store)
        visit = cases.list_visits(store, case.id)[0]
        people = {p.reference: p for p in cases.list_people(store, case.id)}
    finally:
        store.lock()
    return Demo(settings, case, visit, people)


@pytest.fixture
def window(qtbot, demo: Demo) -> Iterator:  # type: ignore[no-untyped-def]
    """The main window, unlocked on the demo store (key derived directly: fast)."""
    from ui.main_window import MainWindow

    main = MainWindow(demo.settings, unlock_second_ms=20)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.open_store(Store.unwrap_key(demo.settings, PASSPHRASE))
    yield main
    if main.store is not None:
        main.lock()


@pytest.fixture
def picked_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the file dialog: whatever paths the test puts in this list are 'chosen'."""
    chosen: list[str] = []
    monkeypatch.setattr("ui.exhibits_view.pick_files", lambda _parent: list(chosen))
    return chosen


def write_file(folder: Path, name: str, content: bytes) -> str:
    """Write a small fictional file to pick in a test."""
    path = folder / name
    path.write_bytes(content)
    return str(path)


# -- sending to the Lead -------------------------------------------------------------------


@dataclass
class LeadSetup:
    """A real Lead store and loopback inbox (the reliability rig), and the officer's window
    unlocked on the rig's device store, which holds the demo operation."""

    rig: SyncRig
    case: Case
    folder: Path

    def profile_file(self, inbox_url: str, name: str = "lead-profile.json",
                     auto_lock_minutes: int | None = None) -> Path:
        """A profile signed by the rig's Lead, written where the officer would save it."""
        from sync import lead

        _, signed = lead.make_profile(
            self.rig.lead_store, council="Example Council",
            lead_name="Lead Example", lead_contact="lead@council.example",
            inbox_url=inbox_url, auto_lock_minutes=auto_lock_minutes)
        path = self.folder / name
        path.write_bytes(signed)
        return path

    @property
    def live_url(self) -> str:
        return f"http://127.0.0.1:{self.rig.inbox_port}"


@pytest.fixture
def lead_setup(tmp_path: Path) -> Iterator[LeadSetup]:
    """The rig (Lead store, device store, inbox); the device store is locked for the window."""
    from tests.reliability.sync_rig import build_rig

    rig = build_rig(tmp_path)
    try:
        case = create_demo_operation(rig.device_store)
        rig.device_store.lock()
        yield LeadSetup(rig, case, tmp_path)
    finally:
        rig.close()


@pytest.fixture
def lead_window(qtbot, lead_setup: LeadSetup) -> Iterator:  # type: ignore[no-untyped-def]
    """The main window unlocked on the rig's device store."""
    from PySide6.QtCore import QThreadPool

    from ui.main_window import MainWindow

    settings = lead_setup.rig.device_settings
    main = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.open_store(Store.unwrap_key(settings, PASSPHRASE))
    yield main
    if main.store is not None:
        main.lock()
    QThreadPool.globalInstance().waitForDone(30_000)  # no sync outlives the inbox


@pytest.fixture
def picked_paths(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Replace the Lead profile's file dialogs: set "open" and "save" to the paths 'chosen'."""
    chosen: dict[str, str] = {}
    monkeypatch.setattr("ui.lead_profile.pick_profile_file",
                        lambda _parent: chosen.get("open"))
    monkeypatch.setattr("ui.lead_profile.pick_save_path",
                        lambda _parent, _suggested: chosen.get("save"))
    return chosen


def board_with_a_person_selected(qtbot, window, demo):  # type: ignore[no-untyped-def]
    """The demo's reception board opened from its case, the cursor on the first person's row
    (Alt+N then opens their form)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.workspace.open_case(demo.case.id)
    board = window.workspace.open_reception(demo.case.id)
    board.tabs.setCurrentIndex(1)
    board.table.setFocus()
    board.table.setCurrentIndex(board.proxy.index(0, 1))
    qtbot.waitUntil(board.panel.form_button.isVisible)
    return board
