"""Schema migrations keyed on ``PRAGMA user_version``: one step per version, each in a transaction.

Never edit a released step; add a new one. Fixture stores for released schemas live in
``tests/fixtures`` and the upgrade from each is tested.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fieldkit import audit, seals

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

ANCHORS = """
CREATE TABLE bundle_anchors (
    bundle_id TEXT PRIMARY KEY,
    counter INTEGER NOT NULL UNIQUE,
    audit_since INTEGER NOT NULL,
    audit_seq INTEGER NOT NULL,
    audit_hash TEXT NOT NULL
);
ALTER TABLE lead_bundles ADD COLUMN counter INTEGER;
ALTER TABLE lead_bundles ADD COLUMN audit_seq INTEGER;
ALTER TABLE lead_bundles ADD COLUMN audit_hash TEXT;
ALTER TABLE lead_bundles ADD COLUMN created_ahead_seconds INTEGER;
CREATE UNIQUE INDEX lead_bundles_counter ON lead_bundles(device_id, counter);
CREATE TABLE lead_audit_events (
    device_id TEXT NOT NULL REFERENCES lead_devices(device_id),
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE lead_audit_breaks (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES lead_devices(device_id),
    bundle_id TEXT NOT NULL,
    problem TEXT NOT NULL,
    found_at TEXT NOT NULL
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


V5 = """
CREATE TABLE drafts_v5 (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'visit_form', 'person_form', 'reception',
                                       'document')),
    case_id TEXT NOT NULL,
    visit_id TEXT,
    person_id TEXT,
    form_kind TEXT,
    document_id TEXT,
    data TEXT NOT NULL,
    first_saved_at TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE INDEX drafts_by_case ON drafts_v5(case_id);
CREATE TABLE pathway_ticks (
    case_id TEXT NOT NULL REFERENCES cases(id),
    scope TEXT NOT NULL,
    step_id TEXT NOT NULL,
    ticked_at TEXT NOT NULL,
    ticked_by TEXT NOT NULL,
    PRIMARY KEY (case_id, scope, step_id)
);
CREATE TABLE outbox_v5 (
    bundle_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    supersedes TEXT,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'delivered', 'failed', 'refused')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    retry_after_seconds REAL NOT NULL DEFAULT 0,
    error_code TEXT NOT NULL DEFAULT '',
    error_params TEXT NOT NULL DEFAULT '{}',
    receipt TEXT NOT NULL DEFAULT '',
    delivered_at TEXT,
    acknowledged_at TEXT,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
"""

_OLD_NEVER = "9999-12-31T23:59:59.999999Z"
_REFUSED_PREFIX = "The Lead could not import this bundle: "


def _draft_owner(conn: Connection, key: str) -> tuple[str, ...] | None:
    """(kind, case, visit, person, form kind, document) of a schema-4 draft key, or None."""
    parts = key.split(":")

    def case_of(table: str, record_id: str) -> str | None:
        row = conn.execute(f"SELECT case_id FROM {table} WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else str(row[0])

    document = None if parts[-1] == "new" else parts[-1]
    if parts[0] == "note" and len(parts) == 2 and (case := case_of("visits", parts[1])):
        return ("note", case, parts[1], "", "", "")
    if parts[0] == "visit-form" and len(parts) == 2 and (case := case_of("visits", parts[1])):
        return ("visit_form", case, parts[1], "", "", "")
    if parts[0] == "person-form" and len(parts) == 2 and (case := case_of("people", parts[1])):
        return ("person_form", case, "", parts[1], "", "")
    if parts[0] == "reception" and len(parts) == 3:
        return ("reception", parts[1], "", "", "reception", document or "")
    if parts[0] == "doc" and len(parts) == 4:
        return ("document", parts[1], "", "", parts[2], document or "")
    return None


def _step5(conn: Connection) -> None:
    """Drafts owned by typed records; pathway ticks in a table; outbox states with 'refused',
    errors as codes, back-off counted from the last try."""
    for statement in _statements(V5):
        conn.execute(statement)
    for key, data, saved_at in conn.execute("SELECT key, data, saved_at FROM drafts").fetchall():
        owner = _draft_owner(conn, str(key))
        if owner is None:
            continue  # a draft of a record that no longer exists
        kind, case, visit, person, form_kind, document = owner
        new_key = ":".join([kind, case, visit, person, form_kind, document or "new"])
        conn.execute(
            "INSERT OR REPLACE INTO drafts_v5 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_key, kind, case, visit or None, person or None, form_kind or None,
             document or None, data, saved_at, saved_at))
    conn.execute("DROP TABLE drafts")
    conn.execute("ALTER TABLE drafts_v5 RENAME TO drafts")
    for (key, value) in conn.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'ui.pathway_ticks:%'").fetchall():
        case_id = str(key).split(":", 1)[1]
        try:
            ticks = json.loads(value)
        except ValueError:
            ticks = {}
        for scope, steps in (ticks.items() if isinstance(ticks, dict) else []):
            for step in steps if isinstance(steps, list) else []:
                conn.execute("INSERT OR IGNORE INTO pathway_ticks VALUES (?, ?, ?, ?, ?)",
                             (case_id, str(scope), str(step), "", "carried over"))
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    rows = conn.execute(
        "SELECT bundle_id, case_id, supersedes, created_at, state, attempts, next_attempt_at, "
        "last_error, receipt, delivered_at, acknowledged_at, size, content FROM outbox"
    ).fetchall()
    for (bundle_id, case_id, supersedes, created_at, state, attempts, next_at, last_error,
         receipt, delivered_at, acknowledged_at, size, content) in rows:
        code, params = "", "{}"
        if state == "failed" and next_at == _OLD_NEVER:
            state, code = "refused", "lead_rejected"
            params = json.dumps({"reason": str(last_error).removeprefix(_REFUSED_PREFIX)})
        elif state == "failed":
            code = "transport_failed"
        conn.execute(
            "INSERT INTO outbox_v5 VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?)",
            (bundle_id, case_id, supersedes, created_at, state, attempts, code, params,
             receipt, delivered_at, acknowledged_at, size, content))
    conn.execute("DROP TABLE outbox")
    conn.execute("ALTER TABLE outbox_v5 RENAME TO outbox")
    conn.execute("CREATE INDEX outbox_by_state ON outbox(state)")


_REFUSE = """
CREATE TRIGGER {table}_no_{verb} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END;
"""

# A case's notes, exhibits and form versions may be deleted only while the newest audit event
# is that case's ``purge.start``: a purge is always an audited, visible event (fieldkit.seals).
_PURGE_ONLY = """
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN (SELECT action || ' ' || record_id FROM audit_events ORDER BY seq DESC LIMIT 1)
     IS NOT 'purge.start ' || ({case_of_old})
BEGIN SELECT RAISE(ABORT, '{table} are append-only outside an audited purge'); END;
"""

SEALS = (
    """
ALTER TABLE audit_events ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE tombstones ADD COLUMN case_id TEXT NOT NULL DEFAULT '';
CREATE TABLE upgrade_seals (
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    seal TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
);
DELETE FROM meta WHERE key = 'purging';
"""
    + "".join(f"DROP TRIGGER {table}_no_{verb};\n"
              for table in ("note_entries", "attachments", "form_versions")
              for verb in ("update", "delete"))
    + "".join(_REFUSE.format(table=table, verb=verb)
              for table in ("audit_events", "tombstones", "upgrade_seals", "note_entries",
                            "attachments", "form_versions")
              for verb in ("update", "delete")
              if (table, verb) not in {("note_entries", "delete"), ("attachments", "delete"),
                                       ("form_versions", "delete")})
    + _PURGE_ONLY.format(table="note_entries",
                         case_of_old="SELECT case_id FROM visits WHERE id = old.visit_id")
    + _PURGE_ONLY.format(table="attachments", case_of_old="old.case_id")
    + _PURGE_ONLY.format(
        table="form_versions",
        case_of_old="SELECT case_id FROM form_documents WHERE id = old.document_id")
)


def _seal_records(conn: Connection) -> None:
    """Audit events carry the seal of the record they are about; records already stored are
    sealed once, here, under one ``audit.upgrade`` event; append-only without any switch."""
    _run(SEALS)(conn)
    rows = seals.upgrade_rows(conn)
    conn.executemany(
        "INSERT INTO upgrade_seals(record_kind, record_id, seal) VALUES (?, ?, ?)", rows
    )
    if not rows:
        return  # a new store: every record will be sealed by its own event
    officer = conn.execute("SELECT value FROM meta WHERE key = 'officer'").fetchone()
    actor = str(officer[0]) if officer is not None else "officer"
    audit.append(conn, actor, seals.UPGRADE, "store", "",
                 seals.seal(sorted([list(row) for row in rows])))


LEAD_DESK = """
CREATE TABLE lead_referral_events (
    seq INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    route TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX lead_referral_events_by_person ON lead_referral_events(case_id, person_id, seq);
""" + APPEND_ONLY.format(table="lead_referral_events")
"""The Lead's desk: every submission and decision the Lead records about a referral, as
append-only versions (a correction is a newer event of the same kind)."""


V_BOARD_SHARE = """
CREATE TABLE board_changes (
    hlc TEXT PRIMARY KEY,
    board_id TEXT NOT NULL,
    person TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    device_id TEXT NOT NULL,
    officer TEXT NOT NULL,
    supersedes TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'resolution')),
    signature TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX board_changes_by_device ON board_changes(board_id, device_id, hlc);
CREATE INDEX board_changes_by_field ON board_changes(board_id, person, field);
CREATE TABLE board_shares (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    board_id TEXT NOT NULL UNIQUE,
    join_code TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE board_invited (
    board_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    invited_at TEXT NOT NULL,
    PRIMARY KEY (board_id, device_id)
);
CREATE TABLE board_peers (
    board_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    address TEXT NOT NULL,
    officer TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    vector TEXT NOT NULL,
    PRIMARY KEY (board_id, device_id)
);
""" + _REFUSE.format(table="board_changes", verb="UPDATE") + _PURGE_ONLY.format(
    table="board_changes",
    case_of_old="(SELECT case_id FROM board_shares WHERE board_id = old.board_id)")
"""Shared reception boards: every device's per-field changes (append-only), which case each
shared board belongs to, the devices invited to a board and the peers last exchanged with."""


OUTBOX_CONTENT = """
CREATE TABLE outbox_content (
    bundle_id TEXT PRIMARY KEY,
    content BLOB NOT NULL
);
INSERT INTO outbox_content(bundle_id, content) SELECT bundle_id, content FROM outbox;
ALTER TABLE outbox DROP COLUMN content;
"""
"""A bundle's bytes apart from its delivery state: marking a bundle sending or delivered
rewrote its whole row, the 80 KiB of bundle included (encrypted page by page, the old pages
wiped), twice per delivery."""


LEAD_BUNDLE_LOOKUPS = """
CREATE INDEX lead_bundles_by_case ON lead_bundles(case_id, counter);
CREATE INDEX lead_bundles_by_supersedes ON lead_bundles(supersedes);
"""
"""The Lead's import asks, for every bundle, which device sends a case, whether a newer version
of it is held and whether the version it replaces was superseded: each read the whole table of
bundles held, so every import slowed as the Lead's store grew."""


NOTE_SEARCH_WITHOUT_SIZES = """
DROP TRIGGER note_entries_index;
DROP TRIGGER note_entries_unindex;
DROP TABLE note_search;
CREATE VIRTUAL TABLE note_search USING fts5(
    text, content='note_entries', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2',
    columnsize=0
);
CREATE TRIGGER note_entries_index AFTER INSERT ON note_entries BEGIN
    INSERT INTO note_search(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER note_entries_unindex AFTER DELETE ON note_entries BEGIN
    INSERT INTO note_search(note_search, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
INSERT INTO note_search(note_search) VALUES ('rebuild');
"""
"""The notes' search index without each entry's length in words (``columnsize=0``): only a
ranking by relevance (bm25) reads it, and searches are in entry order, never ranked. It was one
more table, so one more page encrypted and written, at every note. The same words, tokenizer and
entries, rebuilt from the notes themselves (the old index's pages are wiped: secure_delete)."""


LEAD_SHARE_SEEN = """
CREATE TABLE lead_share_seen (
    place TEXT NOT NULL,
    file_name TEXT NOT NULL,
    bundle_file TEXT NOT NULL,
    receipt_file TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (place, file_name)
) WITHOUT ROWID;
"""
"""What the Lead's importer last found of each bundle it holds, in each folder it imports from
(``place``: that folder's path): the bundle file's and its receipt's device, inode, size and
change times. A file found as it was is not read, hashed or verified again, so an
import's time follows what has arrived since, not everything the share has ever held (it read
and hashed every bundle ever delivered, and checked every receipt, at every run)."""


LEAD_REJECTION_DETAILS = """
ALTER TABLE lead_rejections ADD COLUMN found_in TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_rejections ADD COLUMN arrived_at TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_rejections ADD COLUMN sender_device TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_rejections ADD COLUMN sender_officer TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_rejections ADD COLUMN sender_source TEXT NOT NULL DEFAULT '';
"""
"""What is known of a bundle the Lead refused, besides its file and reason: the folder it was
found in, when it arrived there (the file's modification time), and who it may be from, never
as fact: ``sender_source`` is ``inbox`` (the HTTPS inbox recorded the device that uploaded it,
after checking that upload's signature), ``manifest`` (the file's own manifest names it, its
signature not checked) or '' (nothing can tell). Refusals recorded before keep ''."""


STEPS: list[Callable[[Connection], None]] = [
    _run(V1), _run(V2), _run(V3), _run(V4), _step5, _run(ANCHORS), _seal_records,
    _run(LEAD_DESK),
    _run(V_BOARD_SHARE),
    _run(OUTBOX_CONTENT),
    _run(LEAD_BUNDLE_LOOKUPS),
    _run(NOTE_SEARCH_WITHOUT_SIZES),
    _run(LEAD_SHARE_SEEN),
    _run(LEAD_REJECTION_DETAILS),
]
"""STEPS[n] takes a store from schema n to n + 1."""

CURRENT = len(STEPS)
