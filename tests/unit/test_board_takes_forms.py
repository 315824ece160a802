"""The reception board waited on after the NRM referral and the Duty to Notify were marked
ready for its people (its panel still said "A Duty to Notify is needed"): a form marked ready
in the case is recorded on the person's NRM or DtN step, when the form fits the person."""

from __future__ import annotations

from datetime import datetime, timedelta

from fieldkit import cases, clock, documents
from fieldkit.demo.forms import w1_nrm, w2_nrm_draft
from fieldkit.store import Store
from forms import BoardStep, PersonReceived, StepStatus, nrm_to_dtn
from forms.choices import ConsentDecision
from forms.reception import ReferralForm


def test_forms_marked_ready_are_recorded_on_the_board(store: Store) -> None:
    today = clock.today()
    case = cases.create_case(store, "Operation Birch")
    arrived = clock.local_now() - timedelta(hours=2)
    consented = PersonReceived(reference="R001", arrived_at=arrived, age_group="adult",
                               interpreter_needed=False,
                               nrm_explained_at=arrived + timedelta(minutes=10),
                               consent=ConsentDecision.GIVEN,
                               consent_recorded_at=arrived + timedelta(minutes=20))
    refused = PersonReceived(reference="R003", arrived_at=arrived, age_group="adult",
                             consent=ConsentDecision.REFUSED, consent_recorded_at=arrived)
    waiting = PersonReceived(reference="R004", arrived_at=arrived, age_group="adult")
    people = [consented, refused, waiting]
    assert documents.forms_for_the_board(store, case.id, people, today) == []

    for reference, kind, data in (
            ("R001", "nrm", w1_nrm(today).model_dump(mode="json")),
            ("R003", "dtn", nrm_to_dtn(w2_nrm_draft(today))[0].model_dump(mode="json")),
            ("R004", "dtn", nrm_to_dtn(w2_nrm_draft(today))[0].model_dump(mode="json"))):
        person = cases.add_person(store, case.id, reference)
        documents.save_document(store, case.id, kind, data, status="ready",
                                person_id=person.id)
    updates = dict(documents.forms_for_the_board(store, case.id, people, today))
    # R004 was not asked about consent on the board: a Duty to Notify does not fit yet.
    assert sorted(updates) == [0, 1]
    assert updates[0].referral_form is ReferralForm.NRM
    assert updates[1].referral_form is ReferralForm.DUTY_TO_NOTIFY
    for person in updates.values():
        assert person.board(today)[BoardStep.NRM_OR_DTN] is StepStatus.DONE
        assert isinstance(person.referral_form_done_at, datetime)
    # Recorded once: the step is done now, nothing more to take.
    assert documents.forms_for_the_board(store, case.id, list(updates.values()), today) == []


def test_a_person_registered_on_the_board_takes_what_their_forms_record(store: Store) -> None:
    """W1 (an adult, about 30, on an NRM) and W2 (an adult who refused: a Duty to Notify) were
    registered as "Not sure", on the child route with MASH waiting."""
    today = clock.today()
    case = cases.create_case(store, "Operation Cedar")
    w1, w2, w3 = (cases.add_person(store, case.id, ref) for ref in ("W1", "W2", "W3"))
    documents.save_document(store, case.id, "nrm", w1_nrm(today).model_dump(mode="json"),
                            person_id=w1.id)
    documents.save_document(store, case.id, "dtn",
                            nrm_to_dtn(w2_nrm_draft(today))[0].model_dump(mode="json"),
                            person_id=w2.id)
    now = clock.local_now()
    first = documents.arrival_from_forms(store, case.id, PersonReceived(reference="w1",
                                                                        arrived_at=now))
    assert first.age_group == "adult" and first.gender == "male" and first.language == "ron"
    assert first.date_of_birth is not None and first.interpreter_needed is True
    assert first.consent is ConsentDecision.NOT_ASKED  # asked and recorded at the centre
    assert not first.obligations(today).treated_as_child
    second = documents.arrival_from_forms(store, case.id, PersonReceived(reference="W2",
                                                                         arrived_at=now))
    assert second.age_group == "adult" and second.board(today)[BoardStep.MASH] is \
        StepStatus.NOT_NEEDED
    nobody = PersonReceived(reference="W3", arrived_at=now)  # no form yet: as typed
    assert documents.arrival_from_forms(store, case.id, nobody) == nobody
    assert w3.reference == "W3"
