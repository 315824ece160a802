"""The plaintext container inside a bundle: a deterministic ustar archive, read defensively.

Writing uses :mod:`tarfile` (so ``age -d ... | tar -t`` works anywhere) with every variable field
fixed: order, times, owners and modes. Reading does *not* use :mod:`tarfile`: an archive from a
device is untrusted, so a small parser accepts regular files with expected names only, and
refuses links, directories, long-name and pax extensions, duplicates and truncation.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Callable, Mapping, Sequence

BLOCK = 512
RECORD = 20 * BLOCK
"""tarfile pads a finished archive to a whole record of 20 blocks."""
_ZERO_BLOCK = bytes(BLOCK)
MAX_ENTRIES = 20_000
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")
_HEADER_TAIL = (b"0" + bytes(100) + tarfile.POSIX_MAGIC + bytes(32 + 32 + 8 + 8 + 155)
                + bytes(BLOCK - 500))
"""A regular file's header from its type flag on: no link, ustar, no owner names, no device
numbers, no prefix (as tarfile writes it for :func:`write_archive`)."""
_HEADER_TAIL_SUM = sum(_HEADER_TAIL)


class ArchiveError(ValueError):
    """The archive is malformed or holds something a bundle may not contain."""


def write_archive(entries: Mapping[str, bytes]) -> bytes:
    """A deterministic ustar archive of ``entries``, in the order given.

    The same entries in the same order always give the same bytes, which is what lets a reader
    reject any archive that is not exactly the one the device built.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            info.mode = 0o600
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def ustar_header(name: str, size: int) -> bytes:
    """The header :func:`write_archive` writes for entry ``name`` of ``size`` bytes (tarfile's
    ustar header for a regular file of mode 0600, owner 0, time 0), for an ASCII name of at
    most 100 characters; raises ``ValueError`` for any other name."""
    encoded = name.encode("ascii")
    if len(encoded) > 100 or not 0 <= size < 8**11:
        raise ValueError("not a name or size this header form holds")
    head = (encoded + bytes(100 - len(encoded)) + b"0000600\0" + b"0000000\0" + b"0000000\0"
            + b"%011o\0" % size + b"00000000000\0")
    checksum = sum(head) + 8 * 0x20 + _HEADER_TAIL_SUM  # the checksum field counts as spaces
    return head + b"%06o\0 " % checksum + _HEADER_TAIL


def is_written_archive(data: bytes, entries: Mapping[str, bytes], order: Sequence[str]) -> bool:
    """True when ``data`` is byte for byte ``write_archive({n: entries[n] for n in order})``,
    checked in place (headers, contents, padding, end blocks) rather than by writing it again."""
    position = 0
    try:
        for name in order:
            content = entries[name]
            if not data.startswith(ustar_header(name, len(content)), position):
                return False
            position += BLOCK
            if not data.startswith(content, position):
                return False
            position += len(content)
            padding = -len(content) % BLOCK
            if padding and not data.startswith(_ZERO_BLOCK[:padding], position):
                return False
            position += padding
    except ValueError:  # a name this check does not cover: write it and compare
        return write_archive({name: entries[name] for name in order}) == data
    end = position + 2 * BLOCK
    end += -end % RECORD
    return len(data) == end and data.count(0, position) == end - position


def _octal(field: bytes, what: str) -> int:
    digits = field.rstrip(b"\0 ").lstrip(b" ")
    if not digits or digits.translate(None, b"01234567"):
        raise ArchiveError(f"archive header has a bad {what} field")
    return int(digits, 8)


def _checksum_ok(header: bytes) -> bool:
    stored = _octal(header[148:156], "checksum")
    computed = sum(header[:148]) + 8 * 0x20 + sum(header[156:])
    return stored == computed


def _text_field(field: bytes, what: str) -> str:
    value, _, rest = field.partition(b"\0")
    if rest.strip(b"\0"):
        raise ArchiveError(f"archive header has a bad {what} field")
    try:
        return value.decode("ascii")
    except UnicodeDecodeError:
        raise ArchiveError(f"archive header has a non-ASCII {what}") from None


def is_safe_name(name: str) -> bool:
    """A relative path of plain segments: no absolute path, ``..``, backslash or control chars."""
    if not name or name.startswith("/") or "\\" in name:
        return False
    if _UNSAFE_CHARS.search(name):
        return False
    return all(segment not in ("", ".", "..") for segment in name.split("/"))


def read_archive(data: bytes, *, allowed: Callable[[str], bool]) -> dict[str, bytes]:
    """Parse ``data`` as a ustar archive of regular files whose names ``allowed`` accepts.

    Returns the entries in archive order. Raises :class:`ArchiveError` with a short reason.
    """
    entries: dict[str, bytes] = {}
    position = 0
    while True:
        header = data[position : position + BLOCK]
        if len(header) < BLOCK:
            raise ArchiveError("the archive is truncated")
        if header == _ZERO_BLOCK:
            break
        if len(entries) >= MAX_ENTRIES:
            raise ArchiveError("the archive has too many entries")
        if not _checksum_ok(header):
            raise ArchiveError("an archive header checksum does not match")
        if header[257:263] != b"ustar\0" or header[263:265] != b"00":
            raise ArchiveError("the archive is not plain ustar")
        if header[156:157] not in (b"0", b"\0"):
            raise ArchiveError("the archive holds something other than regular files")
        if header[157:257].strip(b"\0") or header[345:500].strip(b"\0"):
            raise ArchiveError("the archive uses links or long names")
        name = _text_field(header[0:100], "name")
        if not is_safe_name(name):
            raise ArchiveError("an archive entry has an unsafe name")
        if not allowed(name):
            raise ArchiveError("the archive holds an unexpected entry")
        if name in entries:
            raise ArchiveError("an archive entry appears twice")
        size = _octal(header[124:136], "size")
        start = position + BLOCK
        if start + size > len(data):
            raise ArchiveError("the archive is truncated")
        entries[name] = data[start : start + size]
        position = start + -(-size // BLOCK) * BLOCK
    return entries


def first_entry(data: bytes) -> tuple[str, bytes]:
    """The first entry of a ustar archive whose start alone may be at hand (the rest damaged or
    missing), checked as :func:`read_archive` checks each entry; :class:`ArchiveError` when it
    cannot be read whole."""
    header = data[:BLOCK]
    if len(header) < BLOCK or header == _ZERO_BLOCK:
        raise ArchiveError("the archive is truncated")
    if not _checksum_ok(header) or header[257:263] != b"ustar\0" or header[156:157] not in (
            b"0", b"\0"):
        raise ArchiveError("the archive's first header is not a plain file's")
    name = _text_field(header[0:100], "name")
    size = _octal(header[124:136], "size")
    if not is_safe_name(name) or BLOCK + size > len(data):
        raise ArchiveError("the archive's first entry cannot be read whole")
    return name, data[BLOCK:BLOCK + size]
