"""A field of a person's NRM typed wrong (an email, a date typed day first on an older build)
turned the pathway for an adult who consents into the child route ("A child is involved (or
may be): contact the Multi-Agency Safeguarding Hub"), while the form's banner still said an
adult who consents: the pathway read nothing from a form that did not validate, and nothing
read means age not known, treated as a child. It now reads what validates."""

from __future__ import annotations

from typing import Any

import pytest

from fieldkit import cases, pathway
from fieldkit.store import Store
from forms.choices import AgeGroup, ConsentDecision


def _adult_who_consents(**wrong: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "where_found": {"age_group": "adult", "encountered_on": "2026-11-20",
                        "place": "Foleshill, Coventry"},
        "first_responder": {"name": "Jo Marsh (fictional)",
                            "organisation": "Coventry City Council Trading Standards",
                            "work_email": "jo.marsh@example.org"},
        "consent": {"decision": "given", "decided_on": "2026-11-20"},
        "potential_victim": {"given_names": "Ilir", "family_name": "Dervishi (fictional)",
                             "safe_contact": {"email": "ilir@example.org"}},
    }
    for path, value in wrong.items():
        section, field = path.split("__")
        data[section][field] = value
    return data


@pytest.mark.parametrize("wrong", [
    {"first_responder__work_email": "jo.marsh at example"},
    {"consent__decided_on": "04/12/2026"},
    {"where_found__encountered_on": "yesterday"},
])
def test_a_field_typed_wrong_leaves_an_adult_who_consents_on_the_adult_route(
        store: Store, wrong: dict[str, str]) -> None:
    case = cases.create_case(store, "Operation Larch: car wash")
    person = cases.add_person(store, case.id, "W1")
    right = pathway.person_facts(store, case.id, person.id, _adult_who_consents())
    facts = pathway.person_facts(store, case.id, person.id, _adult_who_consents(**wrong))

    assert facts.age is AgeGroup.ADULT and facts.consent is ConsentDecision.GIVEN
    assert facts == right
    plan = pathway.plan_case(facts)
    assert not plan.applies("init.mash")
    assert plan.applies("nrm_pre.submit_nrm")


def test_a_safe_email_typed_wrong_keeps_the_route_too(store: Store) -> None:
    case = cases.create_case(store, "Operation Larch: car wash")
    person = cases.add_person(store, case.id, "W1")
    data = _adult_who_consents()
    data["potential_victim"]["safe_contact"]["email"] = "andrei@"
    facts = pathway.person_facts(store, case.id, person.id, data)
    assert facts.age is AgeGroup.ADULT and facts.consent is ConsentDecision.GIVEN
    assert not pathway.plan_case(facts).applies("init.mash")


def test_a_child_stays_a_child_with_a_field_typed_wrong(store: Store) -> None:
    case = cases.create_case(store, "Operation Larch: car wash")
    person = cases.add_person(store, case.id, "W2")
    data = _adult_who_consents(first_responder__work_email="jo.marsh at example")
    data["where_found"]["age_group"] = "child"
    facts = pathway.person_facts(store, case.id, person.id, data)
    assert facts.age is AgeGroup.CHILD
    assert pathway.plan_case(facts).applies("init.mash")
