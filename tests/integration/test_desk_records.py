"""The desk's records in a real Lead store: every recorded change is a new, audited version in
an append-only table; the register's filters; each case's history of versions received."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from fieldkit import audit, cases, clock, notes
from fieldkit.errors import InvalidInput, NotFound
from sync.desk import register, submission, tracker
from sync.desk.received import find_case_id, load_case
from tests.builders import LeadAndDevice, three_laptops_one_reference


@pytest.fixture
def sent(tmp_path: Path) -> Iterator[tuple[LeadAndDevice, list[str]]]:
    setup = LeadAndDevice(tmp_path)
    case_ids = setup.send_demo(2)
    assert len(setup.import_all().imported) == 2
    yield setup, case_ids
    setup.close()


def test_each_change_is_a_new_audited_version_and_the_newest_counts(sent) -> None:  # type: ignore[no-untyped-def]
    setup, (case_id, _) = sent
    store = setup.lead
    today = clock.today()
    submission.record_submission(store, case_id, "W1", "NRM-1", today)
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RG, tracker.Outcome.NEGATIVE,
                         today)
    # A second decision is refused unless it corrects the first (a decision changed on
    # reconsideration is a reconsideration outcome): the newest counts, so it rewrote a
    # quarter already reported without a word.
    with pytest.raises(tracker.AlreadyDecided, match=r"W1's reasonable grounds decision is "
                       r"already recorded \(negative, .*reconsideration outcome"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.RG,
                             tracker.Outcome.POSITIVE, today)
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RG, tracker.Outcome.NEGATIVE,
                         today)  # the same again: nothing to correct, not refused
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RG, tracker.Outcome.POSITIVE,
                         today, correcting=True)  # a correction: the decision letter misread
    person = load_case(store, case_id).person("W1")
    versions = tracker.events(store, case_id, person.id)
    assert [(e.kind, e.outcome) for e in versions] == [
        (tracker.EventKind.SUBMITTED, tracker.Outcome.NONE),
        (tracker.EventKind.RG, tracker.Outcome.NEGATIVE),
        (tracker.EventKind.RG, tracker.Outcome.NEGATIVE),
        (tracker.EventKind.RG, tracker.Outcome.POSITIVE)]
    assert tracker.latest(versions)[tracker.EventKind.RG].outcome == tracker.Outcome.POSITIVE
    whats = {item.timeline_id for item in tracker.due_items(store)
             if item.person_reference == "W1" and item.case_reference ==
             load_case(store, case_id).case.reference}
    assert whats == {"recovery_period", "conclusive_grounds"}
    actions = [e.action for e in audit.events(store.conn)]
    assert actions.count("lead.rg") == 3 and actions.count("lead.submitted") == 1
    assert audit.verify(store.conn).ok
    with pytest.raises(Exception, match="append-only"), store.transaction() as conn:
        conn.execute("UPDATE lead_referral_events SET outcome = 'negative'")
    with pytest.raises(Exception, match="append-only"), store.transaction() as conn:
        conn.execute("DELETE FROM lead_referral_events")


def test_what_cannot_be_right_is_refused(sent) -> None:  # type: ignore[no-untyped-def]
    setup, (case_id, _) = sent
    store = setup.lead
    today = clock.today()
    with pytest.raises(InvalidInput, match="1 to 60 printable"):
        submission.record_submission(store, case_id, "W1", "   ", today)
    submission.record_submission(store, case_id, "W1", "NRM-1", today)
    with pytest.raises(InvalidInput, match="before the referral was submitted"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.RG,
                             tracker.Outcome.POSITIVE, today - timedelta(days=1))
    with pytest.raises(InvalidInput, match="before W2 was found"):  # a date mistyped
        submission.record_submission(store, case_id, "W2", "NRM-2", today - timedelta(days=9))
    with pytest.raises(InvalidInput, match="has no outcome"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.MOVE_ON,
                             tracker.Outcome.POSITIVE, today)
    with pytest.raises(NotFound):
        tracker.record_event(store, case_id, "W4", tracker.EventKind.RG,
                             tracker.Outcome.POSITIVE, today)  # W4 has no referral
    with pytest.raises(NotFound):
        find_case_id(store, "FK-1999-0001")


def test_decisions_out_of_order_are_refused(sent) -> None:  # type: ignore[no-untyped-def]
    """A conclusive grounds decision follows a positive RG (or one overturned on
    reconsideration), never before it; a reconsideration's outcome follows its request."""
    setup, (case_id, _) = sent
    store = setup.lead
    today = found = clock.today()  # the demo's people were found today
    submission.record_submission(store, case_id, "W1", "NRM-1", found)
    with pytest.raises(InvalidInput, match="positive reasonable grounds decision first"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.CG,
                             tracker.Outcome.POSITIVE, today)
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RG, tracker.Outcome.NEGATIVE,
                         found)
    with pytest.raises(InvalidInput, match="positive reasonable grounds decision first"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.CG,
                             tracker.Outcome.NEGATIVE, today)
    with pytest.raises(InvalidInput, match="request for W1's reconsideration"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.RECONSIDERATION_OUTCOME,
                             tracker.Outcome.POSITIVE, today)
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RECONSIDERATION_REQUEST,
                         tracker.Outcome.NONE, found)
    tracker.record_event(store, case_id, "W1", tracker.EventKind.RECONSIDERATION_OUTCOME,
                         tracker.Outcome.POSITIVE, today)
    # The RG overturned: a CG may follow, once the recovery period (30 days) has passed.
    with pytest.raises(InvalidInput, match="at least 30 days after it"):
        tracker.record_event(store, case_id, "W1", tracker.EventKind.CG,
                             tracker.Outcome.POSITIVE, today)


