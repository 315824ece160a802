"""An app window on one laptop of a reception centre, unlocked, for the board-sharing tests."""

from __future__ import annotations

from typing import Any

from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


def board_window(qtbot: Any, settings: Settings) -> Any:
    """A MainWindow at 1366x768 on ``settings``' store, unlocked, sharing on loopback only."""
    from ui.main_window import MainWindow

    main = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.open_store(Store.unwrap_key(settings, PASSPHRASE))
    main.board_sharing.listen = ("127.0.0.1", 0)  # loopback only in tests
    return main
