"""Nothing typed is lost: text being typed is saved to the store's ``drafts`` table shortly
after each change (a debounced single-shot timer), and restored when the screen reopens."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from fieldkit.clock import stamp
from fieldkit.store import Store

DEBOUNCE_MS = 1000
"""Autosave this long after the last change: well inside the 2-second promise, and long
enough that a fast typist causes one write per pause, not one per key."""


def load_draft(store: Store, key: str) -> dict[str, Any] | None:
    """The saved draft for ``key``, or None."""
    row = store.conn.execute("SELECT data FROM drafts WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def draft_saved_at(store: Store, key: str) -> str | None:
    """When the draft for ``key`` was last saved (UTC stamp), or None."""
    row = store.conn.execute("SELECT saved_at FROM drafts WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def save_draft(store: Store, key: str, data: dict[str, Any]) -> None:
    """Write (or replace) the draft for ``key``; durable when this returns."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO drafts(key, data, saved_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            (key, json.dumps(data), stamp()),
        )


def delete_draft(store: Store, key: str) -> None:
    """Forget the draft for ``key`` (after what it held was saved for real)."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM drafts WHERE key = ?", (key,))


class DraftSaver(QObject):
    """Debounced autosave of one draft. Call :meth:`touch` on every change.

    ``read`` returns the draft as a JSON-able dict, or None when there is nothing worth
    keeping (an empty box), in which case the stored draft is removed.
    """

    saved = Signal(str)  # the draft key

    def __init__(
        self,
        store: Store,
        key: str,
        read: Callable[[], dict[str, Any] | None],
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.key = key
        self._read = read
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.flush)
        self._pending = False

    @property
    def pending(self) -> bool:
        """True while a change has not been written yet."""
        return self._pending

    def touch(self) -> None:
        """Note a change; the draft is written after the debounce interval."""
        self._pending = True
        self._timer.start()

    def flush(self) -> None:
        """Write now if anything changed (called on lock and close so nothing is lost)."""
        self._timer.stop()
        if not self._pending or not self._store.is_open:
            return
        self._pending = False
        data = self._read()
        if data is None:
            delete_draft(self._store, self.key)
        else:
            save_draft(self._store, self.key, data)
        self.saved.emit(self.key)

    def discard(self) -> None:
        """Drop the draft: what it held has been saved as a record."""
        self._timer.stop()
        self._pending = False
        if self._store.is_open:
            delete_draft(self._store, self.key)

    def load(self) -> dict[str, Any] | None:
        """The stored draft, if any."""
        return load_draft(self._store, self.key)
