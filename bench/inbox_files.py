"""The inbox's file work alone, without network or TLS: ``python -m bench.inbox_files [ROUNDS]``.

1,000 bundles of 80 KiB stored by 40 worker threads at once (anyio's default thread pool, as
the inbox's requests use), each side in a fresh folder, the two sides alternating each round:

- ``bare``: what the bare endpoint does (temp file, fsync, rename, fsync the folder);
- ``inbox``: ``sync.inbox.store_bundle`` as the inbox calls it (owner claim, body, publish),
  whichever version is first on the Python path (run it with ``PYTHONPATH`` set to an older
  checkout to compare versions on the same disk in the same minute).

Prints bundles a second for each round and the load average. Not part of ``make bench``: it is
a tool for finding where the inbox's own file work waits on the disk.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fieldkit.atomicfile import write_atomic
from sync.inbox import store_bundle

BUNDLES = 1000
BUNDLE_BYTES = 80 * 1024
THREADS = 40


def _bare(root: Path) -> Callable[[str, bytes], object]:
    def store(bundle_id: str, body: bytes) -> object:
        write_atomic(root / f"{bundle_id}.age", body)
        return True
    return store


def _inbox(root: Path) -> Callable[[str, bytes], object]:
    (root / "bundles").mkdir(mode=0o700)
    (root / "owners").mkdir(mode=0o700)
    device_id = str(uuid.uuid4())

    def store(bundle_id: str, body: bytes) -> object:
        return store_bundle(root, bundle_id, device_id, hashlib.sha256(body).hexdigest(), [body])
    return store


def one_round(kind: str, bodies: list[tuple[str, bytes]]) -> float:
    """Bundles a second for one side storing ``bodies`` in a fresh folder."""
    with tempfile.TemporaryDirectory(prefix=f"inbox-files-{kind}-") as folder:
        store = (_bare if kind == "bare" else _inbox)(Path(folder))
        with ThreadPoolExecutor(THREADS) as pool:
            began = time.perf_counter()
            outcomes = list(pool.map(lambda item: store(*item), bodies))
            took = time.perf_counter() - began
        if not all(outcomes):
            raise RuntimeError(f"{kind}: a bundle was not stored")
    return len(bodies) / took


def main(argv: list[str]) -> int:
    """Alternate the two sides ``ROUNDS`` times (3 by default)."""
    rounds = int(argv[0]) if argv else 3
    bodies = [(str(uuid.uuid4()), os.urandom(BUNDLE_BYTES)) for _ in range(BUNDLES)]
    print(f"load before {os.getloadavg()[0]:.1f}", flush=True)
    for n in range(rounds):
        for kind in ("bare", "inbox") if n % 2 == 0 else ("inbox", "bare"):
            rate = one_round(kind, bodies)
            print(f"{kind:5} {rate:6.0f} bundles/s (load {os.getloadavg()[0]:.1f})",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
