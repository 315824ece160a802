"""At the size the benchmarks use (1,000 cases, 10,000 visits, 100,000 note entries) the cases
list, full-text search and the Lead's import still give the right answers. No timings here:
``make bench`` measures; this checks correctness at that size."""

from __future__ import annotations

import re
from pathlib import Path

from bench.corpus import fill, search_queries
from bench.rig import queue_cases
from fieldkit import case_list, cases, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, importer, lead
from sync.layout import bundle_path, bundles_dir, receipt_path
from tests.conftest import PASSPHRASE

CASES, VISITS, ENTRIES = 1000, 10_000, 100_000


def _expected(rows: list[tuple[str, str, str]], query: str) -> list[str]:
    """Entry ids with a word starting with each word of ``query``, oldest first (what FTS5
    must find: a search word finds the words it starts, "mattress" finds "mattresses")."""
    words = set(query.lower().split())
    found = [(at, rid) for rid, at, text in rows
             if all(any(held.startswith(word) for held in re.findall(r"\w+", text.lower()))
                    for word in words)]
    return [rid for _, rid in sorted(found)]


def test_list_search_and_lead_import_at_full_size(tmp_path: Path, settings: Settings,
                                                   no_keyring: None) -> None:
    store = Store.create(settings, PASSPHRASE, officer="Officer Scale")
    corpus = fill(store.conn, cases=CASES, visits=VISITS, entries=ENTRIES)

    summaries = case_list.case_summaries(store)
    assert len(summaries) == CASES
    assert sum(s.visits for s in summaries) == VISITS
    one = corpus.case_ids[7]
    assert len(cases.list_visits(store, one)) == VISITS // CASES

    rows = store.conn.execute("SELECT id, written_at, text FROM note_entries").fetchall()
    assert len(rows) == ENTRIES
    for query in search_queries(5, seed=11):
        expected = _expected(rows, query)
        assert expected, query  # the corpus is dense enough that every query finds something
        assert [e.id for e in notes.search_notes(store, query, limit=200)] == expected[:200]
        assert len(notes.search_notes(store, query, limit=ENTRIES)) == len(expected)

    added = notes.add_note(store, corpus.visit_ids[3], "Scaffolding yard caravan checked")
    assert [e.id for e in notes.search_notes(store, "scaffolding caravan")] == [added.id]

    # The Lead imports the big store's bundles: one case of 10 visits and 100 entries, and
    # 120 small ones, one of them damaged on the way.
    lead_store = Store.create(Settings(data_dir=tmp_path / "lead", kdf_min_seconds=0.001,
                                       kdf_memory_kib=8192), PASSPHRASE, officer="Lead Scale")
    lead.init_lead(lead_store)
    made, signed = lead.make_profile(lead_store, council="Example Council", lead_name="Lead",
                                     lead_contact="lead@council.example",
                                     inbox_url="https://127.0.0.1:1")
    device.import_profile(store, signed, expected_fingerprint=made.fingerprint())
    lead.add_device(lead_store, device.enrolment_request(
        store, device_name="laptop", organisation="Trading Standards"))
    big = device.send_case(store, one).bundle_id
    small = queue_cases(store, 120, reuse_packs=True)
    root = tmp_path / "share"
    bundles_dir(root).mkdir(parents=True)
    for bundle_id in [big, *small]:
        content = store.conn.execute("SELECT content FROM outbox_content WHERE bundle_id = ?",
                                     (bundle_id,)).fetchone()[0]
        bundle_path(root, bundle_id).write_bytes(bytes(content))
    damaged = small[60]
    data = bytearray(bundle_path(root, damaged).read_bytes())
    data[len(data) // 2] ^= 0xFF
    bundle_path(root, damaged).write_bytes(bytes(data))

    report = importer.import_folder(lead_store, root)

    assert sorted(report.imported) == sorted(b for b in [big, *small] if b != damaged)
    assert [bundle_id for bundle_id, _ in report.rejected] == [damaged]
    assert all(receipt_path(root, b).exists() for b in [big, *small])
    held = {c.case_id: c for c in importer.lead_cases(lead_store)}
    assert len(held) == len(small)  # every case but the damaged one's
    records = importer.current_records(lead_store, one)
    kinds = [r["type"] for r in records]
    assert kinds.count("visit") == VISITS // CASES
    assert kinds.count("note") == ENTRIES // CASES
    assert importer.import_folder(lead_store, root).already_held  # idempotent at this size
    lead_store.lock()
    store.lock()
