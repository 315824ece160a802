"""A form made of what is valid in it: the rules and what is missing hold while one field
typed wrong is being corrected (the child rule never falls back to the adult route)."""

from __future__ import annotations

from forms import NrmReferral
from forms.form import without_invalid
from forms.rules import Route
from ui import nrm_sections


def test_each_invalid_field_is_left_out_and_the_rest_kept() -> None:
    data = {"where_found": {"age_group": "not_sure", "encountered_on": "yesterday",
                            "place": "Foleshill"},
            "consent": {"decision": "given"},
            "potential_victim": {"date_of_birth": "31/02/1990", "given_names": "Lena"}}
    form = without_invalid(NrmReferral, data)
    assert form is not None
    assert form.where_found.encountered_on is None and form.where_found.place == "Foleshill"
    assert form.potential_victim.date_of_birth is None
    assert form.potential_victim.given_names == "Lena"
    assert data["where_found"]["encountered_on"] == "yesterday"  # the caller's data untouched
    rules = nrm_sections.rules_for(nrm_sections.read_valid_parts(data))
    assert rules is not None and rules.treated_as_child and rules.route is Route.NRM


def test_an_invalid_field_does_not_hide_what_is_still_missing() -> None:
    empty = {"where_found": {"age_group": "adult"}, "consent": {"decision": "given"}}
    wrong = {"where_found": {"age_group": "adult", "encountered_on": "yesterday"},
             "consent": {"decision": "given"}}
    missing = nrm_sections.problems_for(empty, Route.NRM)
    shown = nrm_sections.problems_for(wrong, Route.NRM)
    assert shown[0].field == "where_found.encountered_on"  # the invalid one first
    assert {p.field for p in missing} - {"where_found.encountered_on"} <= {
        p.field for p in shown}
    assert nrm_sections.completeness(wrong, Route.NRM) == 0
