"""End to end on loopback through the real command line, both transports: the Lead sets up,
a device enrols, records the demo case, sends it, syncs; the Lead imports and holds exactly
the records sent, once, however often things are repeated."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import importer
from sync.freeze import freeze_case
from sync.payload import validate_records
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, Cli
from tests.integration.conftest import make_self_signed


def _cli(tmp_path: Path, name: str) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.update(FAST_KDF)
    return Cli(tmp_path / name, env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _enrol(tmp_path: Path, lead: Cli, device: Cli, *destination: str) -> Path:
    lead.ok("init", "--officer", "Lead Officer")
    lead.ok("lead", "init")
    profile = tmp_path / "lead-profile.json"
    shown = lead.ok("lead", "profile", "--out", str(profile), *destination).out
    device.ok("init", "--officer", "Officer Example", "--organisation", "Coventry City Council")
    request = tmp_path / "enrol-request.json"
    # The fingerprint the Lead reads out over the phone; without it nothing is pinned.
    fingerprint = shown.split("Fingerprint: ")[1].split()[0]
    unconfirmed = device("device", "enrol", "--lead-profile", str(profile), "--out", str(request))
    assert unconfirmed.code != 0 and "--fingerprint" in unconfirmed.err
    misheard = fingerprint[:-1] + ("A" if fingerprint[-1] != "A" else "B")
    wrong = device("device", "enrol", "--lead-profile", str(profile), "--fingerprint", misheard)
    assert wrong.code != 0 and "not imported" in wrong.err
    enrolled = device.ok("device", "enrol", "--lead-profile", str(profile), "--out", str(request),
                         "--fingerprint", fingerprint)
    assert fingerprint in enrolled.out
    # The officer's organisation as given at first run (it said "Trading Standards" for all).
    assert "Coventry City Council" in request.read_text()
    lead.ok("lead", "devices", "add", str(request))
    return profile


def _sent_records(device: Cli, case_id: str) -> list[dict[str, object]]:
    with Store.open(Settings(data_dir=device.data_dir), PASSPHRASE) as store:
        records, attachments = freeze_case(store, case_id)
    return [json.loads(r.model_dump_json()) for r in validate_records(records, case_id,
                                                                      attachments)]


def _lead_records(lead: Cli, case_id: str) -> list[dict[str, object]]:
    with Store.open(Settings(data_dir=lead.data_dir), PASSPHRASE) as store:
        return importer.current_records(store, case_id)


def _key(record: dict[str, object]) -> tuple[str, str]:
    return (str(record["type"]), str(record["id"]))


def test_folder_transport_end_to_end(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    lead, device = _cli(tmp_path, "lead"), _cli(tmp_path, "device")
    _enrol(tmp_path, lead, device, "--folder", str(share))
    case_id = device.ok("demo").last_line
    bundle_id = device.ok("send", "--case", case_id).last_line
    assert "queued" in device.ok("outbox").out
    device.ok("sync")
    assert (share / "bundles" / f"{bundle_id}.age").exists()
    assert "Imported 1," in lead.ok("lead", "import", "--from", str(share)).out
    assert "already held 1" in lead.ok("lead", "import", "--from", str(share)).out
    listed = lead.ok("lead", "cases").out
    assert "Operation Larkspur" in listed and "sent by Officer Example  (1 bundle," in listed
    sent, held = _sent_records(device, case_id), _lead_records(lead, case_id)
    assert sorted(held, key=_key) == sorted(sent, key=_key)
    # The device picks up the Lead's signed receipt.
    assert "receipts 1" in device.ok("sync").out
    assert "delivered" in device.ok("outbox").out
    # The Lead's exported identity opens the bundle with the standard age tool.
    identity = tmp_path / "lead-identity.txt"
    warned = lead.ok("lead", "export-identity", "--out", str(identity))
    assert "WARNING" in warned.err and oct(identity.stat().st_mode & 0o777) == "0o600"
    opened = subprocess.run(["age", "-d", "-i", str(identity),
                             str(share / "bundles" / f"{bundle_id}.age")],
                            capture_output=True, timeout=60)
    assert opened.returncode == 0, opened.stderr
    listing = subprocess.run(["tar", "-t"], input=opened.stdout, capture_output=True, timeout=60)
    assert b"manifest.json" in listing.stdout and b"records.json" in listing.stdout


def test_a_later_send_supersedes_and_the_newest_version_is_current(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    lead, device = _cli(tmp_path, "lead"), _cli(tmp_path, "device")
    _enrol(tmp_path, lead, device, "--folder", str(share))
    case_id = device.ok("demo").last_line
    device.ok("send", "--case", case_id)
    visit_id = device.ok("visit", "new", "--case", case_id, "--premises", "Second site",
                         "--address", "Unit 9, Example Estate").last_line
    device.ok("note", "add", "--visit", visit_id, "Follow-up visit note")
    device.ok("send", "--case", case_id)
    device.ok("sync")
    assert "Imported 2," in lead.ok("lead", "import", "--from", str(share)).out
    held = _lead_records(lead, case_id)
    assert sorted(held, key=_key) == sorted(_sent_records(device, case_id), key=_key)
    assert "(2 bundles," in lead.ok("lead", "cases").out


@pytest.fixture
def inbox_process(tmp_path: Path) -> Iterator[tuple[str, Path, Cli, Cli, Path]]:
    lead, device = _cli(tmp_path, "lead"), _cli(tmp_path, "device")
    tls = make_self_signed(tmp_path)
    port = _free_port()
    url = f"https://127.0.0.1:{port}"
    profile = _enrol(tmp_path, lead, device, "--inbox-url", url, "--inbox-cert",
                     str(tls.cert_path))
    devices_file = tmp_path / "devices.json"
    lead.ok("lead", "devices", "export", "--out", str(devices_file))
    root = tmp_path / "inbox-root"
    server = subprocess.Popen(
        [sys.executable, "-m", "fieldkit.cli", "inbox", "serve", "--root", str(root),
         "--devices", str(devices_file), "--lead-profile", str(profile), "--host", "127.0.0.1",
         "--port", str(port), "--cert", str(tls.cert_path), "--key", str(tls.key_path)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/v1/health", verify=False, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        assert time.monotonic() < deadline, "inbox did not start"
        time.sleep(0.1)
    yield url, root, lead, device, devices_file
    server.terminate()
    server.wait(10)


def test_https_inbox_end_to_end(inbox_process: tuple[str, Path, Cli, Cli, Path]) -> None:
    _, root, lead, device, _ = inbox_process
    case_id = device.ok("demo").last_line
    bundle_id = device.ok("send", "--case", case_id).last_line
    assert "Delivered 1," in device.ok("sync").out
    assert "Delivered 0," in device.ok("sync", "--retry-now").out  # nothing sent twice
    assert (root / "bundles" / f"{bundle_id}.age").exists()
    assert "Imported 1," in lead.ok("lead", "import", "--from", str(root)).out
    held = _lead_records(lead, case_id)
    assert sorted(held, key=_key) == sorted(_sent_records(device, case_id), key=_key)
    assert "receipts 1" in device.ok("sync").out


def test_a_revoked_device_is_refused_by_the_inbox(
    inbox_process: tuple[str, Path, Cli, Cli, Path],
) -> None:
    _, root, lead, device, devices_file = inbox_process
    device_id = lead.ok("lead", "devices", "list").out.split()[0]
    lead.ok("lead", "devices", "revoke", device_id)
    lead.ok("lead", "devices", "export", "--out", str(devices_file))  # re-read by the inbox
    case_id = device.ok("demo").last_line
    device.ok("send", "--case", case_id)
    result = device("sync")
    assert result.code == 3
    outbox = device.ok("outbox").out
    assert "failed" in outbox and "last error: delivery_unauthorised" in outbox  # one answer
    assert not list((root / "bundles").glob("*.age"))