def test_an_adults_nrm_without_consent_cannot_be_recorded_as_submitted(tmp_path: Path) -> None:
    """An adult is referred only with their informed consent: a submission of an adult's NRM
    whose form records no consent (not asked, or refused) is refused, saying what to do."""
    from fieldkit import documents

    setup = LeadAndDevice(tmp_path)
    try:
        case = cases.create_case(setup.device, "Operation Consent")
        person = cases.add_person(setup.device, case.id, "U1")
        documents.save_document(setup.device, case.id, "nrm", {
            "where_found": {"age_group": "adult", "encountered_on": clock.today().isoformat()}},
            person_id=person.id)
        setup.send(case.id)
        assert setup.import_all().imported
        with pytest.raises(InvalidInput, match="does not record their informed consent"):
            submission.record_submission(setup.lead, case.id, "U1", "NRM-9", clock.today())
        from sync.desk.figures import Quarter, quarter_figures

        figures = quarter_figures(setup.lead, Quarter.of(clock.today()))
        referrals = next(g for g in figures.groups if g.key == "referrals").rows
        assert referrals["Total"][-1] == 0  # no consent: not a referral, so not counted
    finally:
        setup.close()


def test_the_register_filters(sent) -> None:  # type: ignore[no-untyped-def]
    setup, (first, second) = sent
    store = setup.lead
    rows = register.register_rows(store)
    assert len(rows) == 2 * (1 + 4 + 9)
    reference = load_case(store, first).case.reference

    def whats(**wanted: object) -> set[tuple[str, str]]:
        chosen = register.RegisterFilter(**wanted)  # type: ignore[arg-type]
        return {(r.case_reference, r.what) for r in register.register_rows(store, chosen)}

    assert len(whats(officer="rowan")) == len(rows)
    assert whats(officer="Someone Else") == set()
    assert len(whats(business_type="hand_car_wash")) == len(rows)
    assert whats(business_type="nail_bar") == set()
    assert whats(exploitation_type="sexual") == set()
    assert (reference, "W2") in whats(route="dtn", kinds=frozenset({"person"}))
    assert {w for _, w in whats(route="child", kinds=frozenset({"person", "form"}))} == \
        {"W3", "NRM referral (W3)", "Referral (W3)"}
    assert {w for _, w in whats(status="draft")} == {"NRM referral (W3)", "Reception centre"}
    assert len(whats(text=reference)) == 14
    assert whats(premises="shine bright", kinds=frozenset({"case"})) == {
        (load_case(store, c).case.reference, load_case(store, c).case.title)
        for c in (first, second)}
    tomorrow = clock.today() + timedelta(days=1)
    assert whats(received_from=tomorrow) == set()
    assert whats(received_to=date(2020, 1, 1)) == set()


def test_the_register_is_newest_first_by_the_full_time(sent) -> None:  # type: ignore[no-untyped-def]
    """Two cases received the same day: the later one comes first (it was ordered by the day,
    then by reference, so the day's newest case sat below the older one)."""
    setup, (first, second) = sent
    rows = register.register_rows(setup.lead)
    assert rows[0].received == rows[-1].received  # all received today
    imported = {str(case): str(at) for case, at in setup.lead.conn.execute(
        "SELECT case_id, MAX(imported_at) FROM lead_bundles GROUP BY case_id")}
    cases_shown = [(r.case_id, r.received_at) for r in register.register_rows(
        setup.lead, register.RegisterFilter(kinds=frozenset({"case"})))]
    # "Received" is when the Lead imported it (it showed when the officer typed each record).
    assert sorted(cases_shown, key=lambda c: c[1], reverse=True) == cases_shown
    assert dict(cases_shown) == imported and {first, second} == set(imported)
    times = [clock.parse_stamp(r.received_at) for r in rows]
    assert times == sorted(times, reverse=True)
    assert {r.received_at for r in rows} <= set(imported.values())


def test_a_record_is_received_when_its_version_first_arrived(sent) -> None:  # type: ignore[no-untyped-def]
    """A person sent again unchanged in a later bundle keeps the time it first arrived; the
    case, changed, takes the later one."""
    setup, (case_id, _) = sent
    before = {r.record_id: r.received_at for r in register.register_rows(setup.lead)}
    cases.set_case_status(setup.device, case_id, "closed")
    setup.send(case_id)
    assert len(setup.import_all().imported) == 1
    after = {r.record_id: r.received_at for r in register.register_rows(setup.lead)}
    person = cases.list_people(setup.device, case_id)[0]
    assert after[person.id] == before[person.id]
    assert after[case_id] > before[case_id]


def test_history_shows_each_version_and_what_changed(sent) -> None:  # type: ignore[no-untyped-def]
    setup, (case_id, _) = sent
    visit = cases.list_visits(setup.device, case_id)[0]
    notes.add_note(setup.device, visit.id, "14:20 Lead informed by phone.")
    cases.set_case_status(setup.device, case_id, "closed")
    setup.send(case_id)
    assert len(setup.import_all().imported) == 1
    history = register.case_history(setup.lead, case_id)
    assert len(history) == 2
    assert history[0].changes[0].startswith("first received: 1 case, 1 visit, 4 people")
    assert "added note 7" in history[1].changes
    assert any(c.startswith("changed case: status") for c in history[1].changes)
    closed = register.RegisterFilter(status="closed", kinds=frozenset({"case"}))
    assert [r.case_id for r in register.register_rows(setup.lead, closed)] == [case_id]
    assert not any("14:20" in change for change in history[1].changes)  # names, not values


