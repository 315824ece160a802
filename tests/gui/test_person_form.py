"""The NRM form with the keyboard: an adult who consents, the same person refusing (a Duty to
Notify with nothing identifying), and a child (no consent question; MASH appears)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit import documents, pathway
from forms.rules import Route
from ui import nrm_sections
from ui.person_form import PersonFormPage
from ui.roles import STEP_ROLE

CTRL = Qt.KeyboardModifier.ControlModifier


def _docs(window, demo, person_id: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for doc in documents.list_documents(window.store, demo.case.id):
        if doc.person_id == person_id:
            found.setdefault(doc.kind, []).append(doc)
    return found


def _combo(page: PersonFormPage, section: str, path: str):
    page.show_section(section)
    combo = page.editor(section).widget_at(path)
    combo.setFocus()
    return combo


def _type(qtbot, page: PersonFormPage, section: str, path: str, text: str) -> None:
    page.show_section(section)
    edit = page.editor(section).widget_at(path)
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def _add_person(qtbot, window, demo, reference: str, summary: str) -> PersonFormPage:
    """Add a person on the case's People tab by keyboard; their form opens."""
    workspace = window.workspace
    workspace.open_case(demo.case.id)
    case_page = workspace.current()
    case_page.tabs.setCurrentIndex(1)
    qtbot.keyClicks(case_page.reference, reference)
    qtbot.keyClicks(case_page.summary, summary)
    qtbot.keyClick(case_page.summary, Qt.Key.Key_Return)
    page = workspace.current()
    assert isinstance(page, PersonFormPage)
    return page


def _adult_who_consents(qtbot, page: PersonFormPage) -> None:
    age = _combo(page, "where", "where_found.age_group")
    qtbot.keyClick(age, Qt.Key.Key_Home)  # Adult
    qtbot.waitUntil(lambda: not page.child)  # the rules are re-applied as the officer types
    _type(qtbot, page, "where", "where_found.place", "Foleshill, Coventry")
    qtbot.keyClick(page.nav, Qt.Key.Key_PageDown, CTRL)  # to First responder
    qtbot.keyClick(page.nav, Qt.Key.Key_PageDown, CTRL)  # to Consent
    assert page.nav.currentRow() == 3
    decision = _combo(page, "consent", "consent.decision")
    qtbot.keyClick(decision, Qt.Key.Key_Down)  # Not asked yet -> Given
    _type(qtbot, page, "victim", "potential_victim.given_names", "Ilir")
    _type(qtbot, page, "victim", "potential_victim.family_name", "Dervishi")
    _type(qtbot, page, "victim", "potential_victim.date_of_birth", "1991-04-02")
    page.apply_rules()


def test_an_adult_who_consents_gets_an_nrm_referral(qtbot, window, demo):
    person = demo.people["W4"]
    page = window.workspace.open_person(person.id)
    assert page.route is Route.UNDECIDED or page.child  # nothing known yet: not sure of age
    _adult_who_consents(qtbot, page)
    assert page.route is Route.NRM and not page.child
    assert "adult who consents" in page.banner.text().lower()
    assert not page.nav.item(3).isHidden()  # consent is asked of an adult
    before = page.meter.value()
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)

    saved = _docs(window, demo, person.id)
    assert list(saved) == ["nrm"]
    data = json.loads(saved["nrm"][0].data)
    assert data["potential_victim"]["given_names"] == "Ilir"
    assert data["consent"]["decision"] == "given"
    assert "NRM referral saved" in page.message.text()
    # Live validation names each remaining problem, and the meter moved.
    assert any("Gender is needed" in m for m in page.problems.messages())
    assert 0 < before < 100


