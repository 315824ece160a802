"""Round trip of every record kind through the encrypted store, and the append-only rules."""

from __future__ import annotations

import hashlib

import pytest

from fieldkit import cases, exhibits, notes
from fieldkit.errors import InvalidInput, NotFound, StoreLocked
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE


def test_every_record_kind_round_trips_through_a_reopened_store(
    store: Store, settings: Settings
) -> None:
    case = cases.create_case(store, "Operation Test: nail bar")
    visit = cases.create_visit(store, case.id, "Pretty Nails", "1 Example Street, Testtown")
    person = cases.add_person(store, case.id, "P01", visit_id=visit.id, summary="adult woman")
    first = notes.add_note(store, visit.id, "Three workers behind a curtain")
    fixed = notes.correct_note(store, first.id, "Four workers behind a curtain")
    photo = exhibits.add_exhibit(
        store, case.id, b"\x89PNG fictional", "front.png", visit_id=visit.id, sensitive=True
    )
    store.lock()

    reopened = Store.open(settings, PASSPHRASE)
    assert cases.list_cases(reopened)[0].title == "Operation Test: nail bar"
    assert cases.get_case(reopened, case.id).reference == case.reference
    assert cases.list_visits(reopened, case.id) == [visit]
    assert cases.list_people(reopened, case.id) == [person]
    assert notes.list_notes(reopened, visit.id) == [first, fixed]
    assert exhibits.list_exhibits(reopened, case.id) == [photo]
    assert exhibits.exhibit_content(reopened, photo.id) == b"\x89PNG fictional"
    assert photo.sha256 == hashlib.sha256(b"\x89PNG fictional").hexdigest()
    assert photo.exhibit_ref == "OT/1" and photo.sensitive
    reopened.lock()


def test_case_references_count_up_within_the_year(store: Store) -> None:
    first = cases.create_case(store, "One")
    second = cases.create_case(store, "Two")
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")


def test_notes_are_timed_in_utc_and_numbered_in_order(store: Store) -> None:
    case = cases.create_case(store, "Timing")
    visit = cases.create_visit(store, case.id, "Farm", "Field Lane")
    entries = [notes.add_note(store, visit.id, f"entry {n}") for n in range(3)]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert all(e.written_at.endswith("Z") for e in entries)
    assert [e.written_at for e in entries] == sorted(e.written_at for e in entries)
    assert entries[0].author == "Officer Test"


def test_a_correction_keeps_the_original_readable(store: Store) -> None:
    case = cases.create_case(store, "Correction")
    visit = cases.create_visit(store, case.id, "Factory", "Mill Road")
    original = notes.add_note(store, visit.id, "Van registration AB12 CDE")
    correction = notes.correct_note(store, original.id, "Van registration AB12 CDF")
    listed = notes.list_notes(store, visit.id)
    assert listed[0].text == "Van registration AB12 CDE"
    assert listed[1].corrects == original.id
    assert notes.corrected_ids(listed) == {original.id}
    assert correction.seq == 2


def test_the_database_itself_refuses_to_edit_or_erase_notes_and_exhibits(store: Store) -> None:
    case = cases.create_case(store, "Append only")
    visit = cases.create_visit(store, case.id, "Takeaway", "Station Road")
    entry = notes.add_note(store, visit.id, "original words")
    exhibits.add_exhibit(store, case.id, b"bytes", "doc.pdf")
    for statement in (
        "UPDATE note_entries SET text = 'changed'",
        "DELETE FROM note_entries",
        "UPDATE attachments SET content = x'00'",
        "DELETE FROM attachments",
    ):
        with pytest.raises(Exception, match="append-only"):
            store.conn.execute(statement)
    assert notes.get_note(store, entry.id).text == "original words"


def test_full_text_search_finds_notes_inside_the_encrypted_file(store: Store) -> None:
    case = cases.create_case(store, "Search")
    visit = cases.create_visit(store, case.id, "Car wash", "Ring Road")
    notes.add_note(store, visit.id, "Passports held in the manager's office safe")
    notes.add_note(store, visit.id, "Workers sleep in a cabin")
    found = notes.search_notes(store, "passports safe")
    assert [e.text for e in found] == ["Passports held in the manager's office safe"]
    assert notes.search_notes(store, "nothing-like-this") == []
    # Quotes and operators in what an officer types are searched as words, not syntax.
    assert notes.search_notes(store, 'manager\'s "office" OR') == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: cases.create_case(s, "   "), "Case title is needed"),
        (lambda s: cases.create_case(s, "x" * 201), "Case title is too long"),
        (lambda s: cases.create_visit(s, "no-such-case", "A", "B"), "No case with id"),
        (lambda s: notes.add_note(s, "no-such-visit", "text"), "No visit with id"),
        (lambda s: notes.correct_note(s, "no-such-entry", "text"), "No note entry with id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(store: Store, call, message) -> None:  # type: ignore[no-untyped-def]
    before = store.conn.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    with pytest.raises((InvalidInput, NotFound), match=message):
        call(store)
    after = store.conn.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    assert before == after


def test_empty_note_and_duplicate_person_reference_are_refused(store: Store) -> None:
    case = cases.create_case(store, "Refusals")
    visit = cases.create_visit(store, case.id, "Farm", "Lane")
    with pytest.raises(InvalidInput, match="Note text is needed"):
        notes.add_note(store, visit.id, "  \n ")
    cases.add_person(store, case.id, "P01")
    with pytest.raises(InvalidInput, match="Person reference P01 is already used"):
        cases.add_person(store, case.id, "P01")
    with pytest.raises(InvalidInput, match="empty"):
        exhibits.add_exhibit(store, case.id, b"", "empty.jpg")


def test_a_locked_store_cannot_be_used(store: Store) -> None:
    store.lock()
    with pytest.raises(StoreLocked):
        cases.list_cases(store)


def test_saves_are_durable_before_they_return(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")


def test_a_failed_commit_rolls_back_and_later_saves_still_reach_the_disk(
    store: Store, settings: Settings
) -> None:
    case = cases.create_case(store, "Commit failure")
    visit = cases.create_visit(store, case.id, "Yard", "Lane")
    with pytest.raises(Exception, match="FOREIGN KEY"), store.transaction() as conn:
        # A deferred constraint makes COMMIT itself fail, as a full disk would.
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("INSERT INTO visits VALUES ('v-bad', 'no-such-case', 'x', 'y', '2026')")
    assert not store.conn.in_transaction
    entry = notes.add_note(store, visit.id, "Saved after the failure")
    store.lock()
    with Store.open(settings, PASSPHRASE) as reopened:
        assert [e.id for e in notes.list_notes(reopened, visit.id)] == [entry.id]


def test_a_damaged_page_is_reported_as_corrupt_not_a_crash(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as made:
        for n in range(200):
            cases.create_case(made, f"Case {n} " + "x" * 150)
        made.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = settings.data_dir / "fieldkit.db"
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):  # every page after the first few
        data[offset + 100] ^= 0xFF
    db.write_bytes(bytes(data))
    from fieldkit.errors import StoreCorrupt

    with pytest.raises(StoreCorrupt, match="fieldkit"):
        store = Store.open(settings, PASSPHRASE)
        cases.list_cases(store)
