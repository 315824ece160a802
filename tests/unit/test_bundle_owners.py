"""Owner claims on the inbox (``sync.bundle_owners``), on a real file system: a claim is a hard
link to the device's own symbolic link (whose target text is the device id), or where that
cannot be made a plain symbolic link with the same text; either way read and never followed;
claims written as regular files by earlier versions are still honoured; anything else is
refused."""

from __future__ import annotations

import errno
import os
import threading
import uuid
from pathlib import Path

import pytest

from sync.bundle_owners import (
    DEVICE_LINK_PREFIX,
    UnreadableClaim,
    bundle_owner,
    claim_bundle_id,
    owners_folder,
)
from sync.enrolment import new_device_id


def _claim_path(root: Path, bundle_id: str) -> Path:
    return owners_folder(root) / bundle_id


def _old_file_claim(root: Path, bundle_id: str, text: bytes) -> Path:
    """A claim as earlier versions wrote it: a private file created exclusively."""
    path = _claim_path(root, bundle_id)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, text)
    finally:
        os.close(fd)
    return path


def _device_link(root: Path, device_id: str) -> Path:
    return owners_folder(root) / f"{DEVICE_LINK_PREFIX}{device_id}"


def _same_inode(one: Path, other: Path) -> bool:
    return os.lstat(one).st_ino == os.lstat(other).st_ino  # links: never followed


def test_a_claim_is_another_name_for_the_devices_own_link(tmp_path: Path) -> None:
    bundle_id, device_id = str(uuid.uuid4()), new_device_id()
    assert bundle_owner(tmp_path, bundle_id) is None
    assert claim_bundle_id(tmp_path, bundle_id, device_id)
    path = _claim_path(tmp_path, bundle_id)
    assert path.is_symlink() and os.readlink(path) == device_id
    assert not path.exists()  # it points nowhere: only its text matters
    assert _same_inode(path, _device_link(tmp_path, device_id))
    assert bundle_owner(tmp_path, bundle_id) == device_id
    assert oct(owners_folder(tmp_path).stat().st_mode & 0o777) == "0o700"
    # Claiming again is the same device's own: still true, nothing changed.
    assert claim_bundle_id(tmp_path, bundle_id, device_id, sync_folder=False)
    assert _same_inode(path, _device_link(tmp_path, device_id))


def test_a_devices_claims_make_one_link_between_them(tmp_path: Path) -> None:
    """Each claim after the first is a name, not a file: the device's link gains a name per
    claim, and the owners folder holds nothing else."""
    device_id, other = new_device_id(), new_device_id()
    mine = [str(uuid.uuid4()) for _ in range(20)]
    for bundle_id in mine:
        assert claim_bundle_id(tmp_path, bundle_id, device_id, sync_folder=False)
    theirs = str(uuid.uuid4())
    assert claim_bundle_id(tmp_path, theirs, other)
    device_link = _device_link(tmp_path, device_id)
    assert os.lstat(device_link).st_nlink == 1 + len(mine)
    assert all(_same_inode(_claim_path(tmp_path, b), device_link) for b in mine)
    assert sorted(p.name for p in owners_folder(tmp_path).iterdir()) == sorted(
        [*mine, theirs, device_link.name, _device_link(tmp_path, other).name])
    assert [bundle_owner(tmp_path, b) for b in mine] == [device_id] * len(mine)
    assert bundle_owner(tmp_path, theirs) == other


@pytest.mark.parametrize("failure", [errno.EMLINK, errno.EPERM, errno.EXDEV])
def test_where_no_hard_link_can_be_made_the_claim_is_a_plain_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int
) -> None:
    """A device's link at the file system's limit of links (EMLINK), or a file system without
    hard links: the claim is made as earlier versions made it, and read the same; the refusal
    is remembered, so the next claims do not try again."""
    device_id, other = new_device_id(), new_device_id()
    tried: list[str] = []

    def link(source: object, target: object, **kwargs: object) -> None:
        tried.append(str(source))
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(os, "link", link)
    for bundle_id in [str(uuid.uuid4()) for _ in range(4)]:
        assert claim_bundle_id(tmp_path, bundle_id, device_id)
        path = _claim_path(tmp_path, bundle_id)
        assert path.is_symlink() and os.readlink(path) == device_id
        assert not _same_inode(path, _device_link(tmp_path, device_id))
        assert bundle_owner(tmp_path, bundle_id) == device_id
        assert not claim_bundle_id(tmp_path, bundle_id, other)
    assert tried.count(str(_device_link(tmp_path, device_id))) == 1  # then never again


