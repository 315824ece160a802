"""Sync commands on an officer's device (enrol, send, sync, outbox) and the Lead's HTTPS inbox
(serve)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import SubParsers, open_store, read_input, write_output
from fieldkit.settings import Settings

# -- device ---------------------------------------------------------------------------------


def cmd_device_enrol(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device

    data = read_input(args.lead_profile, "Lead profile")
    with open_store(settings) as store:
        update = device.preview_profile(store, data)
        print(f"Lead profile of {update.profile.council} ({update.profile.lead_name}), "
              f"fingerprint {update.profile.fingerprint()}")
        for change in update.changes:
            print(f"  changes: {change}")
        expected = args.fingerprint or _confirmed_fingerprint(update.profile.fingerprint())
        profile = device.import_profile(store, data, expected_fingerprint=expected)
        print(f"Lead profile of {profile.council} ({profile.lead_name}) imported.")
        if args.out:
            from fieldkit.officer import load_profile

            officer = load_profile(store)
            # The officer's own organisation (given at first run) unless one is given here.
            organisation = (args.organisation or (officer.organisation if officer else "")
                            or "Trading Standards")
            import socket

            # The computer's name, as the app's enrolment suggests: two officers' laptops both
            # showed as "fieldkit laptop" at the Lead, in the devices list and when revoking.
            name = args.device_name.strip() or socket.gethostname() or "laptop"
            request = device.enrolment_request(
                store, device_name=name, organisation=organisation
            )
            write_output(args.out, request)
            print(f"Enrolment request written to {args.out}: give it to your Lead.")
    return 0


def _confirmed_fingerprint(shown: str) -> str:
    """The fingerprint, once the officer has said it matches what the Lead read out."""
    from fieldkit.errors import InvalidInput

    if not sys.stdin.isatty():
        raise InvalidInput("Give the fingerprint your Lead read out to you: "
                           "--fingerprint XXXX-XXXX-XXXX-XXXX-XXXX. Nothing was imported.")
    answer = input("Does this fingerprint match the one your Lead read to you? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise InvalidInput("Not imported: the fingerprint was not confirmed.")
    return shown


def cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device

    with open_store(settings) as store:
        item = device.send_case(store, args.case)
        print(f"Bundle queued for the Lead ({item.size} bytes, encrypted).")
        print(item.bundle_id)
    return 0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from sync.engine import sync_once

    with open_store(settings) as store:
        outcome = sync_once(store, retry_now=args.retry_now)
    if not outcome.reachable:
        print(f"The Lead's destination cannot be reached; {outcome.waiting} waiting.")
        return 3
    print(f"Delivered {outcome.delivered}, failed {outcome.failed}, still waiting "
          f"{outcome.waiting}; receipts {outcome.receipts}; cases purged {outcome.purged}.")
    return 0 if outcome.failed == 0 else 3


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from sync import outbox

    with open_store(settings) as store:
        for item in outbox.list_items(store):
            extra = ""
            if item.next_attempt_at and not item.is_due():
                extra = f"  next try {item.next_attempt_at}"
            if item.error is not None and item.state is not outbox.OutboxState.DELIVERED:
                details = "".join(f" {k}={v}" for k, v in sorted(item.error.params.items()))
                extra += f"  last error: {item.error.code}{details}"
            print(f"{item.bundle_id}  {item.state.value:<9}  case {item.case_id}  "
                  f"attempts {item.attempts}{extra}")
    return 0


# -- inbox ----------------------------------------------------------------------------------


def cmd_inbox_serve(args: argparse.Namespace, settings: Settings) -> int:
    from sync.inbox import serve
    from sync.profile import load_profile

    profile = load_profile(read_input(args.lead_profile, "Lead profile"))
    print(f"Inbox for {profile.council}, Lead profile {profile.fingerprint()}; storing under "
          f"{args.root}", file=sys.stderr)
    serve(
        Path(args.root), Path(args.devices), args.host, args.port,
        Path(args.cert) if args.cert else None, Path(args.key) if args.key else None,
        lead_public_key=profile.lead_public_key,
    )
    return 0


def register(sub: SubParsers) -> None:
    """Add the sync command groups to the main parser."""
    p = sub.add_parser("device", help="this device's enrolment with the Lead")
    dsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = dsub.add_parser("enrol", help="import the Lead profile and write an enrolment request")
    q.add_argument("--lead-profile", required=True)
    q.add_argument("--fingerprint", help="the profile's fingerprint as your Lead read it out "
                   "(asked for interactively when left out)")
    q.add_argument("--out", help="where to write the enrolment request for the Lead")
    q.add_argument("--device-name", default="",
                   help="this laptop's name, as the Lead will see it (default: the computer's "
                   "name, as the app suggests)")
    q.add_argument("--organisation", default="",
                   help="the officer's organisation (default: as given at first run, else "
                   "Trading Standards)")
    q.set_defaults(handler=cmd_device_enrol)

    p = sub.add_parser("send", help="seal a case into a bundle for the Lead (queued)")
    p.add_argument("--case", required=True)
    p.set_defaults(handler=cmd_send)
    p = sub.add_parser("sync", help="send what is due to the Lead, then exit")
    p.add_argument("--retry-now", action="store_true", help="also try items waiting out a back-off")
    p.set_defaults(handler=cmd_sync)
    sub.add_parser("outbox", help="each bundle and its state").set_defaults(handler=cmd_outbox)

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
