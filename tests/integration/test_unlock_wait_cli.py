"""Issue 10, item 12: the command line is held to the same growing wait as the app, counted in
the store folder across processes."""

from __future__ import annotations

import re

from fieldkit.unlock_attempts import read_failures, record_failure
from tests.conftest import Cli


def test_wrong_passphrases_at_the_command_line_make_the_next_one_wait(cli: Cli) -> None:
    cli.ok("init")
    for _ in range(2):
        wrong = cli("case", "list", passphrase="wrong horse")
        assert wrong.code == 1 and "Wrong passphrase" in wrong.err
    assert read_failures(cli.data_dir).count == 2  # counted on disk, by separate processes
    # Three more just now (as the app would count them): an 8 s wait, longer than a slow
    # machine takes to start the command, so the check below cannot race the clock.
    for _ in range(3):
        record_failure(cli.data_dir)
    held = cli("case", "list")  # the right passphrase, too soon
    assert held.code == 1
    assert re.search(r"Too many wrong passphrases in a row: try again in [1-8] s", held.err)
    assert read_failures(cli.data_dir).count == 5
