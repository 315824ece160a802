"""check_document: invalid fields in plain words named by their titles, and, for a form marked
ready, every missing field named. Countries and languages are ISO codes from pycountry."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import KINDS, check_document
from forms.choices import ReferralDestination
from forms.countries import country_choices, country_name, language_choices, language_name
from forms.form import FieldProblem
from forms.intelligence import HandlingCode
from forms.nrm import NrmReferral
from tests.unit.test_forms_roundtrip import full_examples, full_nrm


def messages(problems: list[FieldProblem]) -> dict[str, str]:
    return {problem.field: problem.message for problem in problems}


def test_an_unknown_kind_is_named() -> None:
    problems = check_document("nmr", {}, ready=False)
    assert problems[0].field == "kind"
    assert "no kind of form called 'nmr'" in problems[0].message
    assert "nrm (NRM referral)" in problems[0].message


def test_text_that_is_not_json_says_so() -> None:
    problems = check_document("visit", "{not json", ready=False)
    assert [p.message for p in problems] == ["The form could not be read: it is not valid JSON"]


def test_invalid_values_are_named_by_their_titles_in_plain_words() -> None:
    found = messages(check_document("nrm", {
        "potential_victim": {"date_of_birth": "last spring", "estimated_age": -3,
                             "gender": "unknown", "nationalities": ["XX"]},
        "first_responder": {"work_email": "not an email"},
        "exploiters": [{}, {"nationality": "Narnia"}],
        "immediate_risk": "perhaps",
    }, ready=False))
    assert found == {
        "immediate_risk": "Immediate risk of serious harm must be yes or no",
        "first_responder.work_email": "First responder: first responder's work email must be "
                                      "an email address, such as name@council.gov.uk",
        "potential_victim.date_of_birth": "Potential victim: date of birth must be a date "
                                          "(for example 31/05/2024 or 2024-05-31)",
        "potential_victim.estimated_age": "Potential victim: estimated age must be 0 or more",
        "potential_victim.gender": "Potential victim: gender must be one of: Female, Male, "
                                   "Other, Not known",
        "potential_victim.nationalities.0": "Potential victim: nationality (item 1) must be a "
                                            "country code such as GB (United Kingdom) or RO "
                                            "(Romania)",
        "exploiters.1.nationality": "Exploiters (item 2): exploiter's nationality must be a "
                                    "country code such as GB (United Kingdom) or RO (Romania)",
    }
    assert not any("pydantic" in m or "Input should" in m for m in found.values())


def test_an_unknown_field_is_refused() -> None:
    found = messages(check_document("visit", {"premises": {"colour": "blue"}}, ready=False))
    assert found == {"premises.colour": "Premises: colour is not a field of this form"}


def test_a_visit_cannot_end_before_it_starts() -> None:
    found = messages(check_document("visit", {"started_at": "2025-03-14T10:00",
                                              "ended_at": "2025-03-14T09:00"}, ready=False))
    assert found == {"ended_at": "End time cannot be before the start time"}


def test_drafts_may_be_incomplete_but_a_ready_nrm_names_each_missing_field() -> None:
    assert check_document("nrm", {}, ready=False) == []
    found = messages(check_document("nrm", {}, ready=True))
    assert found["potential_victim.date_of_birth"] == "Date of birth or estimated age is needed"
    assert found["where_found.encountered_on"] == "Date the person was found is needed"
    assert found["first_responder.work_email"] == "First responder's work email is needed"
    assert found["exploitation.types"] == "At least one type of exploitation is needed"
    assert found["account"] == "The account in the person's words is needed"
    assert found["police.involved"] == "Say whether the police are involved"


def test_an_estimated_age_is_enough_instead_of_a_date_of_birth() -> None:
    nrm = full_nrm()
    nrm.potential_victim.date_of_birth = None
    nrm.potential_victim.estimated_age = 30
    assert check_document("nrm", nrm.model_dump_json(), ready=True) == []


def test_a_date_of_birth_after_the_form_date_is_refused() -> None:
    nrm = full_nrm()
    nrm.potential_victim.date_of_birth = datetime(2026, 1, 1).date()
    found = messages(check_document("nrm", nrm.model_dump_json(), ready=True))
    assert found["potential_victim.date_of_birth"] == "Date of birth cannot be in the future"


def test_immediate_risk_needs_its_details_and_the_999_prompt() -> None:
    nrm = full_nrm(immediate_risk=True)
    found = messages(check_document("nrm", nrm.model_dump_json(), ready=True))
    assert found == {"immediate_risk_details": "Immediate risk details are needed (and call "
                                               "999 first)"}


def test_police_involvement_needs_the_force() -> None:
    nrm = full_nrm()
    nrm.police.force = ""
    found = messages(check_document("nrm", nrm.model_dump_json(), ready=True))
    assert found == {"police.force": "Police force is needed"}


def test_intelligence_with_handling_code_c_needs_its_conditions() -> None:
    report = full_examples()["intel"].model_copy(update={"handling_code": HandlingCode.CONDITIONS})
    found = messages(check_document("intel", report.model_dump_json(), ready=True))
    assert found == {"handling_conditions": "Handling code C needs the conditions for sharing"}
    report.handling_conditions = "Not to be shared outside law enforcement"  # type: ignore[attr-defined]
    assert check_document("intel", report.model_dump_json(), ready=True) == []


def test_the_3x5x2_grading_reads_as_officers_write_it() -> None:
    assert full_examples()["intel"].grading == "2/B/P"  # type: ignore[attr-defined]
    found = messages(check_document("intel", {"source_evaluation": "4"}, ready=False))
    assert found["source_evaluation"].startswith("Source evaluation (1-3) must be one of")


def test_a_referral_to_another_agency_must_name_it() -> None:
    referral = full_examples()["referral"].model_copy(
        update={"destination": ReferralDestination.OTHER})
    found = messages(check_document("referral", referral.model_dump_json(), ready=True))
    assert found == {"other_destination": "Name the other agency the referral was made to"}


def test_a_ready_visit_needs_its_premises_and_times() -> None:
    found = messages(check_document("visit", {"workers_seen": 2, "workers_spoken_to": 3,
                                              "actions": [{"action": "other"}]}, ready=True))
    assert found == {
        "premises.name": "Premises name is needed",
        "premises.address": "Premises address is needed",
        "premises.business_type": "Type of business is needed",
        "started_at": "Start time is needed",
        "ended_at": "End time is needed",
        "lead_officer": "Lead officer is needed",
        "workers_spoken_to": "Workers spoken to cannot be more than workers seen",
        "workers_of_concern": "Workers of concern is needed when workers were seen (0 if none)",
        "actions.0.at": "Time of action 1 is needed",
        "actions.0.details": "Details of action 1 are needed",
    }


def test_indicator_ids_must_look_like_ids() -> None:
    found = messages(check_document("visit", {"indicators_ticked": ["Workers hiding!"]},
                                    ready=False))
    assert "indicators_ticked.0" in found


# --- countries and languages ---------------------------------------------------------------


def test_country_and_language_codes_are_normalised_and_named() -> None:
    nrm = NrmReferral.model_validate({"potential_victim": {
        "nationalities": ["ro", "ALB", "XK"], "languages": ["ro", "sqi", "ENG"]}})
    assert nrm.potential_victim.nationalities == ["RO", "AL", "XK"]
    assert nrm.potential_victim.languages == ["ron", "sqi", "eng"]
    assert [country_name(c) for c in nrm.potential_victim.nationalities] == [
        "Romania", "Albania", "Kosovo"]
    assert language_name("sqi") == "Albanian"
    with pytest.raises(KeyError):
        country_name("QQ")


def test_unknown_languages_are_refused() -> None:
    found = messages(check_document("nrm", {"consent": {"booklet_language": "xx"}}, ready=False))
    assert found == {"consent.booklet_language": "Consent: language of the NRM booklet must be "
                                                  "a language code such as ron (Romanian) or "
                                                  "sqi (Albanian)"}


def test_pick_lists_come_from_pycountry() -> None:
    countries = dict(country_choices())
    assert countries["GB"] == "United Kingdom" and countries["VN"] == "Vietnam"
    assert countries["XK"] == "Kosovo" and len(countries) > 240
    languages = dict(language_choices())
    assert languages["ron"] == "Romanian" and languages["vie"] == "Vietnamese"
    assert len(dict(language_choices(common_only=False))) > len(languages)


# --- whatever arrives, the answer is a list of plain problems, never an exception -----------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=12,
)
_FIELDS = st.sampled_from(["potential_victim", "consent", "where_found", "people", "actions",
                           "premises", "exploitation", "gender", "age_range", "handling_code",
                           "destination", "account", "started_at", "schema_version"])


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), data=st.dictionaries(_FIELDS, _JSON, max_size=4),
       ready=st.booleans())
def test_any_input_gives_plain_problems_not_an_exception(
    kind: str, data: dict[str, object], ready: bool
) -> None:
    problems = check_document(kind, data, ready=ready)
    for problem in problems:
        assert isinstance(problem, FieldProblem)
        assert problem.message and "Input should" not in problem.message
        assert "Traceback" not in problem.message


def test_an_entry_of_a_list_of_sections_has_a_singular_title():
    """A repeating section's entries were headed with the list's title: "Actions 1"."""
    from forms.dtn import ExploitationArea
    from forms.form import entry_title
    from forms.nrm import Dependant, Exploiter, Place
    from forms.visit import PartnerAttending, VisitAction

    assert [entry_title(m) for m in (VisitAction, PartnerAttending, Dependant, Place, Exploiter,
                                     ExploitationArea)] == [
        "Action", "Partner agency", "Dependant", "Place of exploitation", "Exploiter",
        "Area of exploitation"]
    assert entry_title(NrmReferral) is None  # no title of its own: the list's title is used
