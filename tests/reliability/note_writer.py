"""Child process for the durability test: adds notes in a loop, printing each id once saved."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fieldkit import notes
from fieldkit.settings import Settings
from fieldkit.store import Store


def main() -> None:
    data_dir, visit_id, run = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    store = Store.open(Settings(data_dir=data_dir), os.environ["FIELDKIT_PASSPHRASE"])
    n = 0
    while True:
        n += 1
        entry = notes.add_note(store, visit_id, f"Durable run {run} note {n} Kqzvcanary")
        # Printed only after add_note returned: the save has been acknowledged.
        sys.stdout.write(entry.id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
