"""The demo operation's forms: an NRM referral for W1 (an adult who consented), a Duty to Notify
for W2 (an adult who did not), an NRM referral for W3 (17, so a child: no consent needed, and a
MASH referral), the visit record, the reception centre with all four workers, an intelligence
report and the referrals made. Every name, place and number is invented; phone numbers are in
Ofcom's range kept for drama (07700 900xxx)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fieldkit import cases, documents, notes
from fieldkit.clock import parse_stamp, utc_now
from fieldkit.demo.scenario import DEMO_ADDRESS, DEMO_PREMISES
from fieldkit.store import Store
from forms import NrmReferral, nrm_to_dtn

DEMO_PLACE = "Foleshill, Coventry"
DEMO_POSTCODE = "CV6 5AH"
OFFICER = {
    "name": "Rowan Hallam", "organisation": "Coventry City Council Trading Standards",
    "role": "Trading Standards Officer", "work_email": "rowan.hallam@example.gov.uk",
    "phone": "024 7650 0000",
}
W2_NAME = ("Florin", "Mateescu")  # recorded on W2's NRM draft only; never on the Duty to Notify
W2_PHONE = "07700 900456"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _victim_nrm(today: date, officer: dict[str, str] | None = None, **person: Any
                ) -> dict[str, Any]:
    """The parts of an NRM draft every demo worker shares (the same visit and exploitation)."""
    return {
        "where_found": {"encountered_on": today.isoformat(), "place": DEMO_PREMISES + ", Foleshill",
                        "local_authority": "Coventry", "age_group": "adult"},
        "first_responder": officer or OFFICER,
        "potential_victim": {"gender": "male", "nationalities": ["RO"], "languages": ["ron"],
                             "interpreter_needed": True, **person},
        "exploitation": {
            "types": ["labour"], "in_uk": True, "began": "Spring this year",
            "ongoing": False,
            "places": [{"country": "GB", "town_or_area": "Coventry", "address": DEMO_ADDRESS,
                        "postcode": DEMO_POSTCODE}],
        },
        "came_to_notice": {
            "how": "Multi-agency visit to a hand car wash by Trading Standards, police and GLAA.",
            "indicator_ids": ["labour.tied_accommodation", "labour.spokesperson",
                              "general.no_id_documents", "labour.deductions"],
        },
        "exploiters": [{"name": "Kam", "gender": "male", "relationship": "Manager at the wash",
                        "description": "Answered for the workers; holds their passports.",
                        "address": DEMO_ADDRESS}],
        "police": {"involved": True, "force": "West Midlands Police",
                   "crime_reference": "20/99999/26", "officer": "PC 4411 Dunmore"},
    }


def w1_nrm(today: date, officer: dict[str, str] | None = None) -> NrmReferral:
    """W1: an adult who gave informed consent after the NRM booklet was explained."""
    data = _victim_nrm(
        today, officer, given_names="Andrei", family_name="Dobrescu", date_of_birth="1994-03-12",
        current_location="Salvation Army safe house (address withheld)",
        safe_contact={"phone": "07700 900123", "safe_to_leave_messages": False,
                      "notes": "Text only, in Romanian."},
    )
    data["consent"] = {"decision": "given", "how_explained": "NRM Explanatory Booklet in "
                       "Romanian, read through with a telephone interpreter.",
                       "booklet_language": "ron", "interpreter_used": True,
                       "interpreter_language": "ron", "decided_on": today.isoformat()}
    data["account"] = ("Recruited in Romania with a promise of car valet work at £90 a day. "
                       "Passport taken 'for safe keeping' on arrival; pays £50 a week to sleep "
                       "in the cabin & is told he owes £1,200 for travel. Works 7 days, 8am-8pm.")
    data["account_read_back"] = True
    data["support"] = {"victim_care_contract": True, "accommodation_needed": True,
                       "destitute": True, "immediate_needs": "Accommodation tonight; clothes."}
    return NrmReferral.model_validate(data)


def w2_nrm_draft(today: date, officer: dict[str, str] | None = None) -> NrmReferral:
    """W2's NRM draft (adult, did not consent): kept in memory only, to make the Duty to Notify."""
    data = _victim_nrm(
        today, officer, given_names=W2_NAME[0], family_name=W2_NAME[1], date_of_birth="1988-07-02",
        current_location="Staying with a cousin in Coventry",
        safe_contact={"phone": W2_PHONE, "address": "14 Lockhurst Lane, Coventry",
                      "postcode": "CV6 5PD"},
    )
    data["consent"] = {"decision": "refused", "how_explained": "NRM booklet in Romanian, "
                       "interpreter by phone.", "interpreter_used": True,
                       "interpreter_language": "ron", "decided_on": today.isoformat()}
    data["account"] = (f"{W2_NAME[0]} says his passport is 'kept safe' by Kam at "
                       f"{DEMO_ADDRESS} and he pays £50 a week for the cabin. Call him on "
                       f"{W2_PHONE}. He works 12 hours a day and has not been paid in cash.")
    return NrmReferral.model_validate(data)


