"""Nothing typed twice: a new form starts with what the case already knows. An NRM (or Duty to
Notify) for a person found on a visit starts from the visit; a reception centre from the case;
an intelligence report from the officer's profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from fieldkit import cases, clock, documents, officer
from fieldkit.clock import parse_stamp
from fieldkit.records import Person, Visit
from fieldkit.resources import load_resources
from fieldkit.store import Store
from forms import PremisesVisit, ReceptionCentre
from forms.choices import Agency, ExploitationType, label


def visit_form(store: Store, visit: Visit) -> PremisesVisit | None:
    """The latest saved visit record (premises, agencies, indicators) of a visit, if any."""
    saved = [d for d in documents.list_documents(store, visit.case_id, "visit")
             if d.visit_id == visit.id]
    return PremisesVisit.model_validate_json(saved[-1].data) if saved else None


def _exploitation_types(indicator_ids: list[str]) -> list[str]:
    kinds = {member.value for member in ExploitationType}
    found = [i.split(".", 1)[0] for i in indicator_ids if i.split(".", 1)[0] in kinds]
    return list(dict.fromkeys(found))


def new_nrm(store: Store, person: Person) -> dict[str, Any]:
    """A new NRM form for ``person``: the first responder from the officer's profile; when and
    where found, the police, the exploitation types and the indicators ticked from the visit
    they were found on."""
    found_on: date = parse_stamp(person.created_at).astimezone().date()
    data: dict[str, Any] = {"where_found": {"encountered_on": found_on.isoformat()}}
    profile = officer.load_profile(store)
    if profile is not None:
        data["first_responder"] = {
            "name": profile.name, "organisation": profile.organisation, "role": profile.role,
            "work_email": profile.email, "phone": profile.phone,
        }
    _from_reception(store, person, data)
    if person.visit_id is None:
        return data
    visit = cases.get_visit(store, person.visit_id)
    form = visit_form(store, visit)
    # The local authority area, never the premises' address: a Duty to Notify made from this
    # form must not carry a specific address.
    data["where_found"]["local_authority"] = load_resources().council.name
    if form is None:
        return data
    if form.started_at is not None:
        data["where_found"]["encountered_on"] = form.started_at.astimezone().date().isoformat()
    agencies = [label(a) for a in form.agencies_present]
    business = form.premises.business_type
    where = f" ({label(business).lower()})" if business is not None else ""
    data["came_to_notice"] = {
        "how": f"Found during a multi-agency premises visit{where}"
               + (f" with {', '.join(agencies)}" if agencies else "") + ".",
        "indicator_ids": list(form.indicators_ticked),
    }
    types = _exploitation_types(list(form.indicators_ticked))
    if types:
        data["exploitation"] = {"types": types, "in_uk": True}
    if Agency.POLICE in form.agencies_present or form.police_reference:
        data["police"] = {"involved": True, "force": form.police_force,
                          "crime_reference": form.police_reference}
    return data


def _from_reception(store: Store, person: Person, data: dict[str, Any]) -> None:
    """What the reception board recorded about the same person (same reference): their age,
    gender, language and interpreter, and an adult's consent decision (once it counts)."""
    for document in reversed(documents.list_documents(store, person.case_id, "reception")):
        centre = ReceptionCentre.model_validate_json(document.data)
        try:
            seen = centre.person(person.reference)
        except KeyError:
            continue
        data["where_found"]["age_group"] = seen.age_group.value
        if seen.age_disputed:  # a possible child stays one on the NRM form too
            data["where_found"]["age_disputed"] = True
        victim: dict[str, Any] = {}
        if seen.date_of_birth is not None:
            victim["date_of_birth"] = seen.date_of_birth.isoformat()
        if seen.estimated_age is not None:
            victim["estimated_age"] = seen.estimated_age
        if seen.gender is not None:
            victim["gender"] = seen.gender.value
        if seen.language is not None:
            victim["languages"] = [seen.language]
        if seen.interpreter_needed is not None:
            victim["interpreter_needed"] = seen.interpreter_needed
        if victim:
            data["potential_victim"] = victim
        support = {name: value for name, value in (
            ("victim_care_contract", seen.wants_support),
            ("accommodation_needed", seen.accommodation_needed)) if value is not None}
        if support:  # what the board asked is not asked again
            data["support"] = support
        decision = seen.decision()  # as the board's rules act on it: given before it was
        if decision.value != "not_asked":  # informed does not count, and is not copied
            consent: dict[str, Any] = {"decision": decision.value}
            decided = seen.consent_recorded_at or seen.nrm_explained_at  # when it was recorded
            if decided is not None:
                consent["decided_on"] = decided.astimezone().date().isoformat()
            if seen.interpreter_provided_at is not None and seen.language is not None:
                consent["interpreter_used"] = True
                consent["interpreter_language"] = seen.language
            elif seen.interpreter_needed is False:  # none was needed, so none was used
                consent["interpreter_used"] = False
            data["consent"] = consent
        return


def new_reception(store: Store, case_id: str) -> dict[str, Any]:
    """A new reception centre from the case: its operation name, date and venue (the first
    visit's address until the coordinator changes it)."""
    case = cases.get_case(store, case_id)
    visits = cases.list_visits(store, case_id)
    data: dict[str, Any] = {"operation": case.title,
                            "held_on": clock.today().isoformat()}
    if visits:
        form = visit_form(store, visits[0])
        when = form.started_at if form is not None else None
        if when is not None:
            data["held_on"] = when.astimezone().date().isoformat()
        if form is not None and form.agencies_present:
            data["agencies_present"] = [a.value for a in form.agencies_present]
    return data


def new_visit_record(store: Store, visit: Visit) -> dict[str, Any]:
    """A visit record not yet saved: the premises as the visit was added (the postcode taken
    from its address, when written there), and the officer (from their profile) as lead
    officer and present."""
    from forms.contact import postcode_in

    data: dict[str, Any] = {"premises": {"name": visit.premises_name, "address": visit.address,
                                         "postcode": postcode_in(visit.address)}}
    profile = officer.load_profile(store)
    if profile is not None:
        data["lead_officer"] = profile.name
        data["officers_present"] = [profile.name]
    return data


def new_intelligence(store: Store) -> dict[str, Any]:
    """A new intelligence report recorded by the officer (from their profile)."""
    profile = officer.load_profile(store)
    return {"recorded_by": profile.name} if profile is not None else {}


def new_document(store: Store, case_id: str, kind: str) -> dict[str, Any]:
    """The starting data of a new form of ``kind`` in a case."""
    if kind == "intel":
        return new_intelligence(store)
    if kind == "referral":  # made by the officer (from their profile), as a report is
        profile = officer.load_profile(store)
        return {"made_by": profile.name} if profile is not None else {}
    if kind == "reception":
        return new_reception(store, case_id)
    return {}


