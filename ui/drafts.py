"""Nothing typed is lost: what is being typed is saved as a draft (``fieldkit.drafts``) shortly
after each change (a debounced single-shot timer), and restored when the screen reopens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from fieldkit import drafts
from fieldkit.drafts import Draft, DraftOwner
from fieldkit.store import Store

DEBOUNCE_MS = 1000
"""Autosave this long after the last change: well inside the 2-second promise, and long
enough that a fast typist causes one write per pause, not one per key."""


class DraftSaver(QObject):
    """Debounced autosave of one draft. Call :meth:`touch` on every change.

    ``read`` returns the draft as a JSON-able dict, or None when there is nothing worth
    keeping (an empty box), in which case the stored draft is removed.
    """

    saved = Signal(str)  # the draft's key

    def __init__(
        self,
        store: Store,
        owner: DraftOwner,
        read: Callable[[], dict[str, Any] | None],
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.owner = owner
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
            drafts.delete_draft(self._store, self.owner)
        else:
            drafts.save_draft(self._store, self.owner, data)
        self.saved.emit(self.owner.key)

    def discard(self) -> None:
        """Drop the draft: what it held has been saved as a record."""
        self._timer.stop()
        self._pending = False
        if self._store.is_open:
            drafts.delete_draft(self._store, self.owner)

    def load(self) -> dict[str, Any] | None:
        """The stored draft's data, if any."""
        draft = self.load_draft()
        return None if draft is None else draft.data

    def load_draft(self) -> Draft | None:
        """The stored draft with when it was first typed and last saved, if any."""
        return drafts.load_draft(self._store, self.owner)
