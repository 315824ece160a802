"""``send_due`` with a sender that takes several bundles at once (the HTTPS inbox): never more
on their way than it allows, each outcome recorded once and in the order the bundles were
sent, the store touched only by the pass's own thread, and a pass cut short records exactly the
deliveries the destination holds."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from sync import outbox
from sync.errors import DestinationUnavailable
from sync.layout import delivered_bundles
from sync.outbox import OutboxState
from sync.transport import FolderTransport, HttpsTransport, Receipt


def _queue(store: Store, count: int, size: int = 100) -> list[str]:
    case = cases.create_case(store, "In flight")
    ids = []
    for number in range(count):
        bundle_id = str(uuid.uuid4())
        outbox.enqueue(store, bundle_id, case.id, None,
                       f"sealed bundle {number} ".encode().ljust(size, b"."))
        ids.append(bundle_id)
    return ids


def _sync_events(store: Store) -> list[str]:
    rows = store.conn.execute(
        "SELECT record_id FROM audit_events WHERE action = 'sync' ORDER BY seq").fetchall()
    return [row[0] for row in rows]


class Several:
    """The real folder transport, taking ``in_flight`` bundles at once from as many threads;
    notes how many were on their way together, and which thread sent each."""

    def __init__(self, root: Path, in_flight: int, *, failing: frozenset[str] = frozenset(),
                 stop_at: str | None = None) -> None:
        root.mkdir(exist_ok=True)
        self.inner = FolderTransport(root, lead_public_key="unused")
        self.in_flight = in_flight
        self.failing, self.stop_at = failing, stop_at
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.bytes_now = self.most_bytes = 0
        self.threads: set[int] = set()
        self.delivered: list[str] = []

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        with self.lock:
            self.now += 1
            self.bytes_now += len(data)
            self.most = max(self.most, self.now)
            self.most_bytes = max(self.most_bytes, self.bytes_now)
            self.threads.add(threading.get_ident())
        try:
            time.sleep(0.01)  # a round trip: the others get going meanwhile
            if bundle_id == self.stop_at:
                raise KeyboardInterrupt  # the pass is cut short while others are on their way
            if bundle_id in self.failing:
                raise DestinationUnavailable("the inbox could not be reached")
            receipt = self.inner.send(bundle_id, data)
            with self.lock:
                self.delivered.append(bundle_id)
            return receipt
        finally:
            with self.lock:
                self.now -= 1
                self.bytes_now -= len(data)


def test_several_on_their_way_at_once_each_recorded_once_in_the_order_sent(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, outbox.BATCH_BUNDLES + 13)
    sender = Several(tmp_path / "share", 4)
    seen: list[tuple[int, int]] = []
    report = outbox.send_due(store, sender, progress=lambda done, total: seen.append(
        (done, total)))
    assert (report.delivered, report.failed, report.waiting) == (len(ids), 0, 0)
    assert sender.most == 4  # never more than it allows, and really several at once
    assert threading.get_ident() not in sender.threads  # sent on the pass's helper threads
    assert all(outbox.get_item(store, i).state is OutboxState.DELIVERED for i in ids)
    assert all(outbox.get_item(store, i).attempts == 1 for i in ids)
    assert _sync_events(store) == ids  # recorded in the order sent, each once
    assert seen == [(done, len(ids)) for done in range(1, len(ids) + 1)]
    assert sorted(i for i, _ in delivered_bundles(sender.inner.root)) == sorted(ids)


@pytest.mark.parametrize(("limit", "most"), [(2500, 2), (500, 1)])
def test_large_bundles_are_not_held_in_memory_several_at_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int, most: int
) -> None:
    monkeypatch.setattr(outbox, "IN_FLIGHT_BYTES", limit)
    ids = _queue(store, 12, size=1000)
    sender = Several(tmp_path / "share", 8)
    assert outbox.send_due(store, sender).delivered == len(ids)  # one over the limit goes alone
    assert sender.most == most  # one more would put over the limit on its way
    assert sender.most_bytes == most * 1000


def test_a_failure_among_several_is_recorded_and_the_rest_delivered(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, 10)
    sender = Several(tmp_path / "share", 4, failing=frozenset({ids[2], ids[7]}))
    report = outbox.send_due(store, sender, rng=lambda: 0.0)
    assert (report.delivered, report.failed, report.waiting) == (8, 2, 2)
    for bundle_id in ids:
        item = outbox.get_item(store, bundle_id)
        if bundle_id in (ids[2], ids[7]):
            assert item.state is OutboxState.FAILED and item.error is not None
            assert item.error.code == "destination_unavailable"
        else:
            assert item.state is OutboxState.DELIVERED
    assert _sync_events(store) == [i for i in ids if i not in (ids[2], ids[7])]


def test_a_pass_cut_short_records_exactly_what_the_destination_holds(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, 20)
    sender = Several(tmp_path / "share", 4, stop_at=ids[5])
    with pytest.raises(KeyboardInterrupt):
        outbox.send_due(store, sender)
    held = {bundle_id for bundle_id, _ in delivered_bundles(sender.inner.root)}
    delivered = {i for i in ids if outbox.get_item(store, i).state is OutboxState.DELIVERED}
    # Those on their way when it stopped were waited for: what arrived is recorded, durably.
    assert delivered == held == set(sender.delivered)
    assert set(ids[:5]) <= delivered and ids[5] not in delivered
    assert outbox.due_items(store) == [i for i in ids if i not in delivered]
    assert sorted(_sync_events(store)) == sorted(delivered)
    report = outbox.send_due(store, Several(tmp_path / "share", 4))
    assert (report.delivered, report.waiting) == (len(ids) - len(delivered), 0)
    assert sorted(i for i, _ in delivered_bundles(sender.inner.root)) == sorted(ids)


def test_the_https_inbox_takes_several_at_once() -> None:
    assert HttpsTransport.in_flight > 1
    assert getattr(FolderTransport, "in_flight", 1) == 1  # a share or a stick: one at a time
