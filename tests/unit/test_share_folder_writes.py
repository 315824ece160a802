"""Writing many files into a share folder at once (a batch's import receipts), on the real file
system: each file whole or absent, no temp file left, one flush for all where the system has
``syncfs`` and one ``fsync`` a file where it does not; a failure leaves only whole files."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
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


@pytest.mark.parametrize("together", [True, False], ids=["one syncfs", "fsync each"])
def test_every_file_is_written_whole_with_its_mode_and_flushed(
        folder: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, together: bool) -> None:
    path, fd = folder
    syncfs_calls: list[int] = []
    fsync_calls: list[int] = []
    real_syncfs, real_fsync = share_folder._SYNCFS, os.fsync
    assert real_syncfs is not None  # Linux: CI's machine has it

    def counting_syncfs(descriptor: int) -> int:
        syncfs_calls.append(descriptor)
        return real_syncfs(descriptor)

    def counting_fsync(descriptor: int) -> None:
        fsync_calls.append(descriptor)
        real_fsync(descriptor)

    monkeypatch.setattr(share_folder, "flushes_together", lambda _fd: together)
    monkeypatch.setattr(share_folder, "_SYNCFS", counting_syncfs)
    monkeypatch.setattr(os, "fsync", counting_fsync)
    write_files(fd, FILES, 0o644)
    monkeypatch.undo()
    assert _names(path) == sorted(name for name, _ in FILES)
    for name, data in FILES:
        assert (path / name).read_bytes() == data
        assert stat.S_IMODE((path / name).stat().st_mode) == 0o644
    if together:  # one flush of the file system for the files, then the folder's
        assert syncfs_calls == [fd] and fsync_calls == [fd]
    else:  # each file, then the folder
        assert syncfs_calls == [] and len(fsync_calls) == len(FILES) + 1
        assert fsync_calls[-1] == fd and fd not in fsync_calls[:-1]


MOUNTINFO = """\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
40 22 0:38 / /mnt/share rw,nosuid shared:20 - cifs //fileserver/ms-share rw,vers=3.1.1
41 22 0:39 / /mnt/nfs rw,relatime shared:21 - nfs4 server:/export rw
42 22 0:40 / /home/lead/remote rw,nosuid shared:22 - fuse.sshfs lead@server: rw
43 22 259:3 / /data rw,relatime shared:23 - xfs /dev/nvme0n1p3 rw
"""


@pytest.mark.parametrize(("device", "kind"), [
    (os.makedev(254, 0), "ext4"), (os.makedev(0, 38), "cifs"), (os.makedev(0, 39), "nfs4"),
    (os.makedev(0, 40), "fuse.sshfs"), (os.makedev(259, 3), "xfs"), (os.makedev(8, 1), None)])
def test_the_file_system_of_a_folder_is_read_from_the_mount_table(
        device: int, kind: str | None) -> None:
    assert share_folder.file_system_type(MOUNTINFO, device) == kind


def test_only_local_file_systems_on_a_kernel_that_reports_errors_are_flushed_together() -> None:
    assert {"ext4", "xfs", "btrfs"} <= share_folder.LOCAL_FILE_SYSTEMS
    assert not share_folder.LOCAL_FILE_SYSTEMS & {"cifs", "smb3", "nfs", "nfs4", "fuse.sshfs",
                                                  "fuse.rclone", "vfat", "overlay"}
    # syncfs reports a failed write from Linux 5.8 on; before, it returned 0 regardless.
    assert [share_folder.kernel_reports_flush_errors(release) for release in (
        "4.18.0-553.el8_10.x86_64", "5.4.0-150-generic", "5.8.0", "5.15.0-91-generic",
        "6.18.44-fc-v1045", "not a release")] == [False, False, True, True, True, False]


def test_this_machines_folder_is_flushed_together_only_if_local(
        folder: tuple[Path, int]) -> None:
    """Read from the real mount table and kernel (whatever CI's file system is)."""
    _, fd = folder
    kind = share_folder.file_system_type(Path("/proc/self/mountinfo").read_text(),
                                         os.fstat(fd).st_dev)
    assert share_folder.flushes_together(fd) == (
        kind in share_folder.LOCAL_FILE_SYSTEMS
        and share_folder.kernel_reports_flush_errors(platform.release()))


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

    monkeypatch.setattr(share_folder, "flushes_together", lambda _fd: True)
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


def test_a_sparse_file_far_over_the_limit_is_not_read_to_its_end(
        folder: tuple[Path, int]) -> None:
    """A file of terabytes made in a moment (sparse, nothing written) is refused as too large
    after the limit is passed, not read (and hashed) to its end; a real file over the limit is
    still hashed whole, so its device's refusal receipt names its bytes."""
    import hashlib

    path, fd = folder
    limit = 1024 * 1024
    with open(path / "sparse.age", "wb") as handle:
        handle.truncate(64 * limit)
    read = share_folder.read_file(fd, "sparse.age", limit)
    assert read.data is None and read.size == 64 * limit
    assert read.sha256 != hashlib.sha256(bytes(64 * limit)).hexdigest()  # stopped early
    assert read.sha256 == hashlib.sha256(bytes(2 * limit)).hexdigest()  # one chunk past it

    real = os.urandom(3 * limit)
    (path / "large.age").write_bytes(real)
    read = share_folder.read_file(fd, "large.age", limit)
    assert read.data is None and read.sha256 == hashlib.sha256(real).hexdigest()
