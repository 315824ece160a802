"""A whole operation in the app, from the keyboard: the visit's record marked ready, the NRM's
indicators as a checklist prefilled from the visit, the reception board's person panel with an
adult who refuses, a child and an unknown age, search, the emergency numbers, the exhibit
viewer, and unlocking back where the officer was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from fieldkit import cases, documents, officer, pathway
from fieldkit.demo import demo_photo
from fieldkit.store import Store
from forms import BoardStep
from forms.choices import AgeGroup, ConsentDecision
from tests.conftest import PASSPHRASE
from ui.exhibit_viewer import ExhibitViewer
from ui.help import InfoDialog
from ui.person_form import PersonFormPage
from ui.reception_board import ReceptionBoardPage
from ui.search_view import SearchPage
from ui.visit import VisitPage

CTRL = Qt.KeyboardModifier.ControlModifier


def _visit_indicators(window, demo) -> list[str]:
    saved = [d for d in documents.list_documents(window.store, demo.case.id, "visit")
             if d.visit_id == demo.visit.id]
    import json

    return list(json.loads(saved[-1].data)["indicators_ticked"]) if saved else []


def test_visit_record_can_be_marked_ready_and_says_what_is_missing(qtbot, window, demo):
    visit = cases.create_visit(window.store, demo.case.id, "Glow Nails", "3 Test Street")
    page = window.workspace.open_visit(visit.id)
    assert isinstance(page, VisitPage)
    page.tabs.setCurrentIndex(0)
    page.ready_button.setFocus()
    qtbot.keyClick(page.ready_button, Qt.Key.Key_Space)
    assert "Not marked ready" in page.form_message.text()
    missing = " ".join(page.problems.messages())
    for words in ("Type of business", "Start time", "End time", "Lead officer",
                  "Workers seen"):
        assert words in missing
    qtbot.keyClick(page.start_button, Qt.Key.Key_Space)
    qtbot.keyClick(page.end_button, Qt.Key.Key_Space)
    lead = page.form.widget_at("lead_officer")
    lead.setFocus()
    qtbot.keyClicks(lead, "Rowan Hallam")
    business = page.form.widget_at("premises.business_type")
    business.setFocus()
    qtbot.keyClick(business, Qt.Key.Key_Down)
    seen = page.form.widget_at("workers_seen")
    assert seen.text() == ""  # not recorded until a number is entered, never 0
    seen.setFocus()
    qtbot.keyClicks(seen, "0")
    qtbot.keyClick(page.ready_button, Qt.Key.Key_Space)
    assert page.problems.messages() == []
    assert "marked ready" in page.form_message.text()
    assert "All changes saved" in page.save_state.text()
    saved = [d for d in documents.list_documents(window.store, demo.case.id, "visit")
             if d.visit_id == visit.id]
    assert saved[-1].status == "ready"


def test_nrm_indicators_are_a_checklist_prefilled_from_the_visit(qtbot, window, demo):
    officer.save_profile(window.store, officer.OfficerProfile(
        name="Rowan Hallam", organisation="Coventry City Council", role="Trading Standards"),
        officer.AppRole.FIELD_OFFICER)
    person = cases.add_person(window.store, demo.case.id, "W9", visit_id=demo.visit.id)
    visit_ticks = _visit_indicators(window, demo)
    page = window.workspace.open_person(person.id)
    assert isinstance(page, PersonFormPage)
    page.show_section("notice")
    field = page.editor("notice").fields["came_to_notice"].editor.fields["indicator_ids"]
    assert visit_ticks and sorted(field.value()) == sorted(visit_ticks)  # nothing typed twice
    view = field.checklist.view
    view.setFocus()
    model = field.checklist.model
    row = next(r for r in range(model.rowCount()) if model.item(r).isCheckable()
               and model.item(r).checkState() == Qt.CheckState.Unchecked)
    view.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert len(field.value()) == len(visit_ticks) + 1
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    assert "saved as a draft" in page.message.text()
    assert not any("ndicator" in p for p in page.problems.messages())
    first_responder = page.editor("responder").value()["first_responder"]
    assert first_responder["name"] == "Rowan Hallam"  # from the officer's profile


def test_the_reception_board_records_adults_children_and_refusals(qtbot, window, demo):
    page = window.workspace.open_reception(demo.case.id, "")
    assert isinstance(page, ReceptionBoardPage)
    for _ in range(3):
        qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
        qtbot.keyClick(page.new_reference, Qt.Key.Key_Return)
    refs = [page.model.person(r).reference for r in range(page.model.rowCount())]
    adult, child, unsure = refs[-3:]
    # The board's person is the case's person: one record, shown in both places.
    assert {adult, child, unsure} <= {p.reference for p in cases.list_people(window.store,
                                                                             demo.case.id)}
    # The reference is the row header, so it stays in view when the board scrolls sideways.
    row = refs.index(adult)
    assert page.model.headerData(row, Qt.Orientation.Vertical) == adult
    assert page.table.isColumnHidden(0)

    def select(reference: str) -> None:
        source = page.model.index(refs.index(reference), 1)
        page.table.setFocus()
        page.table.setCurrentIndex(page.proxy.mapFromSource(source))

    select(adult)
    age = page.panel.editor.widget_at("age_group")
    age.setFocus()
    age.setCurrentIndex(age.findData(AgeGroup.ADULT.value))
    consent = page.panel.editor.widget_at("consent")
    consent.setFocus()
    consent.setCurrentIndex(consent.findData(ConsentDecision.REFUSED.value))
    assert "Duty to Notify" in page.panel.route.text()
    person = page.model.person(refs.index(adult))
    assert person.age_group is AgeGroup.ADULT and person.consent is ConsentDecision.REFUSED
    board = person.board(page.model.as_of)
    assert board[BoardStep.MASH].value == "not_needed"

    select(child)
    age = page.panel.editor.widget_at("age_group")
    age.setCurrentIndex(age.findData(AgeGroup.CHILD.value))
    assert "child" in page.panel.route.text() and "MASH" in page.panel.route.text()
    select(unsure)  # not sure counts as a child
    assert "child" in page.panel.route.text()
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    assert "saved" in page.message.text().lower()


def test_no_person_no_person_steps(qtbot, window, demo):
    case = cases.create_case(window.store, "Concern, nobody recorded yet")
    window.workspace.open_case(case.id)
    steps = window.workspace.pathway.step_ids()
    assert steps and not any("mash" in step for step in steps)
    assert not pathway.case_facts(window.store, case.id).person_recorded


def test_search_opens_the_record_it_found(qtbot, window, demo):
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    page = window.workspace.current()
    assert isinstance(page, SearchPage)
    qtbot.keyClicks(page.query, "mattresses")
    qtbot.keyClick(page.query, Qt.Key.Key_Return)
    assert page.model.rowCount() >= 1
    assert page.model.index(0, 0).data() == "Note"
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    visit = window.workspace.current()
    assert isinstance(visit, VisitPage)
    # The entry found is the one chosen and in view (not just the visit opened).
    chosen = visit.notes.model.entry(visit.notes.list.currentIndex().row())
    assert "mattresses" in chosen.text and visit.notes.list.hasFocus()
    assert visit.notes.message.text().startswith(f"Found entry #{chosen.seq}")


def test_f2_shows_the_emergency_numbers_999_first(qtbot, window, demo):
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = QApplication.activeModalWidget() or next(
        w for w in window.findChildren(InfoDialog))
    assert isinstance(dialog, InfoDialog)
    text = dialog.text.toPlainText()
    assert text.index("999") < text.index("MASH") < text.index("Modern Slavery Helpline")
    # A contact the council has not given a number for says so, not as a number to dial.
    assert "number to be added" not in text
    assert "No number recorded yet" in text
    dialog.reject()


def test_an_exhibit_opens_in_the_app_viewer(qtbot, window, demo):
    page = window.workspace.open_visit(demo.visit.id)
    page.show_exhibits()
    view = page.exhibits
    assert view.model.rowCount() >= 1
    assert view.model.index(0, view.model.DESCRIPTION).data()  # the description shows
    viewer = view.view_exhibit(0)
    assert isinstance(viewer, ExhibitViewer)
    assert viewer.kind == "image" and viewer.pages[0].pixmap().width() > 0
    about = viewer.findChildren(QLabel)[0].text()
    assert "Captured " in about and "T" not in about.split("Captured ")[1][:20]  # in words
    viewer.reject()
    assert demo_photo()  # the demo's photo is what was shown


def test_unlocking_returns_to_the_screen_the_officer_was_on(qtbot, window, demo):
    page = window.workspace.open_visit(demo.visit.id)
    qtbot.keyClicks(page.notes.input, "11:05 typed before the lock")
    qtbot.keyClick(page.notes.input, Qt.Key.Key_L, CTRL)
    assert window.store is None
    window.open_store(Store.unwrap_key(demo.settings, PASSPHRASE))
    current = window.workspace.current()
    assert isinstance(current, VisitPage) and current.visit.id == demo.visit.id
    assert current.notes.input.toPlainText() == "11:05 typed before the lock"
    assert "first typed" in current.notes.message.text()


def test_every_pack_and_the_schedule_print_from_the_case(qtbot, window, demo, tmp_path,
                                                          monkeypatch):
    import stat

    out = tmp_path / "printed"
    out.mkdir()
    monkeypatch.setattr("ui.print_pack.choose_folder", lambda *_: str(out))
    page = window.workspace.open_case(demo.case.id)
    qtbot.keyClick(page.schedule_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.sealer.running == 0, timeout=30_000)
    qtbot.keyClick(page.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "saved in" in window.statusBar().currentMessage(), timeout=30_000)
    written = sorted(path.name for path in out.iterdir())
    assert any(name.endswith("-schedule.pdf") for name in written)
    assert len(written) >= 5
    assert all(stat.S_IMODE((out / name).stat().st_mode) == 0o600 for name in written)


def test_long_answers_take_the_whole_width_and_ready_says_ready(qtbot, window, demo):
    from ui.field_widgets import LongTextField

    page = window.workspace.open_person(demo.people["W1"].id)
    page.show_section("account")
    editor = page.editor("account")
    account = editor.fields["account"]
    assert isinstance(account, LongTextField)
    qtbot.waitUntil(lambda: editor.width() > 0)
    assert account.width() >= 0.9 * editor.width() - 40
    height = account.edit.minimumHeight()
    account.edit.setFocus()
    for _ in range(12):
        qtbot.keyClicks(account.edit, "More of what he said. ")
        qtbot.keyClick(account.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert account.edit.minimumHeight() > height  # it grows with the account
    page.ready_button.setFocus()
    qtbot.keyClick(page.ready_button, Qt.Key.Key_Space)
    assert "marked ready" in page.message.text() or page.problems.messages()


def test_a_lead_store_opens_in_the_leads_window(qtbot, settings):
    from fieldkit.officer import AppRole, OfficerProfile, save_profile
    from sync import lead
    from ui.main_window import MainWindow

    store = Store.create(settings, PASSPHRASE, officer="Morgan Lead")
    save_profile(store, OfficerProfile(name="Morgan Lead"), AppRole.LEAD)
    lead.init_lead(store)
    store.lock()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    assert window.store is None and not window.isVisible()
    assert window.lead_window.isVisible() and window.lead_window.desk is not None
    window.lead_window.lock()
    window.lead_window.close()


def test_the_print_folder_chooser_says_in_full_that_pdfs_are_not_encrypted(qtbot):
    """The warning was in the window title, cut to 'they are n… ure drive' at 1366x768."""
    from PySide6.QtWidgets import QLabel

    from ui.print_pack import folder_dialog

    dialog = folder_dialog(None, "Choose a folder for the PDFs",
                           "The PDFs are not encrypted: choose a secure (encrypted) drive.")
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "The PDFs are not encrypted: choose a secure (encrypted) drive." in labels
    assert dialog.windowTitle() == "Choose a folder for the PDFs"


def test_a_pathway_contact_s_email_wraps_in_the_narrow_panel(qtbot, window, demo):
    """'modernslavery@coventry.gov…' was cut off, with no way to read the rest."""
    from PySide6.QtCore import Qt

    from ui.pathway_panel import breakable

    assert breakable("lead@council.example") == "lead@\u200bcouncil.\u200bexample"
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    panel = workspace.pathway
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    with_email = [panel.model.item(row) for row in range(panel.model.rowCount())
                  if "@" in (panel.model.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
                             or "")]
    assert with_email, "the demo's pathway names a contact by email"
    item = with_email[0]
    spoken = item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "\u200b" not in spoken and "\u200b" in item.text()  # read whole, shown breakable
    assert item.text().replace("\u200b", "") == spoken


def test_an_intelligence_report_begun_and_never_saved_is_listed_with_its_case(
        qtbot, window, demo):
    """Filled in, then Alt+Left: the Intelligence tab listed nothing, and New brought it back
    saying 'Nothing changed yet.'"""
    workspace = window.workspace
    case_page = workspace.open_case(demo.case.id)
    before = case_page.intel.rowCount()
    page = workspace.open_document(demo.case.id, "intel", "")
    subject = page.editor.widget_at("subject")
    subject.setFocus()
    qtbot.keyClicks(subject, "Sparkle Hand Car Wash")
    workspace.back()  # the draft is kept as the page closes
    case_page = workspace.current()
    rows = [(case_page.intel.index(r, 0).data(), case_page.intel.index(r, 1).data())
            for r in range(case_page.intel.rowCount())]
    assert len(rows) == before + 1
    assert rows[-1] == ("Intelligence report", "not saved yet: a draft")
    again = workspace.open_document(demo.case.id, "intel", "")
    assert again.editor.widget_at("subject").text() == "Sparkle Hand Car Wash"
    assert again.save_state.text().startswith("Restored changes not yet saved")


def test_the_visit_report_prints_from_the_visit(qtbot, window, demo, tmp_path, monkeypatch):
    """Alt+P on a visit said "Something went wrong" every time: the report was rendered on the
    worker thread from the window's store connection, which SQLCipher keeps to its thread."""
    from tests.unit.test_pdf_tools import pdf_text

    target = tmp_path / "visit-report.pdf"
    monkeypatch.setattr("ui.print_pack.choose_pack_path", lambda *_: str(target))
    page = window.workspace.open_visit(demo.visit.id)
    page.print_button.setFocus()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Visit report saved to" in page.form_message.text(), timeout=30_000)
    assert page.print_button.isEnabled()
    assert demo.visit.premises_name in pdf_text(target.read_bytes())


def test_going_to_a_problem_on_a_report_scrolls_to_its_field(qtbot, window, demo):
    """As on the visit: the cursor went into the field a problem names, out of sight."""
    window.resize(1366, 768)
    page = window.workspace.open_document(demo.case.id, "intel")
    qtbot.waitUntil(page.scroll_area.isVisible)
    first = next(iter(page.editor.fields))
    bar = page.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    widget = page.editor.widget_at(first)
    assert widget is not None and bar.maximum() > 0
    page._go_to(first)
    top = widget.mapTo(page.scroll_area.viewport(), widget.rect().topLeft()).y()
    assert 0 <= top < page.scroll_area.viewport().height()