def test_an_error_of_the_disk_is_not_taken_for_a_file_system_without_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error while claiming is raised (the inbox then answers with an error and the
    device sends again), not hidden behind a plain link."""
    device_id = new_device_id()
    assert claim_bundle_id(tmp_path, str(uuid.uuid4()), device_id)

    def link(source: object, target: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "link", link)
    bundle_id = str(uuid.uuid4())
    with pytest.raises(OSError) as raised:
        claim_bundle_id(tmp_path, bundle_id, device_id)
    assert raised.value.errno == errno.EIO
    assert bundle_owner(tmp_path, bundle_id) is None


@pytest.mark.parametrize("planted", ["a file with its id", "a link to another id", "a fifo"])
def test_something_planted_under_the_device_links_name_is_never_linked_to(
    tmp_path: Path, planted: str
) -> None:
    """Something else under a device link's name before the device's first claim (a file, even
    one holding the right id; a link with another id; a FIFO): the device's claims are plain
    links with its own id, and what was planted gains no names."""
    device_id, impostor = new_device_id(), new_device_id()
    owners_folder(tmp_path).mkdir(mode=0o700)
    device_link = _device_link(tmp_path, device_id)
    if planted == "a file with its id":
        device_link.write_text(device_id)
    elif planted == "a link to another id":
        device_link.symlink_to(impostor)
    else:
        os.mkfifo(device_link, 0o600)
    for bundle_id in [str(uuid.uuid4()) for _ in range(2)]:
        assert claim_bundle_id(tmp_path, bundle_id, device_id)
        assert not _same_inode(_claim_path(tmp_path, bundle_id), device_link)
        assert os.readlink(_claim_path(tmp_path, bundle_id)) == device_id
        assert bundle_owner(tmp_path, bundle_id) == device_id
    assert os.lstat(device_link).st_nlink == 1


@pytest.mark.parametrize("planted", ["another id", "a file", "a fifo"])
def test_a_device_link_replaced_after_it_was_checked_never_gives_a_claim_away(
    tmp_path: Path, planted: str
) -> None:
    """The device's link replaced behind the inbox's back once it has been checked and used:
    the next claim, read back as soon as it is made, would not read as the device; it is
    removed and made as a plain link, so it is the device's from the moment it exists (the
    claims made before keep their owner: each is a name of the original link)."""
    device_id, impostor = new_device_id(), new_device_id()
    first = str(uuid.uuid4())
    assert claim_bundle_id(tmp_path, first, device_id)
    device_link = _device_link(tmp_path, device_id)
    device_link.unlink()
    if planted == "another id":
        device_link.symlink_to(impostor)
    elif planted == "a file":
        device_link.write_text(impostor)
    else:
        os.mkfifo(device_link, 0o600)
    for bundle_id in [str(uuid.uuid4()) for _ in range(3)]:
        assert claim_bundle_id(tmp_path, bundle_id, device_id)
        assert not _same_inode(_claim_path(tmp_path, bundle_id), device_link)
        assert bundle_owner(tmp_path, bundle_id) == device_id
        assert not claim_bundle_id(tmp_path, bundle_id, impostor)
    assert bundle_owner(tmp_path, first) == device_id


def test_a_device_link_removed_is_made_again(tmp_path: Path) -> None:
    """The device's link removed behind the inbox's back: the claims already made keep their
    owner (each is a name of the same link), the next claim is a plain link, and the one after
    it a name of the device's link made again."""
    device_id = new_device_id()
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    assert claim_bundle_id(tmp_path, first, device_id)
    _device_link(tmp_path, device_id).unlink()
    assert bundle_owner(tmp_path, first) == device_id
    assert claim_bundle_id(tmp_path, second, device_id)
    assert not _same_inode(_claim_path(tmp_path, second), _claim_path(tmp_path, first))
    assert claim_bundle_id(tmp_path, third, device_id)
    assert bundle_owner(tmp_path, second) == device_id
    assert bundle_owner(tmp_path, third) == device_id
    assert _same_inode(_claim_path(tmp_path, third), _device_link(tmp_path, device_id))


