"""The outbox, kept in the encrypted store: each bundle is queued, sending, delivered (with its
receipt), failed (with the last error as a code, retried after a back-off counted in elapsed
time) or refused by the Lead (waiting for the officer, never sent again).

A bundle's id and bytes are fixed when it is queued, so however often a send is interrupted,
retried or resumed after a killed process, the destination receives the same bundle and holds
it once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from fieldkit.clock import parse_stamp, stamp, utc_now
from fieldkit.errors import NotFound
from fieldkit.events import OUTBOX_CHANGED, SYNC_PROGRESS, hub
from fieldkit.store import Store
from sync.backoff import retry_delay
from sync.errors import TransportError

log = logging.getLogger(__name__)

class OutboxState(StrEnum):
    """Where a bundle is on its way to the Lead."""

    QUEUED = "queued"  # sealed, not tried yet
    SENDING = "sending"  # a try is under way (or was, in a process that stopped)
    DELIVERED = "delivered"  # the destination holds it durably (the Lead imports it later)
    FAILED = "failed"  # the last try failed; tried again by itself after a back-off
    REFUSED = "refused"  # the Lead could not import it: it waits for the officer, never resent


PENDING = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.FAILED)
"""States that still go to the Lead by themselves."""

_COLUMNS = (
    "bundle_id, case_id, supersedes, created_at, state, attempts, last_attempt_at, "
    "retry_after_seconds, error_code, error_params, receipt, delivered_at, acknowledged_at, size"
)


class Sender(Protocol):
    """What the outbox needs of a transport."""

    def send(self, bundle_id: str, data: bytes) -> object:
        """Deliver the bundle or raise TransportError; returns a receipt. A sender may also say
        how many bundles it can have on their way at once, from as many threads
        (``in_flight``, 1 if it does not say)."""
        ...


@dataclass(frozen=True)
class OutboxError:
    """Why the last try failed: a code and its parameters (the app puts them into words)."""

    code: str
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxItem:
    """One bundle waiting for, or done with, delivery."""

    bundle_id: str
    case_id: str
    supersedes: str | None
    created_at: str
    state: OutboxState
    attempts: int
    last_attempt_at: str | None
    retry_after_seconds: float
    error: OutboxError | None
    receipt: str
    delivered_at: str | None
    acknowledged_at: str | None
    size: int

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> OutboxItem:
        """An item from a row of ``_COLUMNS``."""
        (bundle_id, case_id, supersedes, created_at, state, attempts, last_attempt_at,
         retry_after, code, params, receipt, delivered_at, acknowledged_at, size) = row
        error = OutboxError(code, json.loads(params or "{}")) if code else None
        return cls(bundle_id, case_id, supersedes, created_at, OutboxState(state), attempts,
                   last_attempt_at, float(retry_after), error, receipt, delivered_at,
                   acknowledged_at, size)

    @property
    def next_attempt_at(self) -> str | None:
        """When a failed bundle is next tried (by the device's clock); None when not waiting
        for a back-off."""
        if self.state is not OutboxState.FAILED or self.last_attempt_at is None:
            return None
        return stamp(parse_stamp(self.last_attempt_at)
                     + timedelta(seconds=self.retry_after_seconds))

    def is_due(self, now: datetime | None = None) -> bool:
        """Whether to try now (or at ``now``). A back-off counts time elapsed since the last
        try; if the clock now reads earlier than that try, it was wrong then or is wrong now,
        so waiting for it could last a year: the bundle is tried (the destination holds each
        bundle once)."""
        if self.state in (OutboxState.QUEUED, OutboxState.SENDING):
            return True
        if self.state is not OutboxState.FAILED:
            return False
        if self.last_attempt_at is None:
            return True
        last = parse_stamp(self.last_attempt_at)
        now = now or utc_now()
        return now < last or now >= last + timedelta(seconds=self.retry_after_seconds)


@dataclass(frozen=True)
class OutboxSummary:
    """How many bundles are in each state: the one count the status bar and the page share."""

    queued: int = 0
    sending: int = 0
    failed: int = 0
    refused: int = 0
    delivered: int = 0
    awaiting_receipt: int = 0  # delivered, the Lead's import receipt not yet back

    @property
    def waiting(self) -> int:
        """Bundles that will still go to the Lead by themselves."""
        return self.queued + self.sending + self.failed


@dataclass(frozen=True)
class SyncReport:
    """What one pass of :func:`send_due` did."""

    delivered: int
    failed: int
    waiting: int


def enqueue(store: Store, bundle_id: str, case_id: str, supersedes: str | None,
            content: bytes, *, frozen_at: str | None = None) -> OutboxItem:
    """Queue a sealed bundle for delivery now (inside one transaction with its audit event).

    ``frozen_at`` is when the case was read for the bundle: anything changed after it is not
    in the bundle, which retention relies on (it compares the case's last change with it).
    """
    now = frozen_at or stamp()
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO outbox({_COLUMNS}) VALUES "
            "(?, ?, ?, ?, 'queued', 0, NULL, 0, '', '{}', '', NULL, NULL, ?)",
            (bundle_id, case_id, supersedes, now, len(content)),
        )
        # Apart from the delivery state, so marking it sending or delivered rewrites a small
        # row, not the whole bundle.
        conn.execute("INSERT INTO outbox_content(bundle_id, content) VALUES (?, ?)",
                     (bundle_id, content))
        store.audit("export", "bundle", bundle_id)
    hub.publish(OUTBOX_CHANGED)
    return get_item(store, bundle_id)


def get_item(store: Store, bundle_id: str) -> OutboxItem:
    """One outbox item."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    if row is None:
        raise NotFound("bundle", bundle_id)
    return OutboxItem.from_row(row)


def list_items(store: Store) -> list[OutboxItem]:
    """Every outbox item, oldest first."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY created_at").fetchall()
    return [OutboxItem.from_row(row) for row in rows]


def summarise(items: list[OutboxItem]) -> OutboxSummary:
    """How many of ``items`` are in each state: the one count the status bar and the outbox
    page both show, so they can never disagree."""
    count = {state: sum(1 for item in items if item.state is state) for state in OutboxState}
    return OutboxSummary(
        queued=count[OutboxState.QUEUED], sending=count[OutboxState.SENDING],
        failed=count[OutboxState.FAILED], refused=count[OutboxState.REFUSED],
        delivered=count[OutboxState.DELIVERED],
        awaiting_receipt=sum(1 for item in items
                             if item.state is OutboxState.DELIVERED and not item.acknowledged_at),
    )


def summary(store: Store) -> OutboxSummary:
    """How many of the store's bundles are in each state."""
    return summarise(list_items(store))


def waiting_count(store: Store) -> int:
    """Bundles that will still go by themselves; a bundle the Lead refused waits for the
    officer instead (see :func:`summary`)."""
    return summary(store).waiting


def latest_for_case(store: Store, case_id: str) -> OutboxItem | None:
    """The newest bundle made for a case, which a new one supersedes."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE case_id = ? ORDER BY created_at DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    return None if row is None else OutboxItem.from_row(row)


def due_items(store: Store, *, now: datetime | None = None, retry_now: bool = False) -> list[str]:
    """Ids of bundles to send now, oldest first: queued ones, 'sending' ones left by a stopped
    process, and failed ones whose back-off has passed (or all failed ones with ``retry_now``).
    A bundle the Lead refused is never sent again."""
    moment = now or utc_now()
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('queued', 'sending', 'failed') "
        "ORDER BY created_at"
    ).fetchall()
    items = [OutboxItem.from_row(row) for row in rows]
    return [item.bundle_id for item in items if retry_now or item.is_due(moment)]


def _content(store: Store, bundle_id: str) -> bytes:
    row = store.conn.execute(
        "SELECT content FROM outbox_content WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return bytes(row[0])


@contextmanager
def _not_waiting_for_disk(store: Store) -> Iterator[None]:
    """Commits in this block are ordered in the WAL but not fsynced: the next full commit
    (or checkpoint) makes them durable together."""
    conn = store.conn
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        conn.execute("PRAGMA synchronous = FULL")


BATCH_BUNDLES = 32
"""How many bundles :func:`send_due` marks 'sending' at once, and at most how many deliveries
it records in one commit."""

BATCH_SECONDS = 1.0
"""Deliveries are recorded at least this often (so the outbox page keeps up on a slow link)."""

IN_FLIGHT_BYTES = 32 * 1024 * 1024
"""At most this much of bundles on their way at once (a larger bundle still goes, alone), so
cases with many photos are not held in memory several at a time."""


def _mark_sending(conn: Any, bundle_ids: list[str]) -> None:
    conn.executemany(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, last_attempt_at = ? "
        "WHERE bundle_id = ?",
        [(stamp(), bundle_id) for bundle_id in bundle_ids],
    )


def _record_delivered(store: Store, conn: Any, delivered: list[tuple[str, str, str]]) -> None:
    """Mark ``(bundle id, receipt, delivered at)`` delivered, each with its audit event, in
    the order they were delivered (inside the caller's transaction)."""
    for bundle_id, receipt, at in delivered:
        conn.execute(
            "UPDATE outbox SET state = 'delivered', error_code = '', error_params = '{}', "
            "receipt = ?, delivered_at = ? WHERE bundle_id = ?",
            (receipt, at, bundle_id),
        )
        store.audit("sync", "bundle", bundle_id)


def _record_failed(store: Store, bundle_id: str, error: TransportError,
                   rng: Callable[[], float]) -> None:
    item = get_item(store, bundle_id)
    delay = retry_delay(max(1, item.attempts), rng=rng)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = 'failed', error_code = ?, error_params = ?, "
            "retry_after_seconds = ?, last_attempt_at = ? WHERE bundle_id = ?",
            (error.code, json.dumps(error.params), delay, stamp(), bundle_id),
        )
    hub.publish(OUTBOX_CHANGED)


def send_one(
    store: Store,
    bundle_id: str,
    sender: Sender,
    *,
    rng: Callable[[], float] = random.random,
    durable: bool = True,
) -> bool:
    """Try to deliver one bundle; record the outcome (durably unless ``durable`` is False, when
    the caller makes it durable later). True when delivered."""
    # The 'sending' mark is bookkeeping, not an acknowledged save: losing it in a power cut
    # only means the bundle is sent again under the same id (which the Lead holds once), so it
    # is committed without waiting for the disk. The outcome below is committed in full.
    with _not_waiting_for_disk(store), store.transaction() as conn:
        _mark_sending(conn, [bundle_id])
    hub.publish(OUTBOX_CHANGED)
    try:
        receipt = sender.send(bundle_id, _content(store, bundle_id))
    except TransportError as error:
        _record_failed(store, bundle_id, error, rng)
        return False
    with _not_waiting_for_disk(store) if not durable else nullcontext(), \
            store.transaction() as conn:
        _record_delivered(store, conn, [(bundle_id, str(receipt), stamp())])
    hub.publish(OUTBOX_CHANGED)
    return True


def send_due(
    store: Store,
    sender: Sender,
    *,
    retry_now: bool = False,
    progress: Callable[[int, int], None] | None = None,
    rng: Callable[[], float] = random.random,
    clock: Callable[[], float] = time.monotonic,
) -> SyncReport:
    """Send every bundle that is due, oldest first; report what happened.

    Bookkeeping is batched: up to :data:`BATCH_BUNDLES` bundles are marked 'sending' in one
    commit, and deliveries are recorded together (with their audit events, in delivery order)
    when the next batch is marked, at least every :data:`BATCH_SECONDS`, and at the end. None
    of those commits waits for the disk; one full commit ends the pass, before it reports, so
    everything recorded is on disk by then. A delivery is recorded only after the destination
    has answered that it holds the bundle; one not yet recorded (or lost in a power cut) leaves
    the bundle due, and it is sent again under the same id: the inbox answers "already held".

    A sender whose ``in_flight`` is more than 1 (the HTTPS inbox) has that many bundles on their
    way at once, up to :data:`IN_FLIGHT_BYTES` of them, on threads that only send: the store is
    read and written on this thread alone, and outcomes are recorded in the order the bundles
    were sent.
    """
    due = due_items(store, retry_now=retry_now)
    width = max(1, int(getattr(sender, "in_flight", 1)))
    delivered = failed = finished = 0
    marked = 0  # due[:marked] are marked 'sending' (or done)
    unrecorded: list[tuple[str, str, str]] = []
    last_commit = clock()

    def commit(mark: list[str]) -> None:
        nonlocal unrecorded, last_commit
        with _not_waiting_for_disk(store), store.transaction() as conn:
            _record_delivered(store, conn, unrecorded)
            _mark_sending(conn, mark)
        unrecorded, last_commit = [], clock()
        hub.publish(OUTBOX_CHANGED)

    def record(bundle_id: str, sent: Callable[[], object]) -> None:
        nonlocal delivered, failed, finished
        try:
            receipt = sent()
        except TransportError as error:
            _record_failed(store, bundle_id, error, rng)
            failed += 1
        else:
            unrecorded.append((bundle_id, str(receipt), stamp()))
            delivered += 1
        finished += 1
        hub.publish(SYNC_PROGRESS, done=finished, total=len(due))
        if progress:
            progress(finished, len(due))
        if unrecorded and clock() - last_commit >= BATCH_SECONDS:
            commit([])

    on_the_way: deque[tuple[str, int, Future[object]]] = deque()
    pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="send") if width > 1 else None
    try:
        for index, bundle_id in enumerate(due):
            if index >= marked:
                window = due[marked:marked + BATCH_BUNDLES]
                commit(window)
                marked += len(window)
            content = _content(store, bundle_id)
            if pool is None:
                record(bundle_id, functools.partial(sender.send, bundle_id, content))
                continue
            while on_the_way and (len(on_the_way) >= width or sum(
                    size for _, size, _ in on_the_way) + len(content) > IN_FLIGHT_BYTES):
                earliest, _, sending = on_the_way.popleft()
                record(earliest, sending.result)
            on_the_way.append((bundle_id, len(content),
                               pool.submit(sender.send, bundle_id, content)))
        while on_the_way:
            earliest, _, sending = on_the_way.popleft()
            record(earliest, sending.result)
    finally:
        if pool is not None:
            # Cut short: what has not started is not sent (it stays due); what is on its way is
            # waited for, and recorded if the destination now holds it.
            pool.shutdown(wait=True, cancel_futures=True)
            for bundle_id, _, sending in on_the_way:
                if not sending.cancelled() and sending.exception() is None:
                    unrecorded.append((bundle_id, str(sending.result()), stamp()))
                    delivered += 1
        if delivered:
            with store.transaction() as conn:  # a full commit: everything now on disk
                _record_delivered(store, conn, unrecorded)
                store.set_meta("last_delivery_at", stamp())
            hub.publish(OUTBOX_CHANGED)
    return SyncReport(delivered, failed, waiting_count(store))


def mark_acknowledged(store: Store, bundle_id: str, at: str) -> None:
    """Record the Lead's import receipt for a delivered bundle."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET acknowledged_at = ? WHERE bundle_id = ? AND acknowledged_at IS NULL",
            (at, bundle_id),
        )
        conn.execute("DELETE FROM meta WHERE key = ?", (_OTHER_COPY + bundle_id,))


def _imported_after_refusal(store: Store, bundle_id: str, at: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = 'delivered', error_code = '', error_params = '{}', "
            "acknowledged_at = ? WHERE bundle_id = ? AND state = 'refused'", (at, bundle_id))
        store.audit("sync.imported_after_refusal", "bundle", bundle_id)
    hub.publish(OUTBOX_CHANGED)


_OTHER_COPY = "outbox.other_copy_refused:"
"""Meta key (+ bundle id): the hash of the other bytes the Lead refused under the bundle's id,
for which it was delivered again (so the same receipt never sends it twice)."""


def _deliver_again(store: Store, bundle_id: str, other: str,
                   code: str = "lead_got_other_copy") -> bool:
    """Queue a delivered bundle again because the Lead refused other bytes (``other``, their
    SHA-256) under its id, or (``other`` empty, ``code`` "lead_never_got_it") because its file
    is gone from the shared folder with no receipt; False when already done for that receipt."""
    key = _OTHER_COPY + bundle_id
    with store.transaction() as conn:
        if other:
            done = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if done is not None and done[0] == other:
                return False
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value", (key, other))
        conn.execute(
            "UPDATE outbox SET state = 'queued', error_code = ?, error_params = '{}' "
            "WHERE bundle_id = ? AND state = 'delivered'", (code, bundle_id))
        store.audit("sync.deliver_again", "bundle", bundle_id)
    log.warning("bundle %s: the Lead did not get it whole; delivering it again", bundle_id)
    hub.publish(OUTBOX_CHANGED)
    return True


def collect_receipts(store: Store, transport: Any) -> int:
    """Pick up the Lead's verified import receipts for delivered bundles; returns how many.

    Only a receipt for exactly the bytes sent counts. An "imported" one acknowledges the bundle
    (only then may retention purge the case). A "rejected" one marks it refused, with the Lead's
    reason, and it is never sent again: the same bytes would not help.

    A "rejected" receipt for other bytes under the bundle's id says the Lead never had what was
    sent: the file was damaged or replaced on its way (a byte changed on the share). The bundle
    is delivered again, once for each such receipt (the Lead imports it, and its receipt for
    the bytes sent replaces that one); never lost on a laptop that shows it as sent.

    A refused bundle the Lead imported after all (its laptop enrolled since, the file moved back
    from quarantine) is acknowledged by the receipt that says so.
    """
    from sync.transport import fetch_receipts

    rows = store.conn.execute(
        "SELECT bundle_id, state FROM outbox WHERE (state = 'delivered' AND "
        "acknowledged_at IS NULL) OR state = 'refused'"
    ).fetchall()
    refused = {str(bundle_id) for bundle_id, state in rows if state == "refused"}
    receipts = fetch_receipts(transport, [str(row[0]) for row in rows])
    missing = getattr(transport, "missing", None)
    if missing is not None:  # a shared folder: a file gone before its receipt came
        for bundle_id, _state in rows:
            if bundle_id not in refused and bundle_id not in receipts and missing(bundle_id):
                _deliver_again(store, str(bundle_id), "", "lead_never_got_it")
    counted = 0
    for bundle_id, receipt in receipts.items():
        sent = hashlib.sha256(_content(store, bundle_id)).hexdigest()
        if bundle_id in refused:
            if receipt.status == "imported" and receipt.bundle_sha256 == sent:
                _imported_after_refusal(store, bundle_id, receipt.at)
                counted += 1
            continue
        if receipt.bundle_sha256 != sent:
            if receipt.status == "rejected" and _deliver_again(store, bundle_id,
                                                               receipt.bundle_sha256):
                continue
            # Otherwise a receipt about other bytes than were sent proves nothing either way:
            # the bundle stays delivered and unacknowledged (so never purged).
            log.warning("ignoring a receipt for bundle %s: it is for other content", bundle_id)
            continue
        counted += 1
        if receipt.status == "imported":
            mark_acknowledged(store, bundle_id, receipt.at)
            continue
        with store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'refused', error_code = 'lead_rejected', "
                "error_params = ? WHERE bundle_id = ?",
                (json.dumps({"reason": receipt.reason or ""}), bundle_id),
            )
            store.audit("sync.rejected", "bundle", bundle_id)
        hub.publish(OUTBOX_CHANGED)
    return counted