def test_the_same_person_refusing_gets_a_duty_to_notify_with_nothing_identifying(
        qtbot, window, demo):
    person = demo.people["W4"]
    page = window.workspace.open_person(person.id)
    _adult_who_consents(qtbot, page)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)  # an NRM draft first, as in the field
    _type(qtbot, page, "account", "account",
          "Ilir Dervishi said the boss keeps his passport at 12 Example Road, CV6 5AH.")
    decision = _combo(page, "consent", "consent.decision")
    qtbot.keyClick(decision, Qt.Key.Key_Down)  # Given -> Refused
    qtbot.waitUntil(lambda: page.route is Route.DUTY_TO_NOTIFY)

    victim = page.editor("victim").fields["potential_victim"].editor
    for name in ("given_names", "family_name", "date_of_birth", "safe_contact",
                 "current_location"):
        assert victim.fields[name].isHidden(), name
    for row in (5, 9):  # Dependants, Exploiters
        assert page.nav.item(row).isHidden()
    assert "Duty to Notify" in page.heading.text()
    assert "Duty to Notify" in window.workspace.trail.text()  # the place says so too
    assert "name" in page.removed.text().lower()
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)

    saved = _docs(window, demo, person.id)
    assert len(saved["dtn"]) == 1
    notice = json.loads(saved["dtn"][0].data)
    text = json.dumps(notice)
    for identifying in ("Ilir", "Dervishi", "1991", "12 Example Road", "CV6 5AH"):
        assert identifying not in text, identifying
    assert "date_of_birth" not in notice and "given_names" not in notice
    assert "[name removed]" in notice["account"]
    assert notice["age_range"] == "35-44"  # kept only as a range
    assert page.save_state.text().startswith("All changes saved")  # one state, the true one
    # The working copy no longer holds them either ("removed", not just hidden).
    working = page.form_data()
    assert working["potential_victim"]["given_names"] == ""
    assert working["potential_victim"]["date_of_birth"] is None
    assert "Ilir" not in json.dumps(working)
    # Never both: the earlier NRM draft is withdrawn (kept in the record, not current or sent).
    assert "nrm" not in saved
    store = window.store
    withdrawn = store.conn.execute(
        "SELECT COUNT(*) FROM form_withdrawals w JOIN form_documents d ON d.id = w.document_id "
        "WHERE d.person_id = ? AND d.kind = 'nrm'", (person.id,)).fetchone()[0]
    assert withdrawn == 1


def test_a_child_gets_an_nrm_without_consent_and_a_mash_step(qtbot, window, demo):
    workspace = window.workspace
    page = _add_person(qtbot, window, demo, "W5", "Young-looking worker in the back office")
    assert page.person.reference == "W5"

    age = _combo(page, "where", "where_found.age_group")
    qtbot.keyClick(age, Qt.Key.Key_Home)
    qtbot.keyClick(age, Qt.Key.Key_Down)  # Child
    qtbot.waitUntil(lambda: page.child)
    assert page.nav.item(3).isHidden()  # no consent question for a child
    assert "MASH" in page.banner.text()
    assert page.route is Route.NRM
    qtbot.waitUntil(lambda: "init.mash" in workspace.pathway.step_ids())
    mash = workspace.pathway.plan.step("init.mash")
    assert any(c.phone == "024 7678 8555" for c in mash.contacts)
    assert not any("consent" in m.lower() for m in page.problems.messages())
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    saved = _docs(window, demo, page.person.id)
    data = json.loads(saved["nrm"][0].data)
    assert data["where_found"]["age_group"] == "child"
    assert data["consent"]["decision"] == "not_asked"
    assert "dtn" not in saved


def test_a_childs_nrm_step_waits_for_mash_and_is_ticked_only_after(qtbot, window, demo):
    """R-CHILD-MASH-FIRST: the pathway showed a child's "Submit the NRM referral"
    ready to tick before the MASH referral was made (a case of its own: the demo's visit
    records MASH contacted)."""
    from types import SimpleNamespace

    from fieldkit import cases

    workspace = window.workspace
    case = cases.create_case(window.store, "Operation Yarrow: hand car wash")
    page = _add_person(qtbot, window, SimpleNamespace(case=case), "W6",
                       "Young-looking worker at the back")
    age = _combo(page, "where", "where_found.age_group")
    qtbot.keyClick(age, Qt.Key.Key_Home)
    qtbot.keyClick(age, Qt.Key.Key_Down)  # Child
    panel = workspace.pathway
    qtbot.waitUntil(lambda: "nrm_pre.submit_nrm" in panel.step_ids())

    def item(step_id: str):  # type: ignore[no-untyped-def]
        return next(panel.model.item(row) for row in range(panel.model.rowCount())
                    if panel.model.item(row).data(STEP_ROLE) == step_id)

    submit = item("nrm_pre.submit_nrm")
    assert "Waits for: A child is involved (or may be)" in submit.text()
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(submit.index())
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
    assert submit.checkState() == Qt.CheckState.Unchecked
    assert "nrm_pre.submit_nrm" not in pathway.load_ticks(window.store, case.id).get(
        page.person.id, set())

    panel.tree.setCurrentIndex(item("init.mash").index())
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)  # MASH contacted
    qtbot.waitUntil(lambda: "Waits for" not in item("nrm_pre.submit_nrm").text())
    submit = item("nrm_pre.submit_nrm")
    assert submit.flags() & Qt.ItemFlag.ItemIsUserCheckable
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(submit.index())
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "nrm_pre.submit_nrm" in pathway.load_ticks(
        window.store, case.id).get(page.person.id, set()))


def test_back_from_a_persons_form_the_pathway_follows_the_whole_case_again(
        qtbot, window, demo):
    workspace = window.workspace
    page = _add_person(qtbot, window, demo, "W9", "Worker at the back")
    qtbot.waitUntil(lambda: workspace.pathway.scope.currentData() == page.person.id)
    workspace.back()
    assert workspace.current() is not page
    assert workspace.pathway.scope.currentText() == "The whole case"


