"""Setting up sending, the Lead's side: the signed profile officers import, enrolling a device
from the request file its officer saved, and the signed devices file an HTTPS inbox reads.

The Lead's window (Set-up tab) and the command line (``fieldkit lead profile``, ``lead devices
add``, ``lead devices export``) both do this through these functions: files are read with a
size limit and written whole (temporary file, fsync, rename) or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldkit import officer
from fieldkit.atomicfile import write_atomic
from fieldkit.errors import InvalidInput
from fieldkit.resources import load_resources
from fieldkit.store import Store
from sync import lead
from sync.desk.inbox import DEVICES_FILE_KEY
from sync.profile import FolderDestination, InboxDestination, LeadProfile

MAX_INPUT_BYTES = 1024 * 1024
"""An enrolment request or a certificate is a few kilobytes; a file far larger is not one."""
SHARED_FILE_MODE = 0o644
"""The profile and the devices file hold no secrets: officers and the inbox read them."""


@dataclass(frozen=True)
class ProfileDefaults:
    """What a new profile starts from: the newest profile issued (a Lead adding a deputy or a
    new address keeps everything else: a profile remade from blank fields dropped the pinned
    certificate and the retention rule), else the council's resources and the Lead's own
    profile."""

    council: str
    lead_name: str
    lead_contact: str
    folder: str = ""
    inbox_url: str = ""
    certificate_pem: str | None = None
    """The inbox certificate the newest profile pins: kept unless another file is chosen."""
    retention_days: int | None = None
    auto_lock_minutes: int | None = None
    extra_recipients: tuple[str, ...] = ()


def profile_defaults(store: Store | None = None) -> ProfileDefaults:
    """The council's name, the Lead's title and contact from ``resources/council.yaml``; with
    the Lead's store, the Lead's own name and work e-mail (or phone) from the profile they gave
    at first run, where they gave them (officers see these beside the fingerprint)."""
    newest = lead.newest_profile(store) if store is not None else None
    if store is not None and newest is not None:
        where = newest.destination
        return ProfileDefaults(
            newest.council, newest.lead_name, newest.lead_contact,
            folder=where.path if isinstance(where, FolderDestination) else "",
            inbox_url=where.url if isinstance(where, InboxDestination) else "",
            certificate_pem=where.certificate_pem if isinstance(where, InboxDestination)
            else None,
            retention_days=newest.policy.retention_days,
            auto_lock_minutes=newest.policy.auto_lock_minutes,
            extra_recipients=tuple(r for r in newest.recipients
                                   if r != lead.lead_keys(store).age_recipient))
    council = load_resources().council
    defaults = ProfileDefaults(council.name, council.lead_title, council.lead_contact)
    own = officer.load_profile(store) if store is not None else None
    if own is None:
        return defaults
    return ProfileDefaults(council.name, own.name.strip() or defaults.lead_name,
                           own.email.strip() or own.phone.strip() or defaults.lead_contact)


def read_input_file(path: Path, what: str) -> bytes:
    """A small file's bytes, or one sentence naming ``what`` and why it cannot be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"{what} {path} cannot be read: "
                           f"{error.strerror or type(error).__name__}.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInput(f"{what} {path} is far too large to be one; nothing was read.")
    return data


def read_certificate(path: Path) -> str:
    """The inbox's PEM certificate as text (checked when the profile is made)."""
    data = read_input_file(path, "Inbox certificate")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidInput(f"Inbox certificate {path} is not a PEM certificate (a text file "
                           "beginning -----BEGIN CERTIFICATE-----).") from None


def _check_folder(target: Path) -> None:
    if not target.parent.is_dir():
        raise InvalidInput(f"Folder {target.parent} does not exist.")


def write_profile(
    store: Store,
    target: Path,
    *,
    council: str,
    lead_name: str,
    lead_contact: str,
    folder: str | None = None,
    inbox_url: str | None = None,
    inbox_certificate: Path | None = None,
    extra_recipients: list[str] | None = None,
    retention_days: int | None = None,
    auto_lock_minutes: int | None = None,
    kept_certificate: str | None = None,
) -> LeadProfile:
    """Make a new signed profile and write it to ``target``; the profile (its fingerprint is
    what the Lead reads to each officer by phone). ``kept_certificate``: the PEM pinned by the
    newest profile, used when no certificate file is given."""
    _check_folder(target)
    certificate = (read_certificate(inbox_certificate) if inbox_certificate
                   else kept_certificate if inbox_url else None)
    profile, signed = lead.make_profile(
        store, council=council, lead_name=lead_name, lead_contact=lead_contact, folder=folder,
        inbox_url=inbox_url, inbox_cert_pem=certificate, extra_recipients=extra_recipients,
        retention_days=retention_days, auto_lock_minutes=auto_lock_minutes)
    write_atomic(target, signed, SHARED_FILE_MODE)
    return profile


def enrol_from_file(store: Store, path: Path, *, replace: bool = False) -> lead.Enrolment:
    """Enrol the device whose officer saved the enrolment request at ``path``."""
    return lead.enrol(store, read_input_file(path, "Enrolment request"), replace=replace)


def write_devices_file(store: Store, target: Path) -> int:
    """Write the signed enrolled-devices file the inbox reads; how many devices it lets in."""
    _check_folder(target)
    write_atomic(target, lead.export_devices(store), SHARED_FILE_MODE)
    return sum(1 for device, _, _ in lead.list_devices(store) if not device.revoked)


def save_devices_file(store: Store, target: Path) -> int:
    """:func:`write_devices_file`, and keep ``target`` as the Inbox's devices file, so that
    revoking a device rewrites it there; how many devices it lets in."""
    allowed = write_devices_file(store, target)
    with store.transaction():
        store.set_meta(DEVICES_FILE_KEY, str(target))
    return allowed