def test_history_shows_dates_and_times_in_words(sent) -> None:  # type: ignore[no-untyped-def]
    """The History tab showed the Lead's dates as 2026-11-28 and a stamp it could not read as
    it was stored; now as the Overview shows them (3 December 2026 10:15:02 UTC)."""
    import re

    from sync.desk.casefile import history_lines

    setup, (case_id, _) = sent
    today = clock.today()
    submission.record_submission(setup.lead, case_id, "W1", "NRM-7", today)
    lines = history_lines(setup.lead, case_id)
    text = "\n".join(lines)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
    day = f"{today.day} {today:%B %Y}"
    assert lines[1].startswith(f"- {day} ") and " UTC: first received" in lines[1]
    assert f"- W1: submitted on {day}, reference NRM-7 (recorded {day} " in text


def test_a_reference_two_officers_used_is_never_resolved_to_one_silently(
        tmp_path: Path) -> None:
    """Each laptop numbers its own cases: `lead show --case FK-2026-0001` picked one of two
    officers' cases without a word."""
    from fieldkit.demo import create_demo_operation
    from fieldkit.settings import Settings
    from fieldkit.store import Store
    from sync import device, lead
    from sync.layout import bundle_path
    from tests.builders import FAST
    from tests.conftest import PASSPHRASE

    setup = LeadAndDevice(tmp_path)
    try:
        [first] = setup.send_demo(1)
        other = Store.create(Settings(data_dir=tmp_path / "device2", **FAST), PASSPHRASE,
                             officer="Sam Okafor")
        try:
            issued, signed = lead.make_profile(
                setup.lead, council="Example Council", lead_name="Lead",
                lead_contact="lead@council.example", folder=str(setup.share))
            device.import_profile(other, signed, expected_fingerprint=issued.fingerprint())
            lead.add_device(setup.lead, device.enrolment_request(
                other, device_name="laptop 2", organisation="Trading Standards"))
            second = create_demo_operation(other)
            item = device.send_case(other, second.id)
            content = other.conn.execute("SELECT content FROM outbox_content WHERE bundle_id = ?",
                                         (item.bundle_id,)).fetchone()[0]
            bundle_path(setup.share, item.bundle_id).write_bytes(bytes(content))
        finally:
            other.lock()
        assert len(setup.import_all().imported) == 2
        reference = load_case(setup.lead, first).case.reference
        assert reference == second.reference  # the same number, two officers' cases
        with pytest.raises(InvalidInput) as refused:
            find_case_id(setup.lead, reference)
        words = str(refused.value)
        assert "2 cases received have the reference" in words
        assert "Rowan Hallam" in words and "Sam Okafor" in words
        assert first in words and second.id in words
        assert find_case_id(setup.lead, first) == first  # by its id: the one meant
    finally:
        setup.close()


@pytest.fixture
def two_officers(tmp_path: Path) -> Iterator[tuple[LeadAndDevice, str, str, str]]:
    setup, (rowans, sams, spares) = three_laptops_one_reference(tmp_path)
    yield setup, rowans, sams, spares
    setup.close()


def test_the_same_reference_from_two_officers_is_told_apart_where_deadlines_are_listed(
        two_officers) -> None:  # type: ignore[no-untyped-def]
    """Each laptop numbers its own cases: the tracker's list and the quarterly report showed
    FK-2026-0001 three times with nothing to say whose each was."""
    from sync.desk.figures import Quarter
    from sync.desk.report import build_report
    from tests.unit.test_pdf_tools import pdf_text

    setup, rowans, sams, spares = two_officers
    reference = load_case(setup.lead, rowans).case.reference
    assert {load_case(setup.lead, c).case.reference for c in (sams, spares)} == {reference}
    rg = [i for i in tracker.due_items(setup.lead) if i.timeline_id == "reasonable_grounds"]
    assert len(rg) == 3 and {i.case_reference for i in rg} == {reference}
    # Rowan sent from two laptops: the laptop's name tells those two apart.
    assert sorted(i.sent_by for i in rg) == [
        "Rowan Hallam, laptop", "Rowan Hallam, spare laptop", "Sam Okafor"]
    due = rg[0].due_on
    assert rg[0].what_on() == f"RG decision expected by {due.day} {due:%B %Y}"

    # The register too: Rowan's two FK-2026-0001 are told apart by the laptop.
    shown = {(r.case_reference, r.officer) for r in register.register_rows(
        setup.lead, register.RegisterFilter(kinds=frozenset({"case"})))}
    assert shown == {(reference, "Rowan Hallam, laptop"),
                     (reference, "Rowan Hallam, spare laptop"), (reference, "Sam Okafor")}
    assert len(register.register_rows(setup.lead, register.RegisterFilter(
        officer="rowan hallam", kinds=frozenset({"case"})))) == 2

    text = pdf_text(build_report(setup.lead, Quarter.of(clock.today()), clock.today()).pdf)
    for sender in ("Rowan Hallam, laptop", "Rowan Hallam, spare laptop", "Sam Okafor"):
        assert f"{reference} {sender} W1 RG decision expected by {due.day} {due:%B %Y}" \
            in text, sender
    # The summary counts as the tracker does: three RG decisions expected, and the referrals
    # received and not yet submitted.
    from sync.desk.submission import waiting_items

    opened = 3 + len(waiting_items(setup.lead))
    assert f"Open deadlines or actions: {opened}, of which overdue: 0; dates to know" in \
        " ".join(text.split())


