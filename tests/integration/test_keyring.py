"""The device secret goes through a real OS keyring (GNOME Keyring's Secret Service in CI)."""

from __future__ import annotations

import base64
import json

import keyring

from fieldkit import keys
from fieldkit.settings import Settings
from fieldkit.store import KEY_NAME, Store
from tests.conftest import PASSPHRASE


def test_device_secret_is_stored_and_read_through_the_secret_service(
    settings: Settings, keyring_service: None
) -> None:
    backend = keyring.get_keyring()
    assert "SecretService" in type(backend).__module__ + type(backend).__name__
    with Store.create(settings, PASSPHRASE) as store:
        assert store.uses_device_secret
    doc = json.loads((settings.data_dir / KEY_NAME).read_text())
    stored = keyring.get_password(keys.KEYRING_SERVICE, doc["device_secret_user"])
    assert stored is not None and len(base64.b64decode(stored)) == 32
    # The secret is not in the key file: the file alone (even with the passphrase) is not enough.
    assert stored not in (settings.data_dir / KEY_NAME).read_text()
    with Store.open(settings, PASSPHRASE) as store:
        assert store.uses_device_secret


def test_a_different_device_secret_does_not_unlock(
    settings: Settings, keyring_service: None
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    doc = json.loads((settings.data_dir / KEY_NAME).read_text())
    other = base64.b64encode(b"\x01" * 32).decode()
    keyring.set_password(keys.KEYRING_SERVICE, doc["device_secret_user"], other)
    try:
        Store.open(settings, PASSPHRASE)
    except Exception as error:
        assert type(error).__name__ == "WrongPassphrase"
    else:
        raise AssertionError("a store opened with another device's secret")
