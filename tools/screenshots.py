"""Write a PNG of every main screen, driving the app through the fictional demo case.

    python -m tools.screenshots docs/screenshots

Run under ``xvfb-run -a -s "-screen 0 1366x768x24"`` (``make screenshots``): the window is
sized to a 1366x768 laptop screen, the smallest the app is designed for.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit import cases, documents
from fieldkit.demo import create_demo_operation
from fieldkit.settings import Settings
from fieldkit.store import Store
from forms import PersonReceived, ReceptionCentre

if TYPE_CHECKING:
    from sync.profile import LeadProfile
    from ui.main_window import MainWindow

PASSPHRASE = "larkspur meadow copper lantern"  # noqa: S105 - a throwaway demo store
SIZE = (1366, 768)


def _settle(ms: int = 120) -> None:
    QApplication.processEvents()
    QTest.qWait(ms)


def _wait_for(condition: Callable[[], bool], timeout_ms: int = 20_000) -> None:
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise TimeoutError("the app did not get there in time")
        QTest.qWait(20)
        waited += 20


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    _settle()
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)
    return path


def _demo_store(settings: Settings) -> None:
    """The demo operation with its forms, a busier reception board than the demo's own, and an
    outbox with a bundle the Lead imported and one that failed."""
    store = Store.create(settings, PASSPHRASE, officer="Rowan Hallam")
    try:
        from fieldkit.officer import OfficerProfile, save_profile

        save_profile(store, OfficerProfile(
            name="Rowan Hallam", organisation="Coventry City Council Trading Standards",
            role="Trading Standards Officer", email="rowan.hallam@example.gov.uk",
            phone="024 7650 0000"), "field_officer")
        case = create_demo_operation(store)
        visit = cases.list_visits(store, case.id)[0]
        if not documents.list_documents(store, case.id):
            from fieldkit.demo.forms import add_demo_forms

            add_demo_forms(store, case.id, visit.id)
        for title in ("Nail bar, Hertford Street (follow-up)", "Farm workers, Brinklow Road",
                      "HMO concern, Stoney Stanton Road"):
            cases.create_case(store, title)
        _busier_board(store, case.id)
        _lead_outbox(store, settings.data_dir.parent, case.id)
    finally:
        store.lock()


class _Unreachable:
    """A transport whose network is down (for the picture of a failed bundle)."""

    def send(self, bundle_id: str, data: bytes) -> object:
        from sync.errors import DestinationUnavailable

        raise DestinationUnavailable("network error: ConnectTimeout")


def _lead_outbox(store: Store, temp: Path, case_id: str) -> None:
    """A real Lead (in a temporary store) receives and imports one bundle through a shared
    folder; a later bundle fails. The device ends up trusting the Lead's newer profile, which
    names a share that is not mounted now, so the app's own syncs change nothing on screen."""
    from sync import device, lead, outbox
    from sync.importer import import_folder
    from sync.transport import FolderTransport

    lead_store = Store.create(Settings(data_dir=temp / "lead", kdf_min_seconds=0.05,
                                       kdf_memory_kib=16 * 1024), PASSPHRASE,
                              officer="Dana Whitfield")
    try:
        lead.init_lead(lead_store)
        share = temp / "ms-share"
        share.mkdir()

        def profile(folder: str, **policy: int) -> tuple[LeadProfile, bytes]:
            return lead.make_profile(
                lead_store, council="Coventry City Council", lead_name="Dana Whitfield",
                lead_contact="dana.whitfield@example.gov.uk", folder=folder,
                auto_lock_minutes=policy.get("auto_lock_minutes"),
                retention_days=policy.get("retention_days"))

        first, signed = profile(str(share))
        device.import_profile(store, signed, expected_fingerprint=first.fingerprint())
        lead.add_device(lead_store, device.enrolment_request(
            store, device_name="CCC-TS-LT042", organisation="Coventry City Council"))
        transport = FolderTransport(share, lead_public_key=first.lead_public_key)
        device.send_case(store, case_id)
        outbox.send_due(store, transport)
        import_folder(lead_store, share)
        outbox.collect_receipts(store, transport)
        nail_bar = next(c for c in cases.list_cases(store) if "Nail bar" in c.title)
        device.send_case(store, nail_bar.id)
        outbox.send_due(store, transport)
        failing = device.send_case(store, case_id)  # a later update of the operation
        outbox.send_one(store, failing.bundle_id, _Unreachable())
        updated, newer = profile("/mnt/coventry-ms-share", auto_lock_minutes=5,
                                 retention_days=90)
        device.import_profile(store, newer, expected_fingerprint=updated.fingerprint())
    finally:
        lead_store.lock()


