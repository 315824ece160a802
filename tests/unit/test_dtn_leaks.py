"""Issue 10, item 3 (and issue 8's Duty to Notify bullet): the leaks a red-team review found in
the Duty to Notify, each performed again here and shown to fail."""

from __future__ import annotations

from datetime import date

import pytest

from fieldkit import cases, demo, documents
from fieldkit.errors import InvalidInput
from fieldkit.pdf import plan_case_pdfs
from fieldkit.store import Store
from forms import check_document
from forms.choices import ConsentDecision
from forms.dtn import (
    IDENTIFYING_NRM_FIELDS,
    SAFE_NRM_FIELDS,
    SCRUBBED_NRM_FIELDS,
    anonymise_nrm,
    nrm_field_paths,
    nrm_to_dtn,
)
from forms.nrm import Consent, NrmReferral
from sync.errors import BundleRejected
from sync.payload import validate_records
from tests.unit.test_forms_roundtrip import IDENTIFYING_VALUES, full_nrm

PLACE = "Sparkle Hand Car Wash behind Tesco, Foleshill Road"


def refused(**changes: object) -> NrmReferral:
    nrm = full_nrm().model_copy(update={"consent": Consent(decision=ConsentDecision.REFUSED)})
    data = nrm.model_dump(mode="json")
    for path, value in changes.items():
        section, field = path.split("__")
        data[section][field] = value
    return NrmReferral.model_validate(data)


def test_every_nrm_field_is_identifying_scrubbed_or_marked_safe() -> None:
    lists = IDENTIFYING_NRM_FIELDS + SCRUBBED_NRM_FIELDS + SAFE_NRM_FIELDS
    for path in nrm_field_paths():
        covering = [entry for entry in lists if path == entry or path.startswith(entry + ".")]
        assert len(covering) == 1, (
            f"NRM field {path} must be on exactly one list in forms/dtn.py "
            f"(identifying, scrubbed or safe), not {covering}")


def test_the_place_found_is_never_copied_into_the_general_area() -> None:
    notice, removed = nrm_to_dtn(refused(where_found__place=PLACE,
                                         where_found__local_authority=""))
    assert notice.general_area == ""
    assert any("Exact place where the person was found" in line for line in removed)
    problems = notice.ready_problems(date(2025, 3, 14))
    assert "general_area" in [p.field for p in problems]  # the officer must choose one


def test_a_general_area_typed_from_the_place_found_is_refused() -> None:
    nrm = refused(where_found__place=PLACE)
    notice, _ = nrm_to_dtn(nrm)
    typed = notice.model_copy(update={"general_area": "Foleshill Road"}).model_dump(mode="json")
    problems = check_document("dtn", typed, ready=True, names=nrm.recorded_names(),
                              addresses=nrm.recorded_addresses())
    assert [p.field for p in problems] == ["general_area"]
    assert "Foleshill" not in problems[0].message


@pytest.mark.parametrize("dob", ["born 21 April 1991", "DOB 1990-03-12", "02/07/1988"])
def test_a_date_of_birth_in_free_text_is_removed(dob: str) -> None:
    nrm = refused()
    nrm = nrm.model_copy(update={"account": f"She was {dob} in Constanta."})
    notice, removed = nrm_to_dtn(nrm)
    assert dob not in notice.account and "[date of birth removed]" in notice.account
    assert "Account: a date of birth removed" in removed


def test_anonymising_the_working_form_keeps_nothing_identifying() -> None:
    data = refused(where_found__place=PLACE).model_dump(mode="json")
    cleaned = str(anonymise_nrm(data, date(2025, 3, 14)))
    for value in [*IDENTIFYING_VALUES, "Sparkle", "Foleshill Road"]:
        if value in ("1993-06-02",):
            continue
        assert value not in cleaned, value
    assert "1993-06-02" not in cleaned
    assert anonymise_nrm(data, date(2025, 3, 14))["potential_victim"]["estimated_age"] == 31


def test_a_saved_dtn_is_scanned_for_the_person_reference_and_premises(store: Store) -> None:
    case = cases.create_case(store, "Operation Kite")
    visit = cases.create_visit(store, case.id, "Sparkle Hand Car Wash", "12 Example Road")
    person = cases.add_person(store, case.id, "Florin M", visit_id=visit.id)
    for account in ("Florin was scared", "Seen at Sparkle Hand Car Wash",
                    "Lived above Example Road"):
        with pytest.raises(InvalidInput, match="must not identify anyone"):
            documents.save_document(store, case.id, "dtn", {"account": account},
                                    person_id=person.id)
    documents.save_document(store, case.id, "dtn", {"account": "Worked long hours"},
                            person_id=person.id)


def test_no_file_name_audit_event_or_bundle_part_carries_a_person_reference(
    store: Store
) -> None:
    case = demo.create_demo_operation(store)
    people = cases.list_people(store, case.id)
    references = [p.reference for p in people]
    for name in [p.name for p in plan_case_pdfs(store, case.id)]:
        assert not any(ref in name for ref in references), name
        assert name.startswith(case.reference)
    flat = " ".join(str(v) for row in store.conn.execute("SELECT * FROM audit_events")
                    for v in row)
    assert not any(f" {ref} " in f" {flat} " for ref in references)
    assert all(word not in flat for word in ("Florin", "Mateescu", "Andrei"))
    # A bundle naming a pack after the person is refused at the Lead.
    record = {"type": "pdf", "id": "x1", "case_id": case.id, "sha256": "0" * 64, "size": 1,
              "name": f"{case.reference}-dtn-1-Florin-Mateescu.pdf"}
    with pytest.raises(BundleRejected, match="name"):
        validate_records([record], case.id, {"0" * 64: b"x"})
