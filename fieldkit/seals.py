"""Seals: the SHA-256 of a record's content, carried by the audit event about it, so a note,
exhibit or form version edited after the fact no longer matches its event, and one deleted
outside an audited purge is missed.

A retention purge is the one way records leave the store: it starts with a ``purge.start``
event (the database refuses deleting a case's notes, exhibits and form versions unless the
newest event is that case's ``purge.start``), leaves a tombstone per record, and ends with a
``purge`` event sealing the list of tombstones. :func:`check_records` accounts for every record
an event speaks of: present and unchanged, or tombstoned by a sealed purge of its case.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

NOTE_ACTIONS = ("note.add", "note.correct")
FORM_ACTIONS = ("form.create", "form.update")
EXHIBIT_ACTION = "exhibit.add"
PURGE_START = "purge.start"
PURGE = "purge"
UPGRADE = "audit.upgrade"

NOTE_COLUMNS = "id, visit_id, seq, written_at, author, text, corrects"
EXHIBIT_COLUMNS = (
    "id, case_id, visit_id, exhibit_ref, filename, media_type, description, sensitive, sha256, "
    "size, captured_at"
)
VERSION_COLUMNS = "document_id, version, schema_version, status, data, saved_at"


COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
"""``json.dumps(value, separators=(",", ":"), ensure_ascii=False)``, the same text, with the
encoder made once: ``dumps`` with options builds a new encoder at every call, and a note is
sealed and its event hashed at every append (bench store_append)."""


def seal(values: Sequence[object]) -> str:
    """SHA-256 (hex) of ``values`` as compact JSON: the one way a record's content is sealed."""
    body = COMPACT_JSON.encode(list(values))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def tombstone_seal(tombstones: Iterable[tuple[str, str]]) -> str:
    """The seal of a purge: every (record kind, record id) it removed, in sorted order."""
    return seal([list(item) for item in sorted(tombstones)])


@dataclass(frozen=True)
class Problem:
    """A record that does not match its event: ``seq`` is that event (0 for a record with
    no event at all); ``text`` names it by id only, never by content."""

    seq: int
    text: str


def _rows(conn: Any, sql: str) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): tuple(row) for row in conn.execute(sql).fetchall()}


def _versions(conn: Any) -> dict[str, tuple[Any, ...]]:
    rows = conn.execute(f"SELECT {VERSION_COLUMNS} FROM form_versions").fetchall()
    return {f"{row[0]}:{row[1]}": tuple(row) for row in rows}


class _Ledger:
    """What the store holds, and what events and purges say it should."""

    def __init__(self, conn: Any) -> None:
        self.events = conn.execute(
            "SELECT seq, action, record_kind, record_id, content_hash FROM audit_events "
            "ORDER BY seq"
        ).fetchall()
        self.tombs: dict[tuple[str, str], str] = {
            (str(r[0]), str(r[1])): str(r[2])
            for r in conn.execute("SELECT record_kind, record_id, case_id FROM tombstones")
        }
        self.upgrade: dict[tuple[str, str], str] = {
            (str(r[0]), str(r[1])): str(r[2])
            for r in conn.execute("SELECT record_kind, record_id, seal FROM upgrade_seals")
        }
        self.purged: set[str] = set()
        self.problems: list[Problem] = []

    def add(self, seq: int, text: str) -> None:
        self.problems.append(Problem(seq, text))

    def purge_accounts_for(self, kind: str, record_id: str) -> bool:
        case_id = self.tombs.get((kind, record_id))
        return case_id is not None and case_id in self.purged


def check_records(conn: Any) -> list[Problem]:
    """Every note, exhibit and form version against the events about it, in event order."""
    ledger = _Ledger(conn)
    _check_purges(ledger)
    _check_upgrade(conn, ledger)
    notes = _rows(conn, f"SELECT {NOTE_COLUMNS} FROM note_entries")
    exhibits = _rows(conn, f"SELECT {EXHIBIT_COLUMNS} FROM attachments")
    versions = _versions(conn)
    seen: dict[str, set[str]] = {"note": set(), "exhibit": set(), "form_version": set()}
    counts: dict[str, int] = {}
    for seq, action, _kind, record_id, content_hash in ledger.events:
        if action in NOTE_ACTIONS:
            kind, key, rows = "note", record_id, notes
        elif action == EXHIBIT_ACTION:
            kind, key, rows = "exhibit", record_id, exhibits
        elif action in FORM_ACTIONS:
            counts[record_id] = counts.get(record_id, 0) + 1
            kind, key, rows = "form_version", f"{record_id}:{counts[record_id]}", versions
        else:
            continue
        seen[kind].add(key)
        if not content_hash:
            continue  # written before seals: covered by the upgrade's seal instead
        _check_one(ledger, seq, kind, key, rows.get(key), content_hash)
    for kind, rows in (("note", notes), ("exhibit", exhibits), ("form_version", versions)):
        for key in sorted(set(rows) - seen[kind] - {k for (t, k) in ledger.upgrade if t == kind}):
            ledger.add(0, f"{_title(kind, key)} has no audit event: it was added behind "
                          "fieldkit's back")
    _check_exhibit_bytes(conn, ledger)
    return sorted(ledger.problems, key=lambda p: p.seq)