def _busier_board(store: Store, case_id: str) -> None:
    existing = documents.list_documents(store, case_id, "reception")
    centre = ReceptionCentre.model_validate_json(existing[-1].data) if existing \
        else ReceptionCentre(operation="Larkspur", venue="Community hall (undisclosed)")
    start = datetime.now().replace(microsecond=0) - timedelta(hours=3)
    people = list(centre.people)
    for n in range(len(people) + 1, 25):
        people.append(centre.people[0].model_copy(update={"reference": f"R{n:03d}"})
                      if centre.people and n % 3 == 0 else
                      PersonReceived(
                          reference=f"R{n:03d}", arrived_at=start + timedelta(minutes=n),
                          welfare_given_at=start + timedelta(minutes=n + 10) if n % 2 else None,
                          interpreter_needed=n % 4 != 0,
                          interpreter_provided_at=start if n % 5 == 0 else None))
    data = centre.model_copy(update={"people": people}).model_dump(mode="json")
    documents.save_document(store, case_id, "reception", data,
                            document_id=existing[-1].id if existing else None)


def take(folder: Path) -> list[Path]:
    """Drive the app and write every screenshot into ``folder``."""
    from ui.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as temp:
        settings = Settings(data_dir=Path(temp) / "store", kdf_min_seconds=0.05,
                            kdf_memory_kib=16 * 1024)
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        window.first_run.name.setText("Rowan Hallam")
        window.first_run.organisation.setText("Coventry City Council Trading Standards")
        window.first_run.job_role.setText("Trading Standards Officer")
        window.first_run.email.setText("rowan.hallam@example.gov.uk")
        window.first_run.passphrase.setText(PASSPHRASE)
        written.append(_save(window, folder, "01-first-run"))
        window.close()

        _demo_store(settings)
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        window.unlock_page.passphrase.setText("not the passphrase")
        window.unlock_page.submit()
        _wait_for(lambda: window.unlock_page.failures == 1, 20_000)
        written.append(_save(window, folder, "02-unlock-wrong-passphrase"))
        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.submit()
        _wait_for(lambda: window.workspace is not None, 20_000)
        workspace = window.workspace
        assert workspace is not None
        store = workspace.store
        written.append(_save(window, folder, "03-cases"))
        case = cases.list_cases(store)[-1]
        visit = cases.list_visits(store, case.id)[0]
        people = {p.reference: p for p in cases.list_people(store, case.id)}
        workspace.open_case(case.id)
        written.append(_save(window, folder, "04-case"))
        page = workspace.open_visit(visit.id)
        page.notes.input.setPlainText("10:40 W4 gave a phone number for a safe contact; "
                                      "appointment made for tomorrow")
        written.append(_save(window, folder, "05-visit-notes"))
        page.tabs.setCurrentIndex(1)
        written.append(_save(window, folder, "06-visit-indicators"))
        page.tabs.setCurrentIndex(2)
        written.append(_save(window, folder, "07-visit-exhibits"))
        for reference, name in (("W1", "08-nrm-adult-consents"), ("W2", "09-dtn-no-consent"),
                                ("W3", "10-nrm-child")):
            workspace.home()
            workspace.open_case(case.id)
            form = workspace.open_person(people[reference].id)
            form.show_section("victim" if reference != "W3" else "where")
            written.append(_save(window, folder, name))
        written.append(_save(workspace.pathway, folder, "11-pathway-panel"))
        workspace.home()
        workspace.open_case(case.id)
        board = workspace.open_reception(case.id)
        board.tabs.setCurrentIndex(0)
        written.append(_save(window, folder, "12-reception-setup"))
        board.tabs.setCurrentIndex(1)
        board.table.setFocus(Qt.FocusReason.OtherFocusReason)
        written.append(_save(window, folder, "13-reception-board"))
        written.extend(_sending_to_lead(window, folder, case.id))
        written.extend(_operation(window, folder, case.id, Path(temp)))
        window.close()
    return written


