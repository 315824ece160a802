"""A Lead, an enrolled device and a plain-HTTP inbox on loopback, for the sync fault tests."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from bench.rig import queue_cases  # noqa: F401  (shared with the benchmarks)
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead
from sync.inbox import create_inbox_app
from tests.conftest import PASSPHRASE


@dataclass
class SyncRig:
    """Everything a sync test needs; close() stops the inbox and locks the stores."""

    lead_settings: Settings
    device_settings: Settings
    lead_store: Store
    device_store: Store
    inbox_root: Path
    inbox_port: int
    server: uvicorn.Server
    thread: threading.Thread
    lead_public_key: str

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.lead_store.lock()
        if self.device_store.is_open:
            self.device_store.lock()


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def start_inbox(root: Path, devices_file: Path, lead_public_key: str) -> tuple[
        uvicorn.Server, threading.Thread, int]:
    """A real uvicorn inbox (plain HTTP, allowed on loopback) in a thread."""
    app = create_inbox_app(root, devices_file, lead_public_key=lead_public_key)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else 40 ms delayed ACKs).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return server, thread, port
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("inbox did not start")
        time.sleep(0.02)


def build_rig(tmp_path: Path) -> SyncRig:
    """A Lead store with its identity, a device store, and an inbox reading ``devices.json``."""
    lead_settings = _settings(tmp_path / "lead")
    device_settings = _settings(tmp_path / "device")
    lead_store = Store.create(lead_settings, PASSPHRASE, officer="Lead Officer")
    lead.init_lead(lead_store)
    keys = lead.lead_keys(lead_store)
    root = tmp_path / "inbox-root"
    devices_file = tmp_path / "devices.json"
    devices_file.write_bytes(lead.export_devices(lead_store))
    server, thread, port = start_inbox(root, devices_file, keys.public_key)
    return SyncRig(lead_settings, device_settings, lead_store,
                   Store.create(device_settings, PASSPHRASE, officer="Officer Example"),
                   root, port, server, thread, keys.public_key)


def enrol(rig: SyncRig, inbox_url: str, tmp_path: Path) -> None:
    """Give the device a profile pointing at ``inbox_url`` and enrol it with the Lead."""
    issued, signed = lead.make_profile(rig.lead_store, council="Example Council",
                                  lead_name="Lead Example", lead_contact="lead@council.example",
                                  inbox_url=inbox_url)
    device.import_profile(rig.device_store, signed,
                          expected_fingerprint=issued.fingerprint())
    request = device.enrolment_request(rig.device_store, device_name="laptop",
                                       organisation="Trading Standards")
    lead.add_device(rig.lead_store, request)
    (tmp_path / "devices.json").write_bytes(lead.export_devices(rig.lead_store))
