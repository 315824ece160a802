"""The council's resources load from the package, carry Coventry's values, can be overridden
file by file, and a bad file is refused naming the file, the line and the problem."""

from __future__ import annotations

import textwrap
from importlib import resources as package_data
from pathlib import Path

import pytest

from fieldkit.resources import (
    FILES,
    ResourceError,
    SupportStage,
    load_resources,
    reload_resources,
)
from forms.choices import BusinessType, ExploitationType
from forms.pathways import BOOLEAN_FACTS, CHOICE_FACTS, Condition


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def packaged(name: str) -> str:
    return package_data.files("resources").joinpath(name).read_text(encoding="utf-8")


def error_for(folder: Path) -> ResourceError:
    with pytest.raises(ResourceError) as caught:
        load_resources(folder)
    return caught.value


# --- the packaged defaults -----------------------------------------------------------------


def test_every_packaged_file_loads() -> None:
    found = load_resources()
    assert found is load_resources()  # cached
    assert len(found.pathways) == 6
    assert {p.id for p in found.pathways} == {
        "initial", "trading_standards", "nrm_pre", "nrm_during", "nrm_post", "transition"}


def test_coventry_contacts_and_numbers_are_the_defaults() -> None:
    contacts = load_resources().contacts
    assert contacts["mash"].phone == "024 7678 8555"
    assert contacts["modern_slavery_helpline"].phone == "0800 0121 700"
    assert contacts["salvation_army"].phone == "0800 808 3733"
    assert contacts["salvation_army"].email == "mstreferrals@salvationarmy.org.uk"
    assert contacts["single_competent_authority"].email == "nrm@modernslavery.gov.uk"
    assert contacts["police_emergency"].phone == "999"
    assert contacts["police_non_emergency"].phone == "101"
    assert contacts["modern_slavery_lead"].email == "modernslavery@coventry.gov.uk"


def test_facts_from_secondary_sources_are_marked_check() -> None:
    assert "*(check)*" in packaged("timelines.yaml")
    assert "*(check)*" in packaged("first_responders.yaml")
    assert "(check)" in packaged("contacts.yaml")
    assert "*(check)*" in packaged("support_services.yaml")


def test_the_indicator_lists_cover_every_exploitation_and_business_type() -> None:
    found = load_resources()
    general = found.indicators.general.indicators
    assert len(general) == 12
    assert found.indicator("general.no_id_documents").text.startswith("No ID documents")
    assert len(found.indicators_for_exploitation(ExploitationType.LABOUR)) == 13
    for kind in BusinessType:
        checklist = found.indicators_for_business(kind)
        assert checklist[: len(general)] == general
    car_wash = {i.id for i in found.indicators_for_business(BusinessType.HAND_CAR_WASH)}
    assert {"labour.workers_hiding", "car_wash.no_protective_equipment"} <= car_wash
    assert found.unknown_indicator_ids(["general.isolation", "made.up"]) == ["made.up"]


def test_timelines_first_responders_support_and_reception() -> None:
    found = load_resources()
    assert found.timelines["reasonable_grounds"].days == 5
    assert found.timelines["reasonable_grounds"].working_days
    assert found.timelines["reconsideration"].days == 30
    assert found.timelines["move_on_support"].days == 45
    statutory = {o.name for o in found.first_responders if o.statutory}
    assert "Gangmasters and Labour Abuse Authority (GLAA)" in statutory
    assert "Salvation Army" in {o.name for o in found.first_responders if not o.statutory}
    positive = {s.id for s in found.services_for(SupportStage.POSITIVE_DECISION)}
    assert {"victim_care_contract", "hope_at_home"} <= positive
    for_men = {s.id for s in found.services_for(SupportStage.NOT_IN_NRM, "male")}
    assert "wmasn_safehouse" in for_men and "kairos" not in for_men
    assert len(found.reception_setup) == 14


def test_the_trading_standards_pathway_has_its_13_numbered_steps() -> None:
    pathway = load_resources().pathway("trading_standards")
    assert sorted({step.number or 0 for step in pathway.steps}) == list(range(1, 14))


