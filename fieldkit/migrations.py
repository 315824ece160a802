"""Schema migrations keyed on ``PRAGMA user_version``: one step per version, each in a transaction.

Never edit a released step; add a new one. Fixture stores for released schemas live in
``tests/fixtures`` and the upgrade from each is tested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Connection = Any  # sqlcipher3.Connection has no type information

APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
WHEN (SELECT value FROM meta WHERE key = 'purging') IS NOT '1'
BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN (SELECT value FROM meta WHERE key = 'purging') IS NOT '1'
BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END;
"""

V1 = (
    """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    premises_name TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX visits_by_case ON visits(case_id, created_at);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    visit_id TEXT REFERENCES visits(id),
    reference TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (case_id, reference)
);
CREATE TABLE note_entries (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits(id),
    seq INTEGER NOT NULL,
    written_at TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    corrects TEXT REFERENCES note_entries(id),
    UNIQUE (visit_id, seq)
);
CREATE VIRTUAL TABLE note_search USING fts5(
    text, content='note_entries', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER note_entries_index AFTER INSERT ON note_entries BEGIN
    INSERT INTO note_search(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER note_entries_unindex AFTER DELETE ON note_entries BEGIN
    INSERT INTO note_search(note_search, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    visit_id TEXT REFERENCES visits(id),
    exhibit_ref TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sensitive INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    captured_at TEXT NOT NULL,
    content BLOB NOT NULL,
    UNIQUE (case_id, exhibit_ref)
);
CREATE TABLE form_documents (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    visit_id TEXT REFERENCES visits(id),
    person_id TEXT REFERENCES people(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'ready')),
    current_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX form_documents_by_case ON form_documents(case_id, kind);
CREATE TABLE form_versions (
    document_id TEXT NOT NULL REFERENCES form_documents(id),
    version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL DEFAULT '',
    record_id TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""
    + APPEND_ONLY.format(table="note_entries")
    + APPEND_ONLY.format(table="attachments")
    + APPEND_ONLY.format(table="form_versions")
)

V2 = """
CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""

V3 = """
CREATE TABLE outbox (
    bundle_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    supersedes TEXT,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    delivered_at TEXT,
    acknowledged_at TEXT,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE TABLE tombstones (
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
);
CREATE TABLE lead_devices (
    device_id TEXT PRIMARY KEY,
    device_name TEXT NOT NULL,
    officer TEXT NOT NULL,
    organisation TEXT NOT NULL,
    public_key TEXT NOT NULL,
    added_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE lead_bundles (
    bundle_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES lead_devices(device_id),
    case_id TEXT NOT NULL,
    supersedes TEXT,
    created_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    manifest TEXT NOT NULL
);
CREATE TABLE lead_records (
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    bundle_id TEXT NOT NULL REFERENCES lead_bundles(bundle_id),
    case_id TEXT NOT NULL,
    bundle_created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (record_type, record_id, bundle_id)
);
CREATE INDEX lead_records_current ON lead_records(case_id, record_type, current);
CREATE TABLE lead_exhibits (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL
);
CREATE TABLE lead_rejections (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    reason TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);
"""

V4 = """
CREATE TABLE form_withdrawals (
    document_id TEXT PRIMARY KEY REFERENCES form_documents(id),
    withdrawn_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in script.strip().splitlines():
        current.append(line)
        stripped = line.strip().upper()
        if stripped.startswith("CREATE TRIGGER"):
            in_trigger = True
        ends = stripped.endswith("END;") if in_trigger else stripped.endswith(";")
        if ends:
            statements.append("\n".join(current))
            current, in_trigger = [], False
    return statements


def _run(script: str) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for statement in _statements(script):
            conn.execute(statement)

    return step


STEPS: list[Callable[[Connection], None]] = [_run(V1), _run(V2), _run(V3), _run(V4)]
"""STEPS[n] takes a store from schema n to n + 1."""

CURRENT = len(STEPS)
