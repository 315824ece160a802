"""Issue 10, item 12: wrong passphrases are counted in the store folder, so a restart does not
reset the growing wait, and the command line is held to the same wait as the app."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fieldkit.clock import utc_now
from fieldkit.errors import UnlockDelayed, WrongPassphrase
from fieldkit.settings import Settings
from fieldkit.store import Store
from fieldkit.unlock_attempts import (
    FAILURES_NAME,
    Failures,
    delay_after,
    read_failures,
)
from tests.conftest import PASSPHRASE


@pytest.fixture
def closed(settings: Settings) -> Settings:
    Store.create(settings, PASSPHRASE).lock()
    return settings


def test_failures_survive_a_restart_and_the_wait_is_enforced(closed: Settings) -> None:
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Store.unwrap_key(closed, "wrong horse")
    # A new process knows nothing in memory: the count is on disk.
    assert read_failures(closed.data_dir).count == 2
    with pytest.raises(UnlockDelayed) as delayed:
        Store.unwrap_key(closed, PASSPHRASE)  # even the right passphrase must wait
    assert delayed.value.seconds == 1
    assert read_failures(closed.data_dir).count == 2  # waiting is not another failure


def test_a_right_passphrase_after_the_wait_clears_the_count(closed: Settings) -> None:
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Store.unwrap_key(closed, "wrong horse")
    path = closed.data_dir / FAILURES_NAME
    stamp = json.loads(path.read_text())
    stamp["last"] = "2020-01-01T00:00:00.000000Z"  # the wait has passed
    path.write_text(json.dumps(stamp))
    Store.unwrap_key(closed, PASSPHRASE)
    assert not path.exists()


def test_a_spoiled_counter_is_not_a_clean_slate(closed: Settings) -> None:
    (closed.data_dir / FAILURES_NAME).write_text("{not json")
    assert read_failures(closed.data_dir).count >= 2
    with pytest.raises(UnlockDelayed):
        Store.unwrap_key(closed, PASSPHRASE)


def test_a_clock_set_back_never_lengthens_or_shortens_below_the_delay() -> None:
    now = utc_now()
    assert Failures(4, now).wait_left(now) == delay_after(4) == 4
    assert Failures(4, now + timedelta(days=1)).wait_left(now) == 4
    assert Failures(4, now - timedelta(seconds=3)).wait_left(now) == 1
    assert Failures(1, now).wait_left(now) == 0
