"""The case's visits list: when each visit started (its record's time) and how far its record
is (ready, draft, typed but not saved, nothing)."""

from __future__ import annotations

from datetime import datetime

from fieldkit import cases, documents
from fieldkit.store import Store


def test_a_visit_starts_when_its_record_says(store: Store) -> None:
    """The visits list showed when the visit was added to the case, not when it started."""
    case = cases.create_case(store, "Operation Elm")
    visit = cases.create_visit(store, case.id, "Glow Nails", "3 Test Street")
    [line] = documents.visit_lines(store, case.id)
    assert line.record == "" and line.started.tzinfo is not None  # added: now, local
    documents.save_document(store, case.id, "visit",
                            {"started_at": "2026-12-01T09:40:00"}, visit_id=visit.id)
    [line] = documents.visit_lines(store, case.id)
    assert (line.started, line.record) == (datetime(2026, 12, 1, 9, 40), "draft")


def test_a_new_visit_record_starts_with_the_postcode_and_the_officer(store: Store) -> None:
    """The postcode written in the address was typed again, and the officer's own name as lead
    officer and present (they are in the profile)."""
    from fieldkit import officer, prefill
    from fieldkit.officer_profile import OfficerProfile
    from forms.contact import postcode_in

    assert postcode_in("Yard 2, 14 Example Lane, Coventry cv6 5pd") == "CV6 5PD"
    assert postcode_in("Unit 4, Far Gosford Street, Coventry") == ""
    assert postcode_in("CV1 2AB then moved to B12 9QT") == "B12 9QT"  # the last one
    case = cases.create_case(store, "Operation Elm")
    visit = cases.create_visit(store, case.id, "Sparkle Valet",
                               "Yard 2, 14 Example Lane, Coventry CV6 5PD")
    officer.save_profile(store, OfficerProfile(name="Rowan Hallam"), officer.AppRole.FIELD_OFFICER)
    data = prefill.new_visit_record(store, visit)
    assert data == {"premises": {"name": "Sparkle Valet",
                                 "address": "Yard 2, 14 Example Lane, Coventry CV6 5PD",
                                 "postcode": "CV6 5PD"},
                    "lead_officer": "Rowan Hallam", "officers_present": ["Rowan Hallam"]}


def test_a_new_referral_is_made_by_the_officer(store: Store) -> None:
    """A new intelligence report named the officer; a new referral left "Referred by" blank."""
    from fieldkit import officer, prefill
    from fieldkit.officer_profile import OfficerProfile

    case = cases.create_case(store, "Operation Elm")
    assert prefill.new_document(store, case.id, "referral") == {}
    officer.save_profile(store, OfficerProfile(name="Rowan Hallam"), officer.AppRole.FIELD_OFFICER)
    assert prefill.new_document(store, case.id, "referral") == {"made_by": "Rowan Hallam"}
