"""Attacks on the Lead's view of a case (issue 10, items 1 and 2): a device clock that runs
400 days fast, a bundle dated 2030, a bundle counter or ``supersedes`` chain that disagrees with
what the device sent before, and an audit trail truncated on the device after a bundle carried
it. Each attack worked before; each test fails if it works again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fieldkit import audit, cases, clock, notes
from fieldkit.store import Store
from sync import device, importer, lead, outbox
from sync.audit_anchor import audit_breaks
from sync.bundle import AuditAnchor, build_bundle
from sync.freeze import freeze_case
from tests.integration.test_lead_import import Desk


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    made = Desk(tmp_path)
    yield made
    made.lead.lock()
    made.device.lock()


@contextmanager
def device_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> Iterator[None]:
    """The device's clock reads ``moment`` (the Lead's importer keeps the real time)."""
    with monkeypatch.context() as patch:
        patch.setattr(clock, "utc_now", lambda: moment)
        yield


def _sent(desk: Desk, case_id: str) -> str:
    item = device.send_case(desk.device, case_id)
    desk.transport.send(item.bundle_id, _content(desk.device, item.bundle_id))
    return item.bundle_id


def _content(store: Store, bundle_id: str) -> bytes:
    row = store.conn.execute("SELECT content FROM outbox_content WHERE bundle_id = ?",
                             (bundle_id,)).fetchone()
    return bytes(row[0])


def _current_notes(desk: Desk, case_id: str) -> list[str]:
    return sorted(str(r["text"]) for r in importer.current_records(desk.lead, case_id)
                  if r["type"] == "note")


@pytest.mark.parametrize("import_order", ["as sent", "correction first"])
def test_a_device_clock_400_days_fast_cannot_keep_its_version_current(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, import_order: str
) -> None:
    fast = clock.utc_now() + timedelta(days=400)
    with device_clock(monkeypatch, fast):
        case = cases.create_case(desk.device, "Operation Clock")
        visit = cases.create_visit(desk.device, case.id, "Example Nails", "Example Parade")
        notes.add_note(desk.device, visit.id, "First account, written on a fast clock")
        first = _sent(desk, case.id)
    notes.add_note(desk.device, visit.id, "Second account, after the clock was put right")
    second = _sent(desk, case.id)
    bundles = desk.share / "bundles"
    held = {b: (bundles / f"{b}.age").read_bytes() for b in (first, second)}
    order = [first, second] if import_order == "as sent" else [second, first]
    for bundle_id in order:
        for path in bundles.glob("*.age"):
            path.unlink()
        desk.drop(bundle_id, held[bundle_id])
        report = importer.import_folder(desk.lead, desk.share)
        assert report.imported == [bundle_id]
        if bundle_id == first:
            assert report.clock_ahead and report.clock_ahead[0][0] == first
        else:
            assert report.clock_ahead == []
    # The correction is current, whatever the dates say and whichever arrived first.
    assert _current_notes(desk, case.id) == [
        "First account, written on a fast clock",
        "Second account, after the clock was put right",
    ]
    flagged = desk.lead.conn.execute(
        "SELECT bundle_id FROM lead_bundles WHERE created_ahead_seconds IS NOT NULL").fetchall()
    assert flagged == [(first,)]
    manifest = desk.lead.conn.execute(
        "SELECT counter, supersedes FROM lead_bundles WHERE bundle_id = ?", (second,)).fetchone()
    assert manifest == (2, first)


def test_a_bundle_dated_2030_is_flagged_in_the_import_output(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    with device_clock(monkeypatch, datetime(2030, 6, 1, 9, 0, tzinfo=clock.UTC)):
        case = cases.create_case(desk.device, "Operation Future")
        bundle_id = _sent(desk, case.id)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [bundle_id]
    assert report.clock_ahead == [(bundle_id, "2030-06-01T09:00:00.000000Z")]
    printed = "\n".join(importer.describe_import(report))
    assert f"CLOCK AHEAD {bundle_id}" in printed and "2030-06-01" in printed
    assert "clock ahead 1" in printed
    actions = [e.action for e in audit.events(desk.lead.conn)]
    assert "import.clock_ahead" in actions


def _forged(desk: Desk, case_id: str, *, counter: int, supersedes: str | None) -> tuple[str, bytes]:
    """A bundle signed by the enrolled device's own key (an insider with its passphrase)."""
    records, attachments = freeze_case(desk.device, case_id)
    seq, digest = audit.head(desk.device.conn)
    bundle_id = str(uuid.uuid4())
    return bundle_id, build_bundle(
        bundle_id=bundle_id, device_id=device.device_id(desk.device),
        device_key=device.signing_key(desk.device), officer="Officer", case_id=case_id,
        supersedes=supersedes, counter=counter,
        audit=AuditAnchor(seq=seq, hash=digest, since=0),
        audit_events=audit.events_since(desk.device.conn, 0),
        schema_versions=device.schema_versions(), records=records, attachments=attachments,
        recipients=[lead.lead_keys(desk.lead).age_recipient],
    )


