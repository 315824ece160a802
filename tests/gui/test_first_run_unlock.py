"""First run, unlock, a wrong passphrase and the growing wait, driven with the keyboard."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from fieldkit.officer import PROFILE_KEY, ROLE_KEY, passphrase_strength
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from ui.main_window import MainWindow
from ui.unlock import delay_after


def test_first_run_creates_the_store_with_the_profile(qtbot, settings: Settings, no_keyring):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    page = window.first_run
    assert window.pages.currentWidget() is page
    assert page.keyring_warning.isVisibleTo(window)  # no keyring: the passphrase alone protects
    qtbot.keyClicks(page.name, "Sam Okafor")
    qtbot.keyClick(page.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.focusWidget(), "Coventry City Council Trading Standards")
    qtbot.keyClicks(page.job_role, "Trading Standards Officer")
    qtbot.keyClicks(page.email, "sam.okafor@example.gov.uk")
    qtbot.keyClicks(page.phone, "024 7650 0001")
    qtbot.keyClicks(page.passphrase, "short")
    qtbot.keyClicks(page.repeat, "short")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert "too short" in page.problem.text()
    qtbot.keyClicks(page.passphrase, "er")  # put right: the old words go
    assert page.problem.text() == ""
    assert page.strength_label.text() == "Strength: Very weak"
    page.passphrase.clear()
    page.repeat.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    assert page.strength_label.text() == "Strength: Strong"
    qtbot.keyClicks(page.repeat, PASSPHRASE + "x")
    page.repeat.editingFinished.emit()  # leaving the box says so at once
    assert "not the same" in page.problem.text()
    page.problem.clear()
    page.create_button.setFocus()
    qtbot.keyClick(page.create_button, Qt.Key.Key_Space)
    assert "not the same" in page.problem.text()
    assert window.focusWidget() is page.repeat and page.repeat.selectedText() == PASSPHRASE + "x"
    qtbot.keyClick(page.repeat, Qt.Key.Key_End)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)

    assert window.status.lock_label.text() == "Unlocked"
    assert window.store is not None
    profile = json.loads(window.store.meta(PROFILE_KEY) or "{}")
    assert profile["name"] == "Sam Okafor"
    assert profile["organisation"] == "Coventry City Council Trading Standards"
    assert profile["first_responder"] is True
    assert window.store.meta(ROLE_KEY) == "field_officer"
    assert window.store.actor == "Sam Okafor"
    assert not page.passphrase.text()  # the passphrase does not linger in the widget


def test_wrong_passphrase_then_growing_wait_then_unlock(qtbot, demo):
    # A shortened 'second', but long enough that a loaded CI machine still sees the wait.
    window = MainWindow(demo.settings, unlock_second_ms=1500)
    qtbot.addWidget(window)
    window.show()
    page = window.unlock_page
    assert window.pages.currentWidget() is page
    for attempt in (1, 2):
        qtbot.keyClicks(page.passphrase, "wrong horse")
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=attempt: page.failures == n, timeout=20_000)
    assert "did not unlock" in page.message.text()
    assert window.store is None
    # After a second failure the officer waits (1 "second", shortened here) before retrying.
    assert "try again in 1 s" in page.message.text()
    assert not page.unlock_button.isEnabled()
    qtbot.waitUntil(page.unlock_button.isEnabled, timeout=15_000)
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    assert page.failures == 0
    assert window.workspace.cases.model.rowCount() == 1
    window.lock()


def test_the_wait_grows_with_each_failure():
    assert [delay_after(n) for n in range(7)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after(50) == 60


def test_passphrase_strength_prefers_several_words():
    assert passphrase_strength("password") <= 1
    assert passphrase_strength("aaaaaaaaaaaaaaaa") <= 1
    assert passphrase_strength(PASSPHRASE) == 4


def test_a_store_made_by_the_command_line_still_unlocks(qtbot, settings: Settings):
    Store.create(settings, PASSPHRASE).lock()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.unlock_page.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    window.lock()


def test_a_lead_chosen_at_first_run_gets_the_leads_desk(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, settings: Settings, no_keyring
) -> None:
    """The Lead role chosen at first run ends at the Lead's desk, after being asked once to
    make the Lead identity (the role first run records is the one the Lead's window reads)."""
    asked: list[bool] = []
    monkeypatch.setattr("ui.lead.window.confirm_new_identity",
                        lambda _parent: asked.append(True) or True)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    page = window.first_run
    page.lead.click()
    qtbot.keyClicks(page.name, "Dana Whitfield")
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "lead_window", None) is not None, timeout=20_000)
    lead_window = window.lead_window
    qtbot.addWidget(lead_window)
    assert asked == [True]
    assert lead_window.desk is not None and lead_window.store is not None
    assert lead_window.store.meta(ROLE_KEY) == "lead"
    assert "not set up" not in lead_window.unlock_page.message.text()
    lead_window.lock()


def test_first_run_refuses_a_mistyped_work_email_or_phone(qtbot, settings: Settings,
                                                          no_keyring):
    """They go on every NRM referral as the first responder's: "rowan.hallam@coventry" was
    taken, and no NRM form would open after (there is no screen to put the profile right)."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    page = window.first_run
    qtbot.keyClicks(page.name, "Rowan Hallam")
    qtbot.keyClicks(page.email, "rowan.hallam@coventry")
    qtbot.keyClicks(page.phone, "024 7683 1234x")
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.problem.text() == ("Work email must be an email address, such as "
                                   "name@council.gov.uk.")
    assert window.focusWidget() is page.email
    qtbot.keyClicks(page.email, "rowan.hallam@coventry.gov.uk")  # typed over the selection
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.problem.text() == "Work phone must be a phone number, such as 07700 900123."
    assert window.focusWidget() is page.phone
    assert window.store is None
    qtbot.keyClicks(page.phone, "024 7683 1234")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    profile = json.loads(window.store.meta(PROFILE_KEY) or "{}")
    assert (profile["email"], profile["phone"]) == ("rowan.hallam@coventry.gov.uk",
                                                    "024 7683 1234")
