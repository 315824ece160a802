"""Reception-centre board sharing between devices on the local network: share, join, sync,
status, the Lead's devices file, and settling conflicts."""

from __future__ import annotations

import argparse
import json
import signal
import socket
import sys

from fieldkit.cli.common import SubParsers, open_store, read_input, warn
from fieldkit.clock import today
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings
from fieldkit.store import Store

DISCOVERY_SECONDS = 3.0
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the point is the centre's network; every request is
# signed by an enrolled, invited device and everything else is refused


def _peer(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"Peer must be HOST:PORT (for example 192.168.1.20:8450), not {text}.")
    return host.strip("[]"), int(port)


def cmd_devices(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import access

    with open_store(settings) as store:
        listing = access.import_devices_file(store, read_input(args.file, "Devices file"))
    active = sum(1 for d in listing.devices if not d.revoked)
    print(f"Lead's devices file imported: {active} enrolled, "
          f"{len(listing.devices) - active} revoked (issued {listing.issued}).")
    return 0


def _addresses(host: str) -> list[str]:
    if host not in (ALL_INTERFACES, "::"):
        return [host]
    try:
        found = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        found = []
    return [a for a in found if not a.startswith("127.")] or ["127.0.0.1"]


def _interfaces(host: str) -> list[str] | None:
    """The networks to announce or look on: the one address given, or every network."""
    return None if host in (ALL_INTERFACES, "::") else [host]


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def cmd_share(args: argparse.Namespace, settings: Settings) -> int:
    from sync import device
    from sync.board_share import access
    from sync.board_share.discovery import Announcement, announce
    from sync.board_share.server import board_server

    with open_store(settings) as store:
        code = access.join_code(store, args.case)
        server, sock = board_server(store, args.host, args.port)
        port = int(sock.getsockname()[1])
        addresses = _addresses(args.host)
        for address in addresses:
            print(f"Sharing the board at {address}:{port}")
        print(f"Join code: {access.shown_code(code)}  (read it out to the others)")
        announcement: Announcement | None = None
        if not args.no_discovery:
            try:
                announcement = announce(port, device.device_id(store), addresses,
                                        _interfaces(args.host))
                print("Announced on the local network (no case, name or officer is "
                      "announced).")
            except OSError as error:
                warn(f"the board could not be announced on the network ({error.strerror}): "
                     "give the others the address above.")
        print("Serving until stopped (Ctrl+C).", flush=True)
        # The server stops on Ctrl+C or SIGTERM, then hands the signal back: end here as a
        # normal exit so the announcement below is withdrawn (the network told it is gone).
        signal.signal(signal.SIGTERM, _stopped)
        try:
            server.run(sockets=[sock])
        finally:
            if announcement is not None:
                announcement.close()
    return 0


def _found_peer(store: Store, interface: str | None) -> tuple[str, int]:
    """The one board announced on the network, or an error listing what was found."""
    from sync.board_share import access
    from sync.board_share.discovery import browse

    offered = access.boards_to_offer(
        store, browse(DISCOVERY_SECONDS, None if interface is None else [interface]))
    if not offered.devices_file_held:
        raise access.NoDevicesFile()
    joinable = offered.boards
    if not joinable:
        others = (f" ({offered.set_aside} shared by laptops not enrolled with your Lead, or "
                  "revoked)" if offered.set_aside else "")
        raise InvalidInput(f"No shared board was found on this network{others}: ask the "
                           "sharing device for its address and give it with --peer HOST:PORT.")
    if len({(f.device_id, f.port) for f in joinable}) > 1:
        listed = "; ".join(f"{f.address}:{f.port} ({f.officer})" for f in joinable)
        raise InvalidInput(f"Several shared boards were found: {listed}. Choose one with "
                           "--peer HOST:PORT.")
    return joinable[0].address, joinable[0].port


def cmd_join(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share.client import join_board

    with open_store(settings) as store:
        host, port = _peer(args.peer) if args.peer else _found_peer(store, args.interface)
        moved = join_board(store, args.case, host, port, args.code)
    print(f"Joined the board at {host}:{port}: {moved.received} changes received, "
          f"{moved.sent} sent.")
    return 0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share.client import Exchanged, exchange_with_peers

    with open_store(settings) as store:
        results = exchange_with_peers(store, args.case)
    if not results:
        print("No peers yet: join a shared board first (fieldkit reception join).")
        return 3
    failed = 0
    for address, result in sorted(results.items()):
        if isinstance(result, Exchanged):
            print(f"{address}: {result.received} received, {result.sent} sent")
        else:
            failed += 1
            print(f"{address}: {result}")
    return 3 if failed else 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import journal
    from sync.board_share.client import peer_status

    with open_store(settings) as store:
        peers = peer_status(store, args.case)
        board = journal.merged_board(store, args.case, today())
        held = len(journal.all_changes(store, journal.board_id(store, args.case)))
    print(f"Board: {len(board.people)} people, {held} changes, {len(board.conflicts)} "
          "conflicts to resolve.")
    if not peers:
        print("No peers yet.")
    for peer in peers:
        print(f"{peer.officer} ({peer.device_id}) at {peer.address or 'unknown address'}: "
              f"last seen {peer.last_seen}; {peer.they_lack} changes here not yet seen there")
    return 0


def cmd_conflicts(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import journal
    from sync.board_share.changes import REGISTRATION

    with open_store(settings) as store:
        board = journal.merged_board(store, args.case, today())
    for conflict in board.conflicts:
        if conflict.field == REGISTRATION:
            values = "; ".join(f"by {c.officer} on device {c.device_id} at {c.hlc[:13]}"
                               for c in conflict.changes)
            print(f"{conflict.person} registered on {len(conflict.changes)} devices apart "
                  f"(one person, or give one a new reference): {values}")
            continue
        values = "; ".join(f"{c.value} by {c.officer} at {c.hlc[:13]}" for c in conflict.changes)
        print(f"{conflict.person} {conflict.field}: {values}")
    if not board.conflicts:
        print("No conflicts.")
    for person in board.people:
        if person.child_rule_applied:
            said = "; ".join(f"{c.field} {c.decoded()} by {c.officer} at {c.hlc[:13]}"
                             for c in person.child_records)
            print(f"{person.person.reference} kept on the child route (recorded as under 18, "
                  f"or possibly: {said}); once their age is decided: fieldkit reception "
                  "decide-age")
    return 0


def cmd_resolve(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import journal

    try:
        value = json.loads(args.value)
    except ValueError:
        raise InvalidInput("Value must be JSON, for example '\"given\"' or 17.") from None
    with open_store(settings) as store:
        board = journal.merged_board(store, args.case, today())
        conflict = next((c for c in board.conflicts
                         if (c.person, c.field) == (args.person, args.field)), None)
        if conflict is None:
            raise InvalidInput(f"{args.person} has no conflict in {args.field}.")
        journal.resolve(store, args.case, conflict, value)
    print(f"{args.person} {args.field} resolved.", file=sys.stderr)
    return 0


def cmd_decide_age(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import form_link

    with open_store(settings) as store:
        form_link.decide_age(store, args.case, args.person, adult=args.adult)
    print(f"{args.person}'s age recorded as decided: "
          f"{'an adult' if args.adult else 'a child'}.", file=sys.stderr)
    return 0


def cmd_new_reference(args: argparse.Namespace, settings: Settings) -> int:
    from sync.board_share import journal
    from sync.board_share.changes import REGISTRATION
    from sync.board_share.registration import give_new_reference

    with open_store(settings) as store:
        board = journal.merged_board(store, args.case, today())
        conflict = next((c for c in board.conflicts
                         if (c.person, c.field) == (args.person, REGISTRATION)), None)
        if conflict is None:
            raise InvalidInput(f"{args.person} was not registered on two devices apart.")
        give_new_reference(store, args.case, conflict, args.device, args.new_reference)
    print(f"The person registered as {args.person} on device {args.device} is now "
          f"{args.new_reference}.", file=sys.stderr)
    return 0


def register(sub: SubParsers) -> None:
    """Add the reception board-sharing commands to the main parser."""
    p = sub.add_parser("reception", help="share a reception centre's board between devices")
    rsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = rsub.add_parser("devices", help="import the Lead's signed list of enrolled devices")
    q.add_argument("file")
    q.set_defaults(handler=cmd_devices)
    q = rsub.add_parser("share", help="share a case's board; prints its address and join code")
    q.add_argument("--case", required=True)
    q.add_argument("--host", default=ALL_INTERFACES,
                   help="the address to listen on (default: every network of this laptop)")
    q.add_argument("--port", type=int, default=8450)
    q.add_argument("--no-discovery", action="store_true",
                   help="announce nothing on the network")
    q.set_defaults(handler=cmd_share)
    q = rsub.add_parser("join", help="join a board another device shares")
    q.add_argument("--case", required=True, help="this device's case for the centre")
    q.add_argument("--peer", help="HOST:PORT the sharing device printed (default: look for "
                   "the board on the local network)")
    q.add_argument("--interface", help="the address of the network to look on (default: "
                   "every network of this laptop)")
    q.add_argument("--code", required=True, help="the join code it shows")
    q.set_defaults(handler=cmd_join)
    q = rsub.add_parser("sync", help="exchange changes with every peer of the board")
    q.add_argument("--case", required=True)
    q.set_defaults(handler=cmd_sync)
    q = rsub.add_parser("status", help="the peers, when last seen, what they have not seen")
    q.add_argument("--case", required=True)
    q.set_defaults(handler=cmd_status)
    q = rsub.add_parser("conflicts", help="values set differently on two devices")
    q.add_argument("--case", required=True)
    q.set_defaults(handler=cmd_conflicts)
    q = rsub.add_parser("resolve", help="settle a conflict with the value chosen")
    q.add_argument("--case", required=True)
    q.add_argument("--person", required=True)
    q.add_argument("--field", required=True)
    q.add_argument("--value", required=True, help="the value as JSON (for a reference "
                   "registered on two devices, any value keeps them as one person)")
    q.set_defaults(handler=cmd_resolve)
    q = rsub.add_parser("new-reference", help="a reference registered on two devices apart: "
                        "give the person registered on one of them a new reference")
    q.add_argument("--case", required=True)
    q.add_argument("--person", required=True, help="the reference registered twice")
    q.add_argument("--device", required=True, help="the device whose person gets a new one")
    q.add_argument("--new-reference", required=True)
    q.set_defaults(handler=cmd_new_reference)
    q = rsub.add_parser("decide-age", help="record the decision on the age of a person the "
                        "child rule keeps on the child route (for example after an age "
                        "assessment)")
    q.add_argument("--case", required=True)
    q.add_argument("--person", required=True)
    decided = q.add_mutually_exclusive_group(required=True)
    decided.add_argument("--adult", action="store_true", help="decided: an adult")
    decided.add_argument("--child", action="store_true", help="decided: under 18")
    q.set_defaults(handler=cmd_decide_age)
