"""Owner claims on the inbox (``sync.bundle_owners``), on a real file system: a claim is a
symbolic link whose target text is the device id, read and never followed; claims written as
regular files by earlier versions are still honoured; anything else is refused."""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest

from sync.bundle_owners import (
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


def test_a_claim_is_a_link_whose_target_is_the_device_id(tmp_path: Path) -> None:
    bundle_id, device_id = str(uuid.uuid4()), new_device_id()
    assert bundle_owner(tmp_path, bundle_id) is None
    assert claim_bundle_id(tmp_path, bundle_id, device_id)
    path = _claim_path(tmp_path, bundle_id)
    assert path.is_symlink()
    assert os.readlink(path) == device_id
    assert not path.exists()  # it points nowhere: only its text matters
    assert bundle_owner(tmp_path, bundle_id) == device_id
    assert oct(owners_folder(tmp_path).stat().st_mode & 0o777) == "0o700"
    # Claiming again is the same device's own: still true, nothing changed.
    assert claim_bundle_id(tmp_path, bundle_id, device_id, sync_folder=False)
    assert os.readlink(path) == device_id


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
