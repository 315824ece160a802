"""docs/rules.md lists every rule the app applies: each rule id there has a test that names it
(in its docstring or name), each test named there exists and names its rule, and every rule id a
test names is listed. Also the tests of listed rules that no other test file states."""

from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path

import pytest

from fieldkit import cases, documents
from fieldkit.errors import InvalidInput
from fieldkit.store import Store
from forms.check import check_document
from forms.choices import AgeGroup, AgeRange, ConsentDecision
from forms.dtn import DutyToNotify, NotForDutyToNotify, age_range, nrm_to_dtn
from forms.nrm import Consent, WhereFound
from forms.reception import (
    BoardStep,
    PersonReceived,
    PropertyItem,
    PropertyOutcome,
    ReferralForm,
    StepStatus,
)
from forms.rules import AgeStatus, Route
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm

REPO = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"\bR-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")
AT = datetime(2025, 3, 14, 10, 0)


def listed_rules() -> dict[str, list[tuple[str, str]]]:
    """Each rule id in docs/rules.md with the tests its row names (file, test name)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in (REPO / "docs" / "rules.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 2 and RULE_ID.fullmatch(cells[1]):
            found[cells[1]] = TEST_REF.findall(line)
    return found


def rule_ids_in_tests() -> dict[tuple[str, str], set[str]]:
    """Every test function under tests/ with the rule ids its name or docstring names."""
    named: dict[tuple[str, str], set[str]] = {}
    for path in sorted((REPO / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                text = f"{node.name.upper().replace('_', '-')} {ast.get_docstring(node) or ''}"
                named[(str(path.relative_to(REPO)), node.name)] = set(RULE_ID.findall(text))
    return named


def test_every_rule_listed_has_a_test_that_names_it() -> None:
    rules = listed_rules()
    assert len(rules) >= 50  # the catalogue is read, not silently empty
    named = rule_ids_in_tests()
    shown = set().union(*named.values())
    assert sorted(set(rules) - shown) == []
    for rule, refs in rules.items():
        assert refs, f"{rule} names no test"
        for ref in refs:
            assert ref in named, f"{rule}: {ref[0]}::{ref[1]} does not exist"
            assert rule in named[ref], f"{ref[1]} does not name {rule}"


def test_every_rule_a_test_names_is_listed() -> None:
    shown = set().union(*rule_ids_in_tests().values())
    assert sorted(shown - set(listed_rules())) == []


# --- rules listed whose tests live here ---------------------------------------------------


def test_age_disputed_on_the_nrm_form_is_treated_as_a_child() -> None:
    """R-AGE-DISPUTED-NRM: an adult by their date of birth, with their age disputed, is
    possibly a child: an NRM referral, no consent asked, MASH."""
    nrm = full_nrm(where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.ADULT,
                                          age_disputed=True))
    assert nrm.age_status(FOUND_ON) is AgeStatus.POSSIBLY_CHILD
    rules = nrm.obligations(FOUND_ON)
    assert rules.route is Route.NRM and rules.mash_referral and not rules.ask_consent


def test_saving_one_notification_withdraws_the_other(store: Store) -> None:
    """R-NEVER-BOTH: saving a Duty to Notify for a person withdraws their NRM referral (and the
    other way round), so only one is ever current, printed or sent."""
    case = cases.create_case(store, "Operation Both")
    person = cases.add_person(store, case.id, "P01")
    nrm = full_nrm(consent=Consent(decision=ConsentDecision.REFUSED))
    referral = documents.save_document(store, case.id, "nrm", nrm.model_dump(mode="json"),
                                       person_id=person.id)
    notice, _removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    dtn = documents.save_document(store, case.id, "dtn", notice.model_dump(mode="json"),
                                  person_id=person.id)
    assert documents.is_withdrawn(store, referral.id)
    assert [d.kind for d in documents.list_documents(store, case.id)] == ["dtn"]
    documents.save_document(store, case.id, "nrm", full_nrm().model_dump(mode="json"),
                            person_id=person.id)
    assert documents.is_withdrawn(store, dtn.id)
    assert [d.kind for d in documents.list_documents(store, case.id)] == ["nrm"]


def test_consent_is_informed_before_the_nrm_is_ready() -> None:
    """R-CONSENT-INFORMED: an adult's consent is ready only with how the NRM was explained,
    whether an interpreter was used and in which language, and the support they want."""
    nrm = full_nrm(consent=Consent(decision=ConsentDecision.GIVEN, interpreter_used=True))
    nrm.support.victim_care_contract = None
    fields = {p.field for p in nrm.ready_problems(FOUND_ON)}
    assert {"consent.how_explained", "consent.interpreter_language",
            "support.victim_care_contract"} <= fields
    assert full_nrm().ready_problems(FOUND_ON) == []


def test_the_dtn_has_nowhere_to_put_an_identity() -> None:
    """R-DTN-ANONYMOUS: no field for a name, date of birth, contact details or an address,
    and any such field is refused without repeating its value."""
    assert set(DutyToNotify.model_fields).isdisjoint(
        {"given_names", "family_name", "date_of_birth", "safe_contact", "address", "postcode",
         "exploiters", "dependants", "current_location"})
    refused = check_document("dtn", {"date_of_birth": "1993-06-02"}, ready=False)
    assert [p.field for p in refused] == ["date_of_birth"]
    assert "1993" not in refused[0].message


def test_the_store_refuses_a_dtn_that_names_the_person(store: Store) -> None:
    """R-DTN-NO-IDENTIFYING-TEXT: a Duty to Notify draft is refused when its text holds a name
    recorded on any of the person's NRM versions, and the refusal never repeats it."""
    case = cases.create_case(store, "Operation Names")
    person = cases.add_person(store, case.id, "P01")
    nrm = full_nrm(consent=Consent(decision=ConsentDecision.REFUSED))
    documents.save_document(store, case.id, "nrm", nrm.model_dump(mode="json"),
                            person_id=person.id)
    notice, _removed = nrm_to_dtn(nrm, as_of=FOUND_ON)
    named = notice.model_copy(update={"account": "Pastravescu worked nights."})
    with pytest.raises(InvalidInput) as refused:
        documents.save_document(store, case.id, "dtn", named.model_dump(mode="json"),
                                person_id=person.id)
    assert "a name" in str(refused.value) and "Pastravescu" not in str(refused.value)