def test_print_pack_writes_the_pdf_off_the_gui_thread(qtbot, window, demo, tmp_path,
                                                      monkeypatch):
    target = tmp_path / "pack.pdf"
    suggested: list[str] = []

    def choose(_parent, name):  # type: ignore[no-untyped-def]
        suggested.append(name)
        return str(target)

    monkeypatch.setattr("ui.print_pack.choose_pack_path", choose)
    page = window.workspace.open_person(demo.people["W1"].id)
    assert page.print_button.isEnabled()
    page.print_button.setFocus()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Pack saved" in page.message.text(), timeout=30_000)
    assert target.read_bytes().startswith(b"%PDF")
    # Issue 10: the suggested name is the case reference and kind, never the person's
    # reference or name.
    case = window.store.conn.execute("SELECT reference FROM cases WHERE id = ?",
                                     (page.person.case_id,)).fetchone()[0]
    assert suggested == [f"{case}-nrm-pack.pdf"]
    last = window.store.conn.execute(
        "SELECT action, record_id FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(last) == ("export.pdf", demo.people["W1"].id)


def test_consent_withdrawn_takes_the_nrm_out_and_saves_a_duty_to_notify(qtbot, window, demo):
    from fieldkit.consent_withdrawal import withdrawn_by_consent

    person = demo.people["W4"]
    page = window.workspace.open_person(person.id)
    _adult_who_consents(qtbot, page)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    nrm_id = _docs(window, demo, person.id)["nrm"][0].id
    decision = _combo(page, "consent", "consent.decision")
    decision.setCurrentIndex(decision.findData("withdrawn"))
    _type(qtbot, page, "consent", "consent.withdrawn_on", "2026-11-23")
    method = _combo(page, "consent", "consent.withdrawal_how")
    method.setCurrentIndex(method.findData("by_phone"))
    qtbot.waitUntil(lambda: page.route is Route.DUTY_TO_NOTIFY)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    assert "Consent withdrawn" in page.message.text()
    assert withdrawn_by_consent(window.store, nrm_id)  # never sealed into a bundle now
    saved = _docs(window, demo, person.id)
    assert saved.get("dtn")
    dtn = json.loads(saved["dtn"][0].data)
    assert "Dervishi" not in json.dumps(dtn) and "Ilir" not in json.dumps(dtn)


def test_an_invalid_field_neither_breaks_the_child_rule_nor_hides_what_is_missing(
        qtbot, window, demo):
    """A date typed wrong, the form left and opened again: a person whose age is not sure
    stayed on the adult route (consent asked) and the meter said 95% with only the date
    listed. Now the rules and what is missing come from the valid parts."""
    workspace = window.workspace
    page = _add_person(qtbot, window, demo, "W9", "Young woman, age unclear")
    assert page.child  # not sure: treated as a child
    before = page.meter.value()
    _type(qtbot, page, "where", "where_found.encountered_on", "yesterday")
    page.apply_rules()
    messages = page.problems.messages()
    assert any("date the person was found must be a date" in m for m in messages)
    assert len(messages) > 3 and page.meter.value() <= before  # the rest still listed
    page.flush_drafts()
    workspace.back()

    again = workspace.open_person(page.person.id)
    assert again.child and again.nav.item(3).isHidden()  # still no consent question
    assert "MASH" in again.banner.text()


def test_ctrl_page_down_always_puts_the_cursor_in_the_new_section(qtbot, window, demo):
    """From the section list the focus stayed in the list, from a field it went to the next
    section's first field: a name typed after it landed in the wrong field."""
    page = window.workspace.open_person(demo.people["W4"].id)
    page.nav.setFocus()
    qtbot.keyClick(page.nav, Qt.Key.Key_PageDown, CTRL)
    key = [s.key for s in nrm_sections.SECTIONS][page.nav.currentRow()]
    focused = QApplication.focusWidget()
    assert focused is not None and page.editor(key).isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_PageDown, CTRL)
    key = [s.key for s in nrm_sections.SECTIONS][page.nav.currentRow()]
    focused = QApplication.focusWidget()
    assert focused is not None and page.editor(key).isAncestorOf(focused)


