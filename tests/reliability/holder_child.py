"""Child process standing for a second fieldkit: unlocks the store (as the app does), prints
'open', and keeps it open until its standard input closes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fieldkit.settings import Settings
from fieldkit.store import Store


def main() -> None:
    settings = Settings(data_dir=Path(sys.argv[1]))
    store = Store.open(settings, os.environ["FIELDKIT_PASSPHRASE"])
    print("open", flush=True)
    sys.stdin.read()
    store.lock()


if __name__ == "__main__":
    main()
