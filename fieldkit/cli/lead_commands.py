"""The Modern Slavery Lead's commands: the Lead identity and profile, enrolled devices, importing
bundles and the cases received; the desk's commands (show, export pdf, submitted, decision,
due, report) come from ``desk_commands``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import SubParsers, open_store, write_output
from fieldkit.cli.desk_commands import add_desk_commands
from fieldkit.settings import Settings


def cmd_lead_init(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with open_store(settings) as store:
        keys = lead.init_lead(store)
        print("This store now holds the Lead identity.")
        print(f"Age recipient: {keys.age_recipient}")
    return 0


def cmd_lead_profile(args: argparse.Namespace, settings: Settings) -> int:
    from sync.desk import setup

    defaults = setup.profile_defaults()
    with open_store(settings) as store:
        profile = setup.write_profile(
            store, Path(args.out), council=args.council or defaults.council,
            lead_name=args.lead_name or defaults.lead_name,
            lead_contact=args.contact or defaults.lead_contact,
            folder=args.folder, inbox_url=args.inbox_url,
            inbox_certificate=Path(args.inbox_cert) if args.inbox_cert else None,
            extra_recipients=args.recipient, retention_days=args.retention_days,
            auto_lock_minutes=args.auto_lock_minutes,
        )
        print(f"Lead profile written to {args.out}.")
        print(f"Fingerprint: {profile.fingerprint()}")
    return 0


def cmd_lead_devices_add(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead
    from sync.desk import setup

    with open_store(settings) as store:
        enrolled = setup.enrol_from_file(store, Path(args.file), replace=args.replace)
        device = enrolled.device
        if enrolled.outcome is lead.EnrolmentOutcome.UNCHANGED:
            print(f"Device {device.device_id} ({device.officer}) was already enrolled with this "
                  "key; nothing changed.")
        else:
            print(f"Enrolled device {device.device_id} ({device.officer}).")
        print(device.device_id)
    return 0


def cmd_lead_devices_list(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead
    from sync.audit_anchor import audit_breaks

    with open_store(settings) as store:
        for device, name, organisation in lead.list_devices(store):
            state = "revoked" if device.revoked else "enrolled"
            print(f"{device.device_id}  {state:<8}  {device.officer}  {name}  {organisation}")
            for found in audit_breaks(store, device.device_id):
                print(f"    AUDIT BREAK {found.found_at} (bundle {found.bundle_id}): "
                      f"{found.problem}")
    return 0


def cmd_lead_devices_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    with open_store(settings) as store:
        lead.revoke_device(store, args.id)
        print(f"Device {args.id} revoked: export the devices file again for the inbox.")
    return 0


def cmd_lead_devices_export(args: argparse.Namespace, settings: Settings) -> int:
    from sync.desk import setup

    with open_store(settings) as store:
        setup.write_devices_file(store, Path(args.out))
        print(f"Enrolled devices written to {args.out}.")
    return 0


def cmd_lead_export_identity(args: argparse.Namespace, settings: Settings) -> int:
    from sync import lead

    print("WARNING: this file opens every bundle sent to you. Keep it offline, encrypted and "
          "locked away; anyone holding it can read what officers sent.", file=sys.stderr)
    with open_store(settings) as store:
        keys = lead.lead_keys(store)
        write_output(args.out, (keys.age_identity + "\n").encode("ascii"), mode=0o600)
        with store.transaction():
            store.audit("lead.export_identity")
        print(f"Lead identity written to {args.out} (readable by you only).")
    return 0


def cmd_lead_import(args: argparse.Namespace, settings: Settings) -> int:
    from sync import importer

    with open_store(settings) as store:
        report = importer.import_folder(store, Path(args.from_dir))
    for line in importer.describe_import(report):
        print(line)
    return 0 if not (report.rejected or report.audit_breaks) else 4


def cmd_lead_cases(args: argparse.Namespace, settings: Settings) -> int:
    from sync import importer
    from sync.desk.received import load_all, senders

    with open_store(settings) as store:
        sent_by = senders(store, load_all(store))  # two laptops may both send FK-2026-0001
        for case in importer.lead_cases(store):
            bundles = "1 bundle" if case.bundles == 1 else f"{case.bundles} bundles"
            records = "1 record" if case.records == 1 else f"{case.records} records"
            print(f"{case.case_id}  {case.reference}  {case.title}  sent by "
                  f"{sent_by.get(case.case_id, 'not known')}  ({bundles}, {records})")
    return 0




def register(sub: SubParsers) -> None:
    """Add the ``lead`` command group to the main command tree."""
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
    q.add_argument("--council", help="the council's name (default: resources/council.yaml)")
    q.add_argument("--lead-name", help="the Lead's title or name (default: resources)")
    q.add_argument("--contact", help="the Lead's contact (default: resources)")
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
    add_desk_commands(lsub)

