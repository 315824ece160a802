"""The clock jumps (a flat CMOS battery corrected by the network, the GMT/BST changes): notes
keep their entry order, displayed times name their zone, and a time earlier than the entry
before it is shown as such. The jumps are real: the command line runs under libfaketime."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from fieldkit import notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, Cli


@pytest.fixture
def london() -> Iterator[None]:
    """The computer's zone set to the UK's, as on an officer's laptop."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def _note_at(cli: Cli, offset: str, visit_id: str, text: str) -> None:
    """``fieldkit note add`` in a process whose clock is moved by ``offset`` (libfaketime)."""
    if shutil.which("faketime") is None:
        reason = "libfaketime (the faketime command) is not installed; .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    env = dict(cli.env, FIELDKIT_PASSPHRASE=PASSPHRASE, **FAST_KDF)
    done = subprocess.run(
        ["faketime", "-f", offset, sys.executable, "-m", "fieldkit.cli", "--data-dir",
         str(cli.data_dir), "note", "add", "--visit", visit_id, text],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_notes_keep_entry_order_and_a_time_that_went_back_is_marked(
    cli: Cli, london: None, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from ui.notes_view import NotesModel

    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Clockwork").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Canal Yard",
                      "--address", "Canal Side").last_line
    _note_at(cli, "+0d", visit_id, "First entry on arrival")
    _note_at(cli, "-400d", visit_id, "Second entry, clock reset by a flat battery")
    _note_at(cli, "+3h", visit_id, "Third entry, clock three hours fast")
    _note_at(cli, "+0d", visit_id, "Fourth entry, clock corrected by the network")

    settings = Settings(data_dir=cli.data_dir, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    with Store.open(settings, PASSPHRASE) as store:
        entries = notes.list_notes(store, visit_id)
        found = notes.search_notes(store, "entry")
    assert [entry.text.split()[0] for entry in entries] == ["First", "Second", "Third", "Fourth"]
    assert [entry.seq for entry in entries] == [1, 2, 3, 4]
    assert [entry.id for entry in found] == [entry.id for entry in entries]  # entry order
    assert notes.clock_went_back(entries) == {entries[1].id, entries[3].id}

    model = NotesModel()
    model.set_entries(entries)
    shown = {entry.seq: model.describe(entry) for entry in entries}
    assert "earlier than the entry before: the clock was changed" in shown[2]
    assert "earlier than the entry before" in shown[4]
    assert "earlier" not in shown[1] and "earlier" not in shown[3]
    assert all(re.search(r"\d\d:\d\d:\d\d (GMT|BST)", text) for text in shown.values())


def test_times_across_the_gmt_bst_changes_name_their_zone(london: None) -> None:
    from ui.controls import local_time

    def local_display(stamp: str, with_date: bool = True) -> str:
        return local_time(stamp, with_date=with_date, with_zone=True)

    # Spring forward: 00:59:59 GMT is followed by 02:00:00 BST.
    assert local_display("2026-03-29T00:59:59.000000Z") == "29 Mar 2026 00:59:59 GMT"
    assert local_display("2026-03-29T01:00:00.000000Z") == "29 Mar 2026 02:00:00 BST"
    # Fall back: 01:30 happens twice; the zone tells the two apart.
    first = local_display("2026-10-25T00:30:00.000000Z", with_date=False)
    second = local_display("2026-10-25T01:30:00.000000Z", with_date=False)
    assert (first, second) == ("01:30:00 BST", "01:30:00 GMT")
    assert local_display("never") == "never"


def test_a_day_is_shown_without_a_leading_zero() -> None:
    """The Lead's Inbox said "02 Oct 2026 10:16:42" where the desk says "2 October 2026"."""
    from ui.controls import local_time

    shown = local_time("2026-10-02T09:16:42.000000Z")
    assert shown.startswith("2 Oct 2026 ") and not shown.startswith("02")
