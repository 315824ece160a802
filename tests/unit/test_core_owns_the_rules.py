"""What moved out of ui/ into the core, tested with no Qt: the officer profile, drafts with typed
owners, pathway ticks and facts, board transitions, exports, events."""

from __future__ import annotations

import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fieldkit import audit, cases, clock, documents, drafts, export, officer, pathway
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.events import EventHub
from fieldkit.officer import AppRole, OfficerProfile
from fieldkit.store import Store
from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus
from forms.choices import AgeGroup, ConsentDecision
from forms.reception import ReferralForm

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


# -- the officer's profile -----------------------------------------------------------------


def test_the_profile_and_role_are_kept_and_audited(store: Store) -> None:
    profile = OfficerProfile(name="Rowan Hallam", organisation="Coventry City Council",
                             role="Trading Standards Officer", email="rh@example.gov.uk")
    officer.save_profile(store, profile, AppRole.FIELD_OFFICER)
    assert officer.load_profile(store) == profile
    assert officer.load_role(store) is AppRole.FIELD_OFFICER
    assert store.actor == "Rowan Hallam"
    assert audit.events(store.conn)[-1].action == "officer.profile_saved"


def test_exhibit_prefix_is_the_initials_unless_chosen() -> None:
    assert OfficerProfile(name="Rowan Hallam").exhibit_reference_prefix() == "RH"
    assert OfficerProfile(name="Anne-Marie O'Neill").exhibit_reference_prefix() == "AMON"
    assert OfficerProfile(name="Rowan Hallam", exhibit_prefix="rh-2").exhibit_reference_prefix() \
        == "RH2"


def test_idle_minutes_never_exceed_the_councils_policy(store: Store) -> None:
    assert officer.idle_minutes(store) == officer.DEFAULT_IDLE_MINUTES
    officer.set_idle_minutes(store, 30)
    assert officer.idle_minutes(store) == 30
    assert officer.idle_minutes(store, policy_minutes=10) == 10
    with pytest.raises(ValueError, match="1 to 60"):
        officer.set_idle_minutes(store, 0)


def test_passphrase_strength_steers_towards_several_words() -> None:
    assert officer.passphrase_strength("short") == 0
    assert officer.passphrase_strength("aaaaaaaaaaaaaaaa") < 2
    assert officer.passphrase_strength("correct horse battery staple") >= 3


