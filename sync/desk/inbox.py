"""The Lead's inbox: where bundles arrive (a shared folder or the inbox server's storage root),
how many wait there, those refused and why, and the enrolled devices with their officer, last
bundle and audit-chain status, with revoking that also rewrites the signed devices file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fieldkit import clock, officer
from fieldkit.atomicfile import write_atomic
from fieldkit.errors import InvalidInput
from fieldkit.store import Store
from sync import importer, lead
from sync.audit_anchor import audit_breaks
from sync.layout import BUNDLE_SUFFIX, delivered_bundles

FOLDER_KEY = "lead_import_folder"
DEVICES_FILE_KEY = "lead_devices_file"
CHAIN_NOT_ANCHORED = "no bundle received yet"
"""Audit-chain status of a device that has sent nothing yet."""
CHAIN_CONTINUOUS = "continuous"
"""Every bundle's audit events continue the device's chain."""


@dataclass(frozen=True)
class DeviceActivity:
    """An enrolled device as the Lead sees it."""

    device_id: str
    device_name: str
    officer: str
    organisation: str
    added_at: str
    revoked: bool
    bundles: int
    last_bundle: str
    chain: str


@dataclass(frozen=True)
class Rejection:
    """A bundle refused at import, why, and what is known of it in plain words."""

    file_name: str
    reason: str
    rejected_at: str
    found: str = ""
    """Where it was found and where it is now (the import folder's ``quarantine``)."""
    arrived_at: str = ""
    """When the file arrived in the folder (its modification time), '' when unknown."""
    sender: str = ""
    """Who it may be from, worded as what it is: the inbox's record, or the file's own claim
    (not verified), or that nothing can tell."""
    advice: str = ""
    """What the Lead should do."""


def _lead_role(store: Store) -> bool:
    """The Lead's role: chosen at first run (the app role the officer profile is saved with),
    or given by ``fieldkit lead init`` (which marks the store when it makes the identity)."""
    return store.meta("role") == "lead" or officer.load_role(store) is officer.AppRole.LEAD


def is_lead(store: Store) -> bool:
    """Whether this store was set up in the Lead role."""
    return _lead_role(store) and store.meta(lead.KEYS) is not None


def needs_lead_identity(store: Store) -> bool:
    """Chosen the Lead role at first run, but no Lead identity made yet."""
    return _lead_role(store) and store.meta(lead.KEYS) is None


def create_lead_identity(store: Store) -> str:
    """Make the Lead identity in this store; its age recipient (to share with IT)."""
    return lead.init_lead(store).age_recipient


def today_for_desk() -> date:
    """Today's date where the Lead is (the core's clock, never a widget's)."""
    return clock.today()


def import_folder_path(store: Store) -> str:
    """The folder the Lead imports from ('' until chosen)."""
    return store.meta(FOLDER_KEY) or ""


def devices_file_path(store: Store) -> str:
    """Where the signed devices file for the inbox is written ('' when not used)."""
    return store.meta(DEVICES_FILE_KEY) or ""


def remember_paths(store: Store, *, folder: str, devices_file: str) -> None:
    """Keep the import folder and devices-file path in the encrypted store."""
    with store.transaction():
        store.set_meta(FOLDER_KEY, folder.strip())
        store.set_meta(DEVICES_FILE_KEY, devices_file.strip())


def waiting(store: Store, root: Path) -> int:
    """Bundles in the folder that the Lead does not hold yet (0 when the folder is absent)."""
    if not root.is_dir():
        return 0
    held = {str(r[0]) for r in store.conn.execute("SELECT bundle_id FROM lead_bundles")}
    return sum(1 for bundle_id, _ in delivered_bundles(root) if bundle_id not in held)


def import_waiting(store: Store, root: Path,
                   progress: Callable[[int, int], None] | None = None) -> importer.ImportReport:
    """Import everything waiting in ``root``, reporting progress per bundle."""
    if not str(root).strip() or not root.is_dir():
        raise InvalidInput(f"The import folder {root} does not exist (is the share mounted?).")
    return importer.import_folder(store, root, progress=progress)


def device_activity(store: Store) -> list[DeviceActivity]:
    """Every enrolled device with how many bundles it sent and when it last did."""
    found = []
    for device, name, organisation in lead.list_devices(store):
        count, last = store.conn.execute(
            "SELECT COUNT(*), MAX(created_at) FROM lead_bundles WHERE device_id = ?",
            (device.device_id,)).fetchone()
        breaks = audit_breaks(store, device.device_id)
        chain = (f"BROKEN: {breaks[-1].problem}" if breaks
                 else CHAIN_CONTINUOUS if count else CHAIN_NOT_ANCHORED)
        found.append(DeviceActivity(device.device_id, name, device.officer, organisation,
                                    device.added_at, device.revoked, int(count), last or "",
                                    chain))
    return found


def _sender_words(device_id: str, officer: str, source: str,
                  devices: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(who it may be from, in words; the officer to ask, '' when nobody is known)."""
    enrolled = devices.get(device_id)
    if enrolled is not None:
        who, ask = f"{enrolled[0]}, {enrolled[1] or 'laptop ' + device_id[:8]}", enrolled[0]
    elif officer:
        who, ask = f"{officer} (named in the file), on a laptop not enrolled here", officer
    else:
        who, ask = f"a laptop not enrolled here (device {device_id[:8]})", ""
    if source == "inbox":
        return (f"uploaded from {who}, as the inbox recorded it (the file itself could not be "
                "checked)"), ask
    if source == "manifest":
        return f"claims to be from {who}: not verified (the file could not be checked)", ask
    return "not known: nothing in the file could be read", ""


def rejections(store: Store) -> list[Rejection]:
    """Bundles refused at import and not imported since, newest first, each with what is known
    of it in words: where it was found, when it arrived, who it may be from (never a claim as
    fact), and what to do (:func:`_advice`). One imported after it was refused (its laptop
    enrolled since, a damaged copy sent again) is no longer listed: nothing is left to do."""
    devices = {str(r[0]): (str(r[1]), str(r[2] or "")) for r in store.conn.execute(
        "SELECT device_id, officer, device_name FROM lead_devices")}
    rows = store.conn.execute(
        "SELECT r.file_name, r.reason, r.rejected_at, r.found_in, r.arrived_at, "
        "r.sender_device, r.sender_officer, r.sender_source FROM lead_rejections r "
        "WHERE NOT EXISTS (SELECT 1 FROM lead_bundles b WHERE b.bundle_id = "
        "substr(r.file_name, 1, length(r.file_name) - ?) AND b.imported_at > r.rejected_at) "
        "ORDER BY r.id DESC", (len(BUNDLE_SUFFIX),)).fetchall()
    found = []
    for name, reason, refused, folder, arrived, device, named, source in rows:
        sender, ask = _sender_words(str(device), str(named), str(source), devices) \
            if source else ("not known: nothing in the file could be read", "")
        where = (f"found in {folder}/bundles, moved to {folder}/quarantine" if folder
                 else "moved to the import folder's quarantine")
        theirs = " (if it is theirs: the file's claim is not verified)" \
            if source == "manifest" else ""
        found.append(Rejection(str(name), str(reason), str(refused), where, str(arrived),
                               sender, _advice(str(reason), ask, theirs)))
    return found


def _advice(reason: str, ask: str, theirs: str) -> str:
    """What the Lead can do about a refused bundle, by why it was refused."""
    officer = f"{ask}{theirs}" if ask else "the officers"
    if "device revoked" in reason:
        return ("Nothing was imported from it, and nothing this laptop sends is imported while "
                "it is revoked. If the revocation was a mistake, or the officer has a new "
                f"laptop, enrol it again (Set-up) and ask {officer} to send the case again.")
    if "unknown device" in reason:
        return ("Nothing was imported from it: the laptop is not enrolled here. If it is one "
                "of your officers', enrol it (Set-up), move the file back from quarantine into "
                "the bundles folder and import again.")
    if "another laptop made" in reason:
        return ("Nothing was imported from it. A laptop sealed its own bundle under the name "
                "of a bundle another laptop sent, and replaced that file on the shared folder: "
                "the laptop that sent the original sends it again by itself at its next sync. "
                f"Find out why {ask or 'the laptop that sealed it'} did this{theirs}; revoke "
                "it if it was not a mistake.")
    if "damaged" in reason or "signature does not match" in reason:
        return ("Nothing was imported from it. If the copy was damaged on its way, the "
                "officer's laptop sends the bundle again by itself at its next sync (the "
                f"receipt tells it so): ask {officer} to sync, then import again.")
    if ask:
        return (f"Nothing was imported from it. Ask {ask} to sync{theirs}: a case their "
                "laptop shows as refused by the Lead is to be sent again, then import.")
    return ("Nothing was imported from it. Ask the officers to sync: any case their laptop "
            "shows as refused by the Lead is to be sent again, then import.")


def revoke(store: Store, device_id: str, devices_file: Path | None) -> None:
    """Revoke a device and, when the inbox's devices file is used, rewrite it signed."""
    if devices_file is not None and not devices_file.parent.is_dir():
        raise InvalidInput(f"Folder {devices_file.parent} does not exist.")
    lead.revoke_device(store, device_id)
    if devices_file is not None:
        write_atomic(devices_file, lead.export_devices(store), 0o644)
