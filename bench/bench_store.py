"""The encrypted store against plain SQLite with fieldkit's own schema, journal and sync
settings, in the same run:

- ``store_append``: durable note appends (each committed to disk before it returns) through
  ``notes.add_note`` (encrypted, audited, indexed), against the same rows (the note, its full-text
  index entry via the same trigger, the case's change time, the chained audit event and the
  chain head) written by plain ``sqlite3``, one transaction each.
  Detail figures split the ratio: the baseline's very statements on an encrypted connection
  opened as the store opens its own, its pages sealed with HMAC-SHA256 and with HMAC-SHA512
  (``encrypted_statements_hmac_sha256_*`` and ``_sha512_*``: what the cipher alone costs), and
  which of the two a store made on this machine uses (``new_store_page_hmac``,
  ``fieldkit.pages``: the faster here; stores made before page seals were chosen use SHA-512).
- ``search_100k``: full-text searches over 100,000 entries through ``notes.search_notes``,
  against the same FTS5 query on the same text in plain SQLite.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench.corpus import encrypted_store, fill, plain_store, search_queries
from bench.harness import (
    Result,
    Spread,
    interleaved,
    load_now,
    percentile,
    runs_at,
    scaled,
    warmups_at,
)
from bench.rig import PASSPHRASE, fast_settings

APPENDS = 2000
APPEND_RUNS = 3
SEARCH_ENTRIES = 100_000
SEARCHES = 200
SEARCH_RUNS = 5
APPEND_GOAL = 1.5
SEARCH_GOAL = 1.5
SEARCH_P95 = 0.050


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain_append(conn: sqlite3.Connection, visit_id: str, case_id: str, text: str) -> None:
    """What one note append writes, by hand: note (indexed by its trigger), case change time,
    audit event chained by SHA-256 and carrying the note's seal (SHA-256 of its row), audit
    head; one durable transaction."""
    conn.execute("BEGIN IMMEDIATE")
    note_id, at = str(uuid.uuid4()), _now()
    seq_in_visit = conn.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM note_entries WHERE visit_id = ?", (visit_id,)
    ).fetchone()[0]
    row = [note_id, visit_id, seq_in_visit, at, "Bench Officer", text, None]
    conn.execute(
        "INSERT INTO note_entries(id, visit_id, seq, written_at, author, text, corrects) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    conn.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (at, case_id))
    note_seal = hashlib.sha256(json.dumps(["note", *row], separators=(",", ":"),
                                          ensure_ascii=False).encode()).hexdigest()
    last = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, "0" * 64) if last is None else (last[0] + 1, last[1])
    body = json.dumps([seq, at, "Bench Officer", "note.add", "note", note_id, note_seal],
                      separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256((prev + body).encode()).hexdigest()
    conn.execute(
        "INSERT INTO audit_events(seq, at, actor, action, record_kind, record_id, prev_hash, "
        "hash, content_hash) VALUES (?, ?, 'Bench Officer', 'note.add', 'note', ?, ?, ?, ?)",
        (seq, at, note_id, prev, digest, note_seal))
    conn.execute("INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO "
                 "UPDATE SET value = excluded.value", (f"{seq}:{digest}",))
    conn.execute("COMMIT")


def _append_bench(folder: Path, scale: float) -> Result:
    from fieldkit import audit, cases, notes
    from fieldkit.store import Store

    count = scaled(APPENDS, scale, least=20)
    store = Store.create(fast_settings(folder / "append-store"), PASSPHRASE,
                         officer="Bench Officer")
    case = cases.create_case(store, "Bench")
    visit = cases.create_visit(store, case.id, "Bench premises", "Bench road")
    plain = plain_store(folder / "append-plain.db")
    plain.execute("INSERT INTO cases(id, reference, title, status, created_at, updated_at) "
                  "VALUES (?, 'FK-2026-00001', 'Bench', 'open', ?, ?)", (case.id, _now(), _now()))
    plain.execute("INSERT INTO visits(id, case_id, premises_name, address, created_at) "
                  "VALUES (?, ?, 'Bench premises', 'Bench road', ?)", (visit.id, case.id, _now()))
    text = "Workers seen at the back of the yard; mattresses in the cabin, {n}"
    # The detail sides: the baseline's statements through the cipher, pages sealed each way.
    sides = {"hmac_sha256": encrypted_store(folder / "append-256.db", "HMAC_SHA256"),
             "hmac_sha512": encrypted_store(folder / "append-512.db", "HMAC_SHA512")}
    for side in sides.values():
        side.execute("INSERT INTO cases(id, reference, title, status, created_at, updated_at) "
                     "VALUES (?, 'FK-2026-00001', 'Bench', 'open', ?, ?)",
                     (case.id, _now(), _now()))
        side.execute("INSERT INTO visits(id, case_id, premises_name, address, created_at) "
                     "VALUES (?, ?, 'Bench premises', 'Bench road', ?)",
                     (visit.id, case.id, _now()))
    side_times: dict[str, list[float]] = {name: [] for name in sides}

    def ours() -> float:
        started = time.perf_counter()
        for n in range(count):
            notes.add_note(store, visit.id, text.format(n=n))
        return time.perf_counter() - started

    def base() -> float:
        for name, side in sides.items():  # timed apart, before the baseline's own run
            started = time.perf_counter()
            for n in range(count):
                _plain_append(side, visit.id, case.id, text.format(n=n))
            side_times[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        for n in range(count):
            _plain_append(plain, visit.id, case.id, text.format(n=n))
        return time.perf_counter() - started

    load = load_now()
    mine, theirs = interleaved(ours, base, runs=runs_at(APPEND_RUNS, scale),
                               warmup=warmups_at(scale))
    rounds = runs_at(APPEND_RUNS, scale) + warmups_at(scale)
    assert len(notes.list_notes(store, visit.id)) == count * rounds
    # The same work on both sides: fieldkit's own check reads the baseline's trail as whole,
    # every note matching the seal its event carries.
    assert audit.verify(plain).ok and audit.verify(store.conn).ok
    page_hmac = store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0]
    cipher: dict[str, Spread] = {}
    for name, side in sides.items():
        assert side.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == name.upper()
        assert audit.verify(side).ok
        side.close()
        cipher[name] = Spread.of(side_times[name][warmups_at(scale):])
    store.lock()
    plain.close()
    ratio = mine.median / theirs.median
    return Result.compare(
        "store_append", mine, theirs, goal=f"ratio <= {APPEND_GOAL}", met=ratio <= APPEND_GOAL,
        load_before=load,
        details={"appends_per_run": count,
                 "fieldkit_ms_each": round(mine.median / count * 1000, 3),
                 "baseline_ms_each": round(theirs.median / count * 1000, 3),
                 "new_store_page_hmac": page_hmac,
                 **{f"encrypted_statements_{name}_ms_each": round(
                     cipher[name].median / count * 1000, 3) for name in sides},
                 **{f"encrypted_statements_{name}_ratio": round(
                     cipher[name].median / theirs.median, 3) for name in sides}})


def _search_bench(folder: Path, scale: float) -> Result:
    from fieldkit import notes
    from fieldkit.store import Store

    entries = scaled(SEARCH_ENTRIES, scale)
    visits = scaled(10_000, scale)
    queries = search_queries(scaled(SEARCHES, scale, least=20))
    settings = fast_settings(folder / "search-store")
    store = Store.create(settings, PASSPHRASE, officer="Bench Officer")
    fill(store.conn, cases=scaled(1000, scale), visits=visits, entries=entries)
    plain = plain_store(folder / "search-plain.db")
    fill(plain, cases=scaled(1000, scale), visits=visits, entries=entries)
    store.lock()  # reopened cold below, as after an unlock
    store = Store.open_unwrapped(settings, Store.unwrap_key(settings, PASSPHRASE))
    plain.close()
    plain = sqlite3.connect(folder / "search-plain.db", isolation_level=None)
    sql = ("SELECT n.id, n.visit_id, n.seq, n.written_at, n.author, n.text, n.corrects "
           "FROM note_search JOIN note_entries n ON n.rowid = note_search.rowid "
           "WHERE note_search MATCH ? ORDER BY n.written_at LIMIT ?")
    ours_each: list[float] = []
    base_each: list[float] = []

    def ours() -> float:
        started = time.perf_counter()
        for query in queries:
            began = time.perf_counter()
            notes.search_notes(store, query, limit=200)
            ours_each.append(time.perf_counter() - began)
        return time.perf_counter() - started

    def base() -> float:
        started = time.perf_counter()
        for query in queries:
            began = time.perf_counter()
            words = " ".join(f'"{w}"*' for w in query.split())  # the same query: prefixes
            plain.execute(sql, (words, 200)).fetchall()
            base_each.append(time.perf_counter() - began)
        return time.perf_counter() - started

    load = load_now()
    for query in queries[:20]:  # the same answers on both sides
        words = " ".join(f'"{w}"*' for w in query.split())
        assert [e.id for e in notes.search_notes(store, query, limit=200)] == [
            r[0] for r in plain.execute(sql, (words, 200)).fetchall()], query
    mine, theirs = interleaved(ours, base, runs=runs_at(SEARCH_RUNS, scale),
                               warmup=warmups_at(scale))
    store.lock()
    plain.close()
    # The warm-up's searches are not in the per-search figures.
    skip = len(queries) * warmups_at(scale)
    ours_each, base_each = ours_each[skip:], base_each[skip:]
    p50, p95 = percentile(ours_each, 0.5), percentile(ours_each, 0.95)
    ratio = mine.median / theirs.median
    return Result.compare(
        "search_100k", _per_search(mine, len(queries)), _per_search(theirs, len(queries)),
        goal=f"ratio <= {SEARCH_GOAL} and p95 under {SEARCH_P95 * 1000:.0f} ms",
        met=ratio <= SEARCH_GOAL and p95 < SEARCH_P95, load_before=load,
        details={"entries": entries, "searches_per_run": len(queries),
                 "p50_seconds": round(p50, 5), "p95_seconds": round(p95, 5),
                 "baseline_p50_seconds": round(percentile(base_each, 0.5), 5),
                 "baseline_p95_seconds": round(percentile(base_each, 0.95), 5),
                 "figures": "fieldkit and baseline are mean seconds per search in a run"})


def _per_search(spread: Spread, searches: int) -> Spread:
    return Spread(spread.median / searches, spread.low / searches, spread.high / searches,
                  spread.runs)


def run(scale: float) -> list[Result]:
    """Measure ``store_append`` and ``search_100k`` (at ``scale``)."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory() as temp:
        return [_append_bench(Path(temp), scale), _search_bench(Path(temp), scale)]