def test_fieldkit_init_writes_the_same_profile_the_app_does(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("init", "--officer", "Rowan Hallam", "--role", "Trading Standards Officer",
           "--organisation", "Coventry City Council", "--email", "rh@example.gov.uk")
    from fieldkit.settings import Settings
    from tests.conftest import PASSPHRASE

    with Store.open(Settings(data_dir=cli.data_dir, kdf_min_seconds=0.001,
                             kdf_memory_kib=8192), PASSPHRASE) as store:
        profile = officer.load_profile(store)
        assert profile is not None
        assert (profile.name, profile.role, profile.organisation, profile.email) == (
            "Rowan Hallam", "Trading Standards Officer", "Coventry City Council",
            "rh@example.gov.uk")
        assert officer.load_role(store) is AppRole.FIELD_OFFICER


def test_fieldkit_init_names_a_missing_officer(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", "--officer", " ")
    assert result.code == 1 and "--officer" in result.err and "\n" not in result.err.strip()


# -- drafts --------------------------------------------------------------------------------


def test_a_draft_belongs_to_its_record_and_keeps_when_first_typed(store: Store) -> None:
    case = cases.create_case(store, "Drafts")
    visit = cases.create_visit(store, case.id, "Premises", "1 Test Road")
    owner = DraftOwner(DraftKind.NOTE, case.id, visit_id=visit.id)
    drafts.save_draft(store, owner, {"text": "half"})
    first = drafts.load_draft(store, owner)
    assert first is not None and first.data == {"text": "half"}
    drafts.save_draft(store, owner, {"text": "half typed"})
    second = drafts.load_draft(store, owner)
    assert second is not None and second.data == {"text": "half typed"}
    assert second.first_saved_at == first.first_saved_at <= second.saved_at
    assert drafts.case_drafts(store, case.id) == [owner]
    drafts.delete_draft(store, owner)
    assert drafts.load_draft(store, owner) is None


def test_a_new_forms_draft_moves_to_the_saved_document() -> None:
    owner = DraftOwner(DraftKind.DOCUMENT, "case-1", form_kind="intel")
    saved = owner.saved_as("doc-9")
    assert owner.key != saved.key and saved.document_id == "doc-9"


# -- pathway facts and ticks ---------------------------------------------------------------


def test_no_person_recorded_means_no_person_steps(store: Store) -> None:
    case = cases.create_case(store, "Nobody yet")
    facts = pathway.case_facts(store, case.id)
    plan = pathway.plan_case(facts)
    assert not facts.facts()["child"] and not facts.facts()["adult"]
    steps = [step.id for progress in plan.pathways for step in progress.steps]
    assert not any("mash" in step for step in steps)


def test_ticks_are_kept_in_their_own_table_and_audited(store: Store) -> None:
    case = cases.create_case(store, "Ticks")
    pathway.set_tick(store, case.id, pathway.CASE_SCOPE, "ts.notify_lead", True)
    assert "ts.notify_lead" in pathway.load_ticks(store, case.id)[pathway.CASE_SCOPE]
    assert "ts.notify_lead" in pathway.case_facts(store, case.id).done
    pathway.set_tick(store, case.id, pathway.CASE_SCOPE, "ts.notify_lead", False)
    assert pathway.load_ticks(store, case.id) == {}
    actions = [event.action for event in audit.events(store.conn)]
    assert actions[-2:] == ["pathway.tick", "pathway.untick"]


def test_the_plan_is_the_same_from_the_store_as_from_the_command_line(store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("init", "--officer", "Rowan Hallam")
    case_id = cli.ok("demo").last_line
    out = cli.ok("pathway", "--case", case_id).out
    assert out.startswith("Case ") and "For the case:" in out
    assert "contact:" in out and "form:" in out


def test_today_is_the_local_date_where_the_officer_is() -> None:
    assert clock.today() == datetime.now().astimezone().date()
    assert clock.local_now().tzinfo is not None


# -- the reception board's transitions -----------------------------------------------------


def test_space_on_a_step_marks_it_done_now_and_again_undoes_it() -> None:
    person = PersonReceived(reference="R001", arrived_at=NOW)
    done = person.toggle_step(BoardStep.WELFARE, NOW, TODAY)
    assert done.board(TODAY)[BoardStep.WELFARE] is StepStatus.DONE
    assert done.toggle_step(BoardStep.WELFARE, NOW, TODAY).welfare_given_at is None


def test_consent_cycles_not_asked_given_refused_for_an_adult() -> None:
    adult = PersonReceived(reference="R002", age_group=AgeGroup.ADULT)
    given = adult.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    refused = given.toggle_step(BoardStep.CONSENT, NOW, TODAY)
    assert (given.consent, refused.consent) == (ConsentDecision.GIVEN, ConsentDecision.REFUSED)
    assert refused.toggle_step(BoardStep.NRM_OR_DTN, NOW, TODAY).referral_form is \
        ReferralForm.DUTY_TO_NOTIFY


def test_accommodation_is_recorded_as_a_time_not_a_word_in_some_language() -> None:
    person = PersonReceived(reference="R003").toggle_step(BoardStep.ACCOMMODATION, NOW, TODAY)
    assert person.accommodation_arranged_at == NOW and person.accommodation_arranged == ""
    assert person.board(TODAY)[BoardStep.ACCOMMODATION] is StepStatus.DONE


def test_only_optional_steps_can_be_marked_not_needed() -> None:
    person = PersonReceived(reference="R004")
    assert person.mark_not_needed(BoardStep.MASH) is None
    medical = person.mark_not_needed(BoardStep.MEDICAL)
    assert medical is not None and medical.board(TODAY)[BoardStep.MEDICAL] is \
        StepStatus.NOT_NEEDED


def test_new_references_are_suggested_and_checked() -> None:
    centre = ReceptionCentre(people=[PersonReceived(reference="R001")])
    assert centre.next_reference() == "R002"
    with pytest.raises(ValueError, match="Reference: R001 is already on the board"):
        centre.check_new_reference(" R001 ")
    with pytest.raises(ValueError, match="Reference: a reference is needed"):
        centre.check_new_reference("  ")


# -- exporting a file ----------------------------------------------------------------------


def test_an_export_is_audited_before_it_is_written_whole_and_private(
    store: Store, tmp_path: Path
) -> None:
    case = cases.create_case(store, "Export")
    before = len(audit.events(store.conn))
    target = export.export_file(store, tmp_path / "pack.pdf", b"%PDF-1.4 test",
                                record_kind="case", record_id=case.id)
    assert target.read_bytes() == b"%PDF-1.4 test"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    events = audit.events(store.conn)
    assert len(events) == before + 1 and events[-1].action == "export.pdf"


def test_no_export_without_its_audit_event(store: Store, tmp_path: Path) -> None:
    case = cases.create_case(store, "Locked export")
    store.lock()
    with pytest.raises(Exception):  # noqa: B017 - whatever the locked store raises
        export.export_file(store, tmp_path / "pack.pdf", b"data", record_kind="case",
                           record_id=case.id)
    assert not (tmp_path / "pack.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_case_export_writes_every_pack_private(store: Store, tmp_path: Path) -> None:
    from fieldkit.demo import create_demo_operation

    case = create_demo_operation(store)
    paths = export.export_case_pdfs(store, case.id, tmp_path / "out")
    assert paths and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


# -- events --------------------------------------------------------------------------------


def test_a_listener_that_raises_never_breaks_the_publisher() -> None:
    hub = EventHub()
    heard: list[str] = []

    def broken(**_: object) -> None:
        raise RuntimeError("listener bug")

    hub.subscribe("x", broken)
    hub.subscribe("x", lambda **payload: heard.append(str(payload["n"])))
    hub.publish("x", n=1)
    assert heard == ["1"]


def test_documents_keep_json_that_reads_back(store: Store) -> None:
    case = cases.create_case(store, "Docs")
    saved = documents.save_document(store, case.id, "reception",
                                    ReceptionCentre(operation="Op").model_dump(mode="json"))
    assert json.loads(documents.get_document(store, saved.id).data)["operation"] == "Op"


