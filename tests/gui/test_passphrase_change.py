"""File > Change passphrase…: a full re-key by default (the old passphrase and key file stop
working), a passphrase-only change when unticked, and the dialog refusing a bad new one."""

from __future__ import annotations

import pytest

from fieldkit.errors import WrongPassphrase
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.gui.conftest import Demo
from ui.passphrase_dialog import PassphraseChange, PassphraseDialog

NEW = "a brand new passphrase"


def test_the_dialog_defaults_to_a_full_rekey_and_checks_the_new_passphrase(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog()
    qtbot.addWidget(dialog)
    assert dialog.full.isChecked()
    assert "copy of the old key file" in dialog.limits.text()
    dialog.old.setText(PASSPHRASE)
    dialog.new.setText("short")
    dialog.repeat.setText("short")
    dialog.check_and_accept()
    assert "too short" in dialog.message.text() and not dialog.result()
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW + " typo")
    dialog.check_and_accept()
    assert "do not match" in dialog.message.text()
    dialog.repeat.setText(NEW)
    dialog.check_and_accept()
    assert dialog.result() and dialog.change() == PassphraseChange(PASSPHRASE, NEW, True)


@pytest.mark.parametrize("full", [True, False])
def test_changing_the_passphrase_from_the_app(qtbot, window, demo: Demo, full: bool) -> None:  # type: ignore[no-untyped-def]
    old_key = Store.unwrap_key(demo.settings, PASSPHRASE).key
    with qtbot.waitSignal(window.passphraseChanged, timeout=30_000) as said:
        window.apply_passphrase_change(PassphraseChange(PASSPHRASE, NEW, full))
    assert ("encryption key changed" if full else "encryption key stays") in said.args[0]
    window.lock()
    with pytest.raises(WrongPassphrase):
        Store.unwrap_key(demo.settings, PASSPHRASE)
    new_key = Store.unwrap_key(demo.settings, NEW)
    assert (new_key.key != old_key) is full
    window.open_store(new_key)
    assert window.store is not None
