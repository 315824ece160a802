"""The About box shows the facts the core gathers; the self-test drives the real window from
the unlock screen to the cases list and closes it, and fails plainly when it cannot."""

from __future__ import annotations

from PySide6.QtCore import qVersion

from fieldkit.about import fieldkit_version
from fieldkit.settings import Settings
from tests.conftest import PASSPHRASE
from tests.gui.conftest import Demo
from ui.about import AboutDialog
from ui.main_window import MainWindow
from ui.self_test import SelfTest


def test_the_about_box_shows_the_versions_and_the_keyring(qtbot, no_keyring) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "About fieldkit"
    assert dialog.title.text() == f"fieldkit {fieldkit_version()}"
    assert f"Qt: {qVersion()}" in dialog.details.text()
    assert "SQLCipher: 4." in dialog.details.text()
    assert "Keyring: fail.Keyring" in dialog.details.text()
    assert dialog.warning.isVisible() and "passphrase alone" in dialog.warning.text()


def _run(qtbot, settings: Settings, passphrase: str, timeout_ms: int = 60_000):  # type: ignore[no-untyped-def]
    window = MainWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    said: list[str] = []
    test = SelfTest(window, passphrase, said.append, timeout_ms=timeout_ms)
    with qtbot.waitSignal(test.finished, timeout=timeout_ms + 10_000) as finished:
        test.start()
    return finished.args[0], said, window


def test_the_self_test_unlocks_shows_the_cases_and_closes(qtbot, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    status, said, window = _run(qtbot, demo.settings, PASSPHRASE)
    assert status == 0, said
    assert said == ["unlock screen shown", "unlocked; cases list shown (cases: 1)",
                    "window closed and records locked"]
    assert window.store is None and not window.isVisible()
    # Nothing from the records is printed: the demo case's title appears nowhere.
    assert not any(demo.case.title in line for line in said)


def test_a_wrong_passphrase_fails_the_self_test_with_the_reason(qtbot, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    status, said, window = _run(qtbot, demo.settings, "not the passphrase")
    assert status == 1
    assert said[-1].startswith("FAILED: unlocking was refused: That passphrase did not unlock")
    assert window.store is None


def test_with_no_store_the_self_test_says_to_create_one(qtbot, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    status, said, _window = _run(qtbot, settings, PASSPHRASE)
    assert status == 1
    assert said == ["FAILED: the unlock screen did not show: there is no store in this data "
                    "folder (run 'fieldkit init' first)"]


def test_help_about_opens_the_about_box_even_while_locked(qtbot, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo.settings)
    qtbot.addWidget(window)
    window.show()
    assert window.about_action.isEnabled()
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.title.text() == f"fieldkit {fieldkit_version()}"
    dialog.reject()
