"""The quarterly report: the figures as CSV (withheld cells as a marker) and as a PDF for the
partnership (charts, numbers, the open deadlines by case reference and the officer who sent the
case, no potential victim's personal data). Written where the Lead asks, atomically, after the
export is audited."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fieldkit.atomicfile import write_atomic
from fieldkit.errors import InvalidInput
from fieldkit.pdf import values
from fieldkit.pdf.quarterly import (
    FigureBlock,
    OpenDeadline,
    chart_svg,
    render_quarterly_report,
)
from fieldkit.store import Store
from sync.desk.figures import SMALLEST_SHOWN, Cell, Quarter, QuarterFigures, quarter_figures
from sync.desk.submission import waiting_items
from sync.desk.tracker import due_items

CSV_MARKER = "[c]"
"""A withheld cell in the CSV (the marker official statistics use for 'confidential')."""
SMALL_WORDS = f"fewer than {SMALLEST_SHOWN}"
SECONDARY_WORDS = "withheld"
NOTES = (
    f"Counts from 1 to {SMALLEST_SHOWN - 1} could identify someone: they are shown as "
    f"'{SMALL_WORDS}'. Where a block has a total, one more figure is shown as "
    f"'{SECONDARY_WORDS}' when needed, so the total cannot be used to work a withheld figure back."
    " Charts draw withheld figures as zero.",
    "NRM referrals and Duty to Notify notifications are counted by the date the person was "
    "found; decisions by the date the decision was made; referrals made by when they were made.",
    "A form an officer saved only as a draft is not counted: an NRM referral or a Duty to Notify "
    "counts once the officer marks it ready or the Lead records it as submitted, a referral to "
    "another agency once the officer marks it ready.",
)


def cell_text(cell: Cell) -> str:
    """A cell as the PDF shows it."""
    if cell.withheld == "small":
        return SMALL_WORDS
    return SECONDARY_WORDS if cell.withheld else str(cell.count)


def csv_text(figures: QuarterFigures) -> str:
    """The figures as CSV: group, figure, then one column per quarter (oldest first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "figure", *map(str, figures.quarters)])
    for group in figures.groups:
        for name, cells in figures.published(group).items():
            writer.writerow([group.title, name,
                             *(CSV_MARKER if c.withheld else str(c.count) for c in cells)])
    return out.getvalue()


@dataclass(frozen=True)
class QuarterlyReport:
    """The report's two files, in memory."""

    pdf: bytes
    csv: bytes


def _blocks(figures: QuarterFigures) -> list[FigureBlock]:
    columns = [str(q) for q in figures.quarters]
    blocks = []
    for group in figures.groups:
        cells = figures.published(group)
        charted = [name for name in cells if not (group.has_total and name == "Total")]
        charted = [n for n in charted if any(c.count for c in cells[n])][:7] or charted[:1]
        blocks.append(FigureBlock(
            group.title, columns,
            [(name, [cell_text(c) for c in row]) for name, row in cells.items()],
            [(name, [0 if c.withheld else c.count for c in cells[name]]) for name in charted],
            group.note))
    return blocks


@dataclass(frozen=True)
class DashboardBlock:
    """One block of the Lead's dashboard: the true counts (the Lead's own view; the published
    report withholds small ones) and its chart as SVG."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    chart_svg: bytes
    note: str


def dashboard(store: Store, quarter: Quarter) -> list[DashboardBlock]:
    """The dashboard: every figure block for the quarter and the four before, with charts."""
    figures = quarter_figures(store, quarter)
    columns = [str(q) for q in figures.quarters]
    blocks = []
    for group in figures.groups:
        rows = list(group.rows.items())
        charted = [(n, c) for n, c in rows if not (group.has_total and n == "Total")]
        charted = [(n, c) for n, c in charted if any(c)][:7] or charted[:1]
        blocks.append(DashboardBlock(group.title, columns, rows,
                                     chart_svg(columns, charted, group.title),
                                     group.note))
    return blocks


_CODE_LIKE = re.compile(r"[A-Za-z]{0,4}[ /-]?\d{1,5}[A-Za-z]?")
WITHHELD_REFERENCE = "(not shown)"


def published_reference(reference: str) -> str:
    """A person's reference as the partnership's report prints it: a code (W1, R-002, P 17)
    as it is; anything else is left out, since officers sometimes use a name as a reference
    and the report names no potential victim (the Lead's own tracker shows it in full)."""
    cleaned = " ".join(reference.split())
    return cleaned if _CODE_LIKE.fullmatch(cleaned) else WITHHELD_REFERENCE


def build_report(store: Store, quarter: Quarter, today: date) -> QuarterlyReport:
    """Count the quarter and lay out both files (nothing is written)."""
    figures = quarter_figures(store, quarter)
    due = waiting_items(store) + due_items(store)  # as the tracker lists them
    deadlines = [OpenDeadline(values.day(i.due_on), i.case_reference,
                              published_reference(i.person_reference),
                              i.what_on(), i.state(today), i.sent_by)
                 for i in due]
    to_act = sum(i.to_act_on for i in due)  # as the tracker counts: the rest are dates to know
    headline = figures.published(figures.groups[1])["Total"][-1]
    summary = [
        f"Quarter {quarter}, compared with the four quarters before it "
        f"({figures.quarters[0]} to {figures.quarters[-2]}).",
        f"NRM referrals and Duty to Notify notifications this quarter: {cell_text(headline)}.",
        f"Open deadlines or actions: {to_act}, of which overdue: "
        f"{sum(d.state == 'OVERDUE' for d in deadlines)}; dates to know (a recovery period, "
        f"the earliest conclusive grounds decision): {len(deadlines) - to_act}.",
    ]
    pdf = render_quarterly_report(
        title=f"Modern slavery quarterly report {quarter}", period=f"Quarter {quarter}",
        summary=summary, blocks=_blocks(figures), deadlines=deadlines, notes=NOTES)
    return QuarterlyReport(pdf=pdf, csv=csv_text(figures).encode("utf-8"))


def export_report(store: Store, quarter: Quarter, today: date, *, pdf_path: Path | None,
                  csv_path: Path | None) -> QuarterlyReport:
    """Write the report where asked (audited first, then each file atomically, 0600)."""
    if pdf_path is None and csv_path is None:
        raise InvalidInput("Say where to write the report: --pdf FILE and/or --csv FILE.")
    for path in (pdf_path, csv_path):
        if path is not None and not path.parent.is_dir():
            raise InvalidInput(f"Folder {path.parent} does not exist.")
    report = build_report(store, quarter, today)
    with store.transaction():
        store.audit("lead.report", "quarter", str(quarter))
    if pdf_path is not None:
        write_atomic(pdf_path, report.pdf, 0o600)
    if csv_path is not None:
        write_atomic(csv_path, report.csv, 0o600)
    return report
