"""Issue 10, item 2: `fieldkit audit verify` reports the attacks on the trail that used to pass:
a note's text and time edited behind the app's back, and the last events cut off."""

from __future__ import annotations

from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, Cli


def _tamper(cli: Cli, *statements: str) -> None:
    with Store.open(Settings(data_dir=cli.data_dir), PASSPHRASE) as store:
        triggers = [row[0] for row in store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'")]
        names = [row[0] for row in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'")]
        for name in names:
            store.conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            store.conn.execute(statement)
        for sql in triggers:  # put the protection back, as a careful attacker would
            store.conn.execute(sql)


def _record(cli: Cli) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Heron").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Nail bar",
                      "--address", "1 Example Row").last_line
    cli.ok("note", "add", "--visit", visit_id, "Three women working, one under 18?")
    cli.ok("note", "add", "--visit", visit_id, "Manager refused to give his name")
    assert cli.ok("audit", "verify").out.startswith("Audit trail whole")


def test_audit_verify_finds_an_edited_note(cli: Cli) -> None:
    _record(cli)
    _tamper(cli, "UPDATE note_entries SET text = 'Nothing seen', "
                 "written_at = '2026-01-01T00:00:00.000000Z' WHERE seq = 1")
    result = cli("audit", "verify")
    assert result.code == 1
    assert "was changed after it was saved" in result.out
    assert "Nothing seen" not in result.out


def test_audit_verify_finds_cut_off_events_with_the_head_moved_back(cli: Cli) -> None:
    _record(cli)
    _tamper(cli,
            # everything from the second note on (its event and the unlocks since)
            "DELETE FROM audit_events WHERE seq >= (SELECT MAX(seq) FROM audit_events "
            "WHERE action = 'note.add')",
            "UPDATE meta SET value = (SELECT seq || ':' || hash FROM audit_events "
            "ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head'")
    result = cli("audit", "verify")
    assert result.code == 1
    assert "has no audit event" in result.out
