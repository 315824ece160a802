"""Attacks on the inbox by a network client or an enrolled but rogue device (issue 10, items 8
and 9): probing which device ids are enrolled, taking over another device's bundle id or
reading its receipt, and putting back an older devices file to un-revoke a stolen laptop."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest

from sync.bundle_owners import claim_bundle_id, owners_folder
from sync.enrolment import sign_enrolled_devices
from sync.inbox import ISSUED_FILE, NOT_AUTHENTICATED, EnrolledDevicesWatcher
from sync.keys import LeadKeys
from sync.receipts import ImportReceipt, write_import_receipt
from sync.request_auth import sign_request
from tests.integration.conftest import InboxTlsCert, StartInbox
from tests.integration.test_inbox_https import LIMIT, Device, Setup


@pytest.fixture
def setup(tmp_path: Path, inbox_tls_cert: InboxTlsCert, start_inbox: StartInbox) -> Setup:
    """A live inbox over TLS, one enrolled device and one revoked."""
    lead, device, revoked = LeadKeys.generate(), Device(), Device()
    devices_file = tmp_path / "enrolled-devices.json"
    devices_file.write_bytes(
        sign_enrolled_devices([device.entry(), revoked.entry(revoked=True)], lead.signing_key)
    )
    inbox = start_inbox(devices_file=devices_file, lead_public_key=lead.public_key,
                        tls=inbox_tls_cert, max_bundle_bytes=LIMIT)
    return Setup(lead, inbox_tls_cert, devices_file, inbox, device, revoked)


def _put(setup: Setup, device: Device, bundle_id: str, data: bytes,
         timestamp: int | None = None) -> httpx.Response:
    headers = sign_request(device_id=device.device_id, device_key=device.key, method="PUT",
                           bundle_id=bundle_id, body=data,
                           timestamp=timestamp or int(time.time()))
    with setup.client() as client:
        return client.put(f"{setup.inbox.url}/v1/bundles/{bundle_id}", headers=headers,
                          content=data)


def test_every_authentication_failure_gets_the_same_answer(setup: Setup) -> None:
    bundle_id, data = setup.bundle()
    stranger = Device()
    answers = [
        _put(setup, stranger, bundle_id, data),  # never enrolled
        _put(setup, setup.revoked, bundle_id, data),  # revoked
        _put(setup, setup.device, bundle_id, data, timestamp=int(time.time()) - 3600),  # stale
        _put(setup, Device(device_id=setup.device.device_id), bundle_id, data),  # wrong key
    ]
    with setup.client() as client:
        answers.append(client.put(f"{setup.inbox.url}/v1/bundles/{bundle_id}", content=data))
    assert {(a.status_code, a.content) for a in answers} == {
        (401, b'{"error":"' + NOT_AUTHENTICATED.encode() + b'"}')
    }


def test_a_bundle_id_belongs_to_the_device_that_first_uploaded_it(
    setup: Setup, tmp_path: Path
) -> None:
    rogue = Device()
    setup.publish_devices(setup.device.entry(), rogue.entry())
    bundle_id, data = setup.bundle()
    assert _put(setup, setup.device, bundle_id, data).status_code == 201
    # The same bytes, or other bytes, under the same id from another enrolled device.
    assert _put(setup, rogue, bundle_id, data).status_code == 409
    _, other = setup.bundle(rogue, bundle_id=bundle_id)
    assert _put(setup, rogue, bundle_id, other).status_code == 409
    assert (setup.inbox.root / "bundles" / f"{bundle_id}.age").read_bytes() == data
    # Nor can it read the receipt; the owner can.
    receipt = ImportReceipt(bundle_id=bundle_id, bundle_sha256="0" * 64, status="imported")
    write_import_receipt(setup.inbox.root, receipt, setup.lead.signing_key)
    with setup.transport(rogue) as transport:
        assert transport.poll_receipt(bundle_id) is None
    with setup.transport() as transport:
        held = transport.poll_receipt(bundle_id)
        assert held is not None and held.bundle_id == bundle_id
    # A new id the rogue device uploads first is its own.
    own_id, own = setup.bundle(rogue, bundle_id=str(uuid.uuid4()))
    assert _put(setup, rogue, own_id, own).status_code == 201


def test_an_older_devices_file_cannot_un_revoke_a_device(setup: Setup, tmp_path: Path) -> None:
    before_revocation = sign_enrolled_devices([setup.device.entry(), setup.revoked.entry()],
                                              setup.lead.signing_key)
    time.sleep(0.002)  # stamps have microseconds; make sure the next one is later
    setup.publish_devices(setup.device.entry(), setup.revoked.entry(revoked=True))
    bundle_id, data = setup.bundle(setup.revoked)
    assert _put(setup, setup.revoked, bundle_id, data).status_code == 401
    # Someone with write access to the inbox's files puts the older, validly signed file back.
    setup.devices_file.write_bytes(before_revocation)
    assert _put(setup, setup.revoked, bundle_id, data).status_code == 401
    assert _put(setup, setup.device, *setup.bundle()).status_code == 201  # the newer list holds
    # And after a restart, the newest issued time is remembered.
    restarted = EnrolledDevicesWatcher(
        setup.devices_file, setup.lead.signing_key.public_key(),
        issued_file=setup.inbox.root / ISSUED_FILE,
    )
    assert restarted.current() is None  # older than the one in force: the door stays shut


def _receipt_for(setup: Setup, bundle_id: str) -> None:
    receipt = ImportReceipt(bundle_id=bundle_id, bundle_sha256="0" * 64, status="imported")
    write_import_receipt(setup.inbox.root, receipt, setup.lead.signing_key)


def test_a_claim_left_without_its_bundle_is_still_the_claimants(setup: Setup) -> None:
    """The inbox stopped between claiming an id and storing the body (the claim is made first):
    the device's resend stores it; another device can neither store under it nor read its
    receipt."""
    rogue = Device()
    setup.publish_devices(setup.device.entry(), rogue.entry())
    bundle_id, data = setup.bundle()
    assert claim_bundle_id(setup.inbox.root, bundle_id, setup.device.device_id)
    assert not (setup.inbox.root / "bundles" / f"{bundle_id}.age").exists()
    assert _put(setup, rogue, bundle_id, setup.bundle(rogue, bundle_id=bundle_id)[1]
                ).status_code == 409
    _receipt_for(setup, bundle_id)
    with setup.transport(rogue) as transport:
        assert transport.poll_receipt(bundle_id) is None
    assert _put(setup, setup.device, bundle_id, data).status_code == 201
    assert (setup.inbox.root / "bundles" / f"{bundle_id}.age").read_bytes() == data


def test_a_claim_file_of_an_earlier_version_is_honoured(setup: Setup) -> None:
    rogue = Device()
    setup.publish_devices(setup.device.entry(), rogue.entry())
    bundle_id, data = setup.bundle()
    claim = owners_folder(setup.inbox.root) / bundle_id
    claim.write_text(setup.device.device_id)  # as earlier versions wrote claims
    assert _put(setup, rogue, bundle_id, setup.bundle(rogue, bundle_id=bundle_id)[1]
                ).status_code == 409
    assert _put(setup, setup.device, bundle_id, data).status_code == 201
    _receipt_for(setup, bundle_id)
    with setup.transport(rogue) as transport:
        assert transport.poll_receipt(bundle_id) is None
    with setup.transport() as transport:
        assert transport.poll_receipt(bundle_id) is not None
    assert claim.is_file() and not claim.is_symlink()


def test_a_claim_that_names_no_device_closes_the_id_to_everyone(setup: Setup) -> None:
    """A claim planted by someone with access to the inbox's files (a link elsewhere): it is
    not followed, and no device can store under the id or read its receipt."""
    bundle_id, data = setup.bundle()
    owners_folder(setup.inbox.root).joinpath(bundle_id).symlink_to(setup.devices_file)
    assert _put(setup, setup.device, bundle_id, data).status_code == 409
    assert not (setup.inbox.root / "bundles" / f"{bundle_id}.age").exists()
    _receipt_for(setup, bundle_id)
    with setup.transport() as transport:
        assert transport.poll_receipt(bundle_id) is None
