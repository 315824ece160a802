"""Writing many files into a share folder at once (a batch's import receipts), on the real file
system: each file whole or absent, no temp file left, one flush for all where the system has
``syncfs`` and one ``fsync`` a file where it does not; a failure leaves only whole files."""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync import share_folder
from sync.share_folder import write_files


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    path = tmp_path / "receipts"
    path.mkdir()
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    yield path, fd
    os.close(fd)


FILES = [(f"receipt-{n}.json", f'{{"n": {n}}}'.encode() * (n + 1)) for n in range(40)]


def _names(path: Path) -> list[str]:
    return sorted(os.listdir(path))


@pytest.mark.parametrize("flush", ["syncfs", "fsync each"])
def test_every_file_is_written_whole_with_its_mode_and_no_temp_file_is_left(
        folder: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, flush: str) -> None:
    path, fd = folder
    if flush == "fsync each":  # a system without syncfs (Windows, macOS)
        monkeypatch.setattr(share_folder, "_SYNCFS", None)
    else:
        assert share_folder._SYNCFS is not None  # Linux: CI's machine has it
    write_files(fd, FILES, 0o644)
    assert _names(path) == sorted(name for name, _ in FILES)
    for name, data in FILES:
        assert (path / name).read_bytes() == data
        assert stat.S_IMODE((path / name).stat().st_mode) == 0o644


def test_nothing_to_write_writes_nothing(folder: tuple[Path, int]) -> None:
    path, fd = folder
    write_files(fd, [], 0o644)
    assert _names(path) == []


def test_a_file_that_cannot_be_put_in_place_stops_the_rest_and_leaves_no_temp_file(
        folder: tuple[Path, int]) -> None:
    path, fd = folder
    (path / FILES[3][0]).mkdir()  # a folder where the fourth file should go
    with pytest.raises(IsADirectoryError):
        write_files(fd, FILES, 0o644)
    # The three before it are in place and whole; the rest were never put in place.
    assert _names(path) == sorted(name for name, _ in FILES[:4])
    for name, data in FILES[:3]:
        assert (path / name).read_bytes() == data


def test_a_flush_that_fails_puts_no_file_in_place(
        folder: tuple[Path, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk reports an error as the files are flushed (a pulled drive): none of them is
    renamed into place (so none can be read half-written later), and no temp file is left."""
    path, fd = folder

    def failing_syncfs(_fd: int) -> int:
        ctypes.set_errno(errno.EIO)
        return -1

    monkeypatch.setattr(share_folder, "_SYNCFS", failing_syncfs)
    with pytest.raises(OSError) as raised:
        write_files(fd, FILES, 0o644)
    assert raised.value.errno == errno.EIO
    assert _names(path) == []


def test_a_name_already_there_is_replaced_whole(folder: tuple[Path, int]) -> None:
    path, fd = folder
    (path / "receipt-0.json").write_bytes(b"an older receipt, from a run that stopped")
    write_files(fd, FILES[:1], 0o644)
    assert (path / "receipt-0.json").read_bytes() == FILES[0][1]
