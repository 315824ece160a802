"""A pass of ``send_due`` keeps its books in batches (issue 12: fewer commits per bundle), and
still: each delivery is recorded with its audit event in the order it happened, only after the
destination holds the bundle, soon enough for the outbox page to keep up, and a pass cut short
leaves every bundle it did not record due, to be sent again and held once."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest

from fieldkit import cases
from fieldkit.store import Store
from sync import outbox
from sync.errors import DestinationUnavailable
from sync.layout import delivered_bundles
from sync.outbox import BATCH_BUNDLES, OutboxState
from sync.transport import FolderTransport, Receipt


def _queue(store: Store, count: int) -> list[str]:
    case = cases.create_case(store, "Batching")
    ids = []
    for number in range(count):
        bundle_id = str(uuid.uuid4())
        outbox.enqueue(store, bundle_id, case.id, None, f"sealed bundle {number}".encode())
        ids.append(bundle_id)
    return ids


def _share(tmp_path: Path) -> FolderTransport:
    (tmp_path / "share").mkdir(exist_ok=True)
    return FolderTransport(tmp_path / "share", lead_public_key="unused")


def _states(store: Store, ids: list[str]) -> list[OutboxState]:
    return [outbox.get_item(store, bundle_id).state for bundle_id in ids]


def _sync_events(store: Store) -> list[str]:
    rows = store.conn.execute(
        "SELECT record_id FROM audit_events WHERE action = 'sync' ORDER BY seq").fetchall()
    return [row[0] for row in rows]


def test_each_delivery_is_recorded_with_its_audit_event_in_delivery_order(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, BATCH_BUNDLES + 9)  # more than one batch
    share = _share(tmp_path)
    report = outbox.send_due(store, share)
    assert (report.delivered, report.failed, report.waiting) == (len(ids), 0, 0)
    assert _states(store, ids) == [OutboxState.DELIVERED] * len(ids)
    assert all(outbox.get_item(store, i).receipt and outbox.get_item(store, i).attempts == 1
               for i in ids)
    assert _sync_events(store) == ids  # oldest first, as they were delivered
    assert sorted(bundle_id for bundle_id, _ in delivered_bundles(share.root)) == sorted(ids)
    assert store.meta("last_delivery_at")


class Watching:
    """The real folder transport, noting what the store says while each bundle is sent."""

    def __init__(self, store: Store, inner: FolderTransport, ids: list[str]) -> None:
        self.store, self.inner, self.ids = store, inner, ids
        self.seen: list[list[OutboxState]] = []

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        self.seen.append(_states(self.store, self.ids))
        return self.inner.send(bundle_id, data)


def test_deliveries_are_recorded_while_the_pass_runs_not_only_at_its_end(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, 6)
    watching = Watching(store, _share(tmp_path), ids)
    ticks = itertools.count(0.0, outbox.BATCH_SECONDS)  # each look at the clock: a batch's time
    outbox.send_due(store, watching, clock=lambda: next(ticks))
    for tried, states in enumerate(watching.seen):
        # Every earlier bundle shows delivered; this one and the later ones show sending.
        assert states == ([OutboxState.DELIVERED] * tried
                          + [OutboxState.SENDING] * (len(ids) - tried))


class DiesAfter:
    """Delivers ``count`` bundles for real, then the process 'dies' mid-pass."""

    def __init__(self, inner: FolderTransport, count: int) -> None:
        self.inner, self.left = inner, count
        self.delivered: list[str] = []

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        if not self.left:
            raise KeyboardInterrupt
        self.left -= 1
        receipt = self.inner.send(bundle_id, data)
        self.delivered.append(bundle_id)
        return receipt


def test_a_pass_cut_short_marks_delivered_only_what_the_destination_holds(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, 10)
    share = _share(tmp_path)
    dying = DiesAfter(share, 4)
    with pytest.raises(KeyboardInterrupt):
        outbox.send_due(store, dying)
    held = {bundle_id for bundle_id, _ in delivered_bundles(share.root)}
    delivered = {i for i in ids if outbox.get_item(store, i).state is OutboxState.DELIVERED}
    assert delivered <= held and delivered == set(dying.delivered)
    assert outbox.due_items(store) == [i for i in ids if i not in delivered]
    # The next pass sends the rest; the destination holds each bundle once.
    report = outbox.send_due(store, share)
    assert (report.delivered, report.waiting) == (len(ids) - len(delivered), 0)
    assert sorted(bundle_id for bundle_id, _ in delivered_bundles(share.root)) == sorted(ids)
    assert sorted(_sync_events(store)) == sorted(ids)


class FailsSome:
    """The real folder transport, unreachable for the bundles named."""

    def __init__(self, inner: FolderTransport, failing: set[str]) -> None:
        self.inner, self.failing = inner, failing

    def send(self, bundle_id: str, data: bytes) -> Receipt:
        if bundle_id in self.failing:
            raise DestinationUnavailable("the destination folder is not there")
        return self.inner.send(bundle_id, data)


def test_a_failure_inside_a_batch_is_recorded_with_its_own_time_and_back_off(
    store: Store, tmp_path: Path
) -> None:
    ids = _queue(store, 5)
    report = outbox.send_due(store, FailsSome(_share(tmp_path), {ids[1], ids[3]}),
                             rng=lambda: 0.0)
    assert (report.delivered, report.failed, report.waiting) == (3, 2, 2)
    assert _states(store, ids) == [OutboxState.DELIVERED, OutboxState.FAILED,
                                   OutboxState.DELIVERED, OutboxState.FAILED,
                                   OutboxState.DELIVERED]
    for failed in (ids[1], ids[3]):
        item = outbox.get_item(store, failed)
        assert item.error is not None and item.error.code == "destination_unavailable"
        assert item.attempts == 1 and item.retry_after_seconds == 60.0
    assert _sync_events(store) == [ids[0], ids[2], ids[4]]
