"""The real command line: the store issue's commands, their errors, no plaintext on disk."""

from __future__ import annotations

import re

from fieldkit.store import DB_NAME, KEY_NAME
from tests.conftest import Cli, file_hashes

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_a_visit_recorded_from_the_command_line(cli: Cli) -> None:
    cli.ok("init", "--officer", "Officer Example")
    case_id = cli.ok("case", "new", "--title", "Operation Bluebell").last_line
    assert UUID.match(case_id)
    assert cli.ok("case", "list").out.strip() == f"{case_id}  Operation Bluebell"
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Glow Nails",
                      "--address", "5 Sample Parade").last_line
    first = cli.ok("note", "add", "--visit", visit_id, "Two", "women", "working").last_line
    cli.ok("note", "correct", "--entry", first, "Three women working")
    listing = cli.ok("note", "list", "--visit", visit_id).out.splitlines()
    assert "[corrected later]" in listing[0] and "Two women working" in listing[0]
    assert "[corrects 1]" in listing[1] and "Three women working" in listing[1]
    assert "Three women working" in cli.ok("search", "three").out
    assert "is closed" in cli.ok("case", "close", "--case", case_id).out
    assert "is open" in cli.ok("case", "reopen", "--case", case_id).out
    assert cli.ok("audit", "verify").out.startswith("Audit trail whole")


def test_a_note_and_search_words_can_come_on_standard_input(cli: Cli) -> None:
    """Words on the command line show in the list of running processes and the shell's
    history: a note, a correction and a search may be typed or piped on standard input."""
    cli.ok("init", "--officer", "Officer Example")
    case_id = cli.ok("case", "new", "--title", "Operation Stdin").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Glow Nails",
                      "--address", "5 Sample Parade").last_line
    first = cli.ok("note", "add", "--visit", visit_id, feed="Worker Ion Fictionalescu seen\n")
    cli.ok("note", "correct", "--entry", first.last_line, "-", feed="Worker seen at the back")
    listing = cli.ok("note", "list", "--visit", visit_id).out
    assert "Worker Ion Fictionalescu seen" in listing and "Worker seen at the back" in listing
    assert "at the back" in cli.ok("search", feed="back").out
    empty = cli("note", "add", "--visit", visit_id, feed="  \n")
    assert empty.code != 0 and "No note was given" in empty.err


def test_wrong_passphrase_exits_1_with_one_line_and_changes_nothing(cli: Cli) -> None:
    cli.ok("init")
    cli.ok("case", "new", "--title", "Operation Wren")
    before = file_hashes(cli.data_dir)
    result = cli("case", "list", passphrase="guess")
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and "Wrong passphrase" in result.err
    assert file_hashes(cli.data_dir) == before


def test_bad_input_gets_one_line_errors_and_nonzero_exits(cli: Cli) -> None:
    missing = cli("case", "list")
    assert missing.code == 1 and "fieldkit init" in missing.err
    cli.ok("init")
    assert cli("init").code == 1
    for args, words in [
        (("case", "new", "--title", "  "), "Case title is needed"),
        (("visit", "new", "--case", "nope", "--premises", "A", "--address", "B"), "No case"),
        (("note", "add", "--visit", "nope", "text"), "No visit"),
        (("note", "correct", "--entry", "nope", "text"), "No note entry"),
        (("note", "list", "--visit", "nope"), "No visit"),
        (("exhibit", "add", "--visit", "nope", "/no/such/Named-Person.png"), "cannot be read"),
        (("case", "new"), "--title"),
        (("visit", "new", "--case", "x"), "required"),
        (("nonsense",), "invalid choice"),
    ]:
        result = cli(*args)
        assert result.code != 0, args
        errors = [line for line in result.err.splitlines()
                  if line.strip() and not line.startswith("fieldkit: warning:")]
        assert len(errors) == 1 and words in errors[0], result.err
        assert "Named-Person" not in result.err
    assert cli("case").code == 2  # usage errors exit 2


def test_short_passphrase_is_refused_at_init(cli: Cli) -> None:
    result = cli("init", passphrase="short")
    assert result.code == 1 and "too short" in result.err
    assert not cli.data_dir.exists() or not any(cli.data_dir.iterdir())


def test_passphrase_change_from_the_command_line(cli: Cli) -> None:
    cli.ok("init")
    db_before = (cli.data_dir / DB_NAME).read_bytes()
    cli.ok("passphrase", "change", FIELDKIT_NEW_PASSPHRASE="another long passphrase")
    assert cli("case", "list").code == 1
    assert cli("case", "list", passphrase="another long passphrase").code == 0
    assert (cli.data_dir / KEY_NAME).exists()
    del db_before


def test_demo_creates_the_fictional_operation(cli: Cli) -> None:
    cli.ok("init")
    case_id = cli.ok("demo").last_line
    assert "Operation Larkspur" in cli.ok("case", "list").out
    assert "mattresses" in cli.ok("search", "mattresses").out
    assert UUID.match(case_id)


def test_no_personal_data_reaches_the_disk_in_plaintext(cli: Cli) -> None:
    """Write 50 distinctive strings through the commands; none may appear in any file's bytes."""
    cli.ok("init")
    marks = [f"Zqxv{n:02d}Plaintextcanary" for n in range(50)]
    case_id = cli.ok("case", "new", "--title", f"Operation {marks[0]}").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", marks[1],
                      "--address", f"{marks[2]} Road").last_line
    entry = None
    for mark in marks[3:48]:
        entry = cli.ok("note", "add", "--visit", visit_id, f"Worker said {mark}").last_line
    assert entry is not None
    cli.ok("note", "correct", "--entry", entry, f"Worker said {marks[48]}")
    photo = cli.data_dir.parent / "photo.txt"
    photo.write_text(f"exhibit body {marks[49]}")
    cli.ok("exhibit", "add", "--visit", visit_id, "--description", marks[49], str(photo))
    photo.unlink()
    assert marks[10] in cli.ok("search", marks[10]).out  # the data is really in there
    files = [p for p in cli.data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {DB_NAME, KEY_NAME}
    for path in files:
        raw = path.read_bytes()
        for mark in marks:
            for encoding in ("utf-8", "utf-16-le"):
                assert mark.encode(encoding) not in raw, f"{mark} found in {path.name}"
