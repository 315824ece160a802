"""Every form round-trips through JSON, drafts may be empty, and the registry knows each kind.

The full examples here are wholly fictional and are reused by the other form tests."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from forms import KINDS, check_document
from forms.choices import (
    AgeGroup,
    Agency,
    BusinessType,
    ConsentDecision,
    ExploitationType,
    Gender,
    ReferralDestination,
)
from forms.dtn import DutyToNotify, ExploitationArea, NotifyingOfficer
from forms.form import Form
from forms.intelligence import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceDestination,
    IntelligenceReport,
    SourceEvaluation,
    SubjectType,
)
from forms.nrm import (
    CameToNotice,
    Consent,
    Dependant,
    Exploitation,
    Exploiter,
    FirstResponder,
    NrmReferral,
    Place,
    PoliceInvolvement,
    PotentialVictim,
    SafeContact,
    SupportWanted,
    WhereFound,
)
from forms.reception import (
    InterpreterBooking,
    PersonReceived,
    PropertyItem,
    PropertyOutcome,
    ReceptionCentre,
    ReferralForm,
    Screening,
)
from forms.referral import Referral, ReferralMethod, ReferralOutcome
from forms.visit import Premises, PremisesVisit, VisitAction, VisitActionKind

FOUND_ON = date(2025, 3, 14)
AT = datetime(2025, 3, 14, 10, 0)

# Every identifying value on the full NRM below (all invented), for the anonymity tests.
IDENTIFYING_VALUES = [
    "Zorila", "Pastravescu", "Zori P", "Mica", "1993-06-02", "07700 900461",
    "zorila.p@example.com", "14 Larchmere Close", "CV2 9ZX", "Hollybank Refuge, Room 3",
    "Tavi", "Unit 9, Brookvale Estate", "CV6 9ZZ", "Dorin Vulpescu", "07700 900999",
    "22 Quarry Lane", "WMP/5550123/25", "PC 0000 Ashdown",
]


def full_nrm(**changes: object) -> NrmReferral:
    """A complete, ready NRM referral for a fictional adult who consented."""
    nrm = NrmReferral(
        where_found=WhereFound(
            encountered_on=FOUND_ON, place="Foleshill, Coventry", local_authority="Coventry",
            age_group=AgeGroup.ADULT,
        ),
        first_responder=FirstResponder(
            name="Officer Example", organisation="Coventry Trading Standards",
            role="Trading Standards Officer", work_email="officer@example.gov.uk",
            phone="024 7000 0000",
        ),
        consent=Consent(
            decision=ConsentDecision.GIVEN, how_explained="NRM Explanatory Booklet, read aloud",
            booklet_language="ron", interpreter_used=True, interpreter_language="ron",
            decided_on=FOUND_ON,
        ),
        potential_victim=PotentialVictim(
            given_names="Zorila", family_name="Pastravescu", aliases=["Zori P", "Mica"],
            date_of_birth=date(1993, 6, 2), gender=Gender.FEMALE, nationalities=["RO"],
            languages=["ron", "eng"], interpreter_needed=True,
            safe_contact=SafeContact(
                phone="07700 900461", email="zorila.p@example.com",
                address="14 Larchmere Close", postcode="CV2 9ZX", safe_to_leave_messages=False,
            ),
            current_location="Hollybank Refuge, Room 3",
        ),
        dependants=[Dependant(name="Tavi", relationship="son", estimated_age=6,
                              with_the_person=False, location="with family in Romania")],
        exploitation=Exploitation(
            types=[ExploitationType.LABOUR, ExploitationType.SEXUAL], in_uk=True, abroad=True,
            places=[
                Place(country="GB", town_or_area="Coventry", address="Unit 9, Brookvale Estate",
                      postcode="CV6 9ZZ"),
                Place(country="RO", town_or_area="Constanta"),
            ],
            began="Spring 2023", ongoing=True,
        ),
        came_to_notice=CameToNotice(
            how="Seen at Unit 9, Brookvale Estate during a hand car wash visit",
            indicator_ids=["general.no_id_documents", "labour.tied_accommodation"],
        ),
        account=(
            "Zorila says Dorin Vulpescu took her passport and rang her on 07700 900461 each "
            "night. She slept at 22 Quarry Lane, CV6 9ZZ and was told to call him Tavi's uncle."
        ),
        account_read_back=True,
        exploiters=[Exploiter(name="Dorin Vulpescu", gender=Gender.MALE, nationality="RO",
                              relationship="boss", contact_details="07700 900999",
                              address="22 Quarry Lane")],
        police=PoliceInvolvement(involved=True, force="West Midlands Police",
                                 crime_reference="WMP/5550123/25", officer="PC 0000 Ashdown"),
        support=SupportWanted(victim_care_contract=True, accommodation_needed=True,
                              destitute=True, immediate_needs="Clothes and a phone"),
    )
    return nrm.model_copy(update=changes)


def full_examples() -> dict[str, Form]:
    """One complete example of every kind of form."""
    return {
        "nrm": full_nrm(),
        "dtn": DutyToNotify(
            first_responder=NotifyingOfficer(
                name="Officer Example", organisation="Coventry Trading Standards",
                role="Trading Standards Officer", work_email="officer@example.gov.uk",
                phone="024 7000 0000",
            ),
            encountered_on=FOUND_ON, gender=Gender.MALE, nationality="AL",
            exploitation_types=[ExploitationType.LABOUR, ExploitationType.CRIMINAL],
            in_uk=True, areas=[ExploitationArea(country="GB", general_area="Coventry")],
            general_area="Coventry", ongoing=False,
            how_came_to_notice="Met during a visit to a hand car wash",
            account="Worked long hours for little pay; documents held by the boss.",
        ),
        "visit": PremisesVisit(
            premises=Premises(name="Sparkle Hand Car Wash", address="Unit 9, Brookvale Estate",
                              postcode="CV6 9ZZ", business_type=BusinessType.HAND_CAR_WASH),
            started_at=AT, ended_at=datetime(2025, 3, 14, 11, 30), lead_officer="Officer Example",
            officers_present=["Officer Example", "Officer Sample"],
            agencies_present=[Agency.POLICE, Agency.GLAA], safety_notes="Dog on site",
            indicators_ticked=["general.isolation", "car_wash.living_on_site"],
            workers_seen=6, workers_spoken_to=4, workers_of_concern=3,
            actions=[VisitAction(at=AT, action=VisitActionKind.LEAD_NOTIFIED),
                     VisitAction(at=AT, action=VisitActionKind.BORDER_FORCE_CONTACTED)],
        ),
        "reception": ReceptionCentre(
            operation="Operation Example", venue="Community hall", held_on=FOUND_ON,
            lead_agency=Agency.POLICE, agencies_present=[Agency.POLICE, Agency.SALVATION_ARMY],
            interpreters=[InterpreterBooking(language="ron", count=2, present=True)],
            setup_ticked=["setup.venue_ready"],
            people=[PersonReceived(
                reference="R-001", arrived_at=AT, language="ron", interpreter_needed=True,
                interpreter_provided_at=AT, age_group=AgeGroup.ADULT, welfare_given_at=AT,
                medical_triage_needed=False, separated_from_controllers=True,
                screenings=[Screening(agency=Agency.POLICE, done_at=AT)],
                potential_victim=True, nrm_explained_at=AT, consent=ConsentDecision.GIVEN,
                referral_form=ReferralForm.NRM, referral_form_done_at=AT, wants_support=True,
                salvation_army_referred_at=AT, accommodation_needed=True,
                accommodation_arranged="Salvation Army safe house", property_logged=True,
                property_items=[PropertyItem(description="Passport", is_identity_document=True,
                                             outcome=PropertyOutcome.RETURNED)],
                onward_destination="Safe house", departed_at=datetime(2025, 3, 14, 18, 0),
            )],
        ),
        "intel": IntelligenceReport(
            subject_type=SubjectType.BUSINESS, subject="Sparkle Hand Car Wash",
            sanitised_text="Workers are said to live in a cabin on site.",
            source_evaluation=SourceEvaluation.UNTESTED,
            intelligence_assessment=IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
            handling_code=HandlingCode.PERMITTED,
            destination=IntelligenceDestination.TRADING_STANDARDS_IDB,
            recorded_at=AT, recorded_by="Officer Example",
        ),
        "referral": Referral(
            destination=ReferralDestination.GLAA, made_at=AT, made_by="Officer Example",
            method=ReferralMethod.PHONE, outcome=ReferralOutcome.ACCEPTED,
        ),
    }


def test_the_registry_has_every_kind_of_form() -> None:
    assert set(KINDS) == {"nrm", "dtn", "visit", "reception", "intel", "referral"}
    for kind, model in KINDS.items():
        assert kind == model.KIND
        assert model.model_fields["schema_version"].default == model.SCHEMA_VERSION == 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_full_form_round_trips_through_json_unchanged(kind: str) -> None:
    example = full_examples()[kind]
    assert isinstance(example, KINDS[kind])
    text = example.model_dump_json()
    again = KINDS[kind].model_validate_json(text)
    assert again == example
    assert again.model_dump_json() == text
    assert json.loads(text)["schema_version"] == 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_full_form_is_ready_with_no_problems(kind: str) -> None:
    text = full_examples()[kind].model_dump_json()
    assert check_document(kind, text, ready=True) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_empty_draft_is_allowed_but_not_ready(kind: str) -> None:
    draft = KINDS[kind]()
    assert KINDS[kind].model_validate_json(draft.model_dump_json()) == draft
    assert check_document(kind, "{}", ready=False) == []
    assert check_document(kind, "{}", ready=True) != []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_form_from_a_newer_app_is_refused_in_plain_words(kind: str) -> None:
    problems = check_document(kind, {"schema_version": 99}, ready=False)
    assert [p.field for p in problems] == ["schema_version"]
    assert "newer than this app understands" in problems[0].message


def test_a_partly_filled_draft_keeps_what_was_typed() -> None:
    draft = NrmReferral.model_validate(
        {"potential_victim": {"given_names": "Zorila"}, "exploitation": {"types": ["labour"]}}
    )
    again = NrmReferral.model_validate_json(draft.model_dump_json())
    assert again.potential_victim.given_names == "Zorila"
    assert again.exploitation.types == [ExploitationType.LABOUR]
    assert again.consent.decision is ConsentDecision.NOT_ASKED