def _operation(window: MainWindow, folder: Path, case_id: str, temp: Path) -> list[Path]:
    """Issue 9's screens: the NRM's indicator checklist, the board's person panel (an adult
    who refused, a child, an age not known), search, the exhibit viewer, the visit plan, the
    emergency numbers and the schedule's first page."""
    from fieldkit.export import export_schedule
    from forms.choices import AgeGroup, ConsentDecision
    from ui.exhibit_viewer import pdf_pages
    from ui.help import InfoDialog, emergency_html

    written = []
    workspace = window.workspace
    assert workspace is not None
    store = workspace.store
    people = {p.reference: p for p in cases.list_people(store, case_id)}
    workspace.home()
    workspace.open_case(case_id)
    form = workspace.open_person(people["W1"].id)
    form.show_section("notice")
    written.append(_save(window, folder, "17-nrm-indicator-checklist"))
    workspace.home()
    workspace.open_case(case_id)
    board = workspace.open_reception(case_id)
    board.tabs.setCurrentIndex(1)
    updates = {0: {"age_group": AgeGroup.ADULT, "consent": ConsentDecision.REFUSED},
               1: {"age_group": AgeGroup.CHILD, "estimated_age": 16},
               2: {"age_group": AgeGroup.NOT_SURE}}
    for row, change in updates.items():
        board.model.set_person(row, board.model.person(row).model_copy(update=change))
    board.table.setFocus(Qt.FocusReason.OtherFocusReason)
    board.table.setCurrentIndex(board.proxy.mapFromSource(board.model.index(0, 1)))
    written.append(_save(window, folder, "18-reception-person-panel-adult-refused"))
    board.table.setCurrentIndex(board.proxy.mapFromSource(board.model.index(1, 1)))
    written.append(_save(window, folder, "19-reception-person-panel-child"))
    board.table.setCurrentIndex(board.proxy.mapFromSource(board.model.index(2, 1)))
    written.append(_save(window, folder, "20-reception-person-panel-age-not-known"))
    workspace.home()
    search = workspace.open_search()
    search.query.setText("passport")
    search.run()
    written.append(_save(window, folder, "21-search-results"))
    workspace.home()
    visit = cases.list_visits(store, case_id)[0]
    page = workspace.open_visit(visit.id)
    page.show_exhibits()
    viewer = page.exhibits.view_exhibit(0)
    assert viewer is not None
    viewer.resize(900, 640)
    written.append(_save(viewer, folder, "22-exhibit-viewer"))
    viewer.reject()
    page.tabs.setCurrentIndex(0)
    plan = page.form.widget_at("plan.risk_rating")
    if plan is not None:
        plan.setFocus()
    written.append(_save(window, folder, "23-visit-plan"))
    dialog = InfoDialog("Emergency numbers", emergency_html(), window)
    dialog.open()
    written.append(_save(dialog, folder, "24-emergency-numbers"))
    dialog.reject()
    pdf = export_schedule(store, case_id, temp / "schedule")
    first = pdf_pages(pdf.read_bytes(), width=1400)[0]
    target = folder / "25-evidence-schedule-page-1.png"
    if not first.save(str(target)):
        raise OSError(f"could not write {target}")
    print(target)
    written.append(target)
    return written


def _sending_to_lead(window: MainWindow, folder: Path, case_id: str) -> list[Path]:
    """The fingerprint check, the outbox, and a case's Sent to Lead tab."""
    from ui.lead_profile import FingerprintDialog

    written = []
    _wait_for(lambda: not window.sync.running)  # the sync run at unlock (share not mounted)
    workspace = window.workspace
    assert workspace is not None and window.profile is not None
    dialog = FingerprintDialog(window.profile, window)
    dialog.open()
    written.append(_save(dialog, folder, "14-lead-profile-fingerprint"))
    dialog.reject()
    workspace.home()
    window.show_outbox()
    written.append(_save(window, folder, "15-outbox"))
    workspace.home()
    page = workspace.open_case(case_id)
    page.tabs.setCurrentWidget(page.sent_to_lead)
    written.append(_save(window, folder, "16-case-sent-to-lead"))
    return written


