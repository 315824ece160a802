"""Typed errors raised by the core. Messages are plain English and never carry personal data.

The command line prints ``str(error)`` on one line; the desktop app translates them in one place.
"""

from __future__ import annotations

from pathlib import Path


class FieldkitError(Exception):
    """Base of every error the core raises on purpose."""


class StoreMissing(FieldkitError):
    """There is no store in the data folder yet."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"No fieldkit store in {folder}. Run 'fieldkit init' to create one.")


class StoreFolderMissing(FieldkitError):
    """The store's folder is not there, though a store was made or opened there before (or its
    drive's folder is missing): a drive not plugged in, a network folder not connected."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(
            f"The store's folder {folder} cannot be found: is the drive plugged in? Plug it in "
            "(or connect the network folder) and try again. No new store was created; to start "
            "a new store somewhere else, run 'fieldkit init --data-dir FOLDER' (or, if it was "
            "removed on purpose, 'fieldkit init --store-was-removed')."
        )


class StoreExists(FieldkitError):
    """A store already exists where a new one was asked for."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"A fieldkit store already exists in {folder}; refusing to create another over it."
        )


class WrongPassphrase(FieldkitError):
    """The passphrase (with this device's secret) does not unlock the store."""

    def __init__(self) -> None:
        super().__init__("Wrong passphrase: the store was not unlocked. Nothing was changed.")


class UnlockDelayed(FieldkitError):
    """Too many wrong passphrases in a row: the next attempt must wait."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            f"Too many wrong passphrases in a row: try again in {seconds} s. Nothing was changed."
        )


class KeyringUnavailable(FieldkitError):
    """The store needs a device secret from the OS keyring, and no keyring can be reached."""

    def __init__(self) -> None:
        super().__init__(
            "This store is protected by a device secret kept in the system keyring, and no "
            "keyring can be reached. Start your desktop session's keyring (Secret Service) "
            "and try again. Nothing was changed."
        )


class DeviceSecretMissing(FieldkitError):
    """The keyring answers but no longer holds this store's device secret."""

    def __init__(self) -> None:
        super().__init__(
            "The system keyring no longer holds this store's device secret (the store folder "
            "was copied from another computer, or the keyring was reset or changed). The store "
            "cannot be opened here: "
            "restore the keyring, or open the store on the device that created it. "
            "Nothing was changed and no new store was created."
        )


class StoreCorrupt(FieldkitError):
    """A store file is damaged or is not a fieldkit file at all."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"{path} is damaged or is not a fieldkit store ({detail}). Nothing was overwritten."
        )
        self.path = path
        self.unreadable_with_key = False
        """True when the key unwrapped but does not read the database's first page."""


class StoreTooNew(FieldkitError):
    """The store was written by a newer fieldkit than this one."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"This store was made by a newer version of fieldkit (schema {found}; this version "
            f"reads up to {supported}). Update fieldkit to open it. Nothing was changed."
        )


class StoreLocked(FieldkitError):
    """The store was used after it was locked."""

    def __init__(self) -> None:
        super().__init__("The store is locked. Unlock it to continue.")


class NotFound(FieldkitError):
    """A record asked for by id does not exist."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"No {kind} with id {record_id}.")


class InvalidInput(FieldkitError):
    """Input that cannot be saved; the message names the field and what is wrong."""


class AppendOnly(FieldkitError):
    """An attempt to change or erase a contemporaneous record."""

    def __init__(self) -> None:
        super().__init__(
            "Note entries cannot be edited or deleted; add a correction instead."
        )


class DiskFull(FieldkitError):
    """A save needs more room than the store's disk has; nothing of it was written."""

    def __init__(self, free_bytes: int, need_bytes: int) -> None:
        self.free_bytes = free_bytes
        self.need_bytes = need_bytes
        super().__init__(
            f"The disk is full: {megabytes(free_bytes)} MB free, this needs about "
            f"{megabytes(need_bytes)} MB. Nothing was saved; free some space and save again."
        )


class StoreUnreachable(FieldkitError):
    """The store's folder or drive went away (unplugged, unmounted) or reports I/O errors."""

    def __init__(self, folder: Path, detail: str) -> None:
        super().__init__(
            f"The store in {folder} cannot be reached ({detail}). Nothing was half-written; "
            "reconnect the drive or folder and unlock again."
        )
        self.folder = folder


class StoreReadOnly(FieldkitError):
    """The store's folder or files cannot be written (a read-only folder or drive)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"The store folder {folder} is read-only, so fieldkit cannot save there. Make the "
            "folder (and its files) writable again, then unlock. Nothing was changed."
        )
        self.folder = folder


class StoreInUse(FieldkitError):
    """Another fieldkit (the app or a command) has this store open."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"The store in {folder} is in use by another fieldkit (the app or a command). "
            "Close or lock the other one and try again. Nothing was changed."
        )


class KeyFileMismatch(StoreCorrupt):
    """The passphrase unwrapped the key file, but its key does not read the database."""

    def __init__(self, folder: Path) -> None:
        FieldkitError.__init__(
            self,
            f"The key file {folder / 'fieldkit.key'} does not open {folder / 'fieldkit.db'}: "
            "the key file belongs to another store, or to this store before its key was "
            "changed, or the database's first page is damaged. Put back this store's own "
            "fieldkit.key. Nothing was changed.",
        )
        self.path = folder / "fieldkit.key"
        self.unreadable_with_key = True


class KeyringLocked(FieldkitError):
    """The keyring answers but is locked, so the device secret cannot be read."""

    def __init__(self) -> None:
        super().__init__(
            "The system keyring is locked, so this store's device secret cannot be read. Unlock "
            "the keyring (log in to your desktop session again, or unlock 'Login' in your "
            "keyring manager) and try again. Your passphrase was not checked; nothing was changed."
        )


class RekeyUnfinished(FieldkitError):
    """A re-key was interrupted and this passphrase belongs to the other side of it."""

    def __init__(self, use: str) -> None:
        super().__init__(
            "A passphrase change was interrupted part-way. Lock fieldkit if it is open, then "
            f"unlock once with your {use} passphrase and fieldkit finishes tidying it up. "
            "Nothing was lost."
        )


def megabytes(count: int) -> str:
    """Bytes as megabytes for messages: one decimal under 10 MB, whole numbers above."""
    value = count / 1_000_000
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"
