"""The outbox, kept in the encrypted store: each bundle is queued, sending, delivered (with its
receipt) or failed (with the last error, and still retried with back-off).

A bundle's id and bytes are fixed when it is queued, so however often a send is interrupted,
retried or resumed after a killed process, the destination receives the same bundle and holds
it once.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from fieldkit.clock import stamp, utc_now
from fieldkit.errors import NotFound
from fieldkit.events import OUTBOX_CHANGED, SYNC_PROGRESS, hub
from fieldkit.store import Store
from sync.backoff import retry_delay
from sync.errors import TransportError

NEVER = "9999-12-31T23:59:59.999999Z"
"""``next_attempt_at`` of a bundle that is not retried by itself (the Lead refused it)."""

_COLUMNS = (
    "bundle_id, case_id, supersedes, created_at, state, attempts, next_attempt_at, last_error, "
    "receipt, delivered_at, acknowledged_at, size"
)


class Sender(Protocol):
    """What the outbox needs of a transport."""

    def send(self, bundle_id: str, data: bytes) -> object:
        """Deliver the bundle or raise TransportError; returns a receipt."""
        ...


@dataclass(frozen=True)
class OutboxItem:
    """One bundle waiting for, or done with, delivery."""

    bundle_id: str
    case_id: str
    supersedes: str | None
    created_at: str
    state: str
    attempts: int
    next_attempt_at: str
    last_error: str
    receipt: str
    delivered_at: str | None
    acknowledged_at: str | None
    size: int


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
            f"INSERT INTO outbox({_COLUMNS}, content) VALUES "
            "(?, ?, ?, ?, 'queued', 0, ?, '', '', NULL, NULL, ?, ?)",
            (bundle_id, case_id, supersedes, now, now, len(content), content),
        )
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
    return OutboxItem(*row)


def list_items(store: Store) -> list[OutboxItem]:
    """Every outbox item, oldest first."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY created_at").fetchall()
    return [OutboxItem(*row) for row in rows]


def waiting_count(store: Store) -> int:
    """Bundles that will still go by themselves (for the status bar); a bundle the Lead
    refused waits for the officer instead (see :func:`refused_count`)."""
    row = store.conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE state != 'delivered' AND next_attempt_at != ?",
        (NEVER,),
    ).fetchone()
    return int(row[0])


def refused_count(store: Store) -> int:
    """Bundles the Lead could not import: they need the officer (and the Lead) to act."""
    row = store.conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE state = 'failed' AND next_attempt_at = ?", (NEVER,)
    ).fetchone()
    return int(row[0])


def latest_for_case(store: Store, case_id: str) -> OutboxItem | None:
    """The newest bundle made for a case, which a new one supersedes."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE case_id = ? ORDER BY created_at DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    return None if row is None else OutboxItem(*row)


def due_items(store: Store, *, now: datetime | None = None, retry_now: bool = False) -> list[str]:
    """Ids of bundles to send now. 'sending' rows were left by a stopped process: resume them."""
    moment = stamp(now or utc_now())
    if retry_now:
        rows = store.conn.execute(
            "SELECT bundle_id FROM outbox WHERE state != 'delivered' ORDER BY created_at"
        ).fetchall()
    else:
        rows = store.conn.execute(
            "SELECT bundle_id FROM outbox WHERE state = 'sending' OR "
            "(state IN ('queued', 'failed') AND next_attempt_at <= ?) ORDER BY created_at",
            (moment,),
        ).fetchall()
    return [str(row[0]) for row in rows]


def _content(store: Store, bundle_id: str) -> bytes:
    row = store.conn.execute(
        "SELECT content FROM outbox WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return bytes(row[0])


def send_one(
    store: Store, bundle_id: str, sender: Sender, *, rng: Callable[[], float] = random.random
) -> bool:
    """Try to deliver one bundle; record the outcome durably. True when delivered."""
    # The 'sending' mark is bookkeeping, not an acknowledged save: losing it in a power cut
    # only means the bundle is sent again under the same id (which the Lead holds once), so it
    # is committed without waiting for the disk. The outcome below is committed in full.
    conn = store.conn
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with store.transaction():
            conn.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1 "
                "WHERE bundle_id = ?",
                (bundle_id,),
            )
    finally:
        conn.execute("PRAGMA synchronous = FULL")
    hub.publish(OUTBOX_CHANGED)
    try:
        receipt = sender.send(bundle_id, _content(store, bundle_id))
    except TransportError as error:
        item = get_item(store, bundle_id)
        delay = retry_delay(item.attempts, rng=rng)
        with store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?, next_attempt_at = ? "
                "WHERE bundle_id = ?",
                (str(error), stamp(utc_now() + timedelta(seconds=delay)), bundle_id),
            )
        hub.publish(OUTBOX_CHANGED)
        return False
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = 'delivered', last_error = '', receipt = ?, "
            "delivered_at = ? WHERE bundle_id = ?",
            (str(receipt), stamp(), bundle_id),
        )
        store.audit("sync", "bundle", bundle_id)
    hub.publish(OUTBOX_CHANGED)
    return True


def send_due(
    store: Store,
    sender: Sender,
    *,
    retry_now: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Send every bundle that is due, oldest first; report what happened."""
    due = due_items(store, retry_now=retry_now)
    delivered = failed = 0
    for done, bundle_id in enumerate(due, start=1):
        if send_one(store, bundle_id, sender):
            delivered += 1
        else:
            failed += 1
        hub.publish(SYNC_PROGRESS, done=done, total=len(due))
        if progress:
            progress(done, len(due))
    return SyncReport(delivered, failed, waiting_count(store))


def mark_acknowledged(store: Store, bundle_id: str, at: str) -> None:
    """Record the Lead's import receipt for a delivered bundle."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET acknowledged_at = ? WHERE bundle_id = ? AND acknowledged_at IS NULL",
            (at, bundle_id),
        )


def collect_receipts(store: Store, transport: Any) -> int:
    """Pick up the Lead's verified import receipts for delivered bundles; returns how many.

    An "imported" receipt for exactly the bytes sent acknowledges the bundle (only then may
    retention purge the case). A "rejected" one puts the bundle back as failed, with the Lead's
    reason, and not retried by itself: sending the same bytes again would not help.
    """
    from sync.transport import fetch_receipts

    rows = store.conn.execute(
        "SELECT bundle_id FROM outbox WHERE state = 'delivered' AND acknowledged_at IS NULL"
    ).fetchall()
    receipts = fetch_receipts(transport, [str(row[0]) for row in rows])
    for bundle_id, receipt in receipts.items():
        sent = hashlib.sha256(_content(store, bundle_id)).hexdigest()
        if receipt.status == "imported" and receipt.bundle_sha256 == sent:
            mark_acknowledged(store, bundle_id, receipt.at)
            continue
        reason = receipt.reason or "the receipt is for other content than was sent"
        with store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?, next_attempt_at = ? "
                "WHERE bundle_id = ?",
                (f"The Lead could not import this bundle: {reason}", NEVER, bundle_id),
            )
            store.audit("sync.rejected", "bundle", bundle_id)
        hub.publish(OUTBOX_CHANGED)
    return len(receipts)