def test_the_dtn_gives_only_an_adult_age_range() -> None:
    """R-DTN-AGE-RANGE: only adult age ranges exist; the date of birth becomes a range."""
    assert [r for r in AgeRange if r.value[:2] in ("0-", "1-", "16", "17")] == []
    assert age_range(17) is AgeRange.NOT_KNOWN
    notice, removed = nrm_to_dtn(full_nrm(consent=Consent(decision=ConsentDecision.REFUSED)),
                                 as_of=FOUND_ON)
    assert notice.age_range is AgeRange.FROM_25_TO_34
    assert "Date of birth (kept only as the age range 25-34)" in removed


def test_a_child_is_never_notified_anonymously(store: Store) -> None:
    """R-DTN-NEVER-CHILD: no Duty to Notify for a child, even one recorded as refusing, nor
    for an adult who consented; the store refuses one for a person any NRM shows a child."""
    child = full_nrm(consent=Consent(decision=ConsentDecision.REFUSED),
                     where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.CHILD))
    with pytest.raises(NotForDutyToNotify, match="always referred"):
        nrm_to_dtn(child, as_of=FOUND_ON)
    with pytest.raises(NotForDutyToNotify, match="never both"):
        nrm_to_dtn(full_nrm(), as_of=FOUND_ON)
    case = cases.create_case(store, "Operation Child")
    person = cases.add_person(store, case.id, "C01")
    documents.save_document(store, case.id, "nrm", child.model_dump(mode="json"),
                            person_id=person.id)
    with pytest.raises(InvalidInput, match="always referred"):
        documents.save_document(store, case.id, "dtn", {"gender": "female"},
                                person_id=person.id)


def test_a_ready_dtn_has_what_the_home_office_asks() -> None:
    """R-DTN-READY: the officer's details, gender, nationality, exploitation types, a general
    area and an anonymised account."""
    fields = {p.field for p in DutyToNotify().ready_problems(FOUND_ON)}
    assert {"gender", "nationality", "exploitation_types", "general_area", "account",
            "first_responder.name"} <= fields
    notice, _removed = nrm_to_dtn(full_nrm(consent=Consent(decision=ConsentDecision.REFUSED)),
                                  as_of=FOUND_ON)
    assert notice.ready_problems(FOUND_ON) == []


