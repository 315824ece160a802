"""Fuzzing ``read_bundle``: whatever arrives, it either returns a bundle that is exactly the one a
device signed, or raises ``BundleRejected``. Never another exception, never a mutation accepted."""

from __future__ import annotations

import io
import tarfile
from functools import cache

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sync.bundle import AGE_MAGIC, MANIFEST, RECORDS, SIGNATURE
from sync.errors import BundleRejected
from tests.unit.test_sync_bundle import PHOTO_SHA, RECORDS_SAMPLE, BundleKit

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def sample() -> tuple[BundleKit, bytes, bytes]:
    """One kit and one valid bundle (and its plaintext archive), shared by every example."""
    kit = BundleKit()
    data = kit.build(attachments={}, records=RECORDS_SAMPLE[:1])
    return kit, data, kit.open_archive(data)


def must_reject(data: bytes) -> str:
    kit, _, _ = sample()
    try:
        kit.read(data)
    except BundleRejected as rejected:
        return rejected.reason
    raise AssertionError("a damaged or forged bundle was accepted")


def test_the_sample_itself_is_accepted() -> None:
    kit, data, _ = sample()
    assert kit.read(data).records == RECORDS_SAMPLE[:1]


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    must_reject(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_after_the_age_header(tail: bytes) -> None:
    must_reject(AGE_MAGIC + tail)


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["flip", "set", "delete", "insert", "truncate"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(st.data())
def test_mutated_valid_bundles_are_refused(data: st.DataObject) -> None:
    _, original, _ = sample()
    mutated = data.draw(mutations(original))
    assume(mutated != original)
    must_reject(mutated)


@FUZZ
@given(st.data())
def test_mutated_archives_resealed_to_the_lead_are_refused(data: st.DataObject) -> None:
    """Someone who knows the Lead's public recipient re-encrypts an altered archive."""
    kit, _, archive = sample()
    mutated = data.draw(mutations(archive))
    assume(mutated != archive)
    must_reject(kit.seal(mutated))


NAMES = st.sampled_from(
    [
        MANIFEST,
        SIGNATURE,
        RECORDS,
        f"attachments/{PHOTO_SHA}",
        "attachments/",
        "../x",
        "/abs",
        "a/../../b",
        "attachments/" + "f" * 64,
        "x" * 99,
        "manifest.json/..",
        "ok.txt",
    ]
)
TYPES = st.sampled_from(
    [
        tarfile.REGTYPE,
        tarfile.AREGTYPE,
        tarfile.SYMTYPE,
        tarfile.LNKTYPE,
        tarfile.DIRTYPE,
        tarfile.CHRTYPE,
        tarfile.FIFOTYPE,
        tarfile.CONTTYPE,
    ]
)


@FUZZ
@given(
    st.lists(st.tuples(NAMES, TYPES, st.binary(max_size=300)), max_size=6),
    st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]),
)
def test_random_archives_encrypted_to_the_lead(
    members: list[tuple[str, bytes, bytes]], form: int
) -> None:
    kit, _, _ = sample()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=form) as archive:
        for name, kind, body in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                info.linkname = "/etc/passwd"
            regular = kind in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE)
            info.size = len(body) if regular else 0
            archive.addfile(info, io.BytesIO(body) if regular else None)
    must_reject(kit.seal(buffer.getvalue()))


@FUZZ
@given(st.binary(max_size=4096))
def test_random_plaintext_encrypted_to_the_lead(plaintext: bytes) -> None:
    kit, _, _ = sample()
    must_reject(kit.seal(plaintext))
