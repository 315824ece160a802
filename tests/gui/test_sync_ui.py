"""Sending to the Lead from the app: importing the Lead profile (fingerprint checked by phone),
enrolment, Send to Lead, the outbox, and the background sync against a real loopback inbox
and a real Lead store (the reliability rig)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QLabel

from sync import device, lead, outbox
from sync.importer import import_folder
from sync.profile import load_profile
from tests.conftest import PASSPHRASE
from tests.gui.conftest import LeadSetup
from ui.case_view import CasePage
from ui.lead_profile import spaced_fingerprint
from ui.outbox_view import OutboxPage

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _press(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Operate a button from the keyboard: focus it, then Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _import_profile(qtbot, window, picked: dict[str, str], path: Path):  # type: ignore[no-untyped-def]
    """File > Lead profile…, Import, check the fingerprint dialog, Accept."""
    picked["open"] = str(path)
    window.profile_action.trigger()
    dialog = window.lead_dialog
    assert dialog is not None and dialog.isVisible()
    _press(qtbot, dialog.import_button)
    confirm = dialog.confirm
    assert confirm is not None
    qtbot.waitUntil(confirm.isVisible)
    return dialog, confirm


def _enrol(qtbot, window, picked: dict[str, str], setup: LeadSetup) -> None:
    """Save the enrolment request from the app; the Lead accepts it and exports devices."""
    dialog = window.lead_dialog
    dialog.organisation.setFocus()
    qtbot.keyClicks(dialog.organisation, "Trading Standards")
    request = setup.folder / "enrol-request.json"
    picked["save"] = str(request)
    _press(qtbot, dialog.save_button)
    assert "Enrolment request saved" in dialog.message.text()
    lead.add_device(setup.rig.lead_store, request.read_bytes())
    (setup.folder / "devices.json").write_bytes(lead.export_devices(setup.rig.lead_store))
    _press(qtbot, dialog.close_button)


def _open_sent_tab(window, setup: LeadSetup) -> CasePage:  # type: ignore[no-untyped-def]
    page = window.workspace.open_case(setup.case.id)
    page.tabs.setCurrentWidget(page.sent_to_lead)
    return page


def _column(page: OutboxPage, key: str, row: int = 0) -> str:
    model = page.model
    return str(model.index(row, model.column(key)).data())


def test_importing_a_profile_shows_its_fingerprint_and_keeps_it(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    assert window.status.outbox_label.text() == "To Lead: not set up"
    path = lead_setup.profile_file(lead_setup.live_url, auto_lock_minutes=2)
    expected = load_profile(path.read_bytes())
    dialog, confirm = _import_profile(qtbot, window, picked_paths, path)

    assert confirm.fingerprint.text() == spaced_fingerprint(expected.fingerprint())
    assert confirm.fingerprint.font().pointSizeF() > dialog.font().pointSizeF() * 1.5
    assert confirm.council.text() == "Example Council"
    assert "Lead Example" in confirm.lead.text()
    texts = [label.text() for label in confirm.findChildren(QLabel)]
    assert "Read this to your Modern Slavery Lead by phone and check it matches" in texts
    assert device.current_profile(window.store) is None  # nothing kept before Accept
    assert not confirm.accept_button.isDefault()  # Enter alone never accepts

    _press(qtbot, confirm.accept_button)
    assert not confirm.isVisible()
    kept = device.current_profile(window.store)
    assert kept is not None and kept.fingerprint() == expected.fingerprint()
    assert "Lead profile imported" in dialog.message.text()
    assert expected.fingerprint().split("-")[0] in dialog.fingerprint.text()
    # Nothing was sent yet: it said "all sent" before anything was.
    assert window.status.outbox_label.text() == "To Lead: nothing sent yet"
    assert window.idle.interval_ms == 2 * 60_000  # the council's auto-lock policy applies

    _enrol(qtbot, window, picked_paths, lead_setup)
    enrolled = lead.list_devices(lead_setup.rig.lead_store)
    assert [name for _device, name, _org in enrolled] and enrolled[0][2] == "Trading Standards"


def test_a_tampered_profile_gets_a_plain_error_and_changes_nothing(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    path = lead_setup.profile_file(lead_setup.live_url)
    path.write_bytes(path.read_bytes().replace(b"Example Council", b"Exemplar Council"))
    picked_paths["open"] = str(path)
    window.profile_action.trigger()
    dialog = window.lead_dialog
    _press(qtbot, dialog.import_button)
    assert dialog.confirm is None
    text = dialog.message.text()
    assert "cannot be trusted" in text and "Nothing was changed" in text
    assert "Traceback" not in text and str(path) not in text
    assert device.current_profile(window.store) is None

    # Cancelling the fingerprint check keeps nothing either.
    picked_paths["open"] = str(lead_setup.profile_file(lead_setup.live_url, "good.json"))
    _press(qtbot, dialog.import_button)
    qtbot.waitUntil(dialog.confirm.isVisible)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Escape)
    assert "Not imported" in dialog.message.text()
    assert device.current_profile(window.store) is None


def test_send_to_lead_delivers_and_shows_the_lead_imported_it(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    _dialog, confirm = _import_profile(qtbot, window, picked_paths,
                                       lead_setup.profile_file(lead_setup.live_url))
    _press(qtbot, confirm.accept_button)
    _enrol(qtbot, window, picked_paths, lead_setup)

    page = _open_sent_tab(window, lead_setup)
    assert "Nothing from this case has been sent to Lead Example yet" in page.sent_to_lead.text()
    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as done:
        _press(qtbot, page.sent_to_lead.send_button)
        # Sealing runs on its own worker and connection: the window answers meanwhile.
        assert window.sealer.running == 1
        assert page.message.text() == "Sealing the case for the Lead…"
    # Queued, then sent: the page says so (it kept "Queued for the Lead… when this laptop is
    # online" beside a row showing Delivered).
    assert page.message.text() == "1 sent to the Lead."
    assert done.args[0].reachable and done.args[0].delivered == 1
    items = outbox.list_items(window.store)
    assert [item.state for item in items] == ["delivered"]
    assert window.status.outbox_label.text() == "To Lead: all sent"
    # Its receipt is not back yet: the timer goes on, more slowly, to pick it up.
    assert window.sync.timer.isActive()
    assert window.sync.timer.interval() == 10 * window.sync._interval_ms
    qtbot.waitUntil(lambda: page.sent_to_lead.model.rowCount() == 1)
    assert page.sent_to_lead.model.index(0, 1).data() == "Delivered"

    qtbot.keyClick(window.workspace.current(), Qt.Key.Key_O, CTRL_SHIFT)
    outbox_page = window.workspace.current()
    assert isinstance(outbox_page, OutboxPage)
    assert _column(outbox_page, "case") == lead_setup.case.reference
    assert _column(outbox_page, "state") == "Delivered"
    assert _column(outbox_page, "imported") == "Not yet"
    assert _column(outbox_page, "attempts") == "1"

    # The Lead imports; the next unlock fetches their signed receipt (it came only after ten
    # unbroken unlocked minutes, and the laptop locks itself sooner).
    report = import_folder(lead_setup.rig.lead_store, lead_setup.rig.inbox_root)
    assert report.imported == [items[0].bundle_id]
    window.lock()
    qtbot.waitUntil(window.unlock_page.isVisible)
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as done:
        qtbot.keyClicks(window.unlock_page.passphrase, PASSPHRASE)
        qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    assert done.args[0].receipts == 1
    assert outbox.get_item(window.store, items[0].bundle_id).acknowledged_at
    qtbot.keyClick(window.workspace.current(), Qt.Key.Key_O, CTRL_SHIFT)
    outbox_page = window.workspace.current()
    assert isinstance(outbox_page, OutboxPage)
    qtbot.waitUntil(lambda: _column(outbox_page, "imported") not in ("Not yet", ""))
    assert outbox.get_item(window.store, items[0].bundle_id).acknowledged_at
    assert "1 delivered (1 imported by the Lead)" in outbox_page.summary.text()
    # Enter on the row opens its case.
    outbox_page.table.setFocus()
    outbox_page.table.setCurrentIndex(outbox_page.model.index(0, 0))
    qtbot.keyClick(outbox_page.table, Qt.Key.Key_Return)
    assert isinstance(window.workspace.current(), CasePage)


def test_unreachable_lead_keeps_items_waiting_and_lock_stops_the_timer(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    # Nothing listens on the discard port: the destination cannot be reached.
    _dialog, confirm = _import_profile(qtbot, window, picked_paths,
                                       lead_setup.profile_file("http://127.0.0.1:9"))
    _press(qtbot, confirm.accept_button)
    window.lead_dialog.reject()
    window.workspace.open_case(lead_setup.case.id)
    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as done:
        qtbot.keyClick(window.workspace.current(), Qt.Key.Key_S, CTRL_SHIFT)
        assert window.sealer.running == 1  # sealed on its own worker
    assert not done.args[0].reachable
    assert window.status.outbox_label.text() == "To Lead: 1 waiting"
    assert "cannot be reached" in window.statusBar().currentMessage()
    [item] = outbox.list_items(window.store)
    assert item.state == "queued" and item.attempts == 0
    assert window.sync.timer.isActive()  # tries again by itself while items wait

    outbox_page = window.show_outbox()
    assert _column(outbox_page, "state") == "Queued"
    assert _column(outbox_page, "next") == "When the Lead can be reached"
    assert outbox_page.retry_button.isEnabled()
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        _press(qtbot, outbox_page.retry_button)
        assert not outbox_page.retry_button.isEnabled()  # never two runs at once
    assert "could not be reached" in outbox_page.message.text()
    assert outbox_page.retry_button.isEnabled()

    # A new bundle is inserted into the open outbox in place (no reset: the selection stays).
    with qtbot.waitSignal(outbox_page.model.rowsInserted, timeout=5_000), \
            qtbot.assertNotEmitted(outbox_page.model.modelReset):
        window.send_case(lead_setup.case.id)
    qtbot.waitUntil(lambda: window.sealer.running == 0)
    qtbot.waitUntil(lambda: not window.sync.running)
    assert outbox_page.model.rowCount() == 2
    assert window.status.outbox_label.text() == "To Lead: 2 waiting"

    # Coming back online starts a sync by itself.
    window.status.network_label.setText("Offline")
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        window.status.show_reachability(QNetworkInformation.Reachability.Online)
    assert outbox.waiting_count(window.store) == 2

    window.lock()
    assert not window.sync.timer.isActive() and not window.sync.active
    assert window.store is None and window.lead_dialog is None
    assert not window.sync.sync_now()  # nothing runs while locked
    assert window.status.outbox_label.text() == "To Lead: unlock to see"


def test_a_request_during_a_run_runs_once_after_it(qtbot):
    """The controller never runs twice at once; a request made meanwhile runs straight after."""
    import threading

    from sync.engine import SyncOutcome
    from ui.sync_controller import SyncController

    gate = threading.Event()
    calls: list[bool] = []
    active = [0]
    overlap: list[int] = []

    def run(retry_now: bool) -> SyncOutcome:
        active[0] += 1
        overlap.append(active[0])
        calls.append(retry_now)
        gate.wait(10)
        active[0] -= 1
        return SyncOutcome(reachable=True)

    controller = SyncController(60_000)
    controller.start_with(run)
    assert controller.sync_now()
    assert not controller.sync_now(retry_now=True)  # queued, not started
    assert not controller.sync_now()
    with qtbot.waitSignals([controller.finished, controller.finished], timeout=10_000):
        gate.set()
    qtbot.waitUntil(lambda: not controller.running)
    assert calls == [False, True] and max(overlap) == 1
    controller.set_waiting(2)
    assert controller.timer.isActive()
    controller.stop()
    assert not controller.timer.isActive() and not controller.sync_now()


def test_sending_screens_name_every_control_and_fit_a_small_laptop(
        qtbot, lead_window, lead_setup, picked_paths):
    from tests.gui.test_app_shell import _unnamed

    window = lead_window
    _dialog, _confirm = _import_profile(qtbot, window, picked_paths,
                                        lead_setup.profile_file(lead_setup.live_url))
    _open_sent_tab(window, lead_setup)
    window.show_outbox()
    assert _unnamed(window) == []
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768


def test_sync_errors_become_plain_words_without_commands(qtbot):
    from sync import errors as sync_errors
    from ui.messages import error_text

    for error in (device.NotEnrolled(), device.ProfileReplaced(),
                  sync_errors.ProfileTampered("bad signature"), sync_errors.InsecureDestination(),
                  sync_errors.DestinationUnavailable("network error: ConnectError"),
                  sync_errors.DeviceNotEnrolled("d1"), sync_errors.DeliveryUnauthorised()):
        text = error_text(error)
        assert text and "fieldkit device" not in text and "--" not in text
        assert "Traceback" not in text and "bad signature" not in text
    assert "Lead > Lead profile" in error_text(device.NotEnrolled())


def test_a_bundle_the_lead_refuses_shows_as_refused_not_retried(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    _dialog, confirm = _import_profile(qtbot, window, picked_paths,
                                       lead_setup.profile_file(lead_setup.live_url))
    _press(qtbot, confirm.accept_button)
    _enrol(qtbot, window, picked_paths, lead_setup)
    window.workspace.open_case(lead_setup.case.id)
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        window.send_to_lead()
    # The Lead revokes this laptop before importing: its bundle is refused with a receipt.
    lead.revoke_device(lead_setup.rig.lead_store, device.device_id(window.store))
    report = import_folder(lead_setup.rig.lead_store, lead_setup.rig.inbox_root)
    assert len(report.rejected) == 1
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        window.sync_action.trigger()
    page = window.show_outbox()
    assert _column(page, "state") == "Refused by the Lead"
    assert _column(page, "next") == "Not by itself: send the case again"
    assert "The Lead could not import this bundle" in _column(page, "error")
    assert "1 refused by the Lead" in page.summary.text()
    assert "refused by the Lead" in window.status.outbox_label.text()
    assert "waiting" not in window.status.outbox_label.text()


def test_a_profile_update_shows_what_it_changes_before_it_is_accepted(
        qtbot, lead_window, lead_setup, picked_paths):
    window = lead_window
    _dialog, confirm = _import_profile(qtbot, window, picked_paths,
                                       lead_setup.profile_file(lead_setup.live_url))
    assert confirm.changes.text() == ""  # a first profile: nothing to compare with
    _press(qtbot, confirm.accept_button)
    window.lead_dialog.reject()
    newer = lead_setup.profile_file(lead_setup.live_url, name="update.json",
                                    auto_lock_minutes=3)
    _dialog, confirm = _import_profile(qtbot, window, picked_paths, newer)
    assert confirm.changes.text()  # the policy change is listed before Accept
    assert "lock" in confirm.changes.text().lower()
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)
