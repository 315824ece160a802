"""GUI test fixtures: offscreen Qt, a store with the demo operation, a window unlocked on it,
and a stub for the file dialog."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.demo import create_demo_operation
from fieldkit.records import Case, Person, Visit
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


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