def _title(kind: str, key: str) -> str:
    if kind == "form_version":
        document_id, version = key.rsplit(":", 1)
        return f"form {document_id} version {version}"
    return f"{kind} {key}"


def record_seal(kind: str, row: Sequence[object]) -> str:
    """The seal of one stored row of ``note_entries``, ``attachments`` (without its bytes) or
    ``form_versions``, columns in the order of NOTE_COLUMNS, EXHIBIT_COLUMNS, VERSION_COLUMNS."""
    values = list(row)
    if kind == "exhibit":
        values[7] = bool(values[7])
    return seal([kind, *values])


def _check_one(
    ledger: _Ledger, seq: int, kind: str, key: str, row: tuple[Any, ...] | None, expected: str
) -> None:
    if row is None:
        if not ledger.purge_accounts_for(kind, key):
            ledger.add(seq, f"{_title(kind, key)} was deleted, and no audited purge removed it")
    elif record_seal(kind, row) != expected:
        ledger.add(seq, f"{_title(kind, key)} was changed after it was saved")


def _check_purges(ledger: _Ledger) -> None:
    """Each ``purge`` event must seal exactly the tombstones of its case; each ``purge.start``
    must be finished by one."""
    started: dict[str, int] = {}
    for seq, action, _kind, case_id, content_hash in ledger.events:
        if action == PURGE_START:
            started[case_id] = seq
        elif action == PURGE and content_hash:
            started.pop(case_id, None)
            mine = [key for key, owner in ledger.tombs.items() if owner == case_id]
            if tombstone_seal(mine) != content_hash:
                ledger.add(seq, f"the records removed by the purge of case {case_id} do not "
                                "match its audit event")
            else:
                ledger.purged.add(case_id)
    for case_id, seq in started.items():
        ledger.add(seq, f"a purge of case {case_id} was started but never recorded as finished")


def _check_upgrade(conn: Any, ledger: _Ledger) -> None:
    """Records written before seals were sealed at the upgrade; the upgrade event seals them."""
    upgrade = [e for e in ledger.events if e[1] == UPGRADE]
    rows = sorted([kind, key, value] for (kind, key), value in ledger.upgrade.items())
    if not upgrade:
        if rows:
            ledger.add(0, "records are sealed as written before the upgrade, but the upgrade "
                          "has no audit event")
        return
    seq, content_hash = upgrade[0][0], upgrade[0][4]
    if seal(rows) != content_hash:
        ledger.add(seq, "the seals of records written before the upgrade were changed")
    tables = {"note": (NOTE_COLUMNS, "note_entries", "id"),
              "exhibit": (EXHIBIT_COLUMNS, "attachments", "id"),
              "form_version": (VERSION_COLUMNS, "form_versions", "document_id || ':' || version")}
    for kind, key, value in rows:
        columns, table, id_sql = tables[kind]
        row = conn.execute(f"SELECT {columns} FROM {table} WHERE {id_sql} = ?", (key,)).fetchone()
        _check_one(ledger, seq, kind, key, None if row is None else tuple(row), value)


def _check_exhibit_bytes(conn: Any, ledger: _Ledger) -> None:
    """An exhibit's bytes still hash to what was recorded at capture."""
    for exhibit_id, digest, content in conn.execute(
        "SELECT id, sha256, content FROM attachments"
    ):
        if hashlib.sha256(bytes(content)).hexdigest() != digest:
            ledger.add(0, f"exhibit {exhibit_id} no longer matches the hash taken at capture")


def upgrade_rows(conn: Any) -> list[tuple[str, str, str]]:
    """Seals of every note, exhibit and form version already stored (for the upgrade step)."""
    sealed = [("note", key, record_seal("note", row))
              for key, row in _rows(conn, f"SELECT {NOTE_COLUMNS} FROM note_entries").items()]
    sealed += [("exhibit", key, record_seal("exhibit", row))
               for key, row in _rows(conn, f"SELECT {EXHIBIT_COLUMNS} FROM attachments").items()]
    sealed += [("form_version", key, record_seal("form_version", row))
               for key, row in _versions(conn).items()]
    return sorted(sealed)