# --- overriding ----------------------------------------------------------------------------


def test_a_council_overrides_one_file_and_keeps_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "contacts.yaml", packaged("contacts.yaml").replace(
        "024 7678 8555", "0121 000 0000"))
    found = load_resources(tmp_path)
    assert found.contacts["mash"].phone == "0121 000 0000"
    assert found.pathways == load_resources().pathways
    assert load_resources().contacts["mash"].phone == "024 7678 8555"


def test_reloading_reads_edited_files_again(tmp_path: Path) -> None:
    path = write(tmp_path, "timelines.yaml", packaged("timelines.yaml"))
    assert load_resources(tmp_path).timelines["reconsideration"].days == 30
    path.write_text(packaged("timelines.yaml").replace("days: 30\n", "days: 28\n", 1))
    reload_resources()
    assert load_resources(tmp_path).timelines["recovery_period"].days == 28


# --- errors name the file, the line and the problem ----------------------------------------


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "contacts.yaml", """
        contacts:
          - id: mash
            name: MASH
            phone: "024
        """)
    error = error_for(tmp_path)
    assert error.file == str(tmp_path / "contacts.yaml")
    assert error.line is not None and error.line >= 4
    assert str(error).startswith(f"{tmp_path / 'contacts.yaml'}, line {error.line}: ")


def test_a_missing_field_names_the_line_of_its_entry(tmp_path: Path) -> None:
    write(tmp_path, "timelines.yaml", """
        timelines:
          - id: reasonable_grounds
            event: RG decision
            rule: Aim 5 working days.
          - id: recovery_period
            rule: At least 30 days.
        """)
    error = error_for(tmp_path)
    assert error.line == 5
    assert error.problem == "timelines.1.event: 'event' is missing"
    assert str(error) == f"{tmp_path / 'timelines.yaml'}, line 5: {error.problem}"


def test_a_wrong_value_names_its_own_line(tmp_path: Path) -> None:
    write(tmp_path, "support_services.yaml", """
        services:
          - id: helper
            name: A service
            offers: Help
            serves: everyone
            stages: [in_nrm]
        """)
    error = error_for(tmp_path)
    assert (error.line, error.problem.split(":")[0]) == (5, "services.0.serves")


def test_a_misspelt_setting_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "first_responders.yaml", """
        organisations:
          - name: Police forces
            statuatory: true
        """)
    error = error_for(tmp_path)
    assert error.line == 3
    assert "'statuatory' is not a setting" in error.problem


def test_a_duplicate_key_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    write(tmp_path, "reception.yaml", """
        setup:
          - id: setup.venue
            text: Venue ready
            text: Venue undisclosed
        """)
    error = error_for(tmp_path)
    assert (error.line, error.problem) == (4, "the key 'text' appears twice")


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "reception.yaml", """
        setup:
          - {id: setup.venue, text: Venue ready}
          - {id: setup.venue, text: Venue undisclosed}
        """)
    error = error_for(tmp_path)
    assert (error.line, error.problem) == (3, "setup.1.id: the id 'setup.venue' is used twice")
    write(tmp_path, "reception.yaml", "setup: []\n")
    write(tmp_path, "contacts.yaml", """
        contacts:
          - {id: mash, name: MASH}
          - {id: mash, name: MASH again}
        """)
    assert "the id 'mash' is used twice" in error_for(tmp_path).problem


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "indicators.yaml", "# nothing here\n")
    error = error_for(tmp_path)
    assert (error.file, error.line, error.problem) == (
        str(tmp_path / "indicators.yaml"), 1, "the file is empty")


def test_an_indicator_list_missing_a_business_type_is_refused(tmp_path: Path) -> None:
    text = packaged("indicators.yaml")
    write(tmp_path, "indicators.yaml", text[: text.index("  farm:")])
    error = error_for(tmp_path)
    assert "business has no list for farm" in error.problem