def test_consent_withdrawn_after_the_nrm_was_submitted_stays_an_nrm(tmp_path: Path) -> None:
    """The officer's laptop withdraws the NRM and sends a Duty to Notify when the person
    withdraws consent; if the Lead had already recorded the NRM as submitted, the referral was
    made: it stays an NRM (counted as one, decisions still recorded), and the NRM withdrawal
    form is due until support ended is recorded."""
    from sync.desk.figures import Quarter, quarter_figures

    setup = LeadAndDevice(tmp_path)
    try:
        found = clock.today()
        case_id = setup.withdrawn_after_submission()

        assert tracker.referral(setup.lead, case_id, "N1").route == "nrm"
        from sync.desk.casefile import case_lines

        overview = "\n".join(case_lines(setup.lead, case_id))
        assert "consent withdrawn since: send the NRM withdrawal form" in overview
        assert f"submitted {found.day} {found:%B %Y}" in overview
        # What was submitted can still be read and printed at the Lead (the laptop's bundle
        # no longer holds the NRM form); the portal answers came from it before the withdrawal.
        assert "NRM referral (N1): as submitted; consent withdrawn since, version" in overview
        answers = submission.referral_sections(setup.lead, case_id, "N1")
        assert any("Dobrescu" in str(a.answer) for s in answers for a in s.answers)
        from sync.desk.casefile import received_packs
        from sync.desk.received import load_case as load
        received = load(setup.lead, case_id)
        assert [f.kind for f, note in received.forms_to_read() if note] == ["nrm"]
        packs = received_packs(received)
        assert any("nrm" in name for name in packs), sorted(packs)
        n1 = [row for row in register.register_rows(setup.lead)
              if row.kind == "person" and row.what.startswith("N1")]
        assert n1 and all(row.routes == ("nrm",) for row in n1)
        due = [i.what for i in tracker.due_items(setup.lead) if i.person_reference == "N1"]
        assert tracker.WITHDRAWAL_DUE in due
        figures = quarter_figures(setup.lead, Quarter.of(found))
        referrals = next(g for g in figures.groups if g.key == "referrals").rows
        assert referrals["NRM referral, adult"][-1] == 1
        assert referrals["Duty to Notify, adult"][-1] == 0
        tracker.record_event(setup.lead, case_id, "N1", tracker.EventKind.SUPPORT_ENDED,
                             tracker.Outcome.NONE, found)
        assert tracker.WITHDRAWAL_DUE not in [i.what for i in tracker.due_items(setup.lead)]
    finally:
        setup.close()


def test_a_draft_is_counted_only_once_marked_ready_or_recorded_as_submitted(
        tmp_path: Path) -> None:
    """The quarter counts referrals made: an NRM or a Duty to Notify the officer only saved as
    a draft is not one (the Lead's figures counted a draft Duty to Notify). Marked ready, it
    is; recorded as submitted by the Lead, it is too, though the officer's copy is still a
    draft. A record of a referral to another agency counts once the officer marks it ready."""
    from fieldkit import documents
    from fieldkit.clock import utc_now
    from fieldkit.demo.forms import w1_nrm, w2_nrm_draft
    from forms import nrm_to_dtn
    from forms.choices import ReferralDestination, label
    from sync.desk.figures import Quarter, quarter_figures

    setup = LeadAndDevice(tmp_path)
    try:
        found = clock.today()
        case = cases.create_case(setup.device, "Operation Hazel")
        people = {reference: cases.add_person(setup.device, case.id, reference).id
                  for reference in ("A1", "A2", "D1", "D2")}
        nrm = w1_nrm(found).model_dump(mode="json")  # an adult who consented
        notice = nrm_to_dtn(w2_nrm_draft(found))[0].model_dump(mode="json")
        drafts = {reference: documents.save_document(
            setup.device, case.id, kind, data, status="draft", person_id=people[reference])
            for reference, kind, data in (("A1", "nrm", nrm), ("A2", "nrm", nrm),
                                          ("D1", "dtn", notice), ("D2", "dtn", notice))}
        glaa = {"destination": "glaa", "made_at": utc_now().replace(microsecond=0).isoformat(),
                "made_by": "Rowan Hallam", "method": "phone"}
        referral = documents.save_document(setup.device, case.id, "referral", glaa)
        setup.send(case.id)
        assert setup.import_all().imported

        def counted() -> dict[tuple[str, str], int]:
            figures = quarter_figures(setup.lead, Quarter.of(found))
            return {(group.key, name): row[-1] for group in figures.groups
                    for name, row in group.rows.items()}

        before = counted()
        assert before[("referrals", "Total")] == 0  # four drafts: no referral made yet
        assert before[("gender", "Total")] == 0 and before[("nationality", "Total")] == 0
        assert before[("exploitation", "Labour")] == 0
        assert before[("destinations", "Total")] == 0

        # The Lead records A2's NRM and D2's Duty to Notify as submitted: the officer's copies
        # are still drafts, but the referrals were made.
        submission.record_submission(setup.lead, case.id, "A2", "NRM-2026-00101", found)
        submission.record_submission(setup.lead, case.id, "D2", "DTN-2026-00102", found)
        assert all(tracker.referral(setup.lead, case.id, who).draft for who in ("A2", "D2"))
        submitted = counted()
        assert submitted[("referrals", "NRM referral, adult")] == 1
        assert submitted[("referrals", "Duty to Notify, adult")] == 1
        assert submitted[("referrals", "Total")] == 2 and submitted[("gender", "Male")] == 2
        assert submitted[("exploitation", "Labour")] == 2

        # The officer marks A1's NRM, D1's Duty to Notify and the referral record ready.
        for reference, kind, data in (("A1", "nrm", nrm), ("D1", "dtn", notice)):
            documents.save_document(setup.device, case.id, kind, data, status="ready",
                                    document_id=drafts[reference].id)
        documents.save_document(setup.device, case.id, "referral", glaa, status="ready",
                                document_id=referral.id)
        setup.send(case.id)
        assert setup.import_all().imported
        ready = counted()
        assert ready[("referrals", "NRM referral, adult")] == 2
        assert ready[("referrals", "Duty to Notify, adult")] == 2
        assert ready[("referrals", "Total")] == 4 and ready[("gender", "Male")] == 4
        assert ready[("nationality", "Total")] == 4 and ready[("exploitation", "Labour")] == 4
        assert ready[("destinations", label(ReferralDestination.GLAA))] == 1
        assert ready[("destinations", "Total")] == 1
    finally:
        setup.close()


