"""The Lead's window: the Lead imports the demo bundle (progress bar on the worker), opens the
case from the register, copies an answer for the online form, records the NRM reference and a
negative RG decision, and sees the reconsideration deadline appear and the dashboard change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fieldkit import clock
from fieldkit.officer import AppRole
from fieldkit.officer_profile import OfficerProfile
from fieldkit.store import Store
from sync.desk.tracker import EventKind, Outcome
from tests.builders import LeadAndDevice, three_laptops_one_reference
from tests.conftest import PASSPHRASE
from ui.first_run import create_store_and_key
from ui.lead.models import DueModel
from ui.lead.window import LeadWindow


def _press(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Operate a button from the keyboard: focus it, then Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _open_lead_window(qtbot, setup: LeadAndDevice) -> LeadWindow:  # type: ignore[no-untyped-def]
    """The Lead's window on the setup's store, 1366x768, unlocked."""
    window = LeadWindow(setup.lead_settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_store(Store.unwrap_key(setup.lead_settings, PASSPHRASE))
    return window


@pytest.fixture
def lead_window(qtbot, tmp_path: Path) -> Iterator[tuple[LeadWindow, LeadAndDevice]]:  # type: ignore[no-untyped-def]
    setup = LeadAndDevice(tmp_path)
    setup.send_demo(1)
    setup.close()
    window = _open_lead_window(qtbot, setup)
    yield window, setup
    window.lock()


def test_the_leads_day(qtbot, lead_window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window, setup = lead_window
    desk = window.desk
    assert desk is not None
    inbox = desk.inbox
    qtbot.keyClicks(inbox.folder, str(setup.share))
    inbox.folder.editingFinished.emit()
    assert inbox.waiting.text() == "1 bundle waiting to import"
    moves: list[tuple[int, int]] = []
    inbox._signals.moved.connect(lambda done, total: moves.append((done, total)))
    _press(qtbot, inbox.import_button)
    qtbot.waitUntil(lambda: "Imported 1" in inbox.message.text(), timeout=30_000)
    assert moves[-1] == (1, 1) and inbox.waiting.text() == "0 bundles waiting to import"
    assert inbox.devices_model.rowCount() == 1
    assert inbox.devices_model.index(0, 0).data() == "Rowan Hallam"

    # The register lists the case, its people and forms; filters narrow it.
    register = desk.register
    assert register.model.rowCount() == 1 + 4 + 9
    received = register.model.index(0, register.model.RECEIVED).data()
    assert received[-5:-3].isdigit() and received[-3] == ":"  # newest first: the time shown
    register.route.setCurrentIndex(register.route.findData("child"))
    shown = {register.proxy.index(r, 2).data() for r in range(register.proxy.rowCount())}
    assert shown == {"Operation Larkspur: hand car wash, Foleshill Road", "W3",
                     "NRM referral (W3)", "Referral (W3)"}
    register.route.setCurrentIndex(0)
    register.kind.setCurrentIndex(register.kind.findData("case"))
    assert register.proxy.rowCount() == 1
    desk.tabs.setCurrentWidget(register)
    register.search.setFocus()
    qtbot.keyClicks(register.search, "Larkspur")
    qtbot.keyClick(register.search, Qt.Key.Key_Return)  # to the first line shown
    assert register.table.hasFocus() and register.table.currentIndex().row() == 0
    qtbot.keyClick(register.table, Qt.Key.Key_Return)
    assert len(desk.records) == 1
    record = next(iter(desk.records.values()))
    assert desk.tabs.currentWidget() is record
    assert "first received" in record.history.toPlainText()
    assert "[correction of entry 3]" in record.overview.toPlainText()
    assert record.viewer.pixmap() is not None and not record.viewer.pixmap().isNull()
    first = record.case.exhibits[0]  # what a disclosure schedule needs: hash, time, file
    facts = record.exhibit_facts.text()
    assert facts.startswith(f"{first.exhibit_ref}: {first.filename} ({first.media_type}, ")
    assert f"SHA-256 {first.sha256}." in facts and "captured " in facts
    packs = tmp_path / "packs"
    monkeypatch.setattr("ui.lead.record_page.choose_folder", lambda _parent: str(packs))
    _press(qtbot, record.packs_button)
    qtbot.waitUntil(lambda: record.packs_message.text() == "9 packs saved.", timeout=30_000)
    assert len(list(packs.glob("*.pdf"))) == 9

    # Copy an answer, record the NRM reference.
    submitting = desk.submitting
    case_reference = record.case.case.reference
    # A referral the officer did not mark ready says so; each names its officer.
    for row, sub in enumerate(submitting._shown):
        text = submitting.referrals.item(row).text()
        assert ("DRAFT" in text) == sub.referral.draft and sub.referral.officer in text
    submitting.select(case_reference, "W1")
    assert "NOT YET SUBMITTED" in submitting.referrals.currentItem().text()
    given = next(b for b in submitting.copy_buttons if b.accessibleName() == "Copy: Given names")
    _press(qtbot, given)
    assert QGuiApplication.clipboard().text() == "Andrei"
    qtbot.keyClicks(submitting.reference, "NRM-2026-00042")
    _press(qtbot, submitting.record_button)
    assert submitting.message.text() == "Submission recorded."
    # The same referral stays chosen (it moved down the list; the row kept was another's).
    assert "NRM-2026-00042" in submitting.referrals.currentItem().text()
    assert submitting.message.text() == "Submission recorded."
    submitting.select(case_reference, "W2")  # another referral: the message was W1's
    assert submitting.message.text() == ""
    submitting.select(case_reference, "W1")
    assert submitting.current().referral.person_reference == "W1"
    assert submitting.reference.text() == "NRM-2026-00042"

    # A negative RG decision: the reconsideration deadline appears, the dashboard changes.
    dashboard = desk.dashboard
    # W3's NRM is the officer's draft, not yet a referral: the dashboard does not count it.
    referred = "NRM referrals and Duty to Notify notifications"
    assert [dashboard.count(referred, figure) for figure in (
        "NRM referral, adult", "NRM referral, child", "Duty to Notify, adult", "Total")] \
        == [1, 0, 1, 2]
    rg = "Reasonable grounds (RG) decisions"
    assert dashboard.count(rg, "Negative") == 0
    tracker = desk.tracker
    # The outcome starts unchosen: recording without choosing it records nothing.
    assert tracker.outcome.currentData() is None
    tracker.referral.setCurrentIndex(tracker.referral.findData(f"{record.case_id}\tW1"))
    _press(qtbot, tracker.record_button)
    assert tracker.message.text() == ("Choose the outcome of the decision: positive or "
                                      "negative.")
    assert dashboard.count(rg, "Negative") == 0 and dashboard.count(rg, "Positive") == 0
    tracker.choose(record.case_id, "W1", EventKind.RG, Outcome.NEGATIVE)
    _press(qtbot, tracker.record_button)
    assert tracker.message.text() == "Recorded."
    assert tracker.outcome.currentData() is None  # the next decision's is chosen afresh
    assert tracker.on.maximumDate() == tracker.on.date()  # never after today
    model: DueModel = tracker.model
    whats = [model.index(r, DueModel.WHAT).data() for r in range(model.rowCount())]
    deadline = (clock.today() + timedelta(days=30))
    assert f"Reconsideration deadline {deadline.day} {deadline:%B %Y}" in whats
    # W1's deadline, and W2's Duty to Notify and W3's draft NRM not yet submitted (to do).
    waiting = [model.item(r) for r in range(model.rowCount())
               if model.item(r).timeline_id == "not_submitted"]
    assert [i.person_reference for i in waiting] == ["W2", "W3"]
    assert "Received, not yet submitted to the Home Office, since" in waiting[0].what_on()
    assert model.rowCount() == 3 and tracker.summary.text() == "3 deadlines or actions, " \
        "0 OVERDUE."
    assert dashboard.count(rg, "Negative") == 1
    # Another RG for W1 is asked about (a correction?), No keeping the first.
    answers = [False, True]
    asked: list[str] = []

    def correct(parent, said: str) -> bool:  # type: ignore[no-untyped-def]
        asked.append(said)
        return answers.pop(0)

    monkeypatch.setattr("ui.lead.tracker_page.confirm_correction", correct)
    tracker.choose(record.case_id, "W1", EventKind.RG, Outcome.POSITIVE)
    _press(qtbot, tracker.record_button)
    assert "W1's reasonable grounds decision is already recorded (negative" in asked[0]
    assert dashboard.count(rg, "Negative") == 1 and dashboard.count(rg, "Positive") == 0
    _press(qtbot, tracker.record_button)
    assert tracker.message.text() == "Recorded." and len(asked) == 2
    assert dashboard.count(rg, "Positive") == 1 and dashboard.count(rg, "Negative") == 0
    tracker.choose(record.case_id, "W1", EventKind.RG, Outcome.NEGATIVE)
    monkeypatch.setattr("ui.lead.tracker_page.confirm_correction", lambda *_: True)
    _press(qtbot, tracker.record_button)  # corrected back, as the rest of the day expects
    assert dashboard.count(rg, "Negative") == 1
    # The quarter's report saved from the app (it could only be made on the command line).
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setattr("ui.lead.dashboard_page.choose_report_folder", lambda _p: str(reports))
    _press(qtbot, dashboard.save_button)
    saved = sorted(p.name for p in reports.iterdir())
    assert len(saved) == 2 and saved[0].endswith(".csv") and saved[1].endswith(".pdf")
    assert dashboard.message.text().startswith("Report for ")
    assert (reports / saved[1]).read_bytes().startswith(b"%PDF")
    history = record.history.toPlainText()
    assert "reasonable grounds decision (negative)" in history
    # Dates and times in words, as the rest of the desk shows them (it showed 2026-11-28).
    assert not re.search(r"\d{4}-\d\d-\d\d", history)
    today = clock.today()
    assert f"negative) on {today.day} {today:%B %Y} (recorded " in history

    # Locking destroys the desk and wipes the copied answer.
    window.lock()
    assert window.desk is None and QGuiApplication.clipboard().text() != "Andrei"


def test_overdue_reads_overdue_in_words(qtbot, lead_window) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from sync.desk.tracker import DueItem

    model = DueModel()
    item = DueItem(date(2026, 3, 2), "FK-2026-0001", "W1", "Reconsideration deadline",
                   "reconsideration", True)
    model.set_items([item], date(2026, 3, 3))
    assert model.index(0, DueModel.STATE).data() == "OVERDUE"
    assert model.index(0, DueModel.STATE).data(Qt.ItemDataRole.FontRole).bold()
    model.set_items([item], date(2026, 3, 2))
    assert model.index(0, DueModel.STATE).data() == "open"


def test_a_lead_chosen_at_first_run_is_offered_the_identity(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, settings
) -> None:
    # What first run stores for the Lead role: the profile with the app role, nothing else.
    unwrapped = create_store_and_key(settings, PASSPHRASE, OfficerProfile(name="Dana Whitfield"),
                                     AppRole.LEAD)
    asked: list[bool] = []
    monkeypatch.setattr("ui.lead.window.confirm_new_identity",
                        lambda _parent: asked.append(True) or True)
    window = LeadWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.open_store(unwrapped)
    assert asked == [True] and window.desk is not None
    window.lock()


def test_an_officers_store_is_not_opened_as_the_lead(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    Store.create(settings, PASSPHRASE, officer="Rowan Hallam").lock()
    window = LeadWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.desk is None and window.store is None
    assert "not set up for the Modern Slavery Lead" in window.unlock_page.message.text()


def _case_ids(window: LeadWindow) -> list[str]:
    from sync.desk.received import case_ids

    assert window.store is not None
    return case_ids(window.store)


def test_the_tracker_says_whose_case_each_reference_is(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two officers' laptops both number a case FK-2026-0001: the tracker's table showed the
    reference alone, three identical lines."""
    setup, _ = three_laptops_one_reference(tmp_path)
    setup.close()
    window = _open_lead_window(qtbot, setup)
    assert window.desk is not None
    model: DueModel = window.desk.tracker.model
    assert model.headerData(DueModel.SENT_BY, Qt.Orientation.Horizontal) == "Sent by"
    lines = {tuple(model.index(r, c).data() for c in (DueModel.CASE, DueModel.SENT_BY,
                                                      DueModel.PERSON))
             for r in range(model.rowCount()) if model.item(r).timeline_id != "not_submitted"}
    assert lines == {("FK-2026-0001", "Rowan Hallam, laptop", "W1"),
                     ("FK-2026-0001", "Rowan Hallam, spare laptop", "W1"),
                     ("FK-2026-0001", "Sam Okafor", "W1")}
    # Two officers' cases opened side by side: each tab names whose it is.
    for case_id in _case_ids(window):
        window.desk.open_case(case_id)
    tabs = [window.desk.tabs.tabText(window.desk.tabs.indexOf(page))
            for page in window.desk.records.values()]
    assert sorted(tabs) == ["FK-2026-0001 (Rowan Hallam, laptop)",
                            "FK-2026-0001 (Rowan Hallam, spare laptop)",
                            "FK-2026-0001 (Sam Okafor)"]
    # The referrals to record a decision against are told apart the same way.
    tracker = window.desk.tracker
    choices = [tracker.referral.itemText(i) for i in range(tracker.referral.count())]
    for sender in ("Rowan Hallam, laptop", "Rowan Hallam, spare laptop", "Sam Okafor"):
        assert f"FK-2026-0001 W1 (NRM-1, {sender})" in choices, choices
    assert len(set(choices)) == len(choices)
    window.lock()


