"""A reference registered on two devices apart, from the command line: listed as such, and the
person registered on one device given a new reference."""

from __future__ import annotations

from pathlib import Path

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device
from sync.board_share import journal
from tests.conftest import PASSPHRASE
from tests.integration.test_board_share_cli import _run
from tests.unit.test_board_share_registration import AS_OF, Pair, _register_apart


def test_a_reference_registered_twice_is_listed_and_split(tmp_path: Path) -> None:
    pair = Pair(tmp_path)
    try:
        _register_apart(pair)
        police_id = device.device_id(pair.stores[1])
    finally:
        for store in pair.stores:
            store.lock()
    folder = tmp_path / "coordinator"
    listed = _run(folder, "reception", "conflicts", "--case", pair.cases[0])
    assert listed.returncode == 0, listed.stderr
    assert "R007 registered on 2 devices apart" in listed.stdout
    assert f"by Officer police on device {police_id}" in listed.stdout
    split = _run(folder, "reception", "new-reference", "--case", pair.cases[0], "--person",
                 "R007", "--device", police_id, "--new-reference", "R008")
    assert split.returncode == 0, split.stderr
    assert "now R008" in split.stderr
    again = _run(folder, "reception", "new-reference", "--case", pair.cases[0], "--person",
                 "R007", "--device", police_id, "--new-reference", "R009")
    assert again.returncode == 1
    assert "R007 was not registered on two devices apart" in again.stderr
    with Store.open(pair_settings(folder), PASSPHRASE) as store:
        board = journal.merged_board(store, pair.cases[0], AS_OF)
    assert [m.person.reference for m in board.people] == ["R007", "R008"]
    assert board.conflicts == ()


def pair_settings(folder: Path) -> Settings:
    """The settings the pair's stores were made with."""
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def test_a_person_kept_on_the_child_route_is_listed_and_their_age_decided(
        tmp_path: Path) -> None:
    pair = Pair(tmp_path)
    try:
        journal.record_change(pair.stores[1], pair.cases[1], "R003", "age_group", "child")
        pair.sync()
        journal.record_change(pair.stores[0], pair.cases[0], "R003", "age_group", "adult")
    finally:
        for store in pair.stores:
            store.lock()
    folder = tmp_path / "coordinator"
    listed = _run(folder, "reception", "conflicts", "--case", pair.cases[0])
    assert listed.returncode == 0, listed.stderr
    assert "No conflicts." in listed.stdout
    assert "R003 kept on the child route (recorded as under 18, or possibly: age_group child " \
           "by Officer police at " in listed.stdout
    neither = _run(folder, "reception", "decide-age", "--case", pair.cases[0], "--person",
                   "R003")
    assert neither.returncode == 2 and "--adult" in neither.stderr
    decided = _run(folder, "reception", "decide-age", "--case", pair.cases[0], "--person",
                   "R003", "--adult")
    assert decided.returncode == 0, decided.stderr
    assert "R003's age recorded as decided: an adult." in decided.stderr
    after = _run(folder, "reception", "conflicts", "--case", pair.cases[0])
    assert "child route" not in after.stdout
    with Store.open(pair_settings(folder), PASSPHRASE) as store:
        person = journal.merged_board(store, pair.cases[0], AS_OF).person("R003")
    assert person.person.age_group == "adult" and not person.child_rule_applied