def w3_nrm(today: date, officer: dict[str, str] | None = None) -> NrmReferral:
    """W3: says he is 17, so treated as a child: an NRM referral needs no consent (still a draft:
    its checklist shows what is missing)."""
    data = _victim_nrm(today, officer, given_names="Luca", estimated_age=17,
                       current_location="With children's services emergency foster carer")
    data["where_found"]["age_group"] = "child"
    data["potential_victim"]["interpreter_needed"] = None
    data["exploitation"]["began"] = ""
    data["account"] = "Says he came with his uncle's friend, who arranged the job at the wash."
    return NrmReferral.model_validate(data)


def visit_form(start: datetime, end: datetime | None = None, officer: str = OFFICER["name"]
               ) -> dict[str, Any]:
    """The premises visit record, from ``start`` to ``end`` (95 minutes by default); the
    actions fall within it."""
    end = end or start + timedelta(minutes=95)
    step = (end - start) / 6
    return {
        "premises": {"name": DEMO_PREMISES, "address": DEMO_ADDRESS, "postcode": DEMO_POSTCODE,
                     "business_type": "hand_car_wash"},
        "started_at": _iso(start), "ended_at": _iso(end),
        "lead_officer": officer,
        "officers_present": [officer, "PC 4411 Dunmore", "GLAA officer Reyes"],
        "agencies_present": ["trading_standards", "police", "glaa"],
        "safety_notes": "Police present throughout. Manager kept apart from workers once the "
                        "interviews began.",
        "risk_notes": "Chemical cleaners used without gloves or boots; cabin has a gas hob.",
        "indicators_ticked": ["labour.tied_accommodation", "labour.spokesperson",
                              "labour.charged_for_ppe", "general.no_id_documents"],
        "workers_seen": 6, "workers_spoken_to": 4, "workers_of_concern": 4,
        "actions": [
            {"at": _iso(start + step), "action": "lead_notified"},
            {"at": _iso(start + 2 * step), "action": "border_force_contacted"},
            {"at": _iso(start + 3 * step), "action": "mash_contacted",
             "details": "W3 says he is 17."},
            {"at": _iso(start + 4 * step), "action": "reception_centre_opened"},
        ],
    }


def reception_form(start: datetime) -> dict[str, Any]:
    """The reception centre with the four workers at different steps of the board."""
    def at(minutes: int) -> str:
        return _iso(start + timedelta(minutes=minutes))

    common = {"language": "ron", "interpreter_needed": True, "interpreter_provided_at": at(70),
              "welfare_given_at": at(65), "medical_triage_needed": False,
              "separated_from_controllers": True}
    return {
        "operation": "Operation Larkspur", "venue": "Community hall (location not disclosed)",
        "held_on": start.date().isoformat(), "lead_agency": "trading_standards",
        "agencies_present": ["trading_standards", "police", "glaa", "salvation_army", "nhs"],
        "interpreters": [{"language": "ron", "count": 1, "present": True},
                         {"language": "sqi", "count": 1, "present": False}],
        "setup_ticked": ["setup.venue_ready", "setup.agency_leads", "setup.food_water_clothes",
                         "setup.registration", "setup.separation"],
        "people": [
            {"reference": "W1", "arrived_at": at(60), "age_group": "adult", **common,
             "screenings": [{"agency": "glaa", "done_at": at(80)}], "potential_victim": True,
             "nrm_explained_at": at(85), "consent": "given",
             "consent_recorded_at": at(88), "referral_form": "nrm",
             "referral_form_done_at": at(120), "wants_support": True,
             "salvation_army_referred_at": at(125), "accommodation_needed": True,
             "accommodation_arranged": "Salvation Army safe house", "property_logged": True,
             "property_items": [{"description": "Mobile phone", "outcome": "returned"}]},
            {"reference": "W2", "arrived_at": at(60), "age_group": "adult", **common,
             "screenings": [{"agency": "glaa", "done_at": at(90)}], "potential_victim": True,
             "nrm_explained_at": at(95), "consent": "refused",
             "consent_recorded_at": at(98), "referral_form": "dtn",
             "referral_form_done_at": at(130), "wants_support": False,
             "accommodation_needed": False, "property_logged": True,
             "onward_destination": "Own arrangements", "departed_at": at(140)},
            {"reference": "W3", "arrived_at": at(62), "age_group": "child", "estimated_age": 17,
             **common, "screenings": [{"agency": "police"}], "mash_referred_at": at(66),
             "potential_victim": True, "referral_form": "nrm", "accommodation_needed": True},
            {"reference": "W4", "arrived_at": at(75), "language": "sqi",
             "interpreter_needed": True, "age_group": "adult", "medical_triage_needed": True,
             "welfare_notes": "Declined to talk today; safe contact details taken.",
             "safe_contact_taken": True,
             "property_items": [{"description": "Passport (held by W4)",
                                 "is_identity_document": True}]},
        ],
    }


