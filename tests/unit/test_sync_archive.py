"""The bundle archive's canonical form, checked in place: the header written for each entry is
tarfile's own, and an archive is accepted as canonical exactly when writing its entries again
gives the same bytes (any byte changed, added or cut, or another order, is not)."""

from __future__ import annotations

import io
import random
import tarfile

import pytest

from sync.archive import is_written_archive, ustar_header, write_archive

NAMES = ["manifest.json", "signature", "records.json", "audit.json", "attachments/" + "ab" * 32,
         "n" * 100]
SIZES = [0, 1, 511, 512, 513, 10240, 67578, 8**11 - 1]


def _tarfile_header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.uid, info.gid = size, 0, 0o600, 0, 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_header_is_the_one_tarfile_writes(name: str, size: int) -> None:
    assert ustar_header(name, size) == _tarfile_header(name, size)


def test_a_name_the_header_form_does_not_hold_is_refused() -> None:
    for name, size in [("n" * 101, 0), ("é", 0), ("x", 8**11)]:
        with pytest.raises(ValueError):
            ustar_header(name, size)


def _entries(rng: random.Random) -> dict[str, bytes]:
    names = rng.sample(NAMES, rng.randint(0, len(NAMES)))
    return {name: rng.randbytes(rng.choice([0, 1, 511, 512, 513, rng.randint(0, 30000)]))
            for name in names}


def test_an_archive_is_canonical_exactly_when_writing_it_again_gives_its_bytes() -> None:
    rng = random.Random(12)
    for _ in range(300):
        entries = _entries(rng)
        data = write_archive(entries)
        order = list(entries)
        assert is_written_archive(data, entries, order)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:  # a plain tar, as before
            assert archive.getnames() == order
        changed = bytearray(data)
        changed[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        for other in (bytes(changed), data + bytes(512), data[:-1], data[: len(data) // 2]):
            assert is_written_archive(other, entries, order) == (other == data)
        shuffled = rng.sample(order, len(order))
        assert is_written_archive(data, entries, shuffled) == (
            write_archive({name: entries[name] for name in shuffled}) == data)


def test_a_name_outside_the_header_form_is_compared_by_writing_it() -> None:
    entries = {"é.json": b"{}", "records.json": b"[]"}
    data = write_archive(entries)
    assert is_written_archive(data, entries, list(entries))
    assert not is_written_archive(data + bytes(512), entries, list(entries))
