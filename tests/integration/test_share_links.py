"""Attacks by someone with write access to the shared folder (issue 10, item 7): turning
``quarantine/``, ``receipts/``, ``bundles/`` or a bundle file into a link so that the Lead's
importer moves files into, writes into, reads from or ``chmod``-s another folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import cases
from sync import device, importer, outbox
from sync.share_folder import ShareFolderUnsafe
from tests.integration.test_lead_import import Desk


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    made = Desk(tmp_path)
    yield made
    made.lead.lock()
    made.device.lock()


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder of the Lead's that nobody on the share should be able to reach."""
    folder = tmp_path / "lead-private"
    folder.mkdir(mode=0o755)
    (folder / "notes.txt").write_text("fictional private file\n")
    return folder


def _snapshot(folder: Path) -> tuple[int, list[str]]:
    return stat.S_IMODE(folder.stat().st_mode), sorted(os.listdir(folder))


def test_a_quarantine_link_is_refused_and_the_target_untouched(
    desk: Desk, elsewhere: Path
) -> None:
    before = _snapshot(elsewhere)
    (desk.share / importer.QUARANTINE).symlink_to(elsewhere)
    bundle_id, data = desk.sealed_case()
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x01
    desk.drop(bundle_id, bytes(damaged))
    with pytest.raises(ShareFolderUnsafe, match="is a link"):
        importer.import_folder(desk.lead, desk.share)
    assert _snapshot(elsewhere) == before
    assert (desk.share / "bundles" / f"{bundle_id}.age").exists()


def test_a_receipts_link_is_refused_and_nothing_is_written_through_it(
    desk: Desk, elsewhere: Path
) -> None:
    before = _snapshot(elsewhere)
    (desk.share / "receipts").symlink_to(elsewhere)
    bundle_id, data = desk.sealed_case()
    desk.drop(bundle_id, data)
    with pytest.raises(ShareFolderUnsafe):
        importer.import_folder(desk.lead, desk.share)
    assert _snapshot(elsewhere) == before
    # Once the share is put right, the receipt is written on the next run.
    (desk.share / "receipts").unlink()
    assert importer.import_folder(desk.lead, desk.share).already_held == [bundle_id]
    assert (desk.share / "receipts" / f"{bundle_id}.json").is_file()


def test_a_bundles_link_is_not_read(desk: Desk, tmp_path: Path) -> None:
    bundle_id, data = desk.sealed_case()
    other = tmp_path / "other-bundles"
    other.mkdir()
    (other / f"{bundle_id}.age").write_bytes(data)
    (desk.share / "bundles").symlink_to(other)
    with pytest.raises(ShareFolderUnsafe):
        importer.import_folder(desk.lead, desk.share)
    assert desk.counts()["lead_bundles"] == 0


def test_a_bundle_file_that_is_a_link_is_set_aside_unread(desk: Desk, tmp_path: Path) -> None:
    bundle_id, data = desk.sealed_case()
    target = tmp_path / "real.age"
    target.write_bytes(data)
    (desk.share / "bundles").mkdir()
    link = desk.share / "bundles" / f"{bundle_id}.age"
    link.symlink_to(target)
    report = importer.import_folder(desk.lead, desk.share)
    assert report.imported == [] and report.rejected == [(bundle_id, "Bundle rejected: it is "
                                                          "a link, not a file.")]
    assert desk.counts()["lead_bundles"] == 0
    moved = desk.share / importer.QUARANTINE / f"{bundle_id}.age"
    assert moved.is_symlink() and target.read_bytes() == data
    assert not (desk.share / "receipts" / f"{bundle_id}.json").exists()


def test_an_existing_quarantine_folder_keeps_its_permissions(desk: Desk) -> None:
    quarantine = desk.share / importer.QUARANTINE
    quarantine.mkdir(mode=0o750)
    os.chmod(quarantine, 0o750)
    bundle_id, data = desk.sealed_case()
    assert desk.refused(bundle_id, data[: len(data) // 2])
    assert stat.S_IMODE(quarantine.stat().st_mode) == 0o750


def test_a_rejected_receipt_for_other_bytes_does_not_stop_the_device(desk: Desk) -> None:
    """Item 10: someone on the share swaps a delivered bundle for junk under the same id; the
    Lead rejects the junk, and that receipt must not mark the device's real bundle refused: the
    Lead never had it, so it is delivered again (once for that receipt) and imported."""
    case = cases.create_case(desk.device, "Operation Swap")
    item = device.send_case(desk.device, case.id)
    assert outbox.send_one(desk.device, item.bundle_id, desk.transport)
    (desk.share / "bundles" / f"{item.bundle_id}.age").write_bytes(b"age-encryption.org/v1\njunk")
    report = importer.import_folder(desk.lead, desk.share)
    assert [bundle_id for bundle_id, _ in report.rejected] == [item.bundle_id]
    outbox.collect_receipts(desk.device, desk.transport)
    kept = outbox.get_item(desk.device, item.bundle_id)
    assert kept.state == outbox.OutboxState.QUEUED and kept.acknowledged_at is None
    assert outbox.send_one(desk.device, item.bundle_id, desk.transport)
    outbox.collect_receipts(desk.device, desk.transport)  # the junk's receipt: not again
    assert outbox.get_item(desk.device, item.bundle_id).state == outbox.OutboxState.DELIVERED
    assert importer.import_folder(desk.lead, desk.share).imported == [item.bundle_id]
    outbox.collect_receipts(desk.device, desk.transport)
    assert outbox.get_item(desk.device, item.bundle_id).acknowledged_at is not None
