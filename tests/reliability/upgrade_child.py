"""Child process for the cut-short tests: prints 'ready', then upgrades (opens) a store or
re-keys it, then prints 'done'. The parent kills it at a random moment in between."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldkit import rekey
from fieldkit.settings import Settings
from fieldkit.store import Store


def main() -> None:
    action, data_dir, passphrase = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    settings = Settings(data_dir=data_dir, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    if action == "upgrade":
        print("ready", flush=True)
        store = Store.open(settings, passphrase)
    else:
        store = Store.open(settings, passphrase)
        print("ready", flush=True)
        rekey.rekey(store, settings, passphrase, sys.argv[4])
    store.lock()
    print("done", flush=True)


if __name__ == "__main__":
    main()
