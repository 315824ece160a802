"""The demo operation carries one of each form, following the rules: NRM for W1 (consented),
Duty to Notify for W2 (did not), NRM and MASH for W3 (17), and a reception centre of four."""

from __future__ import annotations

from datetime import date

from fieldkit import cases, demo, documents
from fieldkit.demo.forms import W2_NAME, W2_PHONE, w1_nrm, w2_nrm_draft, w3_nrm
from fieldkit.store import Store
from forms import KINDS, DutyToNotify, NrmReferral, ReceptionCentre, check_document
from forms.rules import Route


def test_the_demo_case_has_one_of_each_form(store: Store) -> None:
    case = demo.create_demo_operation(store)
    saved = documents.list_documents(store, case.id)
    assert {d.kind for d in saved} == set(KINDS)
    people = {p.id: p.reference for p in cases.list_people(store, case.id)}
    by_kind: dict[str, list[str]] = {}
    for document in saved:
        by_kind.setdefault(document.kind, []).append(people.get(document.person_id or "", ""))
    assert by_kind["nrm"] == ["W1", "W3"]
    assert by_kind["dtn"] == ["W2"]
    assert "W3" in by_kind["referral"]
    visit = cases.list_visits(store, case.id)[0]
    assert documents.list_documents(store, case.id, "visit")[0].visit_id == visit.id
    centre = ReceptionCentre.model_validate_json(
        documents.list_documents(store, case.id, "reception")[0].data)
    assert [p.reference for p in centre.people] == ["W1", "W2", "W3", "W4"]
    for document in saved:
        assert check_document(document.kind, document.data, ready=document.status == "ready") == []


def test_the_demo_people_follow_the_rules() -> None:
    today = date(2026, 5, 14)
    assert w1_nrm(today).obligations(today).route is Route.NRM
    assert w2_nrm_draft(today).obligations(today).route is Route.DUTY_TO_NOTIFY
    child = w3_nrm(today).obligations(today)
    assert child.treated_as_child and child.mash_referral and child.route is Route.NRM
    assert check_document("nrm", w3_nrm(today).model_dump(mode="json"), ready=True)


def test_the_demo_duty_to_notify_identifies_no_one(store: Store) -> None:
    case = demo.create_demo_operation(store)
    saved = documents.list_documents(store, case.id, "dtn")[0].data
    DutyToNotify.model_validate_json(saved)
    for value in (*W2_NAME, W2_PHONE, "1988", "Lockhurst", "Foleshill Road", "Kam"):
        assert value not in saved
    assert not any(d.kind == "nrm" and "Mateescu" in d.data
                   for d in documents.list_documents(store, case.id))
    assert isinstance(NrmReferral.model_validate_json(
        documents.list_documents(store, case.id, "nrm")[0].data), NrmReferral)


def test_the_demo_visit_times_agree_with_its_notes(store) -> None:  # type: ignore[no-untyped-def]
    import re

    from fieldkit import notes
    from fieldkit.clock import parse_stamp
    from forms import PremisesVisit

    case = demo.create_demo_operation(store)
    visit = cases.list_visits(store, case.id)[0]
    record = PremisesVisit.model_validate_json(
        documents.list_documents(store, case.id, "visit")[0].data)
    assert record.started_at is not None and record.ended_at is not None
    for entry in notes.list_notes(store, visit.id):
        assert record.started_at <= parse_stamp(entry.written_at) <= record.ended_at
        assert not re.match(r"\d\d:\d\d ", entry.text)  # no typed time to contradict the stamp
    for action in record.actions:
        assert action.at is not None and record.started_at <= action.at <= record.ended_at


def test_the_demo_names_this_laptops_officer_as_first_responder(store: Store) -> None:
    """On a laptop whose officer set up a profile, the demo's forms name that officer (not the
    fictional Rowan Hallam on every laptop)."""
    from fieldkit import officer

    officer.save_profile(store, officer.OfficerProfile(
        name="Sam Okafor", organisation="Example Borough Council Trading Standards",
        role="Enforcement Officer", email="sam.okafor@example.gov.uk", phone="024 7650 0001"),
        officer.AppRole.FIELD_OFFICER)
    case = demo.create_demo_operation(store)
    by_kind = {d.kind: d for d in documents.list_documents(store, case.id)}
    nrm = NrmReferral.model_validate_json(by_kind["nrm"].data)
    assert nrm.first_responder.name == "Sam Okafor"
    assert nrm.first_responder.work_email == "sam.okafor@example.gov.uk"
    assert DutyToNotify.model_validate_json(by_kind["dtn"].data).first_responder.name == \
        "Sam Okafor"
    assert "Sam Okafor" in by_kind["visit"].data and "Rowan Hallam" not in by_kind["visit"].data
    assert "Rowan Hallam" not in by_kind["intel"].data + by_kind["referral"].data
