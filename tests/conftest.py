"""Shared fixtures: a fresh encrypted store per test, fast key derivation, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from fieldkit.settings import Settings
from fieldkit.store import Store

PASSPHRASE = "correct horse battery staple"
REPO = Path(__file__).resolve().parents[1]
FAST_KDF = {"FIELDKIT_KDF_SECONDS": "0.001", "FIELDKIT_KDF_MEMORY_KIB": "8192",
            # The suite's start-up hook that lets the two variables above take effect, then
            # this checkout: the hook imports fieldkit before ``-m`` puts the working folder on
            # the path, so a venv editable-installed from another checkout (a git worktree
            # sharing it) would otherwise run that checkout's fieldkit.
            "PYTHONPATH": os.pathsep.join([str(REPO / "tests" / "support"), str(REPO)])}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Under ``make test`` (pytest-xdist, ``--dist loadgroup``) each test marked with an
    ``xdist_group`` must carry the group in its id, or the group is split across processes
    (a pytest release may change how ids are kept): fail then rather than run them apart."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    split = [item.nodeid for item in session.items
             if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if split:
        raise pytest.UsageError(f"pytest-xdist did not group {split[0]} (and {len(split) - 1} "
                                "more): this pytest and pytest-xdist do not work together")


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> Path:
    """What fieldkit remembers about stores on this computer (``Settings.state_dir``), kept in
    a folder of each test's own, never the real user's (child processes inherit it)."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state / "fieldkit"


# How long a modal dialog may stay open in a widget test before it is taken for one the test
# did not expect (tests/dialog_watch.py): closed, and the test failed naming it.
FORGOTTEN_DIALOG_SECONDS = 30.0


@pytest.fixture(autouse=True)
def no_forgotten_dialog(request: pytest.FixtureRequest) -> Iterator[None]:
    """In every test with ``qtbot``, a modal dialog nobody answers is closed after
    FORGOTTEN_DIALOG_SECONDS and fails the test, instead of hanging the whole suite."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from tests.dialog_watch import DialogWatch

    request.getfixturevalue("qapp")
    watch = DialogWatch(FORGOTTEN_DIALOG_SECONDS)
    watch.start()
    yield
    watch.stop()
    if watch.left:
        pytest.fail(f"a dialog no test answered was left open (closed after "
                    f"{FORGOTTEN_DIALOG_SECONDS:.0f} s): {'; '.join(watch.left)}")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a store in a fresh temporary folder, with cheap key derivation."""
    return Settings(data_dir=tmp_path / "store", kdf_min_seconds=0.001, kdf_memory_kib=8192)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A new, unlocked, empty store."""
    opened = Store.create(settings, PASSPHRASE, officer="Officer Test")
    yield opened
    opened.lock()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Run the test as on a headless machine with no keyring backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@dataclass
class CliResult:
    """What a ``fieldkit`` command printed and how it ended."""

    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        """The last line of standard output (where commands print new ids)."""
        return self.out.strip().splitlines()[-1]


@dataclass
class Cli:
    """Runs the real ``fieldkit`` command in a subprocess against one data folder."""

    data_dir: Path
    env: dict[str, str]

    def __call__(self, *args: str, passphrase: str | None = PASSPHRASE,
                 feed: str | None = None, **extra: str) -> CliResult:
        """``feed``: what the command reads on its standard input (nothing otherwise)."""
        env = dict(self.env, **extra)
        if passphrase is not None:
            env["FIELDKIT_PASSPHRASE"] = passphrase
        done = subprocess.run(
            [sys.executable, "-m", "fieldkit.cli", "--data-dir", str(self.data_dir), *args],
            capture_output=True, text=True, env=env, timeout=120, cwd=REPO,
            **({"stdin": subprocess.DEVNULL} if feed is None else {"input": feed}),
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str, feed: str | None = None, **extra: str) -> CliResult:
        """Run a command that must succeed."""
        result = self(*args, feed=feed, **extra)
        assert result.code == 0, f"fieldkit {' '.join(args)} failed: {result.err}"
        return result


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A runner for the real command line against a fresh data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.update(FAST_KDF)
    return Cli(tmp_path / "cli-store", env)


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path; not the unlock-failures
    counter, the one file a wrong passphrase changes on purpose (issue 10, item 12)."""
    import hashlib

    from fieldkit.unlock_attempts import FAILURES_NAME

    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != FAILURES_NAME
    }


@pytest.fixture
def keyring_service() -> None:
    """A real Secret Service must be reachable; under CI its absence is a failure, not a skip."""
    from fieldkit.keys import keyring_available

    if not keyring_available():
        message = (
            "no Secret Service keyring is running; `make test` starts one with "
            "gnome-keyring-daemon on a private D-Bus session bus (.ci/with-secret-service)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
