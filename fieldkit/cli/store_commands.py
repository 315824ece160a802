"""Store commands: the encrypted store, cases, visits, notes, exhibits, search, the demo and the
audit trail."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from fieldkit.cli.common import (
    TEXT_HELP,
    SubParsers,
    open_store,
    read_passphrase,
    text_argument,
    warn,
)
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit.errors import StoreExists
    from fieldkit.officer import AppRole, OfficerProfile, save_profile
    from fieldkit.store import NO_KEYRING_WARNING, Store, store_exists

    if not args.officer.strip():
        raise InvalidInput("--officer: the officer's name is needed.")

    if store_exists(settings.data_dir):
        raise StoreExists(settings.data_dir)
    if args.store_was_removed:
        from fieldkit.store_place import forget

        forget(settings)
    profile = OfficerProfile(
        name=args.officer, organisation=args.organisation, role=args.role, email=args.email,
        phone=args.phone, first_responder=not args.not_first_responder,
        exhibit_prefix=args.exhibit_prefix,
    )
    contact = profile.contact_problems()
    if contact:
        raise InvalidInput(" ".join(f"--{field}: {message}" for field, message in contact.items()))
    passphrase = read_passphrase("New passphrase: ", confirm=True)
    with Store.create(settings, passphrase, officer=profile.name) as store:
        save_profile(store, profile, AppRole(args.app_role))
        if not store.uses_device_secret:
            warn(NO_KEYRING_WARNING)
        print(f"Created an encrypted store in {settings.data_dir}")
    return 0


def cmd_passphrase_change(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import rekey

    with open_store(settings) as store:
        old = read_passphrase()
        new = read_passphrase("New passphrase: ", confirm=True, env="FIELDKIT_NEW_PASSPHRASE")
        if args.passphrase_only:
            rekey.change_passphrase_only(store, settings, old, new)
            print("Passphrase changed; the encryption key stays the same, so a copy of the old "
                  "key file still opens the store with the old passphrase.")
            return 0
        rekey.rekey(store, settings, old, new)
    print("Passphrase and encryption key changed: copies of the old key file (and the old "
          "backups' key) no longer open the store.")
    return 0


def cmd_case_new(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases

    with open_store(settings) as store:
        case = cases.create_case(store, args.title, prefix=settings.case_prefix)
        print(f"Case {case.reference} opened")
        print(case.id)
    return 0


def cmd_case_list(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases

    with open_store(settings) as store:
        for case in cases.list_cases(store):
            print(f"{case.id}  {case.title}")
    return 0


def cmd_case_status(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases

    status = "closed" if args.action == "close" else "open"
    with open_store(settings) as store:
        case = cases.set_case_status(store, args.case, status)
        print(f"Case {case.reference} is {case.status}.")
    return 0


def cmd_visit_new(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases

    with open_store(settings) as store:
        visit = cases.create_visit(store, args.case, args.premises, args.address)
        print(visit.id)
    return 0


def cmd_visit_list(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases

    with open_store(settings) as store:
        for visit in cases.list_visits(store, cases.get_case(store, args.case).id):
            print(f"{visit.id}  {visit.created_at}  {visit.premises_name}")
    return 0


def cmd_note_add(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import notes

    text = text_argument(args.text, "note")
    with open_store(settings) as store:
        entry = notes.add_note(store, args.visit, text)
        print(f"Note {entry.seq} saved at {entry.written_at}")
        print(entry.id)
    return 0


def cmd_note_correct(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import notes

    text = text_argument(args.text, "correction")
    with open_store(settings) as store:
        entry = notes.correct_note(store, args.entry, text)
        print(f"Correction {entry.seq} saved at {entry.written_at}")
        print(entry.id)
    return 0


def cmd_note_list(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import notes

    with open_store(settings) as store:
        entries = notes.list_notes(store, args.visit)
        corrected = notes.corrected_ids(entries)
        seq_of = {entry.id: entry.seq for entry in entries}
        for entry in entries:
            marks = []
            if entry.id in corrected:
                marks.append("[corrected later]")
            if entry.corrects:
                marks.append(f"[corrects {seq_of.get(entry.corrects, entry.corrects)}]")
            mark = (" " + " ".join(marks)) if marks else ""
            print(f"{entry.seq:>3}  {entry.written_at}  {entry.id}{mark}  {entry.text}")
    return 0


def cmd_exhibit_list(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases, exhibits

    with open_store(settings) as store:
        visit = cases.get_visit(store, args.visit)
        for item in exhibits.list_exhibits(store, visit.case_id, visit.id):
            flag = "  sensitive" if item.sensitive else ""
            print(f"{item.id}  {item.exhibit_ref}  sha256 {item.sha256}{flag}  "
                  f"{item.description}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import notes

    words = text_argument(args.text, "words to search for")
    with open_store(settings) as store:
        for entry in notes.search_notes(store, words):
            print(f"{entry.written_at}  visit {entry.visit_id}  entry {entry.id}  {entry.text}")
    return 0


def cmd_exhibit_add(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases, exhibits

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        # The file's name is not echoed: officers name photos after what (or who) they show.
        raise InvalidInput(f"The exhibit file cannot be read: {error.strerror}.") from error
    with open_store(settings) as store:
        visit = cases.get_visit(store, args.visit)
        exhibit = exhibits.add_exhibit(
            store, visit.case_id, content, path.name, visit_id=visit.id,
            description=args.description, sensitive=args.sensitive,
        )
        print(f"{exhibit.exhibit_ref}  sha256 {exhibit.sha256}")
        print(exhibit.id)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import demo

    with open_store(settings) as store:
        case = demo.create_demo_operation(store)
        print(f"Demo operation {case.reference} created: {case.title}")
        print(case.id)
    return 0


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import audit

    with open_store(settings) as store:
        report = audit.verify(store.conn)
    if report.ok:
        print(f"Audit trail whole: {report.events} events.")
        return 0
    where = f" at event {report.first_bad}" if report.first_bad else ""
    print(f"Audit trail broken{where}: {report.problem}.")
    for problem in report.problems[1:]:
        print(f"  also: {problem}.")
    return 1


def cmd_pathway(args: argparse.Namespace, settings: Settings) -> int:
    from fieldkit import cases, pathway

    with open_store(settings) as store:
        case = cases.get_case(store, args.case)
        people = {person.id: person.reference for person in cases.list_people(store, case.id)}
        plans = pathway.plan_for_case(store, case.id)
    print(f"Case {case.reference}: next steps")
    for scope, plan in plans:
        who = "the case" if scope == pathway.CASE_SCOPE else f"person {people.get(scope, scope)}"
        steps = plan.next_steps()
        if not steps:
            continue
        print(f"For {who}:")
        for step in steps:
            urgent = "URGENT " if step.urgent else ""
            print(f"  - {urgent}{step.text}")
            for contact in step.contacts:
                reach = ", ".join(x for x in (contact.phone, contact.email) if x)
                print(f"      contact: {contact.name}" + (f" ({reach})" if reach else ""))
            if step.form_title:
                print(f"      form: {step.form_title}")
    return 0


def register(sub: SubParsers) -> None:
    """Add the store's command groups to the main command tree."""
    p = sub.add_parser("init", help="create the encrypted store (asks the passphrase twice)")
    p.add_argument("--officer", default=os.environ.get("FIELDKIT_OFFICER", "officer"),
                   help="the officer's name, recorded in the audit trail and on forms")
    p.add_argument("--role", default="", help="job title, e.g. Trading Standards Officer")
    p.add_argument("--organisation", default="", help="e.g. Coventry City Council")
    p.add_argument("--email", default="", help="work email, printed on referrals")
    p.add_argument("--phone", default="", help="work phone, printed on referrals")
    p.add_argument("--exhibit-prefix", default="",
                   help="start of exhibit references (default: your initials, e.g. RH/1)")
    p.add_argument("--not-first-responder", action="store_true",
                   help="you do not act as an NRM first responder")
    p.add_argument("--app-role", choices=("field_officer", "lead"), default="field_officer",
                   help="what this copy of fieldkit is for (default: field_officer)")
    p.add_argument("--store-was-removed", action="store_true",
                   help="the store this computer remembers in this folder was removed on "
                   "purpose: start a new, empty one here (never needed on a first run)")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("passphrase", help="passphrase commands")
    psub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = psub.add_parser("change", help="change the passphrase and the encryption key (a full "
                        "re-key: copies of the old key file stop working)")
    q.add_argument("--passphrase-only", action="store_true",
                   help="keep the encryption key: quicker, but a copy of the old key file with "
                   "the old passphrase still opens the store, including later records")
    q.set_defaults(handler=cmd_passphrase_change)

    p = sub.add_parser("case", help="cases")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = csub.add_parser("new", help="open a case; prints its id on the last line")
    q.add_argument("--title", required=True)
    q.set_defaults(handler=cmd_case_new)
    csub.add_parser("list", help="one line per case: id, then title").set_defaults(
        handler=cmd_case_list)
    for action, text in (("close", "close a case (retention may then apply once the Lead "
                                   "has imported it)"), ("reopen", "reopen a closed case")):
        q = csub.add_parser(action, help=text)
        q.add_argument("--case", required=True)
        q.set_defaults(handler=cmd_case_status)

    p = sub.add_parser("visit", help="premises visits")
    vsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = vsub.add_parser("new", help="record a premises visit; prints its id on the last line")
    q.add_argument("--case", required=True)
    q.add_argument("--premises", required=True)
    q.add_argument("--address", required=True)
    q.set_defaults(handler=cmd_visit_new)
    q = vsub.add_parser("list", help="a case's visits, one a line: id, when recorded, premises")
    q.add_argument("--case", required=True)
    q.set_defaults(handler=cmd_visit_list)

    p = sub.add_parser("note", help="contemporaneous notes")
    nsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = nsub.add_parser("add", help="add a timed note; prints its id on the last line")
    q.add_argument("--visit", required=True)
    q.add_argument("text", nargs="*", help=TEXT_HELP)
    q.set_defaults(handler=cmd_note_add)
    q = nsub.add_parser("correct", help="add a correction of an entry")
    q.add_argument("--entry", required=True)
    q.add_argument("text", nargs="*", help=TEXT_HELP)
    q.set_defaults(handler=cmd_note_correct)
    q = nsub.add_parser("list", help="a visit's entries in order, corrections marked")
    q.add_argument("--visit", required=True)
    q.set_defaults(handler=cmd_note_list)

    p = sub.add_parser("exhibit", help="photos and documents")
    esub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = esub.add_parser("add", help="capture a file as the case's next exhibit")
    q.add_argument("--visit", required=True)
    q.add_argument("--description", default="")
    q.add_argument("--sensitive", action="store_true")
    q.add_argument("file")
    q.set_defaults(handler=cmd_exhibit_add)
    q = esub.add_parser("list", help="a visit's exhibits, one a line: id, reference, hash")
    q.add_argument("--visit", required=True)
    q.set_defaults(handler=cmd_exhibit_list)

    p = sub.add_parser("search", help="notes containing every word")
    p.add_argument("text", nargs="*", help=TEXT_HELP)
    p.set_defaults(handler=cmd_search)

    sub.add_parser("demo", help="fill the store with a fictional operation").set_defaults(
        handler=cmd_demo)

    p = sub.add_parser("audit", help="the audit trail")
    asub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    asub.add_parser("verify", help="exit 0 when the chain is whole, 1 naming the first bad "
                    "event").set_defaults(handler=cmd_audit_verify)

    p = sub.add_parser("pathway", help="the next steps of the council's pathways for a case, "
                       "each with its contact and form")
    p.add_argument("--case", required=True)
    p.set_defaults(handler=cmd_pathway)