def test_a_counter_used_twice_or_a_chain_running_backwards_is_refused(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Operation Chain")
    first = _sent(desk, case.id)
    assert importer.import_folder(desk.lead, desk.share).imported == [first]
    reused_id, reused = _forged(desk, case.id, counter=1, supersedes=first)
    assert "counter 1 before" in desk.refused(reused_id, reused)
    later_id, later = _forged(desk, case.id, counter=9, supersedes=first)
    desk.drop(later_id, later)
    assert importer.import_folder(desk.lead, desk.share).imported == [later_id]
    backwards_id, backwards = _forged(desk, case.id, counter=5, supersedes=later_id)
    assert "supersede" in desk.refused(backwards_id, backwards)


@contextmanager
def _protection_lifted(conn: Any) -> Iterator[None]:
    """What an insider with the passphrase can do: drop the audit table's triggers, change it,
    and put the very same triggers back, so the device's own check sees nothing amiss."""
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = 'audit_events'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in triggers:
        conn.execute(sql)


def _collect(desk: Desk) -> None:
    outbox.collect_receipts(desk.device, desk.transport)


def test_truncating_events_a_sent_bundle_carried_is_reported_at_the_next_import(
    desk: Desk,
) -> None:
    case = cases.create_case(desk.device, "Operation Trail")
    visit = cases.create_visit(desk.device, case.id, "Example Nails", "Example Parade")
    notes.add_note(desk.device, visit.id, "Seen at the back door")
    notes.add_note(desk.device, visit.id, "Two workers without gloves")
    first = _sent(desk, case.id)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [first] and report.audit_breaks == []
    _collect(desk)
    # An honest second bundle continues the chain: no break.
    notes.add_note(desk.device, visit.id, "Follow-up call made")
    second = _sent(desk, case.id)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [second] and report.audit_breaks == []
    _collect(desk)
    covered = desk.lead.conn.execute(
        "SELECT audit_seq FROM lead_bundles WHERE bundle_id = ?", (second,)).fetchone()[0]

    # The attack: someone holding the passphrase lifts the protection, deletes the last
    # events the Lead already holds, and moves the stored head back. Whatever the device's own
    # check makes of it (the device itself may be in the attacker's hands), the Lead notices.
    conn = desk.device.conn
    with _protection_lifted(conn):
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (covered - 3,))
        seq, digest = audit.head(conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq}:{digest}",))

    notes.add_note(desk.device, visit.id, "A later note")
    third = _sent(desk, case.id)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [third]
    device_id = device.device_id(desk.device)
    assert report.audit_breaks and {b[:2] for b in report.audit_breaks} == {(device_id, third)}
    printed = "\n".join(importer.describe_import(report))
    assert f"AUDIT BREAK on device {device_id}" in printed
    kept = audit_breaks(desk.lead, device_id)
    assert kept and all(b.bundle_id == third for b in kept)
    assert any("rewritten" in b.problem or "does not verify" in b.problem for b in kept)


def test_a_head_moved_back_with_no_new_events_is_reported(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Operation Rewind")
    first = _sent(desk, case.id)
    importer.import_folder(desk.lead, desk.share)
    _collect(desk)
    cases.create_case(desk.device, "Another case")
    second = _sent(desk, case.id)
    held = (desk.share / "bundles" / f"{second}.age").read_bytes()
    (desk.share / "bundles" / f"{second}.age").unlink()
    # The second bundle is delayed; meanwhile the trail is cut back before the first's head
    # and a forged bundle with a later counter claims the shorter trail.
    conn = desk.device.conn
    with _protection_lifted(conn):
        conn.execute("DELETE FROM audit_events WHERE seq > 2")
    forged_id, forged = _forged(desk, case.id, counter=3, supersedes=first)
    desk.drop(forged_id, forged)
    desk.drop(second, held)
    report = importer.import_folder(desk.lead, desk.share)
    assert sorted(report.imported) == sorted([second, forged_id])
    problems = " ".join(problem for _, _, problem in report.audit_breaks)
    assert "went back" in problems


def test_bundles_out_of_order_or_refused_leave_no_break_and_no_gap(desk: Desk) -> None:
    case = cases.create_case(desk.device, "Operation Order")
    first = _sent(desk, case.id)
    cases.create_case(desk.device, "Busy day")
    second = _sent(desk, case.id)
    bundles = desk.share / "bundles"
    held = (bundles / f"{first}.age").read_bytes()
    (bundles / f"{first}.age").unlink()
    report = importer.import_folder(desk.lead, desk.share)  # the second arrives first
    assert report.imported == [second] and report.audit_breaks == []
    device_id = device.device_id(desk.device)
    assert "not received yet" in report.audit_waiting[device_id]
    desk.drop(first, held)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [first] and report.audit_breaks == []
    assert report.audit_waiting == {}
    _collect(desk)

    # A bundle the Lead refuses: its events travel again in the next one.
    cases.create_case(desk.device, "Another busy day")
    refused = device.send_case(desk.device, case.id)
    assert outbox.send_one(desk.device, refused.bundle_id, desk.transport)
    too_small = len(_content(desk.device, refused.bundle_id)) - 1
    assert importer.import_folder(desk.lead, desk.share, max_size=too_small).rejected
    _collect(desk)
    assert outbox.get_item(desk.device, refused.bundle_id).state == outbox.OutboxState.REFUSED
    cases.create_case(desk.device, "A quiet day")
    third = _sent(desk, case.id)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [third] and report.audit_breaks == [] and not report.audit_waiting
