"""Form and PDF commands: ``fieldkit form check`` (is a form document valid, and
with ``--ready`` complete?) and ``fieldkit export pdf`` (every PDF of a case, written only to the
folder asked for, each file atomically)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import SubParsers, open_store
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings

FORM_KINDS = ("nrm", "dtn", "visit", "reception", "intel", "referral")


def cmd_form_check(args: argparse.Namespace, settings: Settings) -> int:
    """Check a form document (JSON) of ``--kind``: exit 0 when valid, else 1 with one line per
    problem, naming the field. A Duty to Notify (and an intelligence report's sanitised text)
    is also checked against the recorded ``--names`` and ``--addresses``, as the store checks
    it."""
    from fieldkit import clock
    from forms import KIND_TITLES, check_document
    from forms.check import recorded_details

    if (args.names or args.addresses) and args.kind not in ("dtn", "intel"):
        raise InvalidInput("--names and --addresses are for checking a Duty to Notify "
                           "(--kind dtn) or an intelligence report (--kind intel).")
    names, addresses = recorded_details(args.names or (), args.addresses or ())
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Form file {path} cannot be read: {error.strerror}.") from None
    problems = check_document(args.kind, data, ready=args.ready, names=names,
                              addresses=addresses, today=clock.today(),
                              now=clock.local_now())  # as the store asks
    title = KIND_TITLES.get(args.kind, args.kind)
    if not problems:
        state = "complete and ready" if args.ready else "valid (as a draft)"
        print(f"{path.name}: this {title} form is {state}.")
        return 0
    for problem in problems:
        print(f"{problem.field or 'form'}: {problem.message}")
    count = len(problems)
    print(f"{path.name}: {count} problem{'s' if count != 1 else ''} in this {title} form.",
          file=sys.stderr)
    return 1


def cmd_export_pdf(args: argparse.Namespace, settings: Settings) -> int:
    """Write every PDF of a case into ``--out`` (created private if missing) and print each
    path. PDFs are rendered in memory; each file appears whole or not at all."""
    from fieldkit.cases import get_case
    from fieldkit.export import export_case_pdfs

    with open_store(settings) as store:
        case = get_case(store, args.case)
        paths = export_case_pdfs(store, case.id, Path(args.out), written=print)
    if not paths:
        print(f"Case {case.reference} has no visits or forms to print.", file=sys.stderr)
    return 0


def cmd_export_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """Write the case's schedule of notes and exhibits (PDF) into ``--out``; print its path."""
    from fieldkit.export import export_schedule

    with open_store(settings) as store:
        print(export_schedule(store, args.case, Path(args.out)))
    return 0


def register(sub: SubParsers) -> None:
    """Add the ``form`` and ``export`` command groups to the main command tree."""
    p = sub.add_parser("form", help="form documents (NRM, Duty to Notify, visit, ...)")
    fsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = fsub.add_parser("check", help="check a form document (JSON): exit 0 when valid, 1 "
                        "listing each problem by field")
    q.add_argument("file", metavar="FILE.json")
    q.add_argument("--kind", required=True, choices=FORM_KINDS)
    q.add_argument("--ready", action="store_true",
                   help="also require everything needed before it is submitted")
    q.add_argument("--names", action="append", metavar="NAMES",
                   help="with --kind dtn or intel: the names recorded for the person (and "
                        "others; for intel, the case's), separated by commas, which the "
                        "notice or sanitised text must not contain; repeatable")
    q.add_argument("--addresses", action="append", metavar="ADDRESSES",
                   help="with --kind dtn or intel: the addresses or places recorded, "
                        "separated by semicolons, which the notice or sanitised text must not "
                        "contain; repeatable")
    q.set_defaults(handler=cmd_form_check)

    p = sub.add_parser("export", help="export a case")
    esub = p.add_subparsers(dest="action", required=True, metavar="FORMAT")
    q = esub.add_parser("pdf", help="write every PDF of a case into a folder; prints each path")
    q.add_argument("--case", required=True, help="the case id")
    q.add_argument("--out", required=True, metavar="DIR",
                   help="the folder to write to (PDFs hold personal data: choose it with care)")
    q.set_defaults(handler=cmd_export_pdf)
    q = esub.add_parser("schedule", help="write the case's schedule of notes and exhibits "
                        "(for disclosure) into a folder; prints its path")
    q.add_argument("--case", required=True, help="the case id")
    q.add_argument("--out", required=True, metavar="DIR", help="the folder to write to")
    q.set_defaults(handler=cmd_export_schedule)
