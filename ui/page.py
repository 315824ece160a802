"""The contract every screen of the workspace keeps: which case it belongs to, how it refreshes,
how it saves what is being typed, and whether it shows the outbox. The workspace and the main
window speak only this; nothing is set on a page from outside."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A screen of the unlocked workspace. Subclasses pass their case (or None) and override
    what applies to them; the defaults do nothing."""

    wants_full_width = False
    """True for screens that need the whole width (the pathway panel is hidden beside them)."""
    shows_outbox = False
    """True for screens showing part of the outbox (refreshed by :meth:`refresh_outbox`)."""

    def __init__(self, case_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_case_id = case_id

    @property
    def case_id(self) -> str | None:
        """The case this screen belongs to (None for the cases list and the outbox)."""
        return self._page_case_id

    @property
    def pending_work(self) -> str:
        """Work started on this screen that a lock would cut short, in words ("" if none)."""
        return ""

    def place(self) -> tuple[str, ...]:
        """How to open this screen again after unlocking: a kind and record ids, never any
        content ("" for the cases list, which is always there)."""
        return ()

    def refresh(self) -> None:
        """Records changed: show them again."""

    def refresh_outbox(self) -> None:
        """The outbox changed (only called when :attr:`shows_outbox`)."""

    def flush_drafts(self) -> None:
        """Save what is being typed, now (before going back, locking or quitting)."""