def test_an_unknown_contact_in_a_pathway_names_its_line(tmp_path: Path) -> None:
    text = packaged("pathways.yaml").replace("contacts: [glaa]", "contacts: [glaaa]")
    write(tmp_path, "pathways.yaml", text)
    error = error_for(tmp_path)
    expected_line = text.splitlines().index("        contacts: [glaaa]") + 1
    assert error.line == expected_line
    assert error.problem.endswith("no contact has the id 'glaaa' (see contacts.yaml)")


def test_an_unknown_fact_in_a_condition_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "pathways.yaml", """
        pathways:
          - id: short
            title: A short pathway
            steps:
              - id: short.one
                text: First
              - id: short.two
                text: Second
                when: {chlid: true}
        """)
    error = error_for(tmp_path)
    assert error.line == 9
    assert "unknown fact 'chlid'" in error.problem


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("{consent: maybe}",
         "the fact 'consent' is one of not_asked, given, refused, withdrawn, not maybe"),
        ("{child: yes please}", "the fact 'child' is true or false"),
        ("{any: []}", "'any' needs a list of conditions"),
        ("{done: short.three}", "no step has the id 'short.three'"),
        ("[child]", "a condition must be a mapping"),
    ],
)
def test_bad_conditions_are_explained(tmp_path: Path, when: str, problem: str) -> None:
    """R-CONDITIONS-CHECKED: bad conditions are refused, explained."""
    write(tmp_path, "pathways.yaml", f"""
        pathways:
          - id: short
            title: A short pathway
            steps:
              - id: short.one
                text: First
                when: {when}
        """)
    error = error_for(tmp_path)
    assert problem in error.problem and error.line == 7


def test_an_unknown_form_kind_in_a_pathway_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "pathways.yaml", """
        pathways:
          - id: short
            title: A short pathway
            steps:
              - {id: short.one, text: First, form: nmr}
        """)
    error = error_for(tmp_path)
    assert error.line == 5 and "there is no form called 'nmr'" in error.problem


def test_every_resource_file_is_known_to_the_loader() -> None:
    names = {p.name for p in package_data.files("resources").iterdir()
             if p.name.endswith(".yaml")}
    assert names == set(FILES)


# --- the condition vocabulary --------------------------------------------------------------


def test_conditions_read_from_yaml_and_evaluate() -> None:
    condition = Condition.model_validate(
        {"all": [{"child": False}, {"any": [{"consent": "refused"}, {"capacity_concern": True}]}]}
    )
    assert condition.holds({"child": False, "consent": "refused"})
    assert condition.holds({"child": False, "consent": "given", "capacity_concern": True})
    assert not condition.holds({"child": True, "consent": "refused"})
    several = Condition.model_validate(
        {"child": False, "nrm_stage": ["positive_rg", "negative_rg"]}
    )
    assert several.holds({"child": False, "nrm_stage": "negative_rg"})
    assert not several.holds({"child": False, "nrm_stage": "awaiting_rg"})
    negated = Condition.model_validate({"not": {"migrant": True}})
    assert negated.holds({"migrant": False}) and not negated.holds({"migrant": True})
    done = Condition.model_validate({"done": "ts.visit"})
    assert done.holds({}, {"ts.visit"}) and not done.holds({}, set())


def test_an_unknown_fact_value_matches_nothing() -> None:
    assert not Condition.model_validate({"migrant": True}).holds({"migrant": None})
    assert not Condition.model_validate({"migrant": False}).holds({"migrant": None})


def test_the_vocabulary_has_yes_no_and_choice_facts() -> None:
    assert "child" in BOOLEAN_FACTS and "immediate_risk" in BOOLEAN_FACTS
    assert set(CHOICE_FACTS) == {"age", "consent", "nrm_stage", "responder"}


def test_a_step_to_come_first_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    text = packaged("pathways.yaml").replace("        after: [init.mash]\n",
                                             "        after: [init.mashh]\n", 1)
    write(tmp_path, "pathways.yaml", text)
    error = error_for(tmp_path)
    assert error.line == text.splitlines().index("        after: [init.mashh]") + 1
    assert error.problem.endswith("no other step has the id 'init.mashh'")
