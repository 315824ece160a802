"""Where this computer's store should be, and whether it is there.

A store on a USB drive that is not plugged in, or in a network home folder that is not
connected, must never look like "no store yet": the officer would be offered a new, empty store
over the place the real one lives. So this computer remembers (in ``Settings.state_dir``, off
the store's drive) every store folder it created or unlocked; a remembered folder with no store
in it now is *missing*, not new. A folder set explicitly (``--data-dir``,
``FIELDKIT_DATA_DIR``) whose parent folder is not there is missing too, remembered or not.
"""

from __future__ import annotations

import contextlib
import json
import os
from enum import Enum
from pathlib import Path

from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.errors import DiskFull, FieldkitError, StoreFolderMissing, StoreMissing
from fieldkit.settings import Settings, default_data_dir
from fieldkit.storefiles import DB_NAME, KEY_NAME

KNOWN_NAME = "known-stores.json"
"""The list of store folders this computer has created or unlocked, in the state folder."""


class StorePlace(Enum):
    """What is at the store's folder: a store, nothing yet, or a store that cannot be found."""

    FOUND = "found"
    NONE_YET = "none yet"
    MISSING = "missing"


def store_in(folder: Path) -> bool:
    """True when ``folder`` holds a store (its key file or its database)."""
    return (folder / KEY_NAME).exists() or (folder / DB_NAME).exists()


def find_store(settings: Settings) -> StorePlace:
    """Whether the store of ``settings`` is there, was never made, or cannot be found now."""
    folder = settings.data_dir
    if store_in(folder):
        return StorePlace.FOUND
    if _key(folder) in _known(settings.state_dir):
        return StorePlace.MISSING
    if folder.expanduser() != default_data_dir() and not folder.expanduser().parent.is_dir():
        return StorePlace.MISSING  # a chosen place whose drive or folder is not there
    if not Path.home().is_dir():
        return StorePlace.MISSING  # a network home folder that is not connected
    return StorePlace.NONE_YET


def not_found(settings: Settings) -> FieldkitError:
    """The error for a store that is not there: missing (say so) or never made."""
    if find_store(settings) is StorePlace.MISSING:
        return StoreFolderMissing(settings.data_dir)
    return StoreMissing(settings.data_dir)


def refuse_if_missing(settings: Settings) -> None:
    """Raise StoreFolderMissing rather than let a new store be made where one cannot be found."""
    if find_store(settings) is StorePlace.MISSING:
        raise StoreFolderMissing(settings.data_dir)


def remember(settings: Settings) -> None:
    """Note that the store of ``settings`` lives in its folder (after creating or unlocking
    it). A full or read-only state folder must not stop the store opening: then it is not
    noted this time."""
    known = _known(settings.state_dir)
    key = _key(settings.data_dir)
    if key in known:
        return
    with contextlib.suppress(OSError, DiskFull):
        make_private_dir(settings.state_dir)
        data = json.dumps(sorted({*known, key}), indent=1).encode()
        write_atomic(settings.state_dir / KNOWN_NAME, data)


def forget(settings: Settings) -> None:
    """Stop treating the folder of ``settings`` as a store that should be there (the officer
    removed it on purpose). Nothing in the folder is touched."""
    known = _known(settings.state_dir)
    key = _key(settings.data_dir)
    if key in known:
        known.discard(key)
        write_atomic(settings.state_dir / KNOWN_NAME, json.dumps(sorted(known)).encode())


def _key(folder: Path) -> str:
    return os.path.abspath(folder.expanduser())


def _known(state_dir: Path) -> set[str]:
    try:
        listed = json.loads((state_dir / KNOWN_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(item) for item in listed} if isinstance(listed, list) else set()


def start_again(settings: Settings) -> None:
    """The officer says the store that cannot be found was removed on purpose (a laptop handed
    over and wiped, a drive retired): stop treating its folder as missing so a new, empty store
    can be made there. Refused (StoreFolderMissing, nothing forgotten) while the folder's drive
    or parent folder is not there at all: a store made then would be made in the wrong place."""
    folder = settings.data_dir.expanduser()
    if not folder.parent.is_dir() or not Path.home().is_dir():
        raise StoreFolderMissing(settings.data_dir)
    forget(settings)
