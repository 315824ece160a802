"""Setting up sending, the Lead's side, as the Lead's window and the command line both do it
(``sync.desk.setup``): the profile written whole and verifiable, its mistakes refused in one
sentence before anything is recorded as issued, enrolment from a request file (added, the same
again, refused as tampered or as a device already enrolled, replaced on purpose), and the devices
file accepted by the inbox's loader and remembered for revoking."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldkit import officer
from fieldkit.errors import InvalidInput
from fieldkit.officer_profile import OfficerProfile
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead
from sync.canonical import public_key_from_text
from sync.desk import inbox, setup
from sync.enrolment import make_enrolment_request, new_device_key
from sync.errors import EnrolmentRejected
from sync.inbox import EnrolledDevicesWatcher
from sync.profile import FolderDestination, InboxDestination, load_profile
from tests.conftest import PASSPHRASE
from tests.integration.conftest import make_self_signed

FAST = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}
WHO = {"council": "Example Council", "lead_name": "Lead Example",
       "lead_contact": "lead@council.example"}


@dataclass
class Stores:
    lead: Store
    officer: Store
    folder: Path

    def issue(self, name: str = "lead-profile.json") -> Path:
        """A profile for the shared folder, written as the Lead's window writes it, and
        imported on the officer's laptop with its fingerprint."""
        target = self.folder / name
        profile = setup.write_profile(self.lead, target, folder="/mnt/ms-share", **WHO)
        device.import_profile(self.officer, target.read_bytes(),
                              expected_fingerprint=profile.fingerprint())
        return target

    def request(self, name: str = "enrol-request.json") -> Path:
        """The officer's enrolment request, saved as the officer's app saves it."""
        target = self.folder / name
        target.write_bytes(device.enrolment_request(
            self.officer, device_name="CCC-TS-LT042", organisation="Trading Standards"))
        return target


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[Stores]:
    lead_store = Store.create(Settings(data_dir=tmp_path / "lead", **FAST), PASSPHRASE)
    officer = Store.create(Settings(data_dir=tmp_path / "dev", **FAST), PASSPHRASE,
                           officer="Rowan Hallam")
    lead.init_lead(lead_store)
    yield Stores(lead_store, officer, tmp_path)
    lead_store.lock()
    officer.lock()


def test_the_profile_is_written_whole_and_verifies(stores: Stores) -> None:
    assert lead.newest_profile_fingerprint(stores.lead) is None
    target = stores.folder / "lead-profile.json"
    deputy = lead.lead_keys(stores.lead).age_recipient  # listed once even if given again
    profile = setup.write_profile(stores.lead, target, folder="/mnt/ms-share",
                                  extra_recipients=[deputy], retention_days=90,
                                  auto_lock_minutes=5, **WHO)
    loaded = load_profile(target.read_bytes())
    assert loaded.fingerprint() == profile.fingerprint()
    assert loaded.destination == FolderDestination(path="/mnt/ms-share")
    assert (loaded.policy.retention_days, loaded.policy.auto_lock_minutes) == (90, 5)
    assert loaded.recipients == (deputy,)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # no secret in it: officers read it
    assert [p.name for p in stores.folder.iterdir() if p.name.startswith(".tmp-")] == []
    assert lead.newest_profile_fingerprint(stores.lead) == profile.fingerprint()


def test_an_inbox_profile_pins_the_certificate_file(stores: Stores) -> None:
    tls = make_self_signed(stores.folder)
    profile = setup.write_profile(stores.lead, stores.folder / "p.json",
                                  inbox_url="https://inbox.council.example/",
                                  inbox_certificate=tls.cert_path, **WHO)
    assert profile.destination == InboxDestination(url="https://inbox.council.example",
                                                   certificate_pem=tls.pem)


