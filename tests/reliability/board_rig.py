"""A reception centre for board-sharing tests: a Lead, devices enrolled with it (some revoked,
one never enrolled), each with its own encrypted store holding the Lead's devices file, and a
board-sharing server run in a thread that owns its own store connection."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, lead
from sync.board_share import access
from sync.board_share.server import board_server
from tests.conftest import PASSPHRASE


def device_settings(folder: Path) -> Settings:
    """Settings for a device store with cheap key derivation."""
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


@dataclass
class Centre:
    """The devices at a reception centre, by name: their store settings."""

    devices: dict[str, Settings]
    lead: Settings
    to_lead: Path

    def open(self, name: str) -> Store:
        """A new connection to a device's store."""
        return Store.open(self.devices[name], PASSPHRASE)


def build_centre(tmp_path: Path, enrolled: list[str], *, revoked: tuple[str, ...] = (),
                 strangers: tuple[str, ...] = ()) -> Centre:
    """A Lead and devices: ``enrolled`` (of which ``revoked`` are revoked) and ``strangers``
    that have the Lead's profile and devices file but were never enrolled."""
    lead_settings = device_settings(tmp_path / "lead")
    lead_store = Store.create(lead_settings, PASSPHRASE, officer="Lead Example")
    lead.init_lead(lead_store)
    issued, profile = lead.make_profile(lead_store, council="Example Council",
                                   lead_name="Lead Example", lead_contact="lead@council.example",
                                   folder=str(tmp_path / "to-lead"))
    devices: dict[str, Settings] = {}
    for name in [*enrolled, *strangers]:
        settings = device_settings(tmp_path / name)
        store = Store.create(settings, PASSPHRASE, officer=f"Officer {name}")
        device.import_profile(store, profile, expected_fingerprint=issued.fingerprint())
        if name in enrolled:
            lead.add_device(lead_store, device.enrolment_request(
                store, device_name=f"laptop {name}", organisation="Reception centre"))
        store.lock()
        devices[name] = settings
    for name in revoked:
        with Store.open(devices[name], PASSPHRASE) as store:
            lead.revoke_device(lead_store, device.device_id(store))
    listing = lead.export_devices(lead_store)
    lead_store.lock()
    for settings in devices.values():
        with Store.open(settings, PASSPHRASE) as store:
            access.import_devices_file(store, listing)
    return Centre(devices, lead_settings, tmp_path / "to-lead")


@dataclass
class RunningShare:
    """A board-sharing server in a thread; stop() ends it and locks its store."""

    server: uvicorn.Server
    thread: threading.Thread
    port: int

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def serve_in_thread(settings: Settings) -> RunningShare:
    """Serve a device's shared boards on a free loopback port, from a thread of its own."""
    ready: queue.Queue[tuple[uvicorn.Server, int] | BaseException] = queue.Queue()

    def run() -> None:
        try:
            store = Store.open(settings, PASSPHRASE)
            server, sock = board_server(store, "127.0.0.1", 0)
        except BaseException as error:  # reported to the test, not lost in the thread
            ready.put(error)
            return
        ready.put((server, int(sock.getsockname()[1])))
        try:
            server.run(sockets=[sock])
        finally:
            store.lock()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started = ready.get(timeout=30)
    if isinstance(started, BaseException):
        raise started
    server, port = started
    for _ in range(300):
        if server.started:
            break
        threading.Event().wait(0.02)
    return RunningShare(server, thread, port)