def test_the_same_person_met_twice_is_submitted_once(sent) -> None:  # type: ignore[no-untyped-def]
    """Two cases each hold an NRM for a person of the same name and date of birth (the demo's
    W1, recorded twice): once one is recorded as submitted, the other is refused, naming it (an
    NRM is made once per person: check for an existing referral), unless the Lead says they
    are two people."""
    setup, (first, second) = sent
    store = setup.lead
    today = clock.today()
    assert submission.submitted_elsewhere(store, second, "W1") == []
    submission.record_submission(store, first, "W1", "NRM-1", today)
    [earlier] = submission.submitted_elsewhere(store, second, "W1")
    assert earlier.case_id == first
    with pytest.raises(submission.PossibleDuplicate, match="once per person"):
        submission.record_submission(store, second, "W1", "NRM-2", today)
    assert "W2" not in [r.person_reference for r in
                        submission.submitted_elsewhere(store, second, "W2")]
    submission.record_submission(store, second, "W1", "NRM-2", today, different_person=True)


def test_the_same_person_met_at_two_premises_of_one_case_is_submitted_once(
        tmp_path: Path) -> None:
    """One operation, two premises: the same man recorded as W1 at the first and W5 at the
    second (same name, same date of birth) in one case. Both NRMs were recorded as submitted:
    the check for an existing referral looked only at other cases."""
    from fieldkit import cases, documents
    from fieldkit.demo.forms import w1_nrm

    setup = LeadAndDevice(tmp_path)
    try:
        [case_id] = setup.send_demo(1)
        person = cases.add_person(setup.device, case_id, "W5")
        documents.save_document(setup.device, case_id, "nrm",
                                w1_nrm(clock.today()).model_dump(mode="json"), status="ready",
                                person_id=person.id)
        setup.send(case_id)
        assert setup.import_all().imported
        today = clock.today()
        submission.record_submission(setup.lead, case_id, "W1", "NRM-1", today)
        [earlier] = submission.submitted_elsewhere(setup.lead, case_id, "W5")
        assert earlier.person_reference == "W1" and earlier.case_id == case_id
        with pytest.raises(submission.PossibleDuplicate, match="W1 in case"):
            submission.record_submission(setup.lead, case_id, "W5", "NRM-5", today)
        assert submission.submitted_elsewhere(setup.lead, case_id, "W1") == []  # itself
    finally:
        setup.close()


def test_answers_changed_after_the_submission_are_shown_with_what_was_submitted(  # type: ignore[no-untyped-def]
        sent) -> None:
    """The officer corrected W1's date of birth after the Lead recorded the submission: the
    Submitting page showed the new answers under "submitted" with no word, and the submitted
    date of birth (the one the Home Office has) could be read nowhere."""
    setup, (case_id, _) = sent
    submission.record_submission(setup.lead, case_id, "W1", "NRM-2026-00042", clock.today())
    assert submission.changed_since_submitted(setup.lead, case_id, "W1") == []
    setup.correct_first_persons_birth_date(case_id)
    assert setup.import_all().imported
    [changed] = submission.changed_since_submitted(setup.lead, case_id, "W1")
    assert changed.question == "Date of birth"
    assert (changed.was, changed.now) == ("12 March 1994", "12 June 1992")
    assert submission.changed_since_submitted(setup.lead, case_id, "W2") == []  # not submitted
    # The tracker lists it as something to do, until the submission is recorded again.
    from sync.desk.tracker import due_items

    [todo] = [i for i in due_items(setup.lead) if i.timeline_id == "changed_after_submission"]
    assert todo.person_reference == "W1" and todo.to_act_on
    assert "tell the Single Competent Authority" in todo.what
    submission.record_submission(setup.lead, case_id, "W1", "NRM-2026-00042", clock.today(),
                                 correcting=True)
    assert not [i for i in due_items(setup.lead)
                if i.timeline_id == "changed_after_submission"]