def test_a_new_profile_starts_from_the_newest_one_issued(stores: Stores) -> None:
    """A profile remade in the Set-up tab started from blank fields: typing only the address
    dropped the pinned certificate and the retention rule."""
    from pyrage import x25519

    tls = make_self_signed(stores.folder)
    deputy = str(x25519.Identity.generate().to_public())
    setup.write_profile(stores.lead, stores.folder / "p1.json",
                        inbox_url="https://inbox.council.example/",
                        inbox_certificate=tls.cert_path, retention_days=90,
                        auto_lock_minutes=5, extra_recipients=[deputy], **WHO)
    start = setup.profile_defaults(stores.lead)
    assert (start.council, start.lead_name, start.lead_contact) == tuple(WHO.values())
    assert (start.inbox_url, start.folder, start.certificate_pem) == (
        "https://inbox.council.example", "", tls.pem)
    assert (start.retention_days, start.auto_lock_minutes) == (90, 5)
    assert start.extra_recipients == (deputy,)
    again = setup.write_profile(stores.lead, stores.folder / "p2.json",
                                inbox_url=start.inbox_url, kept_certificate=tls.pem,
                                retention_days=start.retention_days, **WHO)
    assert again.destination == InboxDestination(url="https://inbox.council.example",
                                                 certificate_pem=tls.pem)
    assert again.policy.retention_days == 90
    moved = setup.write_profile(stores.lead, stores.folder / "p3.json",
                                folder="/mnt/ms-share", kept_certificate=tls.pem, **WHO)
    assert moved.destination == FolderDestination(path="/mnt/ms-share")  # no inbox: no pin


@pytest.mark.parametrize(("given", "words"), [
    ({"folder": "  "}, "Give the shared folder's path."),
    ({"inbox_url": "ftp://inbox.council.example"}, "is not an https:// address"),
    ({"inbox_url": "http://inbox.council.example"}, "plain http://"),
    ({"folder": "/mnt/ms-share", "retention_days": 0}, "retention days must be from 1"),
    ({"folder": "/mnt/ms-share", "auto_lock_minutes": 24 * 60 + 1},
     "auto-lock minutes must be from 1 to 1440"),
    ({"folder": "/mnt/ms-share", "extra_recipients": ["age1notakey"]}, "not an age public key"),
    ({"folder": "/mnt/ms-share", "council": " "}, "Give the council's name"),
])
def test_a_profile_mistake_is_one_sentence_and_nothing_is_issued(
    stores: Stores, given: dict[str, object], words: str
) -> None:
    target = stores.folder / "p.json"
    with pytest.raises(InvalidInput, match=re.escape(words)):
        setup.write_profile(stores.lead, target, **{**WHO, **given})  # type: ignore[arg-type]
    assert not target.exists() and lead.newest_profile_fingerprint(stores.lead) is None


def test_a_bad_certificate_or_missing_folder_issues_nothing(stores: Stores) -> None:
    not_pem = stores.folder / "cert.pem"
    not_pem.write_text("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n")
    binary = stores.folder / "cert.der"
    binary.write_bytes(b"\x30\x82\xff\xfe")
    for cert in (not_pem, binary, stores.folder / "absent.pem"):
        with pytest.raises(InvalidInput, match=r"certificate|cannot be read"):
            setup.write_profile(stores.lead, stores.folder / "p.json",
                                inbox_url="https://inbox.council.example",
                                inbox_certificate=cert, **WHO)
    with pytest.raises(InvalidInput, match="does not exist"):
        setup.write_profile(stores.lead, stores.folder / "gone" / "p.json",
                            folder="/mnt/ms-share", **WHO)
    assert lead.newest_profile_fingerprint(stores.lead) is None


def test_a_device_is_enrolled_from_its_request_file_once(stores: Stores) -> None:
    stores.issue()
    request = stores.request()
    done = setup.enrol_from_file(stores.lead, request)
    assert done.outcome is lead.EnrolmentOutcome.ADDED
    assert (done.device.officer, done.organisation, done.device_name) == (
        "Rowan Hallam", "Trading Standards", "CCC-TS-LT042")
    assert done.device.device_id == device.device_id(stores.officer)
    again = setup.enrol_from_file(stores.lead, request)
    assert again.outcome is lead.EnrolmentOutcome.UNCHANGED
    assert [d.device_id for d, _, _ in lead.list_devices(stores.lead)] == [
        done.device.device_id]


def test_a_tampered_or_oversized_request_enrols_nobody(stores: Stores) -> None:
    stores.issue()
    request = stores.request()
    tampered = stores.folder / "tampered.json"
    tampered.write_bytes(request.read_bytes().replace(b"Rowan Hallam", b"Rowan Hallan"))
    with pytest.raises(EnrolmentRejected):
        setup.enrol_from_file(stores.lead, tampered)
    huge = stores.folder / "huge.json"
    huge.write_bytes(b" " * (setup.MAX_INPUT_BYTES + 1))
    with pytest.raises(InvalidInput, match="far too large"):
        setup.enrol_from_file(stores.lead, huge)
    assert lead.list_devices(stores.lead) == []