def test_a_second_device_cannot_take_a_claimed_id(tmp_path: Path) -> None:
    bundle_id, first, second = str(uuid.uuid4()), new_device_id(), new_device_id()
    assert claim_bundle_id(tmp_path, bundle_id, first)
    assert not claim_bundle_id(tmp_path, bundle_id, second)
    assert bundle_owner(tmp_path, bundle_id) == first
    assert os.readlink(_claim_path(tmp_path, bundle_id)) == first


def test_devices_racing_for_one_id_exactly_one_wins(tmp_path: Path) -> None:
    bundle_id = str(uuid.uuid4())
    devices = [new_device_id() for _ in range(16)]
    start = threading.Barrier(len(devices))
    won: dict[str, bool] = {}

    def claim(device_id: str) -> None:
        start.wait()
        won[device_id] = claim_bundle_id(tmp_path, bundle_id, device_id, sync_folder=False)

    threads = [threading.Thread(target=claim, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [d for d, ok in won.items() if ok]
    assert len(winners) == 1
    assert bundle_owner(tmp_path, bundle_id) == winners[0]


@pytest.mark.parametrize("text", ["{}", "{}\n"])
def test_a_claim_file_from_an_earlier_version_is_still_honoured(
    tmp_path: Path, text: str
) -> None:
    bundle_id, owner, other = str(uuid.uuid4()), new_device_id(), new_device_id()
    path = _old_file_claim(tmp_path, bundle_id, text.format(owner).encode("ascii"))
    assert bundle_owner(tmp_path, bundle_id) == owner
    assert claim_bundle_id(tmp_path, bundle_id, owner)
    assert not claim_bundle_id(tmp_path, bundle_id, other)
    assert path.is_file() and not path.is_symlink()  # left as it was


def test_a_half_written_claim_file_belongs_to_nobody(tmp_path: Path) -> None:
    """An earlier version cut off between creating its claim file and writing it: as before,
    no device can use the id (the text is checked as a device id)."""
    bundle_id, device_id = str(uuid.uuid4()), new_device_id()
    _old_file_claim(tmp_path, bundle_id, device_id[:10].encode("ascii"))
    with pytest.raises(UnreadableClaim):
        bundle_owner(tmp_path, bundle_id)
    assert not claim_bundle_id(tmp_path, bundle_id, device_id)


def test_a_link_to_elsewhere_is_refused_and_never_followed(tmp_path: Path) -> None:
    """A link whose text is a path (here to a file holding a valid device id) is no claim: it
    is refused, and the file it points to is not read."""
    bundle_id, device_id = str(uuid.uuid4()), new_device_id()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text(device_id)
    owners_folder(tmp_path).mkdir(mode=0o700)
    _claim_path(tmp_path, bundle_id).symlink_to(elsewhere)
    with pytest.raises(UnreadableClaim):
        bundle_owner(tmp_path, bundle_id)
    assert not claim_bundle_id(tmp_path, bundle_id, device_id)
    # Nor does a relative link that happens to name a device id's file reach that file.
    other_id = str(uuid.uuid4())
    (owners_folder(tmp_path) / device_id).write_text(new_device_id())
    _claim_path(tmp_path, other_id).symlink_to(device_id)
    assert bundle_owner(tmp_path, other_id) == device_id  # its text, not the file's content


@pytest.mark.parametrize("kind", ["fifo", "folder", "large file", "not ascii"])
def test_a_claim_of_another_kind_is_refused_safely(tmp_path: Path, kind: str) -> None:
    bundle_id, device_id = str(uuid.uuid4()), new_device_id()
    path = _claim_path(tmp_path, bundle_id)
    owners_folder(tmp_path).mkdir(mode=0o700)
    if kind == "fifo":
        os.mkfifo(path, 0o600)  # opening it for reading must not wait for a writer
    elif kind == "folder":
        path.mkdir()
    elif kind == "large file":
        path.write_bytes(device_id.encode("ascii") + b" " * 4096)
    else:
        path.write_bytes(b"\xff" * 36)
    with pytest.raises(UnreadableClaim):
        bundle_owner(tmp_path, bundle_id)
    assert not claim_bundle_id(tmp_path, bundle_id, device_id)


def test_a_claim_needs_a_device_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        claim_bundle_id(tmp_path, str(uuid.uuid4()), "../../somewhere")
    with pytest.raises(ValueError):
        claim_bundle_id(tmp_path, "../not-an-id", new_device_id())
    assert not owners_folder(tmp_path).exists() or not any(owners_folder(tmp_path).iterdir())
