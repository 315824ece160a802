"""Who may share a board: devices the Lead enrolled (the Lead-signed devices file, checked
against the Lead's key in this device's profile) and, for each board, only those invited with
the sharing device's join code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fieldkit.clock import stamp
from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import device
from sync.board_share.journal import board_id
from sync.enrolment import EnrolledDevice, EnrolledDevices, load_enrolled_devices

if TYPE_CHECKING:  # zeroconf loads only where boards are looked for
    from sync.board_share.discovery import Found

DEVICES_KEY = "lead_devices_file"
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out by voice
_CODE_LENGTH = 8


class NoDevicesFile(FieldkitError):
    """The device has not been given the Lead's list of enrolled devices."""

    def __init__(self) -> None:
        super().__init__(
            "This device does not have the Lead's list of enrolled devices, so it cannot tell "
            "which devices may share the board. Import it on the board's Sharing tab (Import "
            "the Lead's devices file), or: fieldkit reception devices FILE.")


def import_devices_file(store: Store, data: bytes) -> EnrolledDevices:
    """Keep the Lead-signed devices file after checking it against this device's Lead profile;
    an older list than the one held is refused (it could bring back a revoked device)."""
    profile = device.current_profile(store)
    if profile is None:
        raise device.NotEnrolled()
    listing = load_enrolled_devices(data, profile.lead_public_key)
    held = _held(store)
    if held is not None and held.issued > listing.issued:
        raise FieldkitError("This devices file is older than the one this device holds; it "
                            "was not imported.")
    with store.transaction():
        store.set_meta(DEVICES_KEY, base64.b64encode(data).decode("ascii"))
        store.audit("board.devices_file")
    return listing


def _held(store: Store) -> EnrolledDevices | None:
    raw = store.meta(DEVICES_KEY)
    profile = device.current_profile(store)
    if raw is None or profile is None:
        return None
    return load_enrolled_devices(base64.b64decode(raw), profile.lead_public_key)


def enrolled(store: Store) -> dict[str, EnrolledDevice]:
    """The Lead's enrolled devices (revoked ones included, marked so)."""
    held = _held(store)
    if held is None:
        raise NoDevicesFile()
    return held.by_id()


def change_keys(store: Store) -> dict[str, Ed25519PublicKey]:
    """The keys whose changes this device accepts: every device the Lead enrolled (a device
    revoked later keeps its earlier changes; it can no longer connect to pass on new ones)."""
    return {device_id: entry.verifying_key() for device_id, entry in enrolled(store).items()}


def trusted_peer(store: Store, device_id: str) -> EnrolledDevice | None:
    """The enrolled, not revoked, device ``device_id``; None for anyone else."""
    entry = enrolled(store).get(device_id)
    return None if entry is None or entry.revoked else entry


def join_code(store: Store, case_id: str) -> str:
    """The short code other devices need to join this case's board (made once, then kept)."""
    board = board_id(store, case_id)
    row = store.conn.execute(
        "SELECT join_code FROM board_shares WHERE case_id = ?", (case_id,)).fetchone()
    if row is not None and row[0]:
        return str(row[0])
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    with store.transaction() as conn:
        conn.execute("UPDATE board_shares SET join_code = ? WHERE case_id = ?", (code, case_id))
        store.audit("board.share", "board", board)
    return code


def shown_code(code: str) -> str:
    """The code as read out: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def typed_code(text: str) -> str:
    """A code as typed: spaces, dashes and case ignored."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def join_proof(code: str, device_id: str) -> str:
    """What a device sends to show it was given the code, without sending the code."""
    message = f"fieldkit-board-join-v1\n{device_id}".encode("ascii")
    return hmac.new(typed_code(code).encode("ascii"), message, hashlib.sha256).hexdigest()


def admit(store: Store, board: str, device_id: str, proof: str) -> bool:
    """Invite ``device_id`` to the board if ``proof`` shows it has the board's join code."""
    row = store.conn.execute(
        "SELECT join_code FROM board_shares WHERE board_id = ?", (board,)).fetchone()
    if row is None or not row[0]:
        return False
    if not hmac.compare_digest(join_proof(str(row[0]), device_id), proof):
        return False
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO board_invited(board_id, device_id, invited_at) "
                     "VALUES (?, ?, ?)", (board, device_id, stamp()))
        store.audit("board.invite", "device", device_id)
    return True


def is_invited(store: Store, board: str, device_id: str) -> bool:
    """True if ``device_id`` joined this board with its code (or shares it with this device)."""
    row = store.conn.execute(
        "SELECT 1 FROM board_invited WHERE board_id = ? AND device_id = ?",
        (board, device_id)).fetchone()
    return row is not None


@dataclass(frozen=True)
class OfferedBoard:
    """A board found on the network that this device may join: where, and whose laptop
    shares it (``officer`` is None when this device holds no devices file to name it by)."""

    address: str
    port: int
    device_id: str
    officer: str | None


@dataclass(frozen=True)
class Offered:
    """The boards found, as offered to the officer: ``boards`` may be joined; ``set_aside``
    counts those shared by laptops the Lead did not enrol or has revoked, which would refuse
    this device anyway and may be another centre's (never offered)."""

    boards: list[OfferedBoard]
    set_aside: int
    devices_file_held: bool


def boards_to_offer(store: Store, found: Iterable[Found]) -> Offered:
    """The boards ``found`` on the network that may be offered for joining, each named by the
    officer of the enrolled laptop sharing it. Without the Lead's devices file no laptop can
    be told apart, so every board is offered unnamed (joining then asks for the file)."""
    try:
        devices = enrolled(store)
    except NoDevicesFile:
        return Offered([OfferedBoard(f.address, f.port, f.device_id, None) for f in found],
                       0, False)
    boards: list[OfferedBoard] = []
    set_aside = 0
    for board in found:
        entry = devices.get(board.device_id)
        if entry is None or entry.revoked:
            set_aside += 1
        else:
            boards.append(OfferedBoard(board.address, board.port, board.device_id,
                                       entry.officer))
    return Offered(boards, set_aside, True)
