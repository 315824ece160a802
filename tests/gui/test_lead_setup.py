"""The Lead's Set-up tab, from the keyboard: a new Lead makes the profile for officers (the file
verifies, the fingerprint shown is the profile's), an officer's laptop imports it with that
fingerprint and is enrolled from its request file (it appears under Enrolled devices), a tampered
request is refused in plain words and enrols nobody, another key for an enrolled laptop is
replaced only when the Lead says so, and the devices file is accepted by the inbox's loader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead
from sync.canonical import public_key_from_text
from sync.enrolment import make_enrolment_request, new_device_key
from sync.inbox import EnrolledDevicesWatcher
from sync.profile import FolderDestination, InboxDestination, load_profile
from tests.conftest import PASSPHRASE
from tests.integration.conftest import make_self_signed
from ui.lead.window import LeadWindow
from ui.lead_profile import spaced_fingerprint

FAST = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}
ALT = Qt.KeyboardModifier.AltModifier


@dataclass
class NewLead:
    """A Lead's window on a store with the Lead identity and nothing else; an officer's laptop
    (its own store) that will import the profile and ask to be enrolled."""

    window: LeadWindow
    officer: Store
    folder: Path

    def request(self, name: str = "enrol-request.json") -> Path:
        """The officer's enrolment request file, as the officer's app saves it."""
        path = self.folder / name
        path.write_bytes(device.enrolment_request(
            self.officer, device_name="CCC-TS-LT042", organisation="Trading Standards"))
        return path


@pytest.fixture
def new_lead(qtbot, tmp_path: Path) -> Iterator[NewLead]:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "lead", **FAST)
    with Store.create(settings, PASSPHRASE, officer="Dana Whitfield") as store:
        lead.init_lead(store)
    officer = Store.create(Settings(data_dir=tmp_path / "laptop", **FAST), PASSPHRASE,
                           officer="Rowan Hallam")
    window = LeadWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    yield NewLead(window, officer, tmp_path)
    window.lock()
    officer.lock()


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Replace the Set-up tab's file choosers: the test sets what each 'chooses'."""
    picks: dict[str, str] = {}
    page = "ui.lead.setup_page"
    monkeypatch.setattr(f"{page}.choose_profile_path", lambda _parent: picks.get("profile"))
    monkeypatch.setattr(f"{page}.choose_request_file", lambda _parent: picks.get("request"))
    monkeypatch.setattr(f"{page}.choose_devices_path",
                        lambda _parent, _suggested: picks.get("devices"))
    monkeypatch.setattr(f"{page}.choose_certificate",
                        lambda _parent: picks.get("certificate"))
    return picks


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type_number(qtbot, number: int) -> None:  # type: ignore[no-untyped-def]
    box = _focused()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, str(number))


def test_a_new_lead_sets_up_sending_from_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, new_lead: NewLead, chosen: dict[str, str]
) -> None:
    window = new_lead.window
    desk = window.desk
    assert desk is not None
    page = desk.setup
    assert desk.tabs.currentWidget() is page  # no profile yet: the desk opens on Set-up
    assert not page.fingerprint.isVisible()
    share = new_lead.folder / "ms-share"
    share.mkdir()

    # Where records go, the council's policy, then make it.
    qtbot.keyClick(window, Qt.Key.Key_O, ALT)
    assert page.to_folder.isChecked()
    qtbot.waitUntil(lambda: _focused() is page.folder, timeout=5_000)  # the cursor is there
    qtbot.keyClicks(page.folder, str(share))
    assert page.council.text() == "Coventry City Council"  # from the council's resources
    qtbot.keyClick(window, Qt.Key.Key_K, ALT)
    assert _focused() is page.retention
    _type_number(qtbot, 90)
    qtbot.keyClick(window, Qt.Key.Key_L, ALT)
    assert _focused() is page.auto_lock
    _type_number(qtbot, 5)
    chosen["profile"] = str(new_lead.folder / "lead-profile.json")
    qtbot.keyClick(window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(lambda: "Profile saved" in page.profile_message.text(), timeout=5_000)

    profile = load_profile(Path(chosen["profile"]).read_bytes())
    assert profile.destination == FolderDestination(path=str(share))
    assert (profile.policy.retention_days, profile.policy.auto_lock_minutes) == (90, 5)
    assert profile.council == "Coventry City Council"
    assert page.fingerprint.isVisible() and page.read_it.isVisible()
    assert page.fingerprint.text() == spaced_fingerprint(profile.fingerprint())
    assert page.read_it.text() == ("Read this to each officer by phone when they import the "
                                   "profile.")
    assert page.fingerprint.hasFocus()  # a screen reader reads it out next

    # The officer imports it with the fingerprint the Lead read out, and saves a request.
    read_out = "-".join(page.fingerprint.text().split())
    device.import_profile(new_lead.officer, Path(chosen["profile"]).read_bytes(),
                          expected_fingerprint=read_out)
    chosen["request"] = str(new_lead.request())
    assert desk.inbox.devices_model.rowCount() == 0
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: page.enrol_message.text().startswith("Enrolled:"), timeout=5_000)
    device_id = device.device_id(new_lead.officer)
    assert page.enrol_message.text().startswith(
        f"Enrolled: Rowan Hallam (Trading Standards), laptop \"CCC-TS-LT042\", device "
        f"{device_id}.")
    assert desk.inbox.devices_model.rowCount() == 1
    assert desk.inbox.devices_model.index(0, 0).data() == "Rowan Hallam"
    assert "Laptops enrolled: 1; revoked: 0." in page.devices_count.text()
    assert "save it again" in page.devices_message.text()

    # The devices file, for an HTTPS inbox: the inbox's loader accepts it.
    chosen["devices"] = str(new_lead.folder / "devices.json")
    qtbot.keyClick(window, Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: "Devices file saved" in page.devices_message.text(), timeout=5_000)
    assert "(1 laptop may upload)" in page.devices_message.text()
    watcher = EnrolledDevicesWatcher(Path(chosen["devices"]),
                                     public_key_from_text(profile.lead_public_key))
    listed = watcher.current()
    assert listed is not None and list(listed) == [device_id]
    assert desk.inbox.devices_file.text() == chosen["devices"]  # revoking rewrites it