def test_refused_on_an_nrm_marked_ready_asks_before_replacing_it(
        qtbot, window, demo, monkeypatch):
    """One consent choice changed by mistake on W1's NRM marked ready withdrew it and cleared
    who W1 is, without a question: now the officer is asked (No keeps everything as it was)."""
    person = demo.people["W1"]
    before = _docs(window, demo, person.id)["nrm"][0]
    assert before.status == "ready"
    asked: list[tuple[str, int]] = []
    answer = [False]

    def ask(parent, reference: str, version: int) -> bool:
        asked.append((reference, version))
        return answer[0]

    monkeypatch.setattr("ui.person_form.confirm_replace_nrm", ask)
    page = window.workspace.open_person(person.id)
    decision = _combo(page, "consent", "consent.decision")
    qtbot.keyClick(decision, Qt.Key.Key_Down)  # Given -> Refused
    qtbot.waitUntil(lambda: page.route is Route.DUTY_TO_NOTIFY)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    assert asked == [("W1", before.version)]
    assert "NRM referral marked ready is kept" in page.message.text()
    kept = _docs(window, demo, person.id)
    assert "dtn" not in kept and kept["nrm"][0].version == before.version
    assert page.form_data()["potential_victim"]["given_names"] == "Andrei"  # not cleared

    answer[0] = True
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    now = _docs(window, demo, person.id)
    assert "nrm" not in now and len(now["dtn"]) == 1
    assert documents.is_withdrawn(window.store, before.id)


def test_consent_given_after_a_notice_marked_ready_asks_before_replacing_it(
        qtbot, window, demo, monkeypatch):
    """W2 refused, and their Duty to Notify is marked ready; they consent later: saving the NRM
    referral withdraws the notice, so the officer is asked first (No keeps it)."""
    person = demo.people["W2"]
    before = _docs(window, demo, person.id)["dtn"][0]
    assert before.status == "ready"
    answers = [False, True]
    asked: list[str] = []

    def ask(parent, reference: str) -> bool:
        asked.append(reference)
        return answers.pop(0)

    monkeypatch.setattr("ui.person_form.confirm_replace_dtn", ask)
    page = window.workspace.open_person(person.id)
    decision = _combo(page, "consent", "consent.decision")
    qtbot.keyClick(decision, Qt.Key.Key_Up)  # Refused -> Given
    qtbot.waitUntil(lambda: page.route is Route.NRM)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    assert asked == ["W2"] and "Duty to Notify marked ready is kept" in page.message.text()
    assert "nrm" not in _docs(window, demo, person.id)
    qtbot.keyClick(page, Qt.Key.Key_S, CTRL)
    now = _docs(window, demo, person.id)
    assert "dtn" not in now and len(now["nrm"]) == 1
    assert documents.is_withdrawn(window.store, before.id)


def test_ticking_steps_one_after_another_by_keyboard_keeps_the_place(qtbot, window, demo):
    """Each tick rebuilt the list and sent the cursor back to the top with no step chosen:
    Down, Space, Down, Space across four steps left nothing ticked."""
    from fieldkit import cases

    workspace = window.workspace
    case = cases.create_case(window.store, "Operation Rowan: nail bar")
    workspace.open_case(case.id)
    panel = workspace.pathway
    qtbot.waitUntil(lambda: len(panel.step_ids()) >= 4)
    rows = [row for row in range(panel.model.rowCount())
            if panel.model.item(row).data(STEP_ROLE) is not None
            and panel.model.item(row).flags() & Qt.ItemFlag.ItemIsUserCheckable]
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(panel.model.index(rows[0], 0))
    ticked: list[str] = []
    for _ in range(3):
        current = panel.tree.currentIndex()
        ticked.append(str(current.data(STEP_ROLE)))
        with qtbot.waitSignal(panel.model.layoutChanged, timeout=5_000):  # rebuilt
            qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
        assert panel.tree.currentIndex().data(STEP_ROLE) == ticked[-1]  # still there
        qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
        while panel.tree.currentIndex().data(STEP_ROLE) is None or not (
                panel.model.itemFromIndex(panel.tree.currentIndex()).flags()
                & Qt.ItemFlag.ItemIsUserCheckable):
            qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    done = pathway.load_ticks(window.store, case.id).get(pathway.CASE_SCOPE, set())
    assert set(ticked) <= set(done) and len(set(ticked)) == 3


def test_the_banner_says_consent_not_informed_does_not_count_yet(qtbot, window, demo):
    """R-CONSENT-LANGUAGE: consent given without the interpreter the person needs: the banner
    kept the general "Explain the NRM…" words; only the problems said why."""
    from fieldkit import cases, clock
    from fieldkit.demo.forms import w1_nrm

    nrm = w1_nrm(clock.today())
    consent = nrm.consent.model_copy(update={"interpreter_used": False,
                                             "interpreter_language": None})
    person = cases.add_person(window.store, demo.case.id, "W8")
    documents.save_document(window.store, demo.case.id, "nrm",
                            nrm.model_copy(update={"consent": consent}).model_dump(mode="json"),
                            person_id=person.id)
    page = window.workspace.open_person(person.id)
    assert "does not count yet" in page.banner.text()
    assert "interpreter they need" in page.banner.text()
