"""The outbox's states are real: refused is a state of its own that nothing resends, back-off
is counted in elapsed time so a wrong clock never strands a bundle, and one summary serves the
status bar and the outbox page."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

from fieldkit import cases, migrations
from fieldkit.clock import parse_stamp, stamp
from fieldkit.store import DB_NAME, KEY_NAME, Store, _connect
from sync import outbox
from sync.outbox import OutboxState
from sync.transport import FolderTransport
from tests.conftest import PASSPHRASE


def _queued(store: Store) -> str:
    case = cases.create_case(store, "Outbox")
    bundle_id = str(uuid.uuid4())
    outbox.enqueue(store, bundle_id, case.id, None, b"sealed bundle bytes")
    return bundle_id


def _unreachable(tmp_path: Path) -> FolderTransport:
    return FolderTransport(tmp_path / "share-not-mounted", lead_public_key="unused")


def test_a_failed_send_keeps_a_code_not_a_sentence(store: Store, tmp_path: Path) -> None:
    bundle_id = _queued(store)
    assert not outbox.send_one(store, bundle_id, _unreachable(tmp_path), rng=lambda: 0.0)
    item = outbox.get_item(store, bundle_id)
    assert item.state is OutboxState.FAILED
    assert item.error is not None and item.error.code == "destination_unavailable"
    assert item.retry_after_seconds == 60.0 and item.last_attempt_at is not None


def test_back_off_counts_elapsed_time_and_a_clock_set_back_never_strands_a_bundle(
    store: Store, tmp_path: Path
) -> None:
    bundle_id = _queued(store)
    outbox.send_one(store, bundle_id, _unreachable(tmp_path), rng=lambda: 0.0)
    tried = parse_stamp(outbox.get_item(store, bundle_id).last_attempt_at or "")
    assert outbox.due_items(store, now=tried + timedelta(seconds=30)) == []
    assert outbox.due_items(store, now=tried + timedelta(seconds=61)) == [bundle_id]
    # The last try was made while the clock ran 400 days fast; the clock is now right.
    assert outbox.due_items(store, now=tried - timedelta(days=400)) == [bundle_id]


def test_a_refused_bundle_is_never_sent_again_not_even_by_retry_now(store: Store) -> None:
    bundle_id = _queued(store)
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'refused', error_code = 'lead_rejected', "
                     "error_params = ? WHERE bundle_id = ?",
                     (json.dumps({"reason": "device revoked"}), bundle_id))
    assert outbox.due_items(store) == []
    assert outbox.due_items(store, retry_now=True) == []
    counts = outbox.summary(store)
    assert (counts.refused, counts.waiting) == (1, 0)


def test_the_status_bar_and_the_page_count_from_one_summary(store: Store, tmp_path: Path) -> None:
    waiting = _queued(store)
    failed = _queued(store)
    outbox.send_one(store, failed, _unreachable(tmp_path))
    counts = outbox.summary(store)
    assert counts == outbox.summarise(outbox.list_items(store))
    assert (counts.queued, counts.failed, counts.waiting) == (1, 1, 2)
    assert outbox.waiting_count(store) == 2
    assert waiting != failed


def test_schema_4_outbox_drafts_and_ticks_carry_over(tmp_path: Path) -> None:
    """A schema-4 store (made step by step here) upgrades: a refused bundle (failed + the old
    'never' sentinel) becomes 'refused', drafts get typed owners, ticks their own table."""
    from fieldkit import drafts, keys, pathway
    from fieldkit.drafts import DraftKind, DraftOwner
    from fieldkit.settings import Settings

    folder = tmp_path / "store"
    folder.mkdir()
    unwrapped = keys.create_key_file(folder / KEY_NAME, PASSPHRASE, str(uuid.uuid4()),
                                     min_seconds=0.001, memory_kib=8192)
    conn = _connect(folder / DB_NAME, unwrapped)
    conn.execute("PRAGMA journal_mode = WAL")
    for version, step in enumerate(migrations.STEPS[:4], start=1):
        conn.execute("BEGIN")
        step(conn)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    now = stamp()
    conn.execute("INSERT INTO meta VALUES ('officer', 'Officer Test')")
    conn.execute("INSERT INTO cases VALUES ('c1', 'FK-1', 'Old', 'open', ?, ?)", (now, now))
    conn.execute("INSERT INTO visits VALUES ('v1', 'c1', 'Yard', 'Lane', ?)", (now,))
    conn.execute("INSERT INTO drafts VALUES ('note:v1', '{\"text\": \"half\"}', ?)", (now,))
    conn.execute("INSERT INTO drafts VALUES ('doc:c1:intel:new', '{\"a\": 1}', ?)", (now,))
    conn.execute("INSERT INTO meta VALUES ('ui.pathway_ticks:c1', ?)",
                 (json.dumps({"case": ["ts.notify_lead"]}),))
    for bundle_id, state, next_at, error in (
        ("b-refused", "failed", "9999-12-31T23:59:59.999999Z",
         "The Lead could not import this bundle: device revoked"),
        ("b-failed", "failed", now, "The destination is not available just now"),
        ("b-done", "delivered", now, ""),
    ):
        conn.execute(
            "INSERT INTO outbox VALUES (?, 'c1', NULL, ?, ?, 1, ?, ?, '', NULL, NULL, 1, x'00')",
            (bundle_id, now, state, next_at, error))
    conn.close()
    settings = Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    with Store.open(settings, PASSPHRASE) as store:
        assert store.schema_version() == migrations.CURRENT
        states = {item.bundle_id: item.state for item in outbox.list_items(store)}
        assert states == {"b-refused": OutboxState.REFUSED, "b-failed": OutboxState.FAILED,
                          "b-done": OutboxState.DELIVERED}
        refused = outbox.get_item(store, "b-refused")
        assert refused.error is not None and refused.error.params == {"reason": "device revoked"}
        note = drafts.load_draft(store, DraftOwner(DraftKind.NOTE, "c1", visit_id="v1"))
        assert note is not None and note.data == {"text": "half"}
        intel = drafts.load_draft(store, DraftOwner(DraftKind.DOCUMENT, "c1", form_kind="intel"))
        assert intel is not None and intel.data == {"a": 1}
        assert pathway.load_ticks(store, "c1") == {"case": {"ts.notify_lead"}}
        assert store.meta("ui.pathway_ticks:c1") is None