def test_the_board_follows_the_rules_for_each_person() -> None:
    """R-RECEPTION-BOARD: a child waits for MASH and is asked no consent; an adult potential
    victim waits for the NRM explained and consent; a Duty to Notify needs no Salvation Army
    referral; property waits until every item is kept or returned."""
    child = PersonReceived(reference="C1", age_group=AgeGroup.CHILD).board(FOUND_ON)
    assert child[BoardStep.MASH] is StepStatus.WAITING
    assert child[BoardStep.CONSENT] is StepStatus.NOT_NEEDED
    adult = PersonReceived(reference="A1", age_group=AgeGroup.ADULT).board(FOUND_ON)
    assert adult[BoardStep.MASH] is StepStatus.NOT_NEEDED
    assert adult[BoardStep.NRM_EXPLAINED] is StepStatus.WAITING
    assert adult[BoardStep.CONSENT] is StepStatus.WAITING
    refused = PersonReceived(reference="A2", age_group=AgeGroup.ADULT,
                             consent=ConsentDecision.REFUSED).board(FOUND_ON)
    assert refused[BoardStep.SALVATION_ARMY] is StepStatus.NOT_NEEDED
    pending = PersonReceived(reference="A4", property_logged=True,
                             property_items=[PropertyItem(description="Phone")])
    assert pending.board(FOUND_ON)[BoardStep.PROPERTY] is StepStatus.WAITING
    returned = pending.property_items[0].model_copy(update={"outcome": PropertyOutcome.RETURNED})
    settled = pending.model_copy(update={"property_items": [returned]})
    assert settled.board(FOUND_ON)[BoardStep.PROPERTY] is StepStatus.DONE


def test_the_notification_recorded_must_match_the_route() -> None:
    """R-RECEPTION-FORM: an adult who withdrew consent needs a Duty to Notify, a child an NRM
    referral; the other form is named as wrong."""
    withdrawn = PersonReceived(reference="A3", age_group=AgeGroup.ADULT,
                               consent=ConsentDecision.WITHDRAWN,
                               referral_form=ReferralForm.NRM, arrived_at=AT)
    assert any(p.message.startswith("A Duty to Notify is needed")
               for p in withdrawn.ready_problems(FOUND_ON))
    child = PersonReceived(reference="C2", age_group=AgeGroup.CHILD, arrived_at=AT,
                           referral_form=ReferralForm.DUTY_TO_NOTIFY)
    assert any(p.message.startswith("An NRM referral is needed")
               for p in child.ready_problems(FOUND_ON))


def test_immediate_risk_on_the_nrm_needs_its_details() -> None:
    """R-NRM-RISK-DETAILS: immediate risk recorded needs its details, and says call 999."""
    nrm = full_nrm(immediate_risk=True)
    problems = {p.field: p.message for p in nrm.ready_problems(FOUND_ON)}
    assert problems == {
        "immediate_risk_details": "Immediate risk details are needed (and call 999 first)"}


def test_a_draft_may_be_incomplete_but_ready_is_complete(store: Store) -> None:
    """R-FORM-READY: an empty draft saves; ready names what is missing; a later save is a
    new version and the earlier one is kept."""
    case = cases.create_case(store, "Operation Ready")
    draft = documents.save_document(store, case.id, "referral", {})
    problems = check_document("referral", {}, ready=True)
    assert {p.field for p in problems} >= {"destination", "made_at", "made_by", "method"}
    with pytest.raises(InvalidInput, match="Say who the referral was made to"):
        documents.save_document(store, case.id, "referral", {}, status="ready",
                                document_id=draft.id)
    again = documents.save_document(store, case.id, "referral", {"made_by": "Officer Test"},
                                    document_id=draft.id)
    assert [v[0] for v in documents.document_versions(store, again.id)] == [1, 2]


def test_intelligence_with_handling_code_c_states_its_conditions() -> None:
    """R-INTEL-GRADING: graded 1-3, A-E, P or C; C needs its conditions for sharing."""
    report = {"subject_type": "business", "subject": "Example Wash",
              "sanitised_text": "Workers seen sleeping on site.", "source_evaluation": "2",
              "intelligence_assessment": "B", "handling_code": "C",
              "destination": "trading_standards_idb",
              "recorded_by": "Officer Test"}
    problems = check_document("intel", report, ready=True)
    assert [p.message for p in problems] == ["Handling code C needs the conditions for sharing"]
    assert check_document("intel", {**report, "handling_conditions": "Police only"},
                          ready=True) == []

