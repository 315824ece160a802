"""The save state every form shows, in words: "All changes saved 10:42", "Saving…", "Changes
kept as a draft 10:41", so an officer never wonders whether what they typed is safe."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from fieldkit import clock


class SaveState(QLabel):
    """One line saying where what is on screen stands; read by screen readers too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Save state"))
        self.setText(self.tr("Nothing changed yet."))

    def _now(self) -> str:
        return clock.local_now().strftime("%H:%M")

    def changed(self) -> None:
        """Something was typed and is not saved yet (the draft follows within seconds)."""
        self.setText(self.tr("Unsaved changes: kept as a draft within a second or two…"))

    def restored(self) -> None:
        """What is shown came back from a draft: changes made before, never saved as a
        version."""
        self.setText(self.tr("Restored changes not yet saved (kept as a draft): Ctrl+S saves "
                             "them as a version."))

    def saved_draft(self) -> None:
        """The draft was written to the encrypted store."""
        self.setText(self.tr("Changes kept as a draft {time} (not yet saved as a version)")
                     .format(time=self._now()))

    def saving(self) -> None:
        """A save is under way."""
        self.setText(self.tr("Saving…"))

    def saved(self) -> None:
        """Everything on screen is saved as a version."""
        self.setText(self.tr("All changes saved {time}").format(time=self._now()))

    def failed(self) -> None:
        """The save did not happen; what was typed is still on screen and in the draft."""
        self.setText(self.tr("Not saved: see the message. What you typed is kept."))
