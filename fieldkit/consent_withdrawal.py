"""An adult who consented to an NRM referral and then withdrew before it was submitted. Saving
the NRM form with consent "withdrawn" withdraws the referral from sending (see
``documents.save_document``); this module offers the Duty to Notify that replaces it,
pre-filled from the referral and anonymised, for the officer to check and save."""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.clock import utc_now
from fieldkit.documents import CONSENT_WITHDRAWN, get_document
from fieldkit.errors import InvalidInput
from fieldkit.records import FormDocument
from fieldkit.store import Store
from forms.choices import ConsentDecision
from forms.dtn import DutyToNotify, nrm_to_dtn
from forms.nrm import NrmReferral


@dataclass(frozen=True)
class WithdrawalNotice:
    """The Duty to Notify offered after a withdrawal: the draft, what was removed from the NRM
    referral (in plain words), and the person and case it belongs to."""

    case_id: str
    person_id: str | None
    notice: DutyToNotify
    removed: tuple[str, ...]


def withdrawn_by_consent(store: Store, document_id: str) -> bool:
    """True when this NRM form was withdrawn because the person withdrew their consent."""
    row = store.conn.execute(
        "SELECT 1 FROM form_withdrawals WHERE document_id = ? AND reason = ?",
        (document_id, CONSENT_WITHDRAWN),
    ).fetchone()
    return row is not None


def withdrawn_by_consent_in_case(store: Store, case_id: str) -> list[FormDocument]:
    """The case's NRM forms withdrawn because the person withdrew their consent, oldest first:
    no longer current, but still what the pathway knows about that person until (and after)
    the Duty to Notify replaces them."""
    rows = store.conn.execute(
        "SELECT d.id FROM form_documents d JOIN form_withdrawals w ON w.document_id = d.id "
        "WHERE d.case_id = ? AND d.kind = 'nrm' AND w.reason = ? ORDER BY d.created_at",
        (case_id, CONSENT_WITHDRAWN),
    ).fetchall()
    return [get_document(store, str(row[0])) for row in rows]


def notice_after_withdrawal(store: Store, nrm_document_id: str) -> WithdrawalNotice:
    """The anonymised Duty to Notify to offer for an NRM referral whose consent was withdrawn:
    every identifying field left out and free text scrubbed of the names and addresses recorded.
    Raises ``InvalidInput`` when the form is not an NRM referral with consent withdrawn."""
    document = get_document(store, nrm_document_id)
    if document.kind != "nrm":
        raise InvalidInput("Only an NRM referral can have its consent withdrawn.")
    nrm = NrmReferral.model_validate_json(document.data)
    if nrm.consent.decision is not ConsentDecision.WITHDRAWN:
        raise InvalidInput("This NRM referral does not record a withdrawal of consent.")
    if not withdrawn_by_consent(store, nrm_document_id):
        # A child's referral never depends on consent, so it is never withdrawn by it.
        raise InvalidInput("This person is (or may be) a child: a child is always referred "
                           "to the NRM, never by a Duty to Notify.")
    found_on = nrm.where_found.encountered_on or utc_now().date()
    notice, removed = nrm_to_dtn(nrm, as_of=found_on)
    return WithdrawalNotice(document.case_id, document.person_id, notice, tuple(removed))
