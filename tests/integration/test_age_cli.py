"""A bundle is a standard age file: the real ``age`` command opens it with the Lead's identity,
and the archive inside lists and extracts with plain ``tar``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from sync.keys import LeadKeys
from tests.unit.test_sync_bundle import PHOTO, PHOTO_SHA, RECORDS_SAMPLE, BundleKit


@pytest.fixture
def age() -> str:
    found = shutil.which("age")
    if found is None:
        message = "the age command is not installed (apt-get install age)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _identity_file(folder: Path, keys: LeadKeys, name: str) -> Path:
    path = folder / name
    path.write_text(f"# fictional test identity\n{keys.age_identity}\n")
    path.chmod(0o600)
    return path


def test_age_decrypts_a_bundle_and_tar_lists_it(age: str, tmp_path: Path) -> None:
    kit = BundleKit()
    bundle = tmp_path / "bundle.age"
    bundle.write_bytes(kit.build())
    plain = subprocess.run(
        [age, "-d", "-i", str(_identity_file(tmp_path, kit.lead, "lead.txt")), str(bundle)],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    listing = (
        subprocess.run(["tar", "-t"], input=plain, capture_output=True, check=True, timeout=30)
        .stdout.decode()
        .split()
    )
    assert listing == [
        "manifest.json", "signature", "records.json", "audit.json", f"attachments/{PHOTO_SHA}"
    ]
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["tar", "-x", "-C", str(out)], input=plain, check=True, timeout=30)
    assert json.loads((out / "records.json").read_text()) == RECORDS_SAMPLE
    assert (out / "attachments" / PHOTO_SHA).read_bytes() == PHOTO
    manifest = json.loads((out / "manifest.json").read_text())
    assert (
        manifest["parts"]["records.json"]["sha256"]
        == hashlib.sha256((out / "records.json").read_bytes()).hexdigest()
    )


def test_the_deputy_identity_opens_it_and_a_stranger_cannot(age: str, tmp_path: Path) -> None:
    kit = BundleKit()
    bundle = tmp_path / "bundle.age"
    bundle.write_bytes(kit.build())
    deputy = _identity_file(tmp_path, kit.deputy, "deputy.txt")
    done = subprocess.run(
        [age, "-d", "-i", str(deputy), "-o", str(tmp_path / "p.tar"), str(bundle)],
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 0
    with tarfile.open(tmp_path / "p.tar") as archive:
        assert "manifest.json" in archive.getnames()
    stranger = _identity_file(tmp_path, LeadKeys.generate(), "stranger.txt")
    refused = subprocess.run(
        [age, "-d", "-i", str(stranger), str(bundle)], capture_output=True, timeout=30
    )
    assert refused.returncode != 0


def test_age_keygen_agrees_on_the_recipient(tmp_path: Path) -> None:
    keygen = shutil.which("age-keygen")
    if keygen is None:
        if os.environ.get("CI"):
            pytest.fail("age-keygen is not installed")
        pytest.skip("age-keygen is not installed")
    keys = LeadKeys.generate()
    shown = subprocess.run(
        [keygen, "-y", str(_identity_file(tmp_path, keys, "id.txt"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    assert shown == keys.age_recipient


def test_a_file_encrypted_by_the_age_command_is_read_as_an_age_file(
    age: str, tmp_path: Path
) -> None:
    """Interop the other way: the CLI's output decrypts; its content is refused as no bundle."""
    kit = BundleKit()
    source = tmp_path / "note.txt"
    source.write_bytes(b"not a bundle archive")
    encrypted = subprocess.run(
        [age, "-r", kit.lead.age_recipient, str(source)],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    from sync.errors import BundleRejected

    with pytest.raises(BundleRejected) as caught:
        kit.read(encrypted)
    assert caught.value.reason == "the archive is truncated"