def test_a_correction_after_submission_does_not_let_a_second_nrm_through(sent) -> None:  # type: ignore[no-untyped-def]
    """The first case's W1 was submitted, then the officer corrected the date of birth: the
    second case's W1 (the first date of birth, the Home Office's) went through unasked."""
    setup, (first, second) = sent
    submission.record_submission(setup.lead, first, "W1", "NRM-1", clock.today())
    setup.correct_first_persons_birth_date(first)
    assert setup.import_all().imported
    [earlier] = submission.submitted_elsewhere(setup.lead, second, "W1")
    assert earlier.case_id == first
    with pytest.raises(submission.PossibleDuplicate):
        submission.record_submission(setup.lead, second, "W1", "NRM-2", clock.today())


def test_a_submission_already_recorded_is_replaced_only_as_a_correction(sent) -> None:  # type: ignore[no-untyped-def]
    """Recording another reference over one already recorded asks first: the next referral's
    reference typed with the last one still selected silently replaced it."""
    setup, (case_id, _) = sent
    store = setup.lead
    today = clock.today()
    submission.record_submission(store, case_id, "W1", "NRM-MF-0001", today)
    with pytest.raises(submission.AlreadySubmitted, match="already recorded as submitted"):
        submission.record_submission(store, case_id, "W1", "NRM-W6-0001", today)
    assert submission.submission(store, case_id, "W1").reference == "NRM-MF-0001"
    submission.record_submission(store, case_id, "W1", "NRM-MF-0002", today, correcting=True)
    assert submission.submission(store, case_id, "W1").reference == "NRM-MF-0002"


def test_a_child_who_turned_18_before_the_submission_needs_to_consent(tmp_path: Path) -> None:
    """Found at 17 (no consent asked: a child needs none), submitted after their 18th
    birthday: referred as an adult, so without their consent the submission is refused; one
    dated before the birthday is recorded."""
    from fieldkit import documents
    from fieldkit.demo.forms import w1_nrm

    setup = LeadAndDevice(tmp_path)
    try:
        today = clock.today()
        found = today - timedelta(days=30)
        birthday = today - timedelta(days=10)
        born = date(birthday.year - 18, birthday.month, min(birthday.day, 28))
        data = w1_nrm(found).model_dump(mode="json")
        data["where_found"]["age_group"] = "child"
        data["potential_victim"]["date_of_birth"] = born.isoformat()
        data["consent"] = {"decision": "not_asked"}
        case = cases.create_case(setup.device, "Operation Birch")
        person = cases.add_person(setup.device, case.id, "Y1")
        documents.save_document(setup.device, case.id, "nrm", data, person_id=person.id)
        setup.send(case.id)
        assert setup.import_all().imported
        turned = date(born.year + 18, born.month, born.day)
        with pytest.raises(InvalidInput, match=f"Y1 turned 18 on {turned.day} "
                                               f"{turned:%B %Y}, before this submission"):
            submission.record_submission(setup.lead, case.id, "Y1", "NRM-7", today)
        earlier = turned - timedelta(days=1)
        submission.record_submission(setup.lead, case.id, "Y1", "NRM-7", earlier)
        assert tracker.referral(setup.lead, case.id, "Y1").child
    finally:
        setup.close()


def test_the_overview_and_pack_say_which_entry_corrects_which(tmp_path: Path) -> None:
    """Entry 2 corrects 1, entry 3 corrects 2, entry 4 corrects 1 again (as an earlier release
    allowed; bundles from it hold such entries): the Lead's overview names each link both ways,
    and the visit pack printed at the Lead shows every label."""
    from sync.desk.casefile import case_lines, received_packs
    from tests.unit.test_pdf_tools import pdf_text

    setup = LeadAndDevice(tmp_path)
    try:
        case = cases.create_case(setup.device, "Operation Gorse")
        visit = cases.create_visit(setup.device, case.id, "Bright Car Wash", "1 Example Road")
        one = notes.add_note(setup.device, visit.id, "Three men in the back office.")
        two = notes.correct_note(setup.device, one.id, "Four men in the back office.")
        notes.correct_note(setup.device, two.id, "Three men and a boy in the back office.")
        notes._append(setup.device, visit.id, "Three men in the store room.", one.id)
        setup.send(case.id)
        assert len(setup.import_all().imported) == 1
        overview = "\n".join(case_lines(setup.lead, case.id))
        for line in ("office. [corrected by entries 2 and 4]",
                     "Four men in the back office. [correction of entry 1] "
                     "[corrected by entry 3]",
                     "a boy in the back office. [correction of entry 2]",
                     "Three men in the store room. [correction of entry 1]"):
            assert line in overview, line
        assert "store room. [correction of entry 1] [" not in overview
        pack = next(pdf for name, pdf in received_packs(load_case(setup.lead, case.id)).items()
                    if "visit" in name)
        text = pdf_text(pack)
        assert "Corrected by entries 2 and 4" in text and "Corrected by entry 3" in text
        assert text.count("Correction of entry 1") == 2
    finally:
        setup.close()


