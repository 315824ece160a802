"""Fictional field data at scale, written straight into a store's tables (setup, never timed):
cases, premises visits and note entries, the same rows for fieldkit's store and for the plain
SQLite baseline (which gets fieldkit's own schema, from the same migration steps).
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit import migrations

if TYPE_CHECKING:
    from fieldkit.pages import PageHmac

WORDS = [
    "mattress",
    "cabin",
    "passport",
    "kitchen",
    "yard",
    "workers",
    "van",
    "shift",
    "cash",
    "wages",
    "debt",
    "rent",
    "bunk",
    "lock",
    "document",
    "interpreter",
    "car",
    "wash",
    "nail",
    "bar",
    "farm",
    "field",
    "packing",
    "warehouse",
    "caravan",
    "bedroom",
    "phone",
    "boss",
    "driver",
    "transport",
    "uniform",
    "injury",
    "fear",
    "threat",
    "visa",
    "recruiter",
    "agency",
    "fee",
    "deduction",
    "overtime",
    "night",
    "curfew",
    "camera",
    "gate",
    "dog",
    "fence",
    "keys",
    "food",
    "water",
    "heating",
    "damp",
    "mould",
    "ladder",
    "roof",
    "cellar",
    "garage",
    "trailer",
    "minibus",
    "tent",
    "hostel",
    "landlord",
    "broker",
    "card",
    "bank",
]


@dataclass(frozen=True)
class Corpus:
    """What was written: ids to check against, and the sizes."""

    case_ids: list[str]
    visit_ids: list[str]
    entries: int


def entry_text(rng: random.Random, n: int) -> str:
    """One fictional note entry of about a dozen words."""
    return f"Entry {n}: " + " ".join(rng.choice(WORDS) for _ in range(12))


def search_queries(count: int, seed: int = 7) -> list[str]:
    """``count`` two-word searches over the corpus vocabulary (the same each run)."""
    rng = random.Random(seed)
    return [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(count)]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fill(conn: Any, *, cases: int, visits: int, entries: int, seed: int = 1) -> Corpus:
    """Insert ``cases`` cases, ``visits`` visits and ``entries`` note entries in one
    transaction (``conn`` is in autocommit mode, fieldkit's or plain sqlite3's)."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    case_ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(cases)]
    visit_ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(visits)]
    created = _stamp(start)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO cases(id, reference, title, status, created_at, updated_at) "
        "VALUES (?, ?, ?, 'open', ?, ?)",
        [
            (cid, f"FK-2026-{n + 1:05d}", f"Fictional operation {n + 1}", created, created)
            for n, cid in enumerate(case_ids)
        ],
    )
    conn.executemany(
        "INSERT INTO visits(id, case_id, premises_name, address, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (vid, case_ids[n % cases], f"Unit {n}", f"{n % 300 + 1} Example Road", created)
            for n, vid in enumerate(visit_ids)
        ],
    )
    seqs: dict[str, int] = {}
    rows = []
    for n in range(entries):
        visit_id = visit_ids[n % visits]
        seqs[visit_id] = seqs.get(visit_id, 0) + 1
        rows.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128))),
                visit_id,
                seqs[visit_id],
                _stamp(start + timedelta(seconds=n)),
                "Bench Officer",
                entry_text(rng, n),
                None,
            )
        )
    # Indexed in one go, not row by row through the trigger: five times faster to load (the
    # trigger is put back as it was, so appends after this are indexed as in the app).
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'note_entries_index'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER note_entries_index")
    conn.executemany(
        "INSERT INTO note_entries(id, visit_id, seq, written_at, author, text, corrects) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("INSERT INTO note_search(note_search) VALUES ('rebuild')")
    conn.execute(trigger)
    conn.execute("COMMIT")
    return Corpus(case_ids, visit_ids, entries)


def _migrated(conn: Any) -> Any:
    """``conn`` with fieldkit's schema, built by its own migration steps one at a time."""
    for target, step in enumerate(migrations.STEPS, start=1):
        conn.execute("BEGIN IMMEDIATE")
        step(conn)
        conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    return conn


def encrypted_store(path: Path, page_hmac: PageHmac) -> Any:
    """fieldkit's schema on a SQLCipher connection opened as the store opens its own
    (``fieldkit.store``'s connect and settings, a random key, WAL), its pages sealed with
    ``page_hmac``: where the baseline's statements are run to see what the cipher alone
    costs."""
    import secrets

    from fieldkit import keys, store

    conn = store._connect(path, keys.Unwrapped(secrets.token_bytes(32), False, page_hmac))
    conn.execute("PRAGMA journal_mode = WAL")
    store._configure(conn)
    return _migrated(conn)


def plain_store(path: Path) -> sqlite3.Connection:
    """A plain (unencrypted) SQLite database with fieldkit's schema and fieldkit's journal and
    sync settings: the baseline the store is compared with."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    return _migrated(conn)
