"""Files the officer asks for (PDF packs, schedules) leave the encrypted store here, and only
here: the audit trail records the export first, then each file is written whole or not at all,
readable by the officer alone (0600). The command line and the app both call these.

When the store's own disk is full, reading still works and a PDF may still go to another disk:
its audit event then waits, durably and off the store's disk, for the next save or unlock with
room (``fieldkit.audit_waiting``). If even that cannot be written, nothing is exported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.cases import get_case
from fieldkit.errors import DiskFull, InvalidInput
from fieldkit.store import Store

if TYPE_CHECKING:
    from fieldkit.keys import Unwrapped
    from fieldkit.pdf.schedule import ScheduleContent
    from fieldkit.settings import Settings

PRIVATE = 0o600


def export_file(store: Store, target: Path, content: bytes, *, record_kind: str,
                record_id: str, action: str = "export.pdf") -> Path:
    """Audit that ``record_kind``/``record_id`` left the store, then write ``content`` to
    ``target`` atomically with mode 0600. Nothing is written if the audit cannot be."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise InvalidInput(f"Folder {target.parent} does not exist.")
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; choose a file name.")
    audit_export(store, action, record_kind, record_id)
    write_atomic(target, content, mode=PRIVATE)
    return target


def audit_export(store: Store, action: str, record_kind: str, record_id: str) -> None:
    """Record that a file is leaving the store, before it does. On a full store disk the event
    waits (durably, off that disk) for the next save or unlock with room; when it cannot even
    wait, the store's DiskFull is raised and nothing may be exported."""
    try:
        with store.transaction():
            store.audit(action, record_kind, record_id)
    except DiskFull as full:
        try:
            store.waiting.hold(store.conn, action, record_kind, record_id, durable=True)
        except (DiskFull, OSError):
            raise full from None


def export_case_pdfs(store: Store, case_id: str, out: Path,
                     written: Callable[[Path], None] | None = None) -> list[Path]:
    """Every PDF of a case into the folder ``out`` (created private if missing): audited once
    before the first file, each file atomic and 0600. Returns the paths, in order."""
    from fieldkit.pdf import plan_case_pdfs, render_planned

    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is not a folder.")
    case = get_case(store, case_id)
    plan = plan_case_pdfs(store, case.id)
    if not plan:
        return []
    if not out.exists():
        make_private_dir(out)
    audit_export(store, "export.pdf", "case", case.id)
    paths = []
    for planned in plan:
        target = out / planned.name
        write_atomic(target, render_planned(store, case.reference, planned), mode=PRIVATE)
        paths.append(target)
        if written is not None:
            written(target)
    return paths


def schedule_content(store: Store, case_id: str) -> ScheduleContent:
    """Everything the schedule of notes and exhibits lists, read from the store now."""
    from fieldkit import cases, documents, exhibits, notes
    from fieldkit.clock import stamp
    from fieldkit.pdf.schedule import FormVersionLine, ScheduleContent

    case = get_case(store, case_id)
    visits = cases.list_visits(store, case.id)
    entries = [entry for visit in visits for entry in notes.list_notes(store, visit.id)]
    items = exhibits.list_exhibits(store, case.id)
    captured_by = dict(store.conn.execute(
        "SELECT record_id, actor FROM audit_events WHERE action = 'exhibit.add' AND "
        "record_kind = 'exhibit'").fetchall())
    lines: list[FormVersionLine] = []
    numbers: dict[str, int] = {}
    # The current forms numbered as their packs are, then the withdrawn ones (every version of
    # a form withdrawn or replaced is still held, and disclosed).
    held = [(d, False) for d in documents.list_documents(store, case.id)] + [
        (d, True) for d in documents.withdrawn_documents(store, case.id)]
    for document, withdrawn in held:
        numbers[document.kind] = numbers.get(document.kind, 0) + 1
        for version, status, saved_at, _data in documents.document_versions(store, document.id):
            lines.append(FormVersionLine(document.kind, numbers[document.kind], version,
                                         saved_at, status, withdrawn))
    head = store.conn.execute(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return ScheduleContent(
        case_reference=case.reference, case_title=case.title, visits=visits, notes=entries,
        exhibits=items, captured_by={str(k): str(v) for k, v in captured_by.items()},
        forms=lines, audit_seq=int(head[0]) if head else 0,
        audit_hash=str(head[1]) if head else "", printed_at=stamp(),
    )


def export_schedule(store: Store, case_id: str, out: Path) -> Path:
    """The case's schedule of notes and exhibits into the folder ``out``: audited first, so
    the audit head printed on it includes this very export; written whole, 0600."""
    from fieldkit.pdf.schedule import render_schedule

    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is not a folder.")
    case = get_case(store, case_id)
    if not out.exists():
        make_private_dir(out)
    audit_export(store, "export.schedule", "case", case.id)
    target = out / f"{case.reference}-schedule.pdf"
    write_atomic(target, render_schedule(schedule_content(store, case.id)), mode=PRIVATE)
    return target


def export_on_own_connection(settings: Settings, key: Unwrapped, case_id: str, out: Path,
                             what: str) -> list[Path]:
    """``what`` ("packs" or "schedule") for a case, on a connection of this thread's own: the
    app runs it on a worker so rendering every pack never freezes the window."""
    with Store.open_unwrapped(settings, key, worker=True) as store:
        return export_for_print(store, case_id, out, what)


def export_for_print(store: Store, case_id: str, out: Path, what: str) -> list[Path]:
    """``what`` ("packs" or "schedule") for a case, on ``store``'s own connection."""
    if what == "schedule":
        return [export_schedule(store, case_id, out)]
    if what == "packs":
        return export_case_pdfs(store, case_id, out)
    raise InvalidInput(f"Nothing called {what!r} can be printed.")
