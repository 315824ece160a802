"""The encrypted store against plain SQLite, in the same run: durable note appends (each one
committed to disk before it returns) and full-text search over the notes.

Run: .venv/bin/python -m bench store
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

NOTES = 2000
SEARCH_NOTES = 100_000


def _plain(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "plain.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE note_entries (id TEXT PRIMARY KEY, visit_id TEXT, seq INTEGER, "
                 "written_at TEXT, author TEXT, text TEXT, corrects TEXT)")
    conn.execute("CREATE VIRTUAL TABLE note_search USING fts5(text, content='note_entries', "
                 "content_rowid='rowid')")
    return conn


def _plain_append(conn: sqlite3.Connection, seq: int, text: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute("INSERT INTO note_entries VALUES (?, 'v', ?, '2026', 'me', ?, NULL)",
                       (str(uuid.uuid4()), seq, text))
    conn.execute("INSERT INTO note_search(rowid, text) VALUES (?, ?)", (cur.lastrowid, text))
    conn.execute("COMMIT")


def main() -> None:
    """Print each measurement with its plain-SQLite baseline and the ratio."""
    import keyring
    from keyring.backends import fail

    from fieldkit import cases, notes
    from fieldkit.settings import Settings
    from fieldkit.store import Store

    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        plain = _plain(folder)
        started = time.perf_counter()
        for n in range(NOTES):
            _plain_append(plain, n, f"Plain note {n}: workers seen at the back of the yard")
        plain_append = time.perf_counter() - started

        store = Store.create(Settings(data_dir=folder / "store", kdf_min_seconds=0.001,
                                      kdf_memory_kib=8192), "bench passphrase")
        case = cases.create_case(store, "Bench")
        visit = cases.create_visit(store, case.id, "Bench premises", "Bench road")
        started = time.perf_counter()
        for n in range(NOTES):
            notes.add_note(store, visit.id, f"Note {n}: workers seen at the back of the yard")
        ours_append = time.perf_counter() - started

        # Search over 100,000 notes, loaded in bulk (one transaction each side).
        rows = [(str(uuid.uuid4()), visit.id, NOTES + n + 1, "2026-11-22T10:00:00.000000Z",
                 "bench", f"Entry {n} mattress cabin {n % 97} passport {n % 13}", None)
                for n in range(SEARCH_NOTES)]
        with store.transaction() as conn:
            conn.executemany("INSERT INTO note_entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        plain.execute("BEGIN")
        plain.executemany("INSERT INTO note_entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        plain.execute("INSERT INTO note_search(note_search) VALUES ('rebuild')")
        plain.execute("COMMIT")
        queries = ["mattress cabin", "passport 7", "cabin 42", "yard workers"]
        ours_search, plain_search = [], []
        for _ in range(5):
            for query in queries:
                started = time.perf_counter()
                found = notes.search_notes(store, query, limit=200)
                ours_search.append(time.perf_counter() - started)
                started = time.perf_counter()
                words = " ".join(f'"{w}"' for w in query.split())
                expected = plain.execute(
                    "SELECT n.* FROM note_search JOIN note_entries n ON n.rowid = "
                    "note_search.rowid WHERE note_search MATCH ? ORDER BY n.written_at LIMIT 200",
                    (words,)).fetchall()
                plain_search.append(time.perf_counter() - started)
                assert len(found) == len(expected)
        store.lock()
        plain.close()
    print(f"store: {NOTES} durable note appends (WAL, synchronous=FULL, each its own commit)")
    print(f"  plain SQLite: {plain_append / NOTES * 1000:.2f} ms each")
    print(f"  fieldkit (SQLCipher, audit chain, FTS): {ours_append / NOTES * 1000:.2f} ms each")
    print(f"  ratio: {ours_append / plain_append:.2f}x  (about half of it is "
          "cipher_memory_security, which wipes freed decrypted pages; kept on deliberately)")
    ours_median, plain_median = statistics.median(ours_search), statistics.median(plain_search)
    print(f"store: full-text search over {SEARCH_NOTES:,} notes (median of {len(ours_search)})")
    print(f"  plain SQLite: {plain_median * 1000:.2f} ms; fieldkit: {ours_median * 1000:.2f} ms;"
          f" ratio: {ours_median / plain_median:.2f}x")


if __name__ == "__main__":
    main()
