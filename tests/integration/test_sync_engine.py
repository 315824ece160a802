"""The app's background sync engine: offline does nothing, back online sends what waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.store import Store
from sync import outbox
from sync.engine import SyncEngine
from tests.conftest import PASSPHRASE
from tests.reliability.sync_rig import SyncRig, build_rig, enrol, queue_cases


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SyncRig]:
    built = build_rig(tmp_path)
    yield built
    built.close()


def test_offline_then_online(rig: SyncRig, tmp_path: Path) -> None:
    enrol(rig, "http://127.0.0.1:9", tmp_path)  # nothing listens on the discard port
    queue_cases(rig.device_store, 3)
    key = Store.unwrap_key(rig.device_settings, PASSPHRASE)
    engine = SyncEngine(rig.device_settings, key)
    offline = engine.run_once()
    assert not offline.reachable and offline.waiting == 3
    assert outbox.waiting_count(rig.device_store) == 3
    # The Lead's new profile points at the live inbox; the officer imports it (same Lead key).
    enrol(rig, f"http://127.0.0.1:{rig.inbox_port}", tmp_path)
    seen: list[tuple[int, int]] = []
    online = engine.run_once(progress=lambda done, total: seen.append((done, total)))
    assert online.reachable and online.delivered == 3 and online.waiting == 0
    assert seen[-1] == (3, 3)
    unlocks = rig.device_store.conn.execute(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'store.unlock'").fetchone()[0]
    assert unlocks == 0  # the engine's own connection is not an unlock


def test_a_rejected_receipt_fails_the_item_and_nothing_is_purged(
    rig: SyncRig, tmp_path: Path
) -> None:
    from fieldkit import cases
    from sync import device, importer, lead, retention

    enrol(rig, f"http://127.0.0.1:{rig.inbox_port}", tmp_path)
    (bundle_id,) = queue_cases(rig.device_store, 1)
    case_id = outbox.get_item(rig.device_store, bundle_id).case_id
    cases.set_case_status(rig.device_store, case_id, "closed")
    # The Lead revokes the device but has not yet given the inbox the new devices file.
    lead.revoke_device(rig.lead_store, device.device_id(rig.device_store))
    engine = SyncEngine(rig.device_settings, Store.unwrap_key(rig.device_settings, PASSPHRASE))
    assert engine.run_once().delivered == 1  # the inbox still takes it...
    report = importer.import_folder(rig.lead_store, rig.inbox_root)
    assert report.rejected and "revoked" in report.rejected[0][1]  # ...the Lead refuses it
    assert engine.run_once().receipts == 1
    item = outbox.get_item(rig.device_store, bundle_id)
    assert item.state is outbox.OutboxState.REFUSED
    assert item.error is not None and item.error.code == "lead_rejected"
    assert "revoked" in str(item.error.params["reason"])
    assert item.acknowledged_at is None
    assert outbox.due_items(rig.device_store) == []  # not retried by itself
    assert outbox.due_items(rig.device_store, retry_now=True) == []  # nor by "Retry now"
    assert outbox.summary(rig.device_store).refused == 1
    assert retention.purgeable_cases(rig.device_store, 1) == []


def test_a_copy_damaged_in_the_inbox_folder_is_uploaded_again(
    rig: SyncRig, tmp_path: Path
) -> None:
    """The Lead refuses a damaged copy of an upload (a byte changed where the inbox keeps it);
    the laptop's next sync uploads the bundle again through the inbox, and the Lead imports
    it: the case is never left behind on a laptop that shows it as sent."""
    from sync import importer
    from sync.layout import bundle_path

    enrol(rig, f"http://127.0.0.1:{rig.inbox_port}", tmp_path)
    (bundle_id,) = queue_cases(rig.device_store, 1)
    engine = SyncEngine(rig.device_settings, Store.unwrap_key(rig.device_settings, PASSPHRASE))
    assert engine.run_once().delivered == 1
    path = bundle_path(rig.inbox_root, bundle_id)
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 3] ^= 0x04
    path.write_bytes(bytes(damaged))
    assert importer.import_folder(rig.lead_store, rig.inbox_root).rejected
    assert engine.run_once().delivered == 1  # the receipt names other bytes: uploaded again
    assert importer.import_folder(rig.lead_store, rig.inbox_root).imported == [bundle_id]
    assert engine.run_once().receipts == 1
    item = outbox.get_item(rig.device_store, bundle_id)
    assert item.acknowledged_at is not None and item.state is outbox.OutboxState.DELIVERED
