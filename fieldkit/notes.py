"""Contemporaneous notes: each entry timed when written and immutable once saved.

A correction is a new entry pointing at the one it corrects; both stay readable. The database
refuses updates and deletes of note entries (triggers), so this holds beyond this module too.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from itertools import pairwise

from fieldkit.cases import get_visit, required_text, touch_case
from fieldkit.clock import parse_stamp, stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.records import NoteEntry
from fieldkit.seals import record_seal
from fieldkit.store import Store

_COLUMNS = "id, visit_id, seq, written_at, author, text, corrects"
NOTE_LIMIT = 20_000


def _append(store: Store, visit_id: str, text: str, corrects: str | None) -> NoteEntry:
    # Six statements and one fsync per entry: the visit's case and next number (one read,
    # inside the transaction), the entry (indexed by its trigger), the case's change time, the
    # audit event (previous head read, event and new head written).
    with store.transaction() as conn:
        found = conn.execute(
            "SELECT v.case_id, (SELECT COALESCE(MAX(n.seq), 0) + 1 FROM note_entries n "
            "WHERE n.visit_id = v.id) FROM visits v WHERE v.id = ?",
            (visit_id,),
        ).fetchone()
        if found is None:
            raise NotFound("visit", visit_id)
        case_id, seq = found
        entry = NoteEntry(str(uuid.uuid4()), visit_id, seq, stamp(), store.actor, text, corrects)
        # The row in column order, for the insert and the seal (dataclasses.astuple would
        # deep-copy every field: a quarter of the Python time of an append).
        row = (entry.id, entry.visit_id, entry.seq, entry.written_at, entry.author, entry.text,
               entry.corrects)
        conn.execute(f"INSERT INTO note_entries({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        # One clock reading for the entry, the case's change time and the event.
        touch_case(store, case_id, entry.written_at)
        store.audit("note.correct" if corrects else "note.add", "note", entry.id,
                    record_seal("note", row), at=entry.written_at)
    hub.publish(RECORDS_CHANGED, kind="note", record_id=entry.id)
    return entry


def add_note(store: Store, visit_id: str, text: str) -> NoteEntry:
    """Append a timed note to a visit; durable when this returns. NotFound when there is no
    such visit."""
    text = required_text("Note text", text, NOTE_LIMIT)
    return _append(store, visit_id, text, None)


def latest_version(store: Store, entry_id: str) -> NoteEntry:
    """The entry as it now stands: itself, or the newest correction of it (and of that, in
    turn). A second correction of an entry already corrected corrects the correction, so one
    version of each note stands (two corrections of #3 both looked current)."""
    entry = get_note(store, entry_id)
    while True:
        row = store.conn.execute(
            f"SELECT {_COLUMNS} FROM note_entries WHERE corrects = ? ORDER BY seq DESC LIMIT 1",
            (entry.id,)).fetchone()
        if row is None:
            return entry
        entry = NoteEntry(*row)


def correct_note(store: Store, entry_id: str, text: str) -> NoteEntry:
    """Append a correction of ``entry_id`` as it now stands (:func:`latest_version`); the
    original and every earlier correction stay as they were."""
    original = latest_version(store, entry_id)
    body = required_text("Correction text", text, NOTE_LIMIT)
    if body == original.text:
        raise InvalidInput("Correction text is the same as the entry it corrects.")
    return _append(store, original.visit_id, body, original.id)


def get_note(store: Store, entry_id: str) -> NoteEntry:
    """One note entry by id."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM note_entries WHERE id = ?", (entry_id,)
    ).fetchone()
    if row is None:
        raise NotFound("note entry", entry_id)
    return NoteEntry(*row)


def list_notes(store: Store, visit_id: str) -> list[NoteEntry]:
    """A visit's entries in the order they were written."""
    get_visit(store, visit_id)
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM note_entries WHERE visit_id = ? ORDER BY seq", (visit_id,)
    ).fetchall()
    return [NoteEntry(*row) for row in rows]


def corrected_ids(entries: list[NoteEntry]) -> set[str]:
    """Ids of the entries that a later entry corrects."""
    return {entry.corrects for entry in entries if entry.corrects}


def corrections_of(entries: list[NoteEntry]) -> dict[str, list[NoteEntry]]:
    """Each corrected entry's id with every entry that corrects it, in entry order. An entry
    may be corrected more than once, and a correction may itself be corrected."""
    found: dict[str, list[NoteEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.seq):
        if entry.corrects:
            found.setdefault(entry.corrects, []).append(entry)
    return found


def clock_went_back(entries: list[NoteEntry]) -> set[str]:
    """Ids of entries timed earlier than the entry before them (in entry order): the laptop's
    clock was changed between the two. Entry order (``seq``) stays the truth; the time is
    shown as recorded, and marked."""
    flagged: set[str] = set()
    for before, entry in pairwise(entries):
        if entry.written_at < before.written_at:
            flagged.add(entry.id)
    return flagged


def written_after(entries: list[NoteEntry], ended: datetime | None) -> set[str]:
    """Ids of entries written after the visit ended (``ended``, from its visit record; a time
    without a zone is the laptop's local time): written up later, not at the time, so shown
    and printed as such beside the time they were written."""
    if ended is None:
        return set()
    # A visit record's end time is typed to the minute: a note written in that minute was
    # written before it ended (every note of the last minute read "written after").
    end = (ended.astimezone() if ended.tzinfo is None else ended).replace(second=0,
                                                                          microsecond=0)
    return {entry.id for entry in entries
            if parse_stamp(entry.written_at).replace(second=0, microsecond=0) > end}


def fts_query(text: str) -> str:
    """``text`` as a full-text query: every word, as the start of a word ("mattress" finds
    "mattresses", as the search of forms and people finds part of a word)."""
    words = [word.replace('"', '""') for word in text.split()]
    return " ".join(f'"{word}"*' for word in words)


def search_notes(store: Store, text: str, limit: int = 200) -> list[NoteEntry]:
    """Note entries with words starting with every word of ``text`` (accent-insensitive), in
    the order they were entered (never by their times, which a changed clock can bend)."""
    query = fts_query(required_text("Search text", text, 500))
    rows = store.conn.execute(
        f"SELECT {', '.join('n.' + c.strip() for c in _COLUMNS.split(','))} "
        "FROM note_search JOIN note_entries n ON n.rowid = note_search.rowid "
        "WHERE note_search MATCH ? ORDER BY n.rowid LIMIT ?",  # entry order, not the clock
        (query, limit),
    ).fetchall()
    return [NoteEntry(*row) for row in rows]
