"""The cases list: the model and proxy with no window, then searching and opening by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldkit import cases
from fieldkit.case_list import CaseSummary, case_summaries
from ui.case_view import CasePage
from ui.cases import CasesModel, cases_proxy


def _row(n: int, title: str, visits: int = 0, updated: str = "2026-11-22T08:00:00.000000Z"):
    return CaseSummary(f"id{n}", f"FK-2026-{n:04d}", title, "open", updated, visits, 0)


def test_the_model_refreshes_in_place_with_targeted_changes(qtbot):
    model = CasesModel()
    model.set_rows([_row(1, "Car wash"), _row(2, "Nail bar")])
    changed: list[int] = []
    inserted: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    model.modelReset.connect(lambda: changed.append(-1))
    model.set_rows([_row(1, "Car wash"), _row(2, "Nail bar", visits=3), _row(3, "Farm")])
    assert changed == [1]  # only the row that changed; never a reset
    assert inserted == [2]
    assert model.index(1, CasesModel.VISITS).data() == "3"


def test_search_and_sort_through_the_proxy(qtbot):
    model = CasesModel()
    model.set_rows([_row(1, "Car wash", visits=2), _row(2, "Nail bar", visits=10),
                    _row(3, "Farm workers", visits=1)])
    proxy = cases_proxy(model)
    proxy.sort(CasesModel.VISITS, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, CasesModel.TITLE).data() for r in range(3)] == [
        "Nail bar", "Car wash", "Farm workers"]  # 10 > 2 > 1 as numbers, not text
    proxy.setFilterFixedString("nail")
    assert proxy.rowCount() == 1
    proxy.setFilterFixedString("FK-2026-0003")
    assert proxy.index(0, CasesModel.TITLE).data() == "Farm workers"


def test_case_rows_count_visits_and_people(store):
    case = cases.create_case(store, "Counting")
    for n in range(3):
        cases.create_visit(store, case.id, f"Unit {n}", "Example Road")
    cases.add_person(store, case.id, "P01")
    (row,) = case_summaries(store)
    assert (row.visits, row.people) == (3, 1)


def test_search_then_enter_opens_the_case_with_its_sections(qtbot, window, demo):
    page = window.workspace.cases
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.new_title.hasFocus()
    qtbot.keyClicks(page.new_title, "Operation Foxglove")
    qtbot.keyClick(page.new_title, Qt.Key.Key_Return)
    assert isinstance(window.workspace.current(), CasePage)
    qtbot.keyClick(window.workspace.current(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.workspace.current() is page
    assert page.model.rowCount() == 2

    qtbot.keyClick(page, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # "Filter cases"
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "larkspur")
    assert page.proxy.rowCount() == 1
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # to the first match
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    case_page = window.workspace.current()
    assert isinstance(case_page, CasePage) and case_page.case.id == demo.case.id
    tabs = [case_page.tabs.tabText(i).replace("&", "") for i in range(case_page.tabs.count())]
    assert tabs == ["Visits", "People", "Forms", "Referrals", "Intelligence",
                    "Reception centre", "Sent to Lead"]
    assert case_page.visits.rowCount() == 1 and case_page.people.rowCount() == 4
    referred = {case_page.referrals.index(r, 0).data()
                for r in range(case_page.referrals.rowCount())}
    assert "Salvation Army (victim care contract)" in referred  # not "salvation army"
    assert "not set up to send" in case_page.sent_to_lead.text()
    assert window.workspace.pathway.isVisible()  # beside every case


def test_a_case_is_closed_and_reopened_from_its_page(qtbot, window, demo, monkeypatch):
    from fieldkit import cases

    answers = [False, True]
    asked: list[str] = []
    monkeypatch.setattr("ui.case_view.confirm_close",
                        lambda _parent, reference: asked.append(reference) or answers.pop(0))
    case_page = window.workspace.open_case(demo.case.id)
    assert case_page.status_button.text().replace("&", "") == "Close case"
    case_page.status_button.setFocus()
    qtbot.keyClick(case_page.status_button, Qt.Key.Key_Space)  # a key by mistake: asked, No
    assert cases.get_case(window.store, demo.case.id).status == "open"
    assert case_page.message.text() == "The case stays open."
    qtbot.keyClick(case_page.status_button, Qt.Key.Key_Space)
    assert asked == [demo.case.reference] * 2
    assert cases.get_case(window.store, demo.case.id).status == "closed"
    assert "retention" in case_page.message.text()
    assert case_page.status_button.text().replace("&", "") == "Reopen case"
    qtbot.keyClick(case_page.status_button, Qt.Key.Key_Space)
    assert cases.get_case(window.store, demo.case.id).status == "open"


def test_the_pathway_panel_is_built_beside_the_first_case_and_f9_still_toggles_it(qtbot, window,
                                                                                  demo):
    """The cases list starts without the pathway panel (issue 12); it appears beside the first
    case opened, sized beside it, and F9 hides and shows it as before, on the list too."""
    workspace = window.workspace
    assert workspace._pathway is None  # the list never shows it
    qtbot.keyClick(workspace.cases.table, Qt.Key.Key_F9)  # on the list: nothing to show
    assert workspace._pathway is None
    workspace.open_case(demo.case.id)
    panel = workspace.pathway
    qtbot.waitUntil(panel.isVisible)
    assert panel.case_id == demo.case.id and panel.width() >= panel.minimumWidth()
    assert workspace.splitter.indexOf(panel) == 1
    qtbot.keyClick(workspace.current(), Qt.Key.Key_F9)
    assert not panel.isVisible()
    qtbot.keyClick(workspace.current(), Qt.Key.Key_F9)
    assert panel.isVisible()
    workspace.home()
    assert not panel.isVisible() and workspace.pathway is panel  # one panel, hidden on the list


def test_a_tab_s_alt_key_goes_to_what_is_typed_first_there(qtbot, window, demo):
    """Alt+E with the People tab already showing left the focus where it was (on Close case,
    where the description being typed then closed and reopened the case)."""
    case_page = window.workspace.open_case(demo.case.id)
    case_page.tabs.setCurrentIndex(1)  # People, already showing
    case_page.status_button.setFocus()
    qtbot.keyClick(case_page, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(case_page.reference.hasFocus)
    qtbot.keyClick(case_page, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # Visits
    qtbot.waitUntil(case_page.premises.hasFocus)


def test_an_old_message_goes_when_the_cases_list_shows_again(qtbot, window, demo):
    """"Case title is needed." stayed under the cases list after opening a case and coming
    back: it was about something done before leaving."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.workspace.cases
    page.new_title.setFocus()
    qtbot.keyClick(page.new_title, Qt.Key.Key_Return)  # no title typed
    assert page.message.text() == "Case title is needed."
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    case_page = window.workspace.current()
    assert isinstance(case_page, CasePage)
    qtbot.keyClick(case_page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.workspace.current() is page
    assert page.message.text() == ""


def test_the_visits_list_says_which_visit_records_are_ready(qtbot, window, demo):
    """An officer back from three visits could not tell from the list which records were
    finished: each row now says ready, draft or nothing saved yet."""
    from fieldkit import documents

    new = cases.create_visit(window.store, demo.case.id, "Glow Nails", "3 Test Street")
    case_page = window.workspace.open_case(demo.case.id)
    assert isinstance(case_page, CasePage)
    model = case_page.visits
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Visit record"
    shown = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    held = [d for d in documents.list_documents(window.store, demo.case.id, "visit")
            if d.visit_id == demo.visit.id]
    assert shown[demo.visit.premises_name] == ("ready" if held[-1].status == "ready" else "draft")
    assert shown["Glow Nails"] == "nothing typed yet"
    # When each started: the time its visit record gives (it showed when it was added).
    record = documents.visit_lines(window.store, demo.case.id)
    started = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    demo_start = next(v.started for v in record if v.visit_id == demo.visit.id)
    assert started[demo.visit.premises_name] == f"{demo_start.day} {demo_start:%b %Y %H:%M:%S}"

    from fieldkit.drafts import DraftKind, DraftOwner, save_draft

    save_draft(window.store, DraftOwner(DraftKind.VISIT_FORM, demo.case.id, new.id,
                                        form_kind="visit"), {"premises": {"name": "Glow"}})
    case_page.refresh()
    shown = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    assert shown["Glow Nails"] == "typed, not saved yet"  # it said "nothing saved yet"
    documents.save_document(window.store, demo.case.id, "visit", {}, visit_id=new.id)
    case_page.refresh()
    shown = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    assert shown["Glow Nails"] == "draft"
