"""The joining device's side: pin the sharing device's certificate (checked against its
enrolled key), prove the join code, and exchange changes since each side's vector."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import device
from sync.board_share import access, journal
from sync.board_share.changes import ChangeRefused, change_from_peer
from sync.board_share.server import HELLO, note_peer, signed_target
from sync.board_share.tls import fingerprint, pinned_context
from sync.canonical import canonical_json, open_signed_document, strict_json_loads
from sync.request_auth import sign_request

TIMEOUT_SECONDS = 10.0


class PeerUnreachable(FieldkitError):
    """The other device could not be reached, or the connection broke."""

    def __init__(self, address: str) -> None:
        super().__init__(f"The device at {address} cannot be reached (check it is sharing and "
                         "on the same network); nothing was lost, try again.")


class PeerRefused(FieldkitError):
    """The other device refused this one, or is not a device this one trusts."""

    def __init__(self, address: str, why: str) -> None:
        super().__init__(f"The board at {address} could not be shared: {why}.")


@dataclass
class Exchanged:
    """What one exchange moved."""

    received: int
    sent: int


class PeerLink:
    """A connection to one sharing device, pinned to its certificate after checking it."""

    def __init__(self, store: Store, host: str, port: int) -> None:
        self.store, self.address = store, f"{host}:{port}"
        self.base = f"https://{host if ':' not in host else f'[{host}]'}:{port}"
        try:
            cert_pem = ssl.get_server_certificate((host, port), timeout=TIMEOUT_SECONDS)
        except OSError:
            raise PeerUnreachable(self.address) from None
        self.client = httpx.Client(verify=pinned_context(cert_pem), timeout=TIMEOUT_SECONDS)
        try:
            self.peer_id, self.peer_officer = self._hello(fingerprint(cert_pem))
        except BaseException:
            self.client.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.client.close()

    def __enter__(self) -> PeerLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, target: str, body: Mapping[str, object]) -> httpx.Response:
        data = canonical_json(body)
        headers = sign_request(device_id=device.device_id(self.store),
                               device_key=device.signing_key(self.store), method="POST",
                               bundle_id=signed_target(target), body=data,
                               timestamp=int(time.time()))
        try:
            response = self.client.post(f"{self.base}/v1/{target}", content=data,
                                        headers={**headers, "Content-Type": "application/json"})
        except httpx.HTTPError:
            raise PeerUnreachable(self.address) from None
        if response.status_code == 403:
            raise PeerRefused(self.address, "that device refused this one (not enrolled with "
                              "the same Lead, revoked, or not invited with the join code)")
        if response.status_code != 200:
            raise PeerUnreachable(self.address)
        return response

    def _hello(self, cert_sha256: str) -> tuple[str, str]:
        me = device.device_id(self.store)
        response = self._post("hello", {"device": me})

        def signer(payload: dict[str, Any]) -> Ed25519PublicKey:
            entry = access.trusted_peer(self.store, str(payload.get("device_id", "")))
            if entry is None:
                raise ValueError("not an enrolled device")
            return entry.verifying_key()

        try:
            payload = open_signed_document(response.content, signer)
        except ValueError:
            raise PeerRefused(self.address, "it is not a device enrolled with your Lead, or "
                              "it was revoked") from None
        if (payload.get("purpose") != HELLO or payload.get("cert_sha256") != cert_sha256
                or payload.get("for_device") != me):
            raise PeerRefused(self.address, "its certificate is not the one its key vouches "
                              "for (someone may be in the middle)")
        peer = str(payload["device_id"])
        return peer, access.enrolled(self.store)[peer].officer

    def join(self, code: str) -> str:
        """Join the board the code was given for; its board id."""
        proof = access.join_proof(code, device.device_id(self.store))
        board = strict_json_loads(self._post("join", {"proof": proof}).content)["board_id"]
        return str(board)

    def exchange(self, board: str) -> Exchanged:
        """Pull what this device has not seen, then push what the other has not."""
        target = f"boards/{board}/exchange"
        mine = journal.vector(self.store, board)
        answer = strict_json_loads(self._post(
            target, {"vector": mine, "changes": []}).content)
        keys = access.change_keys(self.store)
        try:
            incoming = [change_from_peer(item, keys) for item in answer["changes"]]
        except ChangeRefused as error:
            raise PeerRefused(self.address, str(error)) from None
        received = journal.receive(self.store, board, incoming)
        theirs = {str(k): str(v) for k, v in dict(answer["vector"]).items()}
        outgoing = journal.changes_since(self.store, board, theirs)
        final = theirs
        if outgoing:
            body = {"vector": journal.vector(self.store, board),
                    "changes": [c.model_dump(mode="json") for c in outgoing]}
            final = {str(k): str(v) for k, v in dict(strict_json_loads(
                self._post(target, body).content)["vector"]).items()}
        note_peer(self.store, board, self.peer_id, self.address, self.peer_officer, final)
        return Exchanged(received, len(outgoing))


def join_board(store: Store, case_id: str, host: str, port: int, code: str) -> Exchanged:
    """Join the board shared at ``host:port`` for this case, and exchange until level."""
    with PeerLink(store, host, port) as link:
        board = link.join(code)
        journal.link_board(store, case_id, board)
        return link.exchange(board)


def exchange_with_peers(store: Store, case_id: str) -> dict[str, Exchanged | FieldkitError]:
    """Exchange with every peer this case's board has met; each result, or why it failed."""
    board = journal.board_id(store, case_id)
    results: dict[str, Exchanged | FieldkitError] = {}
    rows = store.conn.execute("SELECT address FROM board_peers WHERE board_id = ? AND "
                              "address != ''", (board,)).fetchall()
    for (address,) in rows:
        host, _, port = str(address).rpartition(":")
        try:
            with PeerLink(store, host, int(port)) as link:
                results[str(address)] = link.exchange(board)
        except FieldkitError as error:
            results[str(address)] = error
    return results


@dataclass
class PeerStatus:
    """One peer as ``reception status`` shows it."""

    device_id: str
    officer: str
    address: str
    last_seen: str
    they_lack: int


def peer_status(store: Store, case_id: str) -> list[PeerStatus]:
    """Every peer of this case's board: when last seen and how many changes held here it had
    not seen then."""
    board = journal.board_id(store, case_id)
    rows = store.conn.execute(
        "SELECT device_id, officer, address, last_seen, vector FROM board_peers "
        "WHERE board_id = ? ORDER BY last_seen DESC", (board,)).fetchall()
    return [PeerStatus(str(d), str(o), str(a), str(seen),
                       journal.unseen_count(store, board, json.loads(str(v))))
            for d, o, a, seen, v in rows]
