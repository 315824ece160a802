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
            "The system keyring no longer holds this store's device secret (a new machine, a "
            "reset keyring or a changed keyring backend). The store cannot be opened here: "
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
