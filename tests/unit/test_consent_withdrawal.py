"""Consent withdrawn, in the encrypted store: the moment the withdrawal is saved the NRM referral
stops being current (never printed or sealed into a bundle to the Lead), and the Duty to Notify
that replaces it is offered pre-filled and anonymised."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fieldkit import cases, documents, officer, pathway
from fieldkit.consent_withdrawal import notice_after_withdrawal, withdrawn_by_consent
from fieldkit.errors import InvalidInput
from fieldkit.pathway import plan_case
from fieldkit.store import Store
from forms.choices import AgeGroup, ConsentDecision, ResponderDuty, WithdrawalMethod
from forms.dtn import nrm_to_dtn
from forms.nrm import Consent, NrmReferral, WhereFound
from sync.freeze import freeze_case
from tests.unit.test_forms_roundtrip import FOUND_ON, IDENTIFYING_VALUES, full_nrm

WITHDRAWN = Consent(decision=ConsentDecision.WITHDRAWN, how_explained="NRM Explanatory Booklet",
                    interpreter_used=True, interpreter_language="ron", decided_on=FOUND_ON,
                    withdrawn_on=date(2025, 3, 15),
                    withdrawal_how=WithdrawalMethod.THROUGH_INTERPRETER,
                    withdrawal_notes="Said at the refuge through the interpreter")


def save_nrm(store: Store, case_id: str, person_id: str, nrm: NrmReferral,
             document_id: str | None = None) -> str:
    saved = documents.save_document(store, case_id, "nrm", nrm.model_dump(mode="json"),
                                    document_id=document_id, person_id=person_id)
    return saved.id


@pytest.fixture
def consented(store: Store) -> tuple[str, str, str]:
    """A case with one adult who consented: their NRM referral saved as a draft."""
    case = cases.create_case(store, "Operation Withdrawal")
    person = cases.add_person(store, case.id, "P01")
    return case.id, person.id, save_nrm(store, case.id, person.id, full_nrm())


def test_saving_a_withdrawal_withdraws_the_nrm_from_sending(
    store: Store, consented: tuple[str, str, str]
) -> None:
    """R-CONSENT-WITHDRAWN-STOPS-NRM: on the save that records the withdrawal, the NRM with the
    person's identity stops being current: not listed, not printed, not in a bundle to the
    Lead; every version is still kept in the record."""
    case_id, person_id, nrm_id = consented
    assert [d.id for d in documents.list_documents(store, case_id, "nrm")] == [nrm_id]
    save_nrm(store, case_id, person_id, full_nrm(consent=WITHDRAWN), document_id=nrm_id)
    assert documents.is_withdrawn(store, nrm_id) and withdrawn_by_consent(store, nrm_id)
    assert documents.list_documents(store, case_id) == []
    records, _attachments = freeze_case(store, case_id)
    sealed = json.dumps(records)
    assert not [value for value in IDENTIFYING_VALUES if value in sealed]
    assert not [r for r in records if r["type"] == "form" or r.get("name", "").startswith("nrm")]
    kept = documents.document_versions(store, nrm_id)
    assert [v[0] for v in kept] == [1, 2]
    recorded = json.loads(kept[-1][3])["consent"]
    assert (recorded["withdrawn_on"], recorded["withdrawal_how"]) == (
        "2025-03-15", "through_interpreter")
    with pytest.raises(InvalidInput, match="withdrawn"):
        save_nrm(store, case_id, person_id, full_nrm(), document_id=nrm_id)


def test_the_dtn_is_offered_pre_filled_and_anonymised(
    store: Store, consented: tuple[str, str, str]
) -> None:
    """R-CONSENT-WITHDRAWN-DTN-OFFERED: once withdrawn, a Duty to Notify is offered pre-filled
    from the referral with every identifying detail removed, and it saves for the person."""
    case_id, person_id, nrm_id = consented
    save_nrm(store, case_id, person_id, full_nrm(consent=WITHDRAWN), document_id=nrm_id)
    offered = notice_after_withdrawal(store, nrm_id)
    assert (offered.case_id, offered.person_id) == (case_id, person_id)
    text = offered.notice.model_dump_json()
    assert not [value for value in IDENTIFYING_VALUES if value in text]
    assert offered.notice.exploitation_types and offered.notice.nationality == "RO"
    assert "The person's name" in offered.removed
    saved = documents.save_document(store, case_id, "dtn",
                                    offered.notice.model_dump(mode="json"), status="ready",
                                    person_id=person_id)
    assert [d.id for d in documents.list_documents(store, case_id)] == [saved.id]


def test_no_dtn_is_offered_without_a_withdrawal(
    store: Store, consented: tuple[str, str, str]
) -> None:
    """R-CONSENT-WITHDRAWN-DTN-OFFERED: the offer is only for a referral whose consent was
    withdrawn, refused in plain words otherwise."""
    _case_id, _person_id, nrm_id = consented
    with pytest.raises(InvalidInput, match="does not record a withdrawal"):
        notice_after_withdrawal(store, nrm_id)


def test_a_childs_nrm_is_never_withdrawn_by_a_withdrawal_of_consent(store: Store) -> None:
    """R-CHILD-NRM: a child's referral does not depend on consent, so a withdrawal recorded
    on it never withdraws it, and no Duty to Notify is offered."""
    case = cases.create_case(store, "Operation Child")
    person = cases.add_person(store, case.id, "C01")
    child = full_nrm(consent=WITHDRAWN,
                     where_found=WhereFound(encountered_on=FOUND_ON, age_group=AgeGroup.CHILD))
    nrm_id = save_nrm(store, case.id, person.id, child)
    assert not documents.is_withdrawn(store, nrm_id)
    assert [d.id for d in documents.list_documents(store, case.id)] == [nrm_id]
    with pytest.raises(InvalidInput, match="always referred"):
        notice_after_withdrawal(store, nrm_id)


# --- the pathway read from the store ---------------------------------------------------------


def test_the_pathway_follows_the_person_through_a_withdrawal(
    store: Store, consented: tuple[str, str, str]
) -> None:
    """R-CONSENT-WITHDRAWN-DTN-OFFERED: between the withdrawal and the Duty to Notify the
    person's plan still shows them (consent withdrawn, the notice to make); once the notice is
    saved the plan keeps saying consent was withdrawn."""
    case_id, person_id, nrm_id = consented
    save_nrm(store, case_id, person_id, full_nrm(consent=WITHDRAWN), document_id=nrm_id)
    assert person_id in pathway.case_people(store, case_id)
    waiting = plan_case(pathway.person_facts(store, case_id, person_id))
    assert waiting.applies("init.consent_withdrawn") and waiting.applies("init.duty_to_notify")
    assert not waiting.applies("init.nrm_pathway")
    offered = notice_after_withdrawal(store, nrm_id)
    documents.save_document(store, case_id, "dtn", offered.notice.model_dump(mode="json"),
                            person_id=person_id)
    facts = pathway.person_facts(store, case_id, person_id)
    assert facts.consent is ConsentDecision.WITHDRAWN
    assert plan_case(facts).applies("init.consent_withdrawn")


def test_the_999_step_survives_the_saved_duty_to_notify(store: Store) -> None:
    """R-999-KEPT-WITH-DTN: read back from the store, a person whose Duty to Notify replaced
    their NRM still has the 999 call first until the officer ticks it."""
    case = cases.create_case(store, "Operation Risk")
    person = cases.add_person(store, case.id, "P02")
    refused = full_nrm(consent=Consent(decision=ConsentDecision.REFUSED), immediate_risk=True,
                       immediate_risk_details="Controller waiting outside")
    save_nrm(store, case.id, person.id, refused)
    notice, _removed = nrm_to_dtn(refused, as_of=FOUND_ON)
    documents.save_document(store, case.id, "dtn", notice.model_dump(mode="json"),
                            person_id=person.id)
    first = plan_case(pathway.person_facts(store, case.id, person.id)).next_steps()[0]
    assert first.id == "init.call_999" and not first.done
    pathway.set_tick(store, case.id, person.id, "init.call_999", True)
    ticked = plan_case(pathway.person_facts(store, case.id, person.id))
    assert ticked.step("init.call_999").done


def test_the_officers_organisation_decides_the_duty(
    store: Store, consented: tuple[str, str, str]
) -> None:
    """R-DUTY-ORGANISATION: the officer's profile (organisation, first responder or not)
    decides what the pathway tells them to do for an adult who does not consent."""
    case_id, person_id, nrm_id = consented
    refused = full_nrm(consent=Consent(decision=ConsentDecision.REFUSED))
    save_nrm(store, case_id, person_id, refused, document_id=nrm_id)
    assert pathway.person_facts(store, case_id, person_id).duty is ResponderDuty.STATUTORY
    officer.save_profile(store, officer.OfficerProfile(name="Officer Test",
                                                       organisation="The Salvation Army"),
                         officer.AppRole.FIELD_OFFICER)
    charity = plan_case(pathway.person_facts(store, case_id, person_id))
    assert charity.applies("init.no_duty_to_notify")
    assert not charity.applies("init.duty_to_notify")
    assert pathway.case_facts(store, case_id).duty is ResponderDuty.NON_STATUTORY
    officer.save_profile(store, officer.OfficerProfile(name="Officer Test",
                                                       organisation="The Salvation Army",
                                                       first_responder=False),
                         officer.AppRole.FIELD_OFFICER)
    assert plan_case(pathway.person_facts(store, case_id, person_id)).applies(
        "init.not_first_responder")
