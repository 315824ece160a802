"""Command-line groups for sync: the device (enrol, send, sync, outbox), the Lead (init,
profile, devices, import, cases, export-identity) and the HTTPS inbox (serve)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fieldkit.atomicfile import write_atomic
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput(f"{what} {path} cannot be read: {error.strerror}.") from None


def _write(path: str, data: bytes, mode: int = 0o644) -> None:
    target = Path(path)
    if not target.parent.exists():
        raise InvalidInput(f"Folder {target.parent} does not exist.")
    write_atomic(target, data, mode=mode)


def _open(settings: Settings) -> Any:
    from fieldkit.cli import open_store

    return open_store(settings)


# -- device ---------------------------------------------------------------------------------


def cmd_device_enrol(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device

    with _open(settings) as store:
        profile = device.import_profile(store, _read(args.lead_profile, "Lead profile"))
        print(f"Lead profile of {profile.council} ({profile.lead_name}) imported.")
        print(f"Fingerprint: {profile.fingerprint()}  (compare it with your Lead by phone)")
        if args.out:
            request = device.enrolment_request(
                store, device_name=args.device_name, organisation=args.organisation
            )
            _write(args.out, request)
            print(f"Enrolment request written to {args.out}: give it to your Lead.")
    return 0


def transport_for(profile: Any, store: Any) -> Any:
    """The transport a profile names, for this device."""
    from sync import device
    from sync.transport import transport_for as make_transport

    return make_transport(
        profile, device_id=device.device_id(store), device_key=device.signing_key(store)
    )


def cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device

    with _open(settings) as store:
        item = device.send_case(store, args.case)
        print(f"Bundle queued for the Lead ({item.size} bytes, encrypted).")
        print(item.bundle_id)
    return 0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device, outbox, retention

    with _open(settings) as store:
        profile = device.current_profile(store)
        if profile is None:
            raise device.NotEnrolled()
        transport = transport_for(profile, store)
        report = outbox.send_due(store, transport, retry_now=args.retry_now)
        acknowledged = outbox.collect_receipts(store, transport)
        purged = retention.apply_retention(store, profile.policy.retention_days)
        print(f"Delivered {report.delivered}, failed {report.failed}, still waiting "
              f"{report.waiting}; receipts {acknowledged}; cases purged {len(purged)}.")
    return 0 if report.failed == 0 else 3


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from sync import outbox

    with _open(settings) as store:
        for item in outbox.list_items(store):
            extra = ""
            if item.state != "delivered":
                extra = f"  next try {item.next_attempt_at}"
                if item.last_error:
                    extra += f"  last error: {item.last_error}"
            print(f"{item.bundle_id}  {item.state:<9}  case {item.case_id}  "
                  f"attempts {item.attempts}{extra}")
    return 0


# -- Lead -----------------------------------------------------------------------------------


def cmd_lead_init(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with _open(settings) as store:
        keys = lead.init_lead(store)
        print("This store now holds the Lead identity.")
        print(f"Age recipient: {keys.age_recipient}")
    return 0


def cmd_lead_profile(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    cert = _read(args.inbox_cert, "Inbox certificate").decode("ascii") if args.inbox_cert else None
    with _open(settings) as store:
        profile, signed = lead.make_profile(
            store, council=args.council, lead_name=args.lead_name, lead_contact=args.contact,
            folder=args.folder, inbox_url=args.inbox_url, inbox_cert_pem=cert,
            extra_recipients=args.recipient, retention_days=args.retention_days,
            auto_lock_minutes=args.auto_lock_minutes,
        )
        _write(args.out, signed)
        print(f"Lead profile written to {args.out}.")
        print(f"Fingerprint: {profile.fingerprint()}")
    return 0


def cmd_lead_devices_add(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with _open(settings) as store:
        added = lead.add_device(store, _read(args.file, "Enrolment request"),
                                replace=args.replace)
        print(f"Enrolled device {added.device_id} ({added.officer}).")
        print(added.device_id)
    return 0


def cmd_lead_devices_list(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with _open(settings) as store:
        for device, name, organisation in lead.list_devices(store):
            state = "revoked" if device.revoked else "enrolled"
            print(f"{device.device_id}  {state:<8}  {device.officer}  {name}  {organisation}")
    return 0


def cmd_lead_devices_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with _open(settings) as store:
        lead.revoke_device(store, args.id)
        print(f"Device {args.id} revoked: export the devices file again for the inbox.")
    return 0


def cmd_lead_devices_export(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with _open(settings) as store:
        _write(args.out, lead.export_devices(store))
        print(f"Enrolled devices written to {args.out}.")
    return 0


def cmd_lead_export_identity(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    print("WARNING: this file opens every bundle sent to you. Keep it offline, encrypted and "
          "locked away; anyone holding it can read what officers sent.", file=sys.stderr)
    with _open(settings) as store:
        keys = lead.lead_keys(store)
        _write(args.out, (keys.age_identity + "\n").encode("ascii"), mode=0o600)
        with store.transaction():
            store.audit("lead.export_identity")
        print(f"Lead identity written to {args.out} (readable by you only).")
    return 0


def cmd_lead_import(args: argparse.Namespace, settings: Settings) -> int:
    from sync import importer

    with _open(settings) as store:
        report = importer.import_folder(store, Path(args.from_dir))
    for bundle_id, reason in report.rejected:
        print(f"rejected {bundle_id}: {reason}")
    print(f"Imported {len(report.imported)}, already held {len(report.already_held)}, "
          f"rejected {len(report.rejected)}.")
    return 0 if not report.rejected else 4


def cmd_lead_cases(args: argparse.Namespace, settings: Settings) -> int:
    from sync import importer

    with _open(settings) as store:
        for case in importer.lead_cases(store):
            print(f"{case.case_id}  {case.reference}  {case.title}  "
                  f"({case.bundles} bundles, {case.records} records)")
    return 0


# -- inbox ----------------------------------------------------------------------------------


def cmd_inbox_serve(args: argparse.Namespace, settings: Settings) -> int:
    from sync.inbox import serve
    from sync.profile import load_profile

    profile = load_profile(_read(args.lead_profile, "Lead profile"))
    print(f"Inbox for {profile.council}, Lead profile {profile.fingerprint()}; storing under "
          f"{args.root}", file=sys.stderr)
    serve(
        Path(args.root), Path(args.devices), args.host, args.port,
        Path(args.cert) if args.cert else None, Path(args.key) if args.key else None,
        lead_public_key=profile.lead_public_key,
    )
    return 0


def register(sub: Any) -> None:
    """Add the sync command groups to the main parser."""
    p = sub.add_parser("device", help="this device's enrolment with the Lead")
    dsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = dsub.add_parser("enrol", help="import the Lead profile and write an enrolment request")
    q.add_argument("--lead-profile", required=True)
    q.add_argument("--out", help="where to write the enrolment request for the Lead")
    q.add_argument("--device-name", default="fieldkit laptop")
    q.add_argument("--organisation", default="Trading Standards")
    q.set_defaults(handler=cmd_device_enrol)

    p = sub.add_parser("send", help="seal a case into a bundle for the Lead (queued)")
    p.add_argument("--case", required=True)
    p.set_defaults(handler=cmd_send)
    p = sub.add_parser("sync", help="send what is due to the Lead, then exit")
    p.add_argument("--retry-now", action="store_true", help="also try items waiting out a back-off")
    p.set_defaults(handler=cmd_sync)
    sub.add_parser("outbox", help="each bundle and its state").set_defaults(handler=cmd_outbox)

    p = sub.add_parser("lead", help="the Modern Slavery Lead's commands")
    lsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    lsub.add_parser("init", help="create the Lead identity in this store").set_defaults(
        handler=cmd_lead_init)
    q = lsub.add_parser("profile", help="write the signed Lead profile for devices")
    q.add_argument("--out", required=True)
    where = q.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder")
    where.add_argument("--inbox-url")
    q.add_argument("--inbox-cert")
    q.add_argument("--recipient", action="append", default=[], help="a deputy's age1... key")
    q.add_argument("--retention-days", type=int)
    q.add_argument("--auto-lock-minutes", type=int)
    q.add_argument("--council", default="Coventry City Council")
    q.add_argument("--lead-name", default="Modern Slavery Lead")
    q.add_argument("--contact", default="modern.slavery@council.example")
    q.set_defaults(handler=cmd_lead_profile)
    q = lsub.add_parser("devices", help="enrolled devices")
    vsub = q.add_subparsers(dest="devices_action", required=True, metavar="ACTION")
    r = vsub.add_parser("add", help="enrol a device from its request file")
    r.add_argument("file")
    r.add_argument("--replace", action="store_true",
                   help="replace an enrolled or revoked device with this request's key")
    r.set_defaults(handler=cmd_lead_devices_add)
    vsub.add_parser("list", help="every enrolled device").set_defaults(
        handler=cmd_lead_devices_list)
    r = vsub.add_parser("revoke", help="stop trusting a device")
    r.add_argument("id")
    r.set_defaults(handler=cmd_lead_devices_revoke)
    r = vsub.add_parser("export", help="write the signed devices file for the inbox")
    r.add_argument("--out", required=True)
    r.set_defaults(handler=cmd_lead_devices_export)
    q = lsub.add_parser("export-identity", help="write the Lead's age identity (after a warning)")
    q.add_argument("--out", required=True)
    q.set_defaults(handler=cmd_lead_export_identity)
    q = lsub.add_parser("import", help="import delivered bundles from a folder or inbox root")
    q.add_argument("--from", dest="from_dir", required=True)
    q.set_defaults(handler=cmd_lead_import)
    lsub.add_parser("cases", help="the cases the Lead holds").set_defaults(
        handler=cmd_lead_cases)

    p = sub.add_parser("inbox", help="the Lead's HTTPS inbox")
    isub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = isub.add_parser("serve", help="serve the inbox (plain HTTP without --cert)")
    q.add_argument("--root", required=True)
    q.add_argument("--devices", required=True, help="the signed enrolled-devices file")
    q.add_argument("--lead-profile", required=True,
                   help="the Lead's signed profile: its key checks the devices file")
    q.add_argument("--host", default="127.0.0.1")
    q.add_argument("--port", type=int, default=8443)
    q.add_argument("--cert")
    q.add_argument("--key")
    q.set_defaults(handler=cmd_inbox_serve)