def test_a_tampered_request_is_refused_and_another_key_replaced_only_on_purpose(  # type: ignore[no-untyped-def]
    qtbot, new_lead: NewLead, chosen: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = new_lead.window
    desk = window.desk
    assert desk is not None
    page = desk.setup

    # An HTTPS inbox with the council's own certificate; a mistake first, said in words.
    tls = make_self_signed(new_lead.folder)
    qtbot.keyClick(window, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(page.to_inbox.isChecked, timeout=5_000)
    assert not page.folder.isEnabled()
    qtbot.waitUntil(lambda: _focused() is page.inbox_url, timeout=5_000)  # ready to type it
    qtbot.keyClick(window, Qt.Key.Key_A, ALT)
    assert _focused() is page.inbox_url
    qtbot.keyClicks(page.inbox_url, "http://inbox.council.example")
    qtbot.keyClick(window, Qt.Key.Key_E, ALT)
    qtbot.keyClicks(page.certificate, str(tls.cert_path))
    chosen["profile"] = str(new_lead.folder / "lead-profile.json")
    qtbot.keyClick(window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(lambda: "plain http://" in page.profile_message.text(), timeout=5_000)
    assert not Path(chosen["profile"]).exists() and not page.fingerprint.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_A, ALT)
    qtbot.keyClick(page.inbox_url, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.inbox_url, "https://inbox.council.example")
    qtbot.keyClick(window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(lambda: "Profile saved" in page.profile_message.text(), timeout=5_000)
    profile = load_profile(Path(chosen["profile"]).read_bytes())
    assert profile.destination == InboxDestination(url="https://inbox.council.example",
                                                   certificate_pem=tls.pem)
    device.import_profile(new_lead.officer, Path(chosen["profile"]).read_bytes(),
                          expected_fingerprint=profile.fingerprint())

    # A request changed after the officer saved it: plain words, nobody enrolled.
    request = new_lead.request()
    tampered = new_lead.folder / "tampered.json"
    tampered.write_bytes(request.read_bytes().replace(b"Rowan Hallam", b"Rowan Hallan"))
    chosen["request"] = str(tampered)
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: "cannot be trusted" in page.enrol_message.text(), timeout=5_000)
    assert "Nobody was enrolled." in page.enrol_message.text()
    assert "Traceback" not in page.enrol_message.text()
    assert desk.inbox.devices_model.rowCount() == 0

    # The real request, then another key for the same laptop: refused until the Lead agrees.
    chosen["request"] = str(request)
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: page.enrol_message.text().startswith("Enrolled:"), timeout=5_000)
    device_id = device.device_id(new_lead.officer)
    other = new_lead.folder / "other.json"
    other.write_bytes(make_enrolment_request(
        device_key=new_device_key(), device_id=device_id, device_name="CCC-TS-LT042",
        officer="Rowan Hallam", organisation="Trading Standards",
        profile_fingerprint=profile.fingerprint()))
    chosen["request"] = str(other)
    answers: list[bool] = [False, True]
    asked: list[str] = []
    monkeypatch.setattr("ui.lead.setup_page.confirm_replace",
                        lambda _parent, error: asked.append(error.device_id) or answers.pop(0))
    keys_before = lead.enrolled_devices(page.store)[device_id].public_key
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: page.enrol_message.text().startswith("Not enrolled"), timeout=5_000)
    assert "is already enrolled with a different key. Nothing was changed." in \
        page.enrol_message.text()
    assert lead.enrolled_devices(page.store)[device_id].public_key == keys_before
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: page.enrol_message.text().startswith("Replaced:"), timeout=5_000)
    assert asked == [device_id, device_id]
    assert lead.enrolled_devices(page.store)[device_id].public_key != keys_before
    assert desk.inbox.devices_model.rowCount() == 1


def test_the_set_up_tab_starts_from_the_newest_profile(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    """Reopened, the tab showed "Shared folder" and blank fields: a profile remade by typing
    only what changed dropped the pinned certificate and the retention rule."""
    from sync.desk import setup

    settings = Settings(data_dir=tmp_path / "lead", **FAST)
    tls = make_self_signed(tmp_path)
    with Store.create(settings, PASSPHRASE, officer="Dana Whitfield") as store:
        lead.init_lead(store)
        setup.write_profile(store, tmp_path / "p1.json", council="Example Council",
                            lead_name="Dana Whitfield", lead_contact="dana@council.example",
                            inbox_url="https://inbox.council.example",
                            inbox_certificate=tls.cert_path, retention_days=90)
    window = LeadWindow(settings, unlock_second_ms=20)
    qtbot.addWidget(window)
    window.show()
    window.open_store(Store.unwrap_key(settings, PASSPHRASE))
    page = window.desk.setup
    assert page.to_inbox.isChecked() and page.inbox_url.text() == "https://inbox.council.example"
    assert page.retention.value() == 90 and page.contact.text() == "dana@council.example"
    assert "certificate of your newest profile is kept" in page.certificate.placeholderText()
    window.lock()