def test_another_key_for_an_enrolled_device_is_replaced_only_on_purpose(stores: Stores) -> None:
    stores.issue()
    setup.enrol_from_file(stores.lead, stores.request())
    device_id = device.device_id(stores.officer)
    fingerprint = lead.newest_profile_fingerprint(stores.lead)
    assert fingerprint is not None
    other = stores.folder / "other.json"
    other.write_bytes(make_enrolment_request(
        device_key=new_device_key(), device_id=device_id, device_name="CCC-TS-LT042",
        officer="Rowan Hallam", organisation="Trading Standards",
        profile_fingerprint=fingerprint))
    with pytest.raises(lead.DeviceAlreadyEnrolled) as refused:
        setup.enrol_from_file(stores.lead, other)
    assert (refused.value.device_id, refused.value.revoked) == (device_id, False)
    lead.revoke_device(stores.lead, device_id)
    with pytest.raises(lead.DeviceAlreadyEnrolled) as refused:
        setup.enrol_from_file(stores.lead, other)
    assert refused.value.revoked
    replaced = setup.enrol_from_file(stores.lead, other, replace=True)
    assert replaced.outcome is lead.EnrolmentOutcome.REPLACED
    assert not lead.enrolled_devices(stores.lead)[device_id].revoked


def test_the_devices_file_is_accepted_by_the_inbox_and_remembered(stores: Stores) -> None:
    stores.issue()
    done = setup.enrol_from_file(stores.lead, stores.request())
    target = stores.folder / "devices.json"
    assert setup.save_devices_file(stores.lead, target) == 1
    assert inbox.devices_file_path(stores.lead) == str(target)
    lead_key = public_key_from_text(lead.lead_keys(stores.lead).public_key)
    watcher = EnrolledDevicesWatcher(target, lead_key)
    listed = watcher.current()
    assert listed is not None and list(listed) == [done.device.device_id]
    # Revoking on the Inbox tab rewrites the remembered file: the inbox refuses the laptop.
    inbox.revoke(stores.lead, done.device.device_id, Path(inbox.devices_file_path(stores.lead)))
    again = EnrolledDevicesWatcher(target, lead_key).current()
    assert again is not None and again[done.device.device_id].revoked
    with pytest.raises(InvalidInput, match="does not exist"):
        setup.write_devices_file(stores.lead, stores.folder / "gone" / "devices.json")


def test_the_profile_names_the_lead_as_they_gave_it_at_first_run(stores: Stores) -> None:
    council = setup.profile_defaults()
    assert setup.profile_defaults(stores.lead) == council  # no profile given: the council's
    officer.save_profile(stores.lead, OfficerProfile(
        name="Dana Okafor", email="dana.okafor@example.gov.uk"), officer.AppRole.LEAD)
    own = setup.profile_defaults(stores.lead)
    assert (own.council, own.lead_name, own.lead_contact) == (
        council.council, "Dana Okafor", "dana.okafor@example.gov.uk")
    officer.save_profile(stores.lead, OfficerProfile(name="Dana Okafor", phone="024 7600 0001"),
                         officer.AppRole.LEAD)
    assert setup.profile_defaults(stores.lead).lead_contact == "024 7600 0001"


@pytest.mark.parametrize("folder", ["ms-share", "work/walk/share", "C:ms-share"])
def test_a_shared_folder_that_is_not_a_full_path_is_refused(stores: Stores, folder: str) -> None:
    """Officers' laptops cannot reach a folder given relative to wherever the Lead's program
    ran: refused in one sentence, nothing issued, no file written."""
    target = stores.folder / "lead-profile.json"
    with pytest.raises(InvalidInput, match="is not a full path"):
        setup.write_profile(stores.lead, target, folder=folder, **WHO)
    assert not target.exists()
    assert lead.newest_profile_fingerprint(stores.lead) is None


@pytest.mark.parametrize("folder", ["/mnt/ms-share", "S:\\ms-share", "\\\\server\\ms-share"])
def test_a_full_path_on_any_system_is_accepted(stores: Stores, folder: str) -> None:
    profile = setup.write_profile(stores.lead, stores.folder / "p.json", folder=folder, **WHO)
    assert profile.destination == FolderDestination(path=folder)
