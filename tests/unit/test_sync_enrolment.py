"""Enrolment requests (self-signed) and the Lead's signed enrolled devices file."""

from __future__ import annotations

import pytest

from sync.canonical import canonical_json, strict_json_loads
from sync.enrolment import (
    EnrolledDevice,
    EnrolledDevices,
    load_enrolled_devices,
    load_enrolment_request,
    make_enrolment_request,
    new_device_id,
    new_device_key,
    sign_enrolled_devices,
)
from sync.errors import DevicesFileTampered, EnrolmentRejected
from sync.keys import LeadKeys

FINGERPRINT = "ABCD-EFGH-IJKL-MNOP-QRST"


def request_bytes(**overrides: str) -> bytes:
    fields = {
        "device_id": new_device_id(),
        "device_name": "Field laptop 3",
        "officer": "Officer Test",
        "organisation": "Exampleshire Trading Standards",
        "profile_fingerprint": FINGERPRINT,
    }
    fields.update(overrides)
    return make_enrolment_request(device_key=new_device_key(), **fields)


def test_request_round_trip() -> None:
    device_id = new_device_id()
    request = load_enrolment_request(
        request_bytes(device_id=device_id), expected_fingerprint=FINGERPRINT
    )
    assert request.device_id == device_id and request.officer == "Officer Test"
    entry = EnrolledDevice.from_request(request)
    assert entry.public_key == request.public_key and not entry.revoked


def test_request_against_another_profile_is_refused() -> None:
    with pytest.raises(EnrolmentRejected, match="different Lead profile"):
        load_enrolment_request(request_bytes(), expected_fingerprint="ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ")


def test_edited_request_is_refused() -> None:
    document = strict_json_loads(request_bytes())
    document["payload"]["officer"] = "Someone Else"
    with pytest.raises(EnrolmentRejected, match="signature"):
        load_enrolment_request(canonical_json(document))


def test_request_with_swapped_key_is_refused() -> None:
    document = strict_json_loads(request_bytes())
    document["payload"]["public_key"] = strict_json_loads(request_bytes())["payload"]["public_key"]
    with pytest.raises(EnrolmentRejected):
        load_enrolment_request(canonical_json(document))


def test_request_with_bad_device_id_is_refused() -> None:
    with pytest.raises(ValueError):
        request_bytes(device_id="not-a-uuid")


def _devices(count: int = 2) -> list[EnrolledDevice]:
    return [
        EnrolledDevice(
            device_id=new_device_id(),
            public_key=LeadKeys.generate().public_key,
            officer=f"Officer {i}",
        )
        for i in range(count)
    ]


def test_devices_file_round_trip() -> None:
    lead = LeadKeys.generate()
    devices = _devices(3)
    loaded = load_enrolled_devices(
        sign_enrolled_devices(devices, lead.signing_key), lead.public_key
    )
    assert set(loaded.by_id()) == {d.device_id for d in devices}
    assert sorted(devices, key=lambda d: d.device_id) == list(loaded.devices)


def test_devices_file_flipping_revoked_is_detected() -> None:
    lead = LeadKeys.generate()
    devices = _devices(1)
    revoked = devices[0].model_copy(update={"revoked": True})
    document = strict_json_loads(sign_enrolled_devices([revoked], lead.signing_key))
    document["payload"]["devices"][0]["revoked"] = False
    with pytest.raises(DevicesFileTampered, match="signature does not match"):
        load_enrolled_devices(canonical_json(document), lead.public_key)


def test_devices_file_signed_by_another_key_is_refused() -> None:
    data = sign_enrolled_devices(_devices(), LeadKeys.generate().signing_key)
    with pytest.raises(DevicesFileTampered):
        load_enrolled_devices(data, LeadKeys.generate().public_key)


@pytest.mark.parametrize("data", [b"", b"{", b"[1]", b'{"payload":[],"signature":""}'])
def test_devices_file_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(DevicesFileTampered):
        load_enrolled_devices(data, LeadKeys.generate().public_key)


def test_devices_listed_twice_are_refused() -> None:
    device = _devices(1)[0]
    with pytest.raises(ValueError):
        EnrolledDevices(devices=(device, device))