def test_the_import_bar_and_its_words_agree(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The bar stood full while the words still said 'Importing...' (the receipts were being
    written): at every step of a real import, a full bar never sits beside 'Importing'."""
    setup = LeadAndDevice(tmp_path)
    setup.send_demo(3)
    setup.close()
    window = LeadWindow(setup.lead_settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.open_store(Store.unwrap_key(setup.lead_settings, PASSPHRASE))
    assert window.desk is not None
    inbox = window.desk.inbox
    inbox.folder.setText(str(setup.share))
    seen: list[tuple[int, int, str]] = []
    # Connected after the page's own slot: each step as the Lead sees it once it is handled.
    inbox._signals.moved.connect(lambda *_: seen.append(
        (inbox.progress.value(), inbox.progress.maximum(), inbox.message.text())))
    _press(qtbot, inbox.import_button)
    qtbot.waitUntil(lambda: "Imported 3" in inbox.message.text(), timeout=30_000)
    assert seen[0] == (0, 3, "Importing bundle 1 of 3...")
    assert seen[-1][1] == 0 and seen[-1][2].startswith("Finishing: writing the receipts")
    for value, most, words in seen:
        assert not (most and value >= most), (value, most, words)  # never full mid-import
        assert words.startswith("Importing") == (most > 0), words
    assert not inbox.progress.isVisible()
    window.lock()


def test_a_refused_bundle_says_what_is_known_and_what_to_do(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A damaged bundle was listed with its file name and reason only: no sender, no advice."""
    setup = LeadAndDevice(tmp_path)
    setup.send_demo(1)
    setup.close()
    [path] = list((setup.share / "bundles").glob("*.age"))
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    window = _open_lead_window(qtbot, setup)
    assert window.desk is not None
    inbox = window.desk.inbox
    assert inbox.rejected_detail.text() == "No bundle has been refused."
    inbox.folder.setText(str(setup.share))
    _press(qtbot, inbox.import_button)
    qtbot.waitUntil(lambda: "1 refused" in inbox.message.text(), timeout=30_000)
    model = inbox.rejected_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Bundle file", "Sender", "Arrived", "Refused at", "Reason"]
    assert model.index(0, 1).data() == ("claims to be from Rowan Hallam, laptop: not verified "
                                        "(the file could not be checked)")
    detail = inbox.rejected_detail.text()
    assert detail.startswith(f"{path.name} could not be imported. Bundle rejected: ")
    assert f"It was found in {setup.share}/bundles, moved to {setup.share}/quarantine." in detail
    assert "Sender: claims to be from Rowan Hallam, laptop: not verified" in detail
    assert detail.endswith("the officer's laptop sends the bundle again by itself at its next "
                           "sync (the receipt tells it so): ask Rowan Hallam (if it is theirs: "
                           "the file's claim is not verified) to sync, then import again.")
    window.lock()


def test_enter_presses_every_button_on_the_leads_desk(qtbot, lead_window) -> None:  # type: ignore[no-untyped-def]
    """Keyboard users press Enter on a focused button, as in the officer's window: every push
    button of the Lead's window is made to (Qt does it by itself only in dialogs)."""
    from PySide6.QtWidgets import QPushButton

    window, _ = lead_window
    buttons = window.findChildren(QPushButton)
    assert len(buttons) > 10
    assert [b.text() for b in buttons if not b.autoDefault()] == []
    assert window.desk is not None
    window.desk.tabs.setCurrentWidget(window.desk.dashboard)
    show = window.desk.dashboard.show_button
    show.setFocus()
    qtbot.waitUntil(show.hasFocus)
    with qtbot.waitSignal(show.clicked, timeout=2000):
        qtbot.keyClick(show, Qt.Key.Key_Return)


def test_enter_in_the_reference_or_a_date_records_as_the_button_does(  # type: ignore[no-untyped-def]
        qtbot, lead_window) -> None:
    """Enter in the Submitting tab's reference or date, and in the tracker's date, records
    (it did nothing: the Lead's first RG was never recorded)."""
    window, setup = lead_window
    desk = window.desk
    assert desk is not None
    qtbot.keyClicks(desk.inbox.folder, str(setup.share))
    desk.inbox.folder.editingFinished.emit()
    _press(qtbot, desk.inbox.import_button)
    qtbot.waitUntil(lambda: "Imported 1" in desk.inbox.message.text(), timeout=30_000)
    desk.tabs.setCurrentWidget(desk.submitting)
    page = desk.submitting
    page.select(desk.submitting._shown[0].referral.case_reference, "W1")
    page.reference.setFocus()
    qtbot.keyClicks(page.reference, "NRM-ENTER-1")
    qtbot.keyClick(page.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.message.text() != "")
    assert page.message.text() == "Submission recorded."
    tracker = desk.tracker
    desk.tabs.setCurrentWidget(tracker)
    tracker.on.setFocus()
    qtbot.waitUntil(tracker.on.hasFocus)
    tracker.message.clear()
    qtbot.keyClick(tracker.on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tracker.message.text() != "")


def test_an_nrm_submitted_before_consent_was_withdrawn_can_still_be_read(
        qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The laptop stops sending a person's NRM form once they withdraw consent; if it was
    already submitted, the Lead's Forms list still shows it (what was submitted), whole, with
    its answers, beside the Duty to Notify that replaced it on the laptop."""
    setup = LeadAndDevice(tmp_path)
    case_id = setup.withdrawn_after_submission()
    setup.close()
    window = _open_lead_window(qtbot, setup)
    assert window.desk is not None
    page = window.desk.open_case(case_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.tabs.tabBar().setFocus()  # as after Alt+O: the cursor on the tabs
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # For&ms
    qtbot.waitUntil(lambda: page.forms.hasFocus())  # the cursor in the list, not on the tab
    # Alt+O and Alt+H: the tab is one text box; the cursor goes into it.
    page.tabs.tabBar().setFocus()
    qtbot.keyClick(page, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Overview
    qtbot.waitUntil(page.overview.hasFocus)
    qtbot.keyClick(page, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # &History
    qtbot.waitUntil(page.history.hasFocus)
    page.tabs.tabBar().setFocus()
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # For&ms
    qtbot.waitUntil(lambda: page.forms.hasFocus())
    entries = [page.forms.item(i).text() for i in range(page.forms.count())]
    assert "NRM referral (N1) - as submitted; consent withdrawn since, version 1" in entries
    row = next(i for i, text in enumerate(entries) if text.startswith("NRM referral"))
    qtbot.keyClick(page.forms, Qt.Key.Key_Home)
    for _ in range(row):
        qtbot.keyClick(page.forms, Qt.Key.Key_Down)
    assert "Dobrescu" in page.form_text.toPlainText()
    # Long entries wrap in the list rather than being cut at its edge.
    assert page.forms.wordWrap()
    item = page.forms.item(row)
    assert page.forms.visualItemRect(item).right() <= page.forms.viewport().width()
    window.lock()


def test_after_an_import_the_submitting_tab_shows_the_first_still_to_submit(
        qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The Submitting tab kept the one referral selected before an import (already submitted,
    its reference filled in) above nine new ones not yet submitted: the next reference typed
    would have gone to the wrong person."""
    from sync import importer
    from sync.desk import submission

    setup = LeadAndDevice(tmp_path)
    [first] = setup.send_demo(1)
    setup.import_all()
    submission.record_submission(setup.lead, first, "W1", "NRM-1", clock.today())
    submission.record_submission(setup.lead, first, "W2", "DTN-1", clock.today())
    setup.send_demo(1)  # a second operation waits in the share
    setup.close()
    window = _open_lead_window(qtbot, setup)
    assert window.desk is not None
    page = window.desk.submitting
    done = next(r for r, sub in enumerate(page._shown) if sub.submitted_on is not None)
    page.referrals.setCurrentRow(done)
    importer.import_folder(window.desk.store, setup.share)
    page.refresh()
    chosen = page.current()
    assert chosen is not None and chosen.submitted_on is None
    assert "NOT YET SUBMITTED" in page.referrals.currentItem().text()
    assert page.referrals.wordWrap()  # "(Rowan Hallam)" was cut off at 1366 px
    window.lock()


def test_every_row_of_the_dashboard_s_tables_shows(qtbot, lead_window) -> None:  # type: ignore[no-untyped-def]
    """At 1366x768 the Gender table had a scroll bar of its own inside the page's, its Total
    row half hidden."""
    from PySide6.QtWidgets import QTableView

    window, _setup = lead_window
    window.desk.tabs.setCurrentWidget(window.desk.dashboard)
    tables = window.desk.dashboard.charts_area.widget().findChildren(QTableView)
    assert tables
    qtbot.waitUntil(lambda: all(t.isVisible() for t in tables))
    for table in tables:
        rows = table.model().rowCount()
        needed = table.verticalHeader().defaultSectionSize() * rows
        assert table.viewport().height() >= needed - 1, table.accessibleName()


def test_revoking_names_the_laptop_and_no_is_the_default(  # type: ignore[no-untyped-def]
        qtbot, lead_window, monkeypatch) -> None:
    """"Revoke this device?" named no one, and Return answered Yes."""
    from sync import lead
    from ui.table import select_id

    window, _ = lead_window
    inbox = window.desk.inbox
    [(enrolled, _, _)] = lead.list_devices(window.store)
    asked: list[str] = []
    answer = [False]

    def ask(parent, laptop: str) -> bool:  # type: ignore[no-untyped-def]
        asked.append(laptop)
        return answer[0]

    monkeypatch.setattr("ui.lead.inbox_page.confirm_revoke", ask)
    assert select_id(inbox.devices, enrolled.device_id)
    _press(qtbot, inbox.revoke_button)
    assert asked == ["Rowan Hallam's laptop"]
    assert not lead.enrolled_devices(window.store)[enrolled.device_id].revoked
    answer[0] = True
    _press(qtbot, inbox.revoke_button)
    assert lead.enrolled_devices(window.store)[enrolled.device_id].revoked
    assert inbox.message.text().startswith("Device revoked.")


def test_the_submitting_page_shows_answers_changed_after_the_submission(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A correction made on the laptop after the Lead recorded the submission: the new answers
    were shown under "submitted" with no word; the Home Office has the earlier ones."""

    from fieldkit import cases
    from sync.desk import submission

    setup = LeadAndDevice(tmp_path)
    [case_id] = setup.send_demo(1)
    setup.import_all()
    submission.record_submission(setup.lead, case_id, "W1", "NRM-2026-00042", clock.today())
    setup.correct_first_persons_birth_date(case_id)
    setup.import_all()
    reference = cases.get_case(setup.device, case_id).reference
    setup.close()
    window = _open_lead_window(qtbot, setup)
    try:
        page = window.desk.submitting
        page.select(reference, "W1")
        note = page.changed_note.text()
        assert note.startswith("Changed since it was submitted on ")
        assert "tell the Single Competent Authority" in note
        assert "Date of birth: was 12 March 1994, now 12 June 1992." in note
        page.select(reference, "W2")  # not changed since: no note
        assert not page.changed_note.isVisibleTo(page)
    finally:
        window.lock()


def test_the_leads_window_quits_from_its_menu_and_is_titled_once(qtbot, lead_window) -> None:  # type: ignore[no-untyped-def]
    """Only Alt+F4 closed the Lead's window, and its title read "fieldkit: Modern Slavery Lead
    — fieldkit"."""
    from PySide6.QtGui import QKeySequence

    window, _setup = lead_window
    assert window.windowTitle() == "Modern Slavery Lead"
    [quit_action] = [a for a in window.menuBar().actions()[0].menu().actions()
                     if a.text() == "&Quit"]
    assert quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    quit_action.trigger()
    assert not window.isVisible() and window.store is None  # locked on the way out