def _not_after(moment: datetime, latest: datetime | None) -> str:
    """``moment``, or ``latest`` when it is later: a demo built now records nothing later than
    now (a form marked ready refuses a time after today)."""
    return _iso(moment if latest is None else min(moment, latest))


def intel_form(start: datetime, latest: datetime | None = None, officer: str = OFFICER["name"]
               ) -> dict[str, Any]:
    """A sanitised intelligence report graded 2/B/C, recorded three hours after ``start`` (or
    at ``latest`` if that is sooner)."""
    return {
        "subject_type": "business", "subject": "Hand car wash, Foleshill Road area, Coventry",
        "sanitised_text": "Workers at a hand car wash appear to live in a cabin on site, pay "
                          "the manager for it, and have their passports held by him. At least "
                          "one worker may be under 18.",
        "source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "C",
        "handling_conditions": "Share with police and GLAA only; do not disclose to the "
                               "business or its landlord.",
        "destination": "trading_standards_idb",
        "recorded_at": _not_after(start + timedelta(hours=3), latest),
        "recorded_by": officer,
    }


def referral_forms(start: datetime, latest: datetime | None = None,
                   officer: str = OFFICER["name"]) -> list[tuple[str | None, dict[str, Any]]]:
    """The referrals made: (person reference or None for the case, the form), timed from
    ``start``, none after ``latest``."""
    def made(minutes: int) -> str:
        return _not_after(start + timedelta(minutes=minutes), latest)

    return [
        (None, {"destination": "modern_slavery_lead", "made_at": made(5),
                "made_by": officer, "method": "phone", "outcome": "accepted"}),
        ("W3", {"destination": "mash", "person_reference": "W3", "made_at": made(35),
                "made_by": officer, "method": "phone", "their_reference": "MASH-D-0412",
                "outcome": "accepted", "outcome_notes": "Emergency foster placement tonight."}),
        ("W1", {"destination": "salvation_army", "person_reference": "W1", "made_at": made(125),
                "made_by": officer, "method": "phone", "outcome": "awaiting"}),
    ]


def demo_officer(store: Store) -> dict[str, str]:
    """The first responder the demo's forms name: this laptop's officer (their profile's name,
    organisation, role, work email and phone, each as recorded), else the fictional Rowan
    Hallam; a detail the profile leaves empty is Rowan Hallam's example one."""
    from fieldkit.officer import load_profile

    profile = load_profile(store)
    if profile is None:
        return dict(OFFICER)
    return {"name": profile.name,
            "organisation": profile.organisation or OFFICER["organisation"],
            "role": profile.role or OFFICER["role"],
            "work_email": profile.email or OFFICER["work_email"],
            "phone": profile.phone or OFFICER["phone"]}


def add_demo_forms(store: Store, case_id: str, visit_id: str) -> None:
    """Add one of each form to the demo case, linked to its visit and to W1, W2 and W3."""
    people = {p.reference: p.id for p in cases.list_people(store, case_id)}
    # The visit's times agree with its notes: it started a little before the first entry and
    # ended just after the last one (the store timed the notes as they were written).
    written = sorted(parse_stamp(n.written_at) for n in notes.list_notes(store, visit_id))
    first = written[0] if written else utc_now()
    last = written[-1] if written else first
    start = (first - timedelta(minutes=10)).replace(microsecond=0)
    end = (last + timedelta(minutes=1)).replace(microsecond=0)  # not in the future
    today = start.date()

    def save(kind: str, data: dict[str, Any], status: str, person: str | None = None,
             visit: str | None = None) -> None:
        documents.save_document(store, case_id, kind, data, status=status, visit_id=visit,
                                person_id=people.get(person) if person else None)

    officer = demo_officer(store)
    save("visit", visit_form(start, end, officer["name"]), "ready", visit=visit_id)
    save("nrm", w1_nrm(today, officer).model_dump(mode="json"), "ready", "W1", visit_id)
    notice, _removed = nrm_to_dtn(w2_nrm_draft(today, officer))
    save("dtn", notice.model_dump(mode="json"), "ready", "W2", visit_id)
    save("nrm", w3_nrm(today, officer).model_dump(mode="json"), "draft", "W3", visit_id)
    save("reception", reception_form(start), "draft", visit=visit_id)
    now = max(utc_now().replace(microsecond=0), end)
    save("intel", intel_form(start, now, officer["name"]), "ready")
    for person, referral in referral_forms(start, now, officer["name"]):
        save("referral", referral, "ready", person)
