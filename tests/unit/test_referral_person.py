"""A referral to another agency names its person by reference: W9 in a case whose people are
W1 and W2 was marked ready; now it is named as a problem, and refused when marked ready."""

from __future__ import annotations

from datetime import datetime

import pytest

from fieldkit import cases, documents
from fieldkit.errors import InvalidInput
from fieldkit.store import Store


def _referral(reference: str) -> dict[str, object]:
    return {"destination": "salvation_army", "person_reference": reference,
            "made_at": datetime(2026, 12, 1, 10, 0).isoformat(), "made_by": "Rowan Hallam",
            "method": "phone"}


def test_a_referral_for_someone_not_in_the_case_is_named_and_not_ready(store: Store) -> None:
    case = cases.create_case(store, "Operation Birch")
    cases.add_person(store, case.id, "W1")
    problems = documents.case_form_problems(store, case.id, "referral", _referral("W9"))
    assert [(p.field, p.message) for p in problems] == [("person_reference", (
        "Person's reference W9 is no one recorded in this case: add them on the People tab "
        "first, or correct the reference (as W1, W2 ...). Leave it blank for a referral about "
        "the case as a whole."))]
    with pytest.raises(InvalidInput, match="W9 is no one recorded in this case"):
        documents.save_document(store, case.id, "referral", _referral("W9"), status="ready")
    draft = documents.save_document(store, case.id, "referral", _referral("W9"))  # a draft
    saved = documents.save_document(store, case.id, "referral", _referral(" w1 "),
                                    status="ready", document_id=draft.id)
    assert saved.status == "ready"
    assert documents.case_form_problems(store, case.id, "referral", _referral("")) == []
    # A name typed in the reference by mistake is never repeated in the error.
    [named] = documents.case_form_problems(store, case.id, "referral", _referral("Ana Pop"))
    assert "Ana" not in named.message
    assert named.message.startswith("Person's reference is no one recorded in this case")



def test_a_referral_is_about_the_person_its_reference_names(store: Store) -> None:
    """A referral for "w1" was not shown with W1's forms on the People tab."""
    case = cases.create_case(store, "Operation Birch")
    w1 = cases.add_person(store, case.id, "W1")
    about_w1 = documents.save_document(store, case.id, "referral", _referral("w1"))
    whole_case = documents.save_document(store, case.id, "referral", _referral(""))
    found = documents.about_person(store, case.id)
    assert found[about_w1.id] == w1.id and whole_case.id not in found


def test_salvation_army_support_needs_the_adults_consent(store: Store) -> None:
    """R-REFERRAL-SA-CONSENT: a Salvation Army referral for W2 (an adult who did not consent:
    a Duty to Notify) was marked ready with "No problems found"; the reception board already
    waited for consent before that step. W1 (consented) and W3 (a child) may be referred."""
    from fieldkit import demo

    case = demo.create_demo_operation(store)
    sa = {**_referral("W2"), "made_at": datetime(2026, 12, 1, 10, 0).isoformat()}
    [problem] = documents.case_form_problems(store, case.id, "referral", sa)
    assert problem.field == "destination"
    assert "W2: they did not consent to the NRM" in problem.message
    with pytest.raises(InvalidInput, match="victim care contract"):
        documents.save_document(store, case.id, "referral", sa, status="ready")
    for reference in ("W1", "W3"):
        assert documents.case_form_problems(store, case.id, "referral",
                                            _referral(reference)) == []
