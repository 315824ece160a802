"""The Lead's desk on the command line, in the ``lead`` group: ``fieldkit lead show|export pdf|
submitted|decision|due|report``. Each handler takes (args, settings) like every fieldkit
command and raises a typed error for bad input, which the command line prints as one line."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from fieldkit import clock
from fieldkit.cli.common import SubParsers, open_store
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings

KINDS = ("rg", "cg", "reconsideration-request", "reconsideration-outcome", "support-ended",
         "move-on", "serac")
OUTCOMES = ("positive", "negative", "none")


def parse_day(text: str, what: str = "--date") -> date:
    """A YYYY-MM-DD date, or a plain error naming the option."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a date written YYYY-MM-DD.") from None


def cmd_lead_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print a case as received: people, forms, notes (with corrections), exhibits, versions."""
    from sync.desk.casefile import case_lines

    with open_store(settings) as store:
        for line in case_lines(store, args.case):
            print(line)
    return 0


def cmd_lead_export_pdf(args: argparse.Namespace, settings: Settings) -> int:
    """Write the case's packs, rendered from what was received, into a folder."""
    from sync.desk.casefile import export_packs

    with open_store(settings) as store:
        written = export_packs(store, args.case, Path(args.out))
    for path in written:
        print(path)
    return 0


def cmd_lead_submitted(args: argparse.Namespace, settings: Settings) -> int:
    """Record the NRM (or Duty to Notify) reference and submission date."""
    from sync.desk.received import find_case_id
    from sync.desk.submission import record_submission

    on = parse_day(args.date)
    with open_store(settings) as store:
        case_id = find_case_id(store, args.case)
        event = record_submission(store, case_id, args.person, args.nrm_reference, on,
                                  different_person=args.different_person,
                                  correcting=args.correct)
    print(f"Recorded: {args.person} submitted on {event.happened_on.isoformat()}, "
          f"reference {event.reference}.")
    return 0


def cmd_lead_decision(args: argparse.Namespace, settings: Settings) -> int:
    """Record a decision or a step of an NRM referral as a new version."""
    from sync.desk.received import find_case_id
    from sync.desk.tracker import EVENT_WORDS, EventKind, Outcome, record_event

    on = parse_day(args.date)
    kind, outcome = EventKind(args.kind.replace("-", "_")), Outcome(args.outcome)
    with open_store(settings) as store:
        case_id = find_case_id(store, args.case)
        event = record_event(store, case_id, args.person, kind, outcome, on,
                             correcting=args.correct)
    shown = "" if event.outcome == Outcome.NONE else f" ({event.outcome.value})"
    print(f"Recorded: {EVENT_WORDS[kind]}{shown} for {args.person} on "
          f"{event.happened_on.isoformat()}.")
    return 0


def cmd_lead_due(args: argparse.Namespace, settings: Settings) -> int:
    """What is due next, one line each: date, case ref, (who sent it), person ref, what (ISO
    dates)."""
    from sync.desk.submission import submissions
    from sync.desk.tracker import due_items

    today = parse_day(args.today, "--today") if args.today else clock.today()
    with open_store(settings) as store:
        waiting = [s for s in submissions(store) if s.submitted_on is None]
        items = due_items(store)
    for sub in waiting:
        route = "Duty to Notify" if sub.referral.route == "dtn" else "NRM referral"
        print(f"{sub.referral.received.isoformat()} {sub.referral.case_reference} "
              f"({sub.referral.officer}) {sub.referral.person_reference} {route} not yet submitted "
              f"(waiting {sub.waiting_days(today)} days)")
    for item in items:
        state = " (OVERDUE)" if item.overdue(today) else ""
        # The date again after what it is of ("expected by 2026-12-11"): the line read
        # "RG decision expected by (OVERDUE)" with the date only at its start.
        print(f"{item.due_on.isoformat()} {item.case_reference} ({item.sent_by}) "
              f"{item.person_reference} {item.what} {item.due_on.isoformat()}{item.note}"
              f"{state}")
    return 0


def cmd_lead_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the quarterly report as PDF and/or CSV."""
    from sync.desk.figures import Quarter
    from sync.desk.report import export_report

    quarter = Quarter.parse(args.quarter)
    pdf = Path(args.pdf) if args.pdf else None
    csv = Path(args.csv) if args.csv else None
    with open_store(settings) as store:
        export_report(store, quarter, clock.today(), pdf_path=pdf, csv_path=csv)
    print(f"Quarterly report {quarter} written" + "".join(
        f" to {p}" if i == 0 else f" and {p}" for i, p in enumerate(x for x in (pdf, csv) if x))
        + ".")
    return 0


def add_desk_commands(lead_commands: SubParsers) -> None:
    """Add the desk's commands to the ``fieldkit lead`` group (its subparsers object)."""
    q = lead_commands.add_parser("show", help="a case as received: people, forms, notes, "
                                              "exhibits")
    q.add_argument("--case", required=True, help="case id or reference")
    q.set_defaults(handler=cmd_lead_show)
    q = lead_commands.add_parser("export", help="export what was received")
    export = q.add_subparsers(dest="what", required=True)
    r = export.add_parser("pdf", help="the case's packs, rendered from what was received")
    r.add_argument("--case", required=True, help="case id or reference")
    r.add_argument("--out", required=True, help="folder to write the PDFs into")
    r.set_defaults(handler=cmd_lead_export_pdf)
    q = lead_commands.add_parser("submitted", help="record an NRM or DtN reference and date")
    q.add_argument("--case", required=True)
    q.add_argument("--person", required=True, help="the person's reference, e.g. W1")
    q.add_argument("--nrm-reference", required=True, help="the reference the Home Office gave")
    q.add_argument("--date", required=True, help="YYYY-MM-DD")
    q.add_argument("--different-person", action="store_true",
                   help="record it although a person of the same name and date of birth has an "
                        "NRM already recorded as submitted (checked: two people)")
    q.add_argument("--correct", action="store_true",
                   help="replace the reference or date already recorded (the first stays in the "
                        "history)")
    q.set_defaults(handler=cmd_lead_submitted)
    q = lead_commands.add_parser("decision", help="record an NRM decision or step")
    q.add_argument("--case", required=True)
    q.add_argument("--person", required=True)
    q.add_argument("--kind", required=True, choices=KINDS)
    q.add_argument("--outcome", required=True, choices=OUTCOMES)
    q.add_argument("--date", required=True, help="YYYY-MM-DD")
    q.add_argument("--correct", action="store_true",
                   help="replace an RG or CG decision already recorded, to correct a mistake "
                        "(the first stays in the history; a decision changed on "
                        "reconsideration is a reconsideration outcome)")
    q.set_defaults(handler=cmd_lead_decision)
    q = lead_commands.add_parser("due", help="what is due next, one line each")
    q.add_argument("--today", help="YYYY-MM-DD (default: today)")
    q.set_defaults(handler=cmd_lead_due)
    q = lead_commands.add_parser("report", help="the quarterly report (PDF and CSV)")
    q.add_argument("--quarter", required=True, help="e.g. 2026Q4")
    q.add_argument("--pdf", help="PDF file to write")
    q.add_argument("--csv", help="CSV file to write")
    q.set_defaults(handler=cmd_lead_report)