def test_a_wrong_date_is_refused_before_any_question_of_the_same_person(sent) -> None:  # type: ignore[no-untyped-def]
    """A submission dated before the person was found, for someone whose NRM another case
    already made, asked "the same person?" first; the date is refused first now."""
    setup, (first, second) = sent
    store = setup.lead
    today = clock.today()
    submission.record_submission(store, first, "W1", "NRM-1", today)
    with pytest.raises(InvalidInput) as refused:
        submission.record_submission(store, second, "W1", "NRM-2", today - timedelta(days=900))
    assert not isinstance(refused.value, submission.PossibleDuplicate)
    assert "before" in str(refused.value)


def test_a_notification_replaced_by_an_nrm_once_the_person_consents(tmp_path: Path) -> None:
    """An adult refused the NRM: the officer sent a Duty to Notify, and the Lead recorded it as
    submitted. Later the person consents: the officer's NRM referral replaces the notice on the
    laptop. The notification was made: it is still counted and can still be read at the Lead
    ("as notified; replaced since by an NRM referral"); the NRM is a referral of its own, not
    yet submitted (the notice's submission is not taken for it), and the Lead records its
    submission as a first one; once made, both are counted."""
    from fieldkit import documents
    from fieldkit.demo.forms import w1_nrm, w2_nrm_draft
    from forms import nrm_to_dtn
    from sync.desk.casefile import case_lines
    from sync.desk.figures import Quarter, quarter_figures

    def routes_counted() -> dict[str, int]:
        groups = quarter_figures(setup.lead, Quarter.of(found)).groups
        rows = next(g for g in groups if g.key == "referrals").rows
        return {route: counts[-1] for route, counts in rows.items()}

    setup = LeadAndDevice(tmp_path)
    try:
        found = clock.today()
        case = cases.create_case(setup.device, "Operation Rowan")
        person = cases.add_person(setup.device, case.id, "R1")
        notice = nrm_to_dtn(w2_nrm_draft(found))[0].model_dump(mode="json")
        documents.save_document(setup.device, case.id, "dtn", notice, status="ready",
                                person_id=person.id)
        setup.send(case.id)
        setup.import_all()
        submission.record_submission(setup.lead, case.id, "R1", "DTN-77", found)
        assert routes_counted()["Duty to Notify, adult"] == 1

        consented = w1_nrm(found).model_dump(mode="json")  # the person consents later
        documents.save_document(setup.device, case.id, "nrm", consented, person_id=person.id)
        setup.send(case.id)
        setup.import_all()

        assert routes_counted() == {"NRM referral, adult": 0, "NRM referral, child": 0,
                                    "Duty to Notify, adult": 1, "Total": 1}
        received = load_case(setup.lead, case.id)
        assert [(f.kind, note) for f, note in received.forms_to_read() if note] == [
            ("dtn", "as notified; replaced since by an NRM referral")]
        overview = "\n".join(case_lines(setup.lead, case.id))
        assert "Duty to Notify (R1): as notified; replaced since by an NRM referral" in overview
        # The register still lists the notice, and the person's routes name both.
        rows = [r for r in register.register_rows(setup.lead) if r.case_id == case.id]
        assert [r.what for r in rows if r.kind == "form"] == [
            "NRM referral (R1)",
            "Duty to Notify (R1): as notified; replaced since by an NRM referral"]
        assert [set(r.routes) for r in rows if r.kind == "person"] == [{"nrm", "dtn"}]
        now = submission.submission(setup.lead, case.id, "R1")
        assert now.referral.route == "nrm" and now.submitted_on is None and not now.reference
        assert tracker.referral(setup.lead, case.id, "R1").draft

        documents.save_document(setup.device, case.id, "nrm", consented, status="ready",
                                document_id=documents.list_documents(
                                    setup.device, case.id, "nrm")[0].id)
        setup.send(case.id)
        setup.import_all()
        sent = submission.record_submission(setup.lead, case.id, "R1", "NRM-88", found)
        assert sent.reference == "NRM-88"
        assert submission.submission(setup.lead, case.id, "R1").reference == "NRM-88"
        assert routes_counted() == {"NRM referral, adult": 1, "NRM referral, child": 0,
                                    "Duty to Notify, adult": 1, "Total": 2}
        # The register narrows to what was submitted (both said "ready").
        submitted = register.register_rows(setup.lead, register.RegisterFilter(
            status="submitted"))
        assert sorted(r.what for r in submitted if r.case_id == case.id) == [
            "Duty to Notify (R1): as notified; replaced since by an NRM referral",
            "NRM referral (R1)"]
        from sync.desk.casefile import history_lines
        recorded = [line for line in history_lines(setup.lead, case.id) if "R1:" in line]
        assert len(recorded) == 2, recorded
        assert "(Duty to Notify)" in recorded[0] and "DTN-77" in recorded[0]
        assert "(Duty to Notify)" not in recorded[1] and "NRM-88" in recorded[1]
    finally:
        setup.close()


