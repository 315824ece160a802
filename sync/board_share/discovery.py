"""Finding a shared board on the centre's local network (mDNS / DNS-SD, with ``zeroconf``).

What a sharing device announces is readable by anyone on that network, so it says nothing
personal and nothing about the case:

- the service name is a **random id made for this sharing session** (never the case, the
  board, the officer or the laptop's own name), and the host name announced is made from that
  same random id, so the laptop's name (often its owner's) is not announced either;
- the **port** and the **addresses** the board is served on: what a joiner needs to connect;
- the **sharing device's enrolled id** (a random UUID, in the TXT record ``device``): when
  several boards are found, a joiner looks it up in its own Lead-signed devices file to say
  whose laptop each is, without any name going over the network. It names no person; anyone
  on the network can see that laptop's addresses anyway. Everything else (which board, who
  shares it) is learnt only after the mutually authenticated hello and the join code.

Announcing stops when sharing stops (:meth:`Announcement.close` sends the goodbye).
"""

from __future__ import annotations

import secrets
import socket
import threading
from dataclasses import dataclass

from zeroconf import (
    InterfaceChoice,
    IPVersion,
    ServiceBrowser,
    ServiceInfo,
    ServiceListener,
    Zeroconf,
)

from sync.enrolment import is_canonical_uuid

SERVICE_TYPE = "_fieldkit-board._tcp.local."
PROTOCOL = "1"
RESOLVE_MS = 3000


@dataclass(frozen=True)
class Found:
    """A shared board announced on the network: where to reach it, and the device sharing it."""

    address: str
    port: int
    device_id: str


def _zeroconf(interfaces: list[str] | None) -> Zeroconf:
    """A zeroconf instance on ``interfaces`` (IPv4 addresses), or every network if None."""
    chosen: InterfaceChoice | list[str | tuple[tuple[str, int, int], int]] = (
        InterfaceChoice.All if interfaces is None else list(interfaces))
    return Zeroconf(interfaces=chosen, ip_version=IPVersion.V4Only)


class Announcement:
    """A board announced on the network until :meth:`close` (or the end of a ``with``)."""

    def __init__(self, port: int, device_id: str, addresses: list[str],
                 interfaces: list[str] | None = None) -> None:
        session = secrets.token_hex(8)
        self.info = ServiceInfo(
            SERVICE_TYPE, f"{session}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(address) for address in addresses], port=port,
            properties={"v": PROTOCOL, "device": device_id}, server=f"fieldkit-{session}.local.")
        self._zc = _zeroconf(interfaces)
        try:
            self._zc.register_service(self.info)
        except BaseException:
            self._zc.close()
            raise
        self._closed = False

    def close(self) -> None:
        """Stop announcing (tells the network the board is gone)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._zc.unregister_service(self.info)
        finally:
            self._zc.close()

    def __enter__(self) -> Announcement:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def announce(port: int, device_id: str, addresses: list[str],
             interfaces: list[str] | None = None) -> Announcement:
    """Announce a board served on ``addresses``:``port`` by ``device_id`` (nothing else)."""
    return Announcement(port, device_id, addresses, interfaces)


class _Names(ServiceListener):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.lock = threading.Lock()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        with self.lock:
            self.names.add(name)

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.add_service(zc, type_, name)

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        with self.lock:
            self.names.discard(name)


def browse(timeout: float, interfaces: list[str] | None = None) -> list[Found]:
    """Every shared board announced on the network within ``timeout`` seconds (sorted)."""
    zc = _zeroconf(interfaces)
    try:
        listener = _Names()
        browser = ServiceBrowser(zc, SERVICE_TYPE, listener)
        threading.Event().wait(timeout)
        browser.cancel()
        with listener.lock:
            names = sorted(listener.names)
        found: set[Found] = set()
        for name in names:
            info = zc.get_service_info(SERVICE_TYPE, name, timeout=RESOLVE_MS)
            if info is None or info.port is None:
                continue  # gone before it could be resolved
            properties = info.properties or {}
            device = (properties.get(b"device") or b"").decode("ascii", "replace")
            if properties.get(b"v") != PROTOCOL.encode() or not is_canonical_uuid(device):
                continue  # not a board this version understands
            for address in info.parsed_addresses(IPVersion.V4Only):
                found.add(Found(address, int(info.port), device))
        return sorted(found, key=lambda f: (f.device_id, f.address, f.port))
    finally:
        zc.close()