def take_lead_desk(folder: Path) -> list[Path]:
    """The Lead's window (kept apart so it can move): inbox, register, a record with its
    history, the submission view, the tracker, the dashboard and set-up, on two demo operations
    sent by an enrolled device through a shared folder (the first sent twice, with a new
    note)."""
    from fieldkit import clock, notes
    from sync import device, lead
    from sync.desk.tracker import EventKind, Outcome, record_event
    from sync.importer import import_folder
    from sync.layout import bundle_path
    from ui.lead.window import LeadWindow

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    fast = {"kdf_min_seconds": 0.05, "kdf_memory_kib": 16 * 1024}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        lead_settings = Settings(data_dir=root / "lead", **fast)
        lead_store = Store.create(lead_settings, PASSPHRASE, officer="Dana Whitfield")
        officer = Store.create(Settings(data_dir=root / "device", **fast), PASSPHRASE,
                               officer="Rowan Hallam")
        share = root / "ms-share"
        share.mkdir()
        lead.init_lead(lead_store)
        made, signed = lead.make_profile(
            lead_store, council="Coventry City Council", lead_name="Dana Whitfield",
            lead_contact="dana.whitfield@example.gov.uk", folder=str(share))
        device.import_profile(officer, signed, expected_fingerprint=made.fingerprint())
        lead.add_device(lead_store, device.enrolment_request(
            officer, device_name="CCC-TS-LT042", organisation="Coventry City Council"))

        def send(case_id: str) -> None:
            item = device.send_case(officer, case_id)
            content = officer.conn.execute("SELECT content FROM outbox_content WHERE bundle_id = ?",
                                           (item.bundle_id,)).fetchone()[0]
            path = bundle_path(share, item.bundle_id)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(bytes(content))

        first, second = create_demo_operation(officer), create_demo_operation(officer)
        send(first.id)
        send(second.id)
        import_folder(lead_store, share)
        visit = cases.list_visits(officer, first.id)[0]
        notes.add_note(officer, visit.id, "14:20 Lead informed by phone; W1 in the safe house.")
        send(first.id)  # waits in the inbox for the Lead to import it in the window
        officer.lock()
        damaged = bundle_path(share, "0d6f2b8e-3c1a-4f7e-9b55-2a9c1e7d4b10")
        damaged.write_bytes(b"age-encryption.org/v1 but cut short in the copy")
        # Submitted the day W1 was found (the demo's today): never before it, which the
        # tracker refuses.
        record_event(lead_store, second.id, "W1", EventKind.SUBMITTED, Outcome.NONE,
                     clock.today(), reference="NRM-2026-03117")
        lead_store.lock()

        window = LeadWindow(lead_settings)
        window.resize(*SIZE)
        window.show()
        window.open_store(Store.unwrap_key(lead_settings, PASSPHRASE))
        desk = window.desk
        assert desk is not None
        desk.inbox.folder.setText(str(share))
        desk.inbox.import_now()
        _wait_for(lambda: "Imported" in desk.inbox.message.text())
        written.append(_save(window, folder, "30-lead-inbox"))
        desk.tabs.setCurrentWidget(desk.register)
        written.append(_save(window, folder, "31-lead-register"))
        record = desk.open_case(first.id)
        record.tabs.setCurrentWidget(record.history)
        written.append(_save(window, folder, "32-lead-record-history"))
        desk.tabs.setCurrentWidget(desk.submitting)
        reference = record.case.case.reference
        desk.submitting.select(reference, "W1")
        written.append(_save(window, folder, "33-lead-submission"))
        # The demo's two operations met the same fictional people, so the desk would ask
        # (a modal question) whether this W1 is a different person: answered here, in the core.
        from sync.desk.submission import record_submission

        record_submission(desk.submitting.store, first.id, "W1", "NRM-2026-03204",
                          clock.today(), different_person=True)
        desk.submitting.refresh()
        desk.tracker.choose(first.id, "W1", EventKind.RG, Outcome.NEGATIVE)
        desk.tracker.record()
        desk.tabs.setCurrentWidget(desk.tracker)
        written.append(_save(window, folder, "34-lead-tracker"))
        desk.tabs.setCurrentWidget(desk.dashboard)
        written.append(_save(window, folder, "35-lead-dashboard"))
        setup = desk.setup
        setup.folder.setText("/mnt/ms-share")
        setup.retention.setValue(90)
        setup.auto_lock.setValue(5)
        desk.tabs.setCurrentWidget(setup)
        written.append(_save(window, folder, "36-lead-setup"))
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tools.screenshots DIR``."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("fieldkit")
    take(folder)
    take_lead_desk(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