def test_a_child_referred_then_recorded_as_an_adult_without_consent_is_due(sent) -> None:  # type: ignore[no-untyped-def]
    """W3 (17) was referred as a child; the officer's form then records an adult (a date of
    birth corrected) with no consent: it was silently an adult's NRM without consent at the
    Lead. Now the tracker says what is due: the adult's consent, and telling the SCA."""
    from fieldkit import documents

    setup, (case_id, _) = sent
    today = clock.today()
    submission.record_submission(setup.lead, case_id, "W3", "NRM-3", today)
    assert tracker.ADULT_SINCE_DUE not in [i.what for i in tracker.due_items(setup.lead)]
    person = next(p for p in cases.list_people(setup.device, case_id) if p.reference == "W3")
    form = next(d for d in documents.list_documents(setup.device, case_id, "nrm")
                if d.person_id == person.id)
    data = json.loads(form.data)
    data["where_found"]["age_group"] = "adult"
    data["potential_victim"]["estimated_age"] = None
    data["potential_victim"]["date_of_birth"] = "2001-05-01"
    documents.save_document(setup.device, case_id, "nrm", data, document_id=form.id)
    setup.send(case_id)
    setup.import_all()
    due = [i for i in tracker.due_items(setup.lead) if i.person_reference == "W3"
           and i.what == tracker.ADULT_SINCE_DUE]
    assert len(due) == 1 and due[0].timeline_id == "adult_consent"
    assert due[0].to_act_on and due[0].state(today) == "to do"


def test_two_officers_packs_saved_into_one_folder_keep_apart(tmp_path: Path) -> None:
    """Each laptop numbers its own cases: saving Sam's FK-2026-0001 packs into the folder
    holding Rowan's overwrote Rowan's (same names, no question). Now the names say who sent
    each when another case shares the reference."""
    from sync.desk.casefile import export_packs
    from tests.unit.test_pdf_tools import pdf_text

    setup, (rowans, sams, spares) = three_laptops_one_reference(tmp_path)
    try:
        out = tmp_path / "packs"
        written = [export_packs(setup.lead, case_id, out) for case_id in (rowans, sams, spares)]
        names = [sorted(path.name for path in paths) for paths in written]
        reference = load_case(setup.lead, rowans).case.reference
        assert names[0][0].startswith(f"{reference}-Rowan-Hallam-laptop-")
        assert names[1][0].startswith(f"{reference}-Sam-Okafor-")
        assert names[2][0].startswith(f"{reference}-Rowan-Hallam-spare-laptop-")
        assert len({name for group in names for name in group}) == sum(map(len, names))
        assert len(list(out.iterdir())) == sum(map(len, names))  # nothing overwritten
        visit = next(p for p in written[1] if "-visit-" in p.name)
        assert reference in pdf_text(visit.read_bytes())
    finally:
        setup.close()


def test_a_reference_registered_by_mistake_is_not_a_person_encountered(tmp_path: Path) -> None:
    """Registering "A33" for A3 made a case person too: the Lead counted them among the people
    encountered. Marked registered by mistake on the board, they are counted nowhere."""
    from fieldkit import documents
    from sync.desk.figures import Quarter, quarter_figures

    setup = LeadAndDevice(tmp_path)
    try:
        found = clock.today()
        case = cases.create_case(setup.device, "Operation Yew")
        for reference in ("A3", "A33"):
            cases.ensure_person(setup.device, case.id, reference)
        at = f"{found.isoformat()}T10:00:00"
        documents.save_document(setup.device, case.id, "reception", {
            "operation": "Operation Yew", "held_on": found.isoformat(), "people": [
                {"reference": "A3", "arrived_at": at, "age_group": "adult"},
                {"reference": "A33", "arrived_at": at, "registered_in_error": True}]})
        a33 = next(p for p in cases.list_people(setup.device, case.id) if p.reference == "A33")
        assert documents.on_the_board(setup.device, case.id, a33.id) is None
        setup.send(case.id)
        setup.import_all()
        groups = quarter_figures(setup.lead, Quarter.of(found)).groups
        activity = next(g for g in groups if g.key == "activity").rows
        assert activity["People encountered"][-1] == 1
    finally:
        setup.close()


def test_the_people_tab_marks_a_registration_made_by_mistake(tmp_path: Path) -> None:
    """The case person a mistaken board registration made is marked on the officer's side."""
    from fieldkit import documents
    from fieldkit.settings import Settings
    from fieldkit.store import Store
    from tests.builders import FAST
    from tests.conftest import PASSPHRASE

    store = Store.create(Settings(data_dir=tmp_path / "s", **FAST), PASSPHRASE, officer="O")
    try:
        case = cases.create_case(store, "Operation Yew")
        people = {r: cases.ensure_person(store, case.id, r).id for r in ("A3", "A33")}
        documents.save_document(store, case.id, "reception", {"people": [
            {"reference": "A3"}, {"reference": "A33", "registered_in_error": True}]})
        assert documents.registered_by_mistake(store, case.id) == {people["A33"]}
    finally:
        store.lock()


def test_the_report_counts_referrals_not_yet_submitted_as_the_tracker_does(sent) -> None:  # type: ignore[no-untyped-def]
    """The tracker lists referrals received and not yet submitted as something to do; the
    report's count of open actions left them out ("0" beside a child's NRM eleven weeks old)."""
    from sync.desk.figures import Quarter
    from sync.desk.report import build_report
    from sync.desk.submission import waiting_items
    from tests.unit.test_pdf_tools import pdf_text

    setup, _ = sent
    waiting = waiting_items(setup.lead)
    assert len(waiting) == 6  # each demo case: W1's NRM, W2's Duty to Notify, W3's draft
    text = " ".join(pdf_text(build_report(setup.lead, Quarter.of(clock.today()),
                                          clock.today()).pdf).split())
    assert "Open deadlines or actions: 6, of which overdue: 0" in text
    assert "Received, not yet submitted to the Home Office, since" in text
