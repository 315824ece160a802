"""What ``fieldkit --version`` and the About box report: the version from the package metadata
(pyproject.toml is its one source), the real SQLCipher, and the keyring in use."""

from __future__ import annotations

import tomllib

import pytest

from fieldkit import about
from fieldkit.store import NO_KEYRING_WARNING
from tests.conftest import REPO


def test_the_version_is_the_one_in_pyproject() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert about.fieldkit_version() == declared
    assert about.gather().lines()[0] == f"fieldkit {declared}"


def test_sqlcipher_is_the_encrypting_library_and_names_its_version() -> None:
    sqlcipher, sqlite = about.sqlcipher_versions()
    assert sqlcipher.split(".")[0] == "4"
    assert sqlite.startswith("3.")
    assert f"SQLCipher {sqlcipher} (SQLite {sqlite})" in about.gather().lines()


def test_without_a_keyring_the_facts_warn_of_passphrase_only(no_keyring: None) -> None:
    facts = about.gather("6.9.9")
    assert facts.passphrase_only
    assert facts.keyring_backend == "fail.Keyring"
    assert facts.lines()[2:] == ["Qt 6.9.9", "Keyring: fail.Keyring",
                                 f"Warning: {NO_KEYRING_WARNING}"]


def test_without_qt_the_facts_say_so() -> None:
    assert "Qt: not loaded" in about.gather(None).lines()


@pytest.mark.keyring
def test_with_the_secret_service_the_facts_name_it_and_do_not_warn(
    keyring_service: None,
) -> None:
    facts = about.gather("6.9.9")
    assert facts.keyring_backend == "SecretService.Keyring"
    assert not facts.passphrase_only
    assert not any(line.startswith("Warning") for line in facts.lines())
