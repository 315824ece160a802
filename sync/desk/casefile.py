"""A received case for reading: as lines for ``fieldkit lead show``, and as the same PDF packs
the officer's app prints, rendered from the imported records (in memory; written only where
the Lead asks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.clock import today
from fieldkit.errors import InvalidInput
from fieldkit.notes import corrections_of
from fieldkit.pdf import pdf_name, render_form, render_visit_report
from fieldkit.pdf import values as v
from fieldkit.pdf.case import safe_name_part
from fieldkit.store import Store
from forms import KINDS, PremisesVisit
from forms.kinds import KIND_TITLES
from sync.board_share.lead_view import board_lines
from sync.desk.received import (
    ReceivedCase,
    find_case_id,
    form_model,
    load_case,
    sender,
)
from sync.desk.register import case_history
from sync.desk.submission import submission
from sync.desk.tracker import EVENT_WORDS, Outcome, events, referrals_of


def received_packs(case: ReceivedCase) -> dict[str, bytes]:
    """Every pack of the case, file name to PDF bytes: a report per visit (with its first
    visit form, notes in order and exhibits), then one PDF per other form."""
    reference = case.case.reference
    packs: dict[str, bytes] = {}
    printed: set[str] = set()
    for number, visit in enumerate(case.visits, start=1):
        linked = [f for f in case.forms if f.kind == "visit" and f.visit_id == visit.id][:1]
        printed.update(f.id for f in linked)
        form = form_model(linked[0]) if linked else None
        packs[pdf_name(reference, "visit", number)] = render_visit_report(
            reference, visit=visit, form=form if isinstance(form, PremisesVisit) else None,
            notes=[n for n in case.notes if n.visit_id == visit.id],
            exhibits=[e for e in case.exhibits if e.visit_id == visit.id])
    counts = dict.fromkeys(KINDS, 0)
    counts["visit"] = len(case.visits)
    for document, _ in case.forms_to_read():
        if document.id in printed:
            continue
        counts[document.kind] += 1
        # The name carries no person reference (it may be a name): kind and number only.
        name = pdf_name(reference, document.kind, counts[document.kind])
        packs[name] = render_form(form_model(document), reference,
                                  case.person_reference(document.person_id))
    return packs


def export_packs(store: Store, case: str, out: Path) -> list[Path]:
    """Write the case's packs into ``out`` (created private if missing), audited first. When
    another officer's case has the same reference (each laptop numbers its own), the file
    names carry who sent it (``FK-2026-0001-Dale-Whitcombe-visit-1.pdf``): saving both cases'
    packs into one folder overwrote the first officer's with the second's."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is not a folder.")
    if not out.parent.is_dir():
        raise InvalidInput(f"Folder {out.parent} does not exist.")
    received = load_case(store, find_case_id(store, case))
    packs = received_packs(received)
    if not out.exists():
        make_private_dir(out)
    with store.transaction():
        store.audit("lead.export_pdf", "case", received.case.id)
    written = []
    tag = _sender_tag(store, received)
    for name, data in packs.items():
        if tag:
            name = name.replace(f"{safe_name_part(received.case.reference)}-",
                                f"{safe_name_part(received.case.reference)}-{tag}-", 1)
        write_atomic(out / name, data, 0o600)
        written.append(out / name)
    return written


def _sender_tag(store: Store, received: ReceivedCase) -> str:
    """Who sent the case, for file names, when another case held has its reference; else ""."""
    same = sum(1 for (data,) in store.conn.execute(
        "SELECT data FROM lead_records WHERE record_type = 'case' AND current = 1")
        if json.loads(data).get("reference") == received.case.reference)
    if same < 2:
        return ""
    return "-".join(re.findall(r"[A-Za-z0-9]+", sender(store, received)))


def case_lines(store: Store, case: str) -> list[str]:
    """The case as received, for the terminal: people, forms, notes, exhibits, versions."""
    received = load_case(store, find_case_id(store, case))
    head = received.case
    lines = [f"Case {head.reference}: {head.title} ({head.status})",
             f"Sent by {received.officer}; {received.bundles} "
             f"{'version' if received.bundles == 1 else 'versions'}, newest "
             f"{v.stamp_text(received.last_received)}", "", "People:"]
    waiting = {r.person_id: r for r in referrals_of(received)}
    for person in received.people:
        route = ""
        if person.id in waiting:
            sent = submission(store, head.id, person.reference)
            route = (f" [{KIND_TITLES[sent.referral.route]}: "
                     + (f"submitted {v.day(sent.submitted_on)}, {sent.reference}"
                        if sent.submitted_on else "not yet submitted")
                     + ("; consent withdrawn since: send the NRM withdrawal form]"
                        if sent.referral.withdrawn_after_submission else "]"))
        lines.append(f"  {person.reference}{route}  {person.summary}")
    lines += ["", "Forms:"]
    for form, said in received.forms_to_read():
        who = received.person_reference(form.person_id)
        lines.append(f"  {KIND_TITLES[form.kind]}{' (' + who + ')' if who else ''}: "
                     f"{said or form.status}, version {form.version}")
    for visit in received.visits:
        lines += ["", f"Visit: {visit.premises_name}, {visit.address}"]
        written = [n for n in received.notes if n.visit_id == visit.id]
        seq_of = {n.id: n.seq for n in written}
        corrected_by = corrections_of(written)
        for note in written:
            mark = ""
            if note.corrects:
                mark += f" [correction of entry {seq_of.get(note.corrects, '?')}]"
            if later := corrected_by.get(note.id):
                entries = "entry" if len(later) == 1 else "entries"
                mark += f" [corrected by {entries} {v.numbers(n.seq for n in later)}]"
            lines.append(f"  {note.seq}. {v.stamp_text(note.written_at)} {note.author}: "
                         f"{note.text}{mark}")
    lines += ["", "Exhibits:"]
    lines += [f"  {e.exhibit_ref} {e.media_type} {e.size} bytes"
              f"{' (sensitive)' if e.sensitive else ''}: {e.description}"
              for e in received.exhibits] or ["  none"]
    lines += board_lines(store, head.id, today())
    lines += ["", "Versions received:"]
    for version in case_history(store, head.id):
        lines.append(f"  {v.stamp_text(version.created_at)}: "
                     + ("; ".join(version.changes) or "no change"))
    return lines


def history_lines(store: Store, case_id: str) -> list[str]:
    """The case's History: every version received with what changed, then what the Lead
    recorded, each date and time in words as the rest of the desk shows them."""
    received = load_case(store, case_id)
    lines = ["Versions received from the officer:"]
    for version in case_history(store, case_id):
        lines.append(f"- {v.stamp_text(version.created_at)}: "
                     + ("; ".join(version.changes) or "no change"))
    lines += ["", "Recorded by the Lead:"]
    before = len(lines)
    for referral in referrals_of(received):
        for event in events(store, case_id, referral.person_id):
            outcome = "" if event.outcome == Outcome.NONE else f" ({event.outcome.value})"
            if event.route != referral.route:  # the notice an NRM referral replaced since
                outcome += f" ({KIND_TITLES.get(event.route, event.route)})"
            reference = f", reference {event.reference}" if event.reference else ""
            lines.append(f"- {referral.person_reference}: {EVENT_WORDS[event.kind]}{outcome} "
                         f"on {v.day(event.happened_on)}{reference} "
                         f"(recorded {v.stamp_text(event.recorded_at)})")
    if len(lines) == before:
        lines.append("- nothing yet")
    return lines
