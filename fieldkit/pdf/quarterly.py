"""The Lead's quarterly report for the partnership: figures with a chart beside each block,
the open deadlines by case reference, and no personal data. The caller passes figures already
suppressed (text per cell) and the chart values (withheld cells drawn as zero)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, KeepTogether, Spacer

from fieldkit.pdf.layout import build_pdf, content_width, grid, heading, para, section_flowables

SERIES_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#843c0c")
CHART_HEIGHT = 48 * mm


@dataclass(frozen=True)
class FigureBlock:
    """One block of figures: its rows of published cells, and what the chart draws."""

    title: str
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[str]]]
    chart: Sequence[tuple[str, Sequence[int]]]
    note: str = ""


@dataclass(frozen=True)
class OpenDeadline:
    """A line of the open-deadlines list: no victim's name, only references, and the officer
    who sent the case (each laptop numbers its own cases: two officers' may share one)."""

    due_on: str
    case_reference: str
    person_reference: str
    what: str
    """What is due with its date (``RG decision expected by 9 December 2026``)."""
    state: str
    sent_by: str = ""


def bar_chart(columns: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
              width: float, title: str) -> Drawing:
    """Grouped bars, one group per quarter and one bar per series, with a legend: every name in
    full, wrapped to the room beside the chart (the drawing grows taller when a long legend
    needs it), never cut."""
    legend = Legend()
    legend.fontSize, legend.deltay = 7, 9
    legend.alignment, legend.columnMaximum = "right", 8
    legend.dx = legend.dy = 6
    chart_width = width * 0.62
    legend_x = 12 * mm + chart_width + 6 * mm
    room = width - legend_x - legend.dx - legend.dxTextSpace - 1 * mm
    legend.colorNamePairs = [
        (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]),
         "\n".join(simpleSplit(name, legend.fontName, legend.fontSize, room)))
        for i, (name, _) in enumerate(series)
    ]
    legend.x, legend.y = legend_x, 0
    _, bottom, _, top_edge = legend.getBounds()
    height = max(CHART_HEIGHT, top_edge - bottom + 10 * mm)  # 8 mm above it, 2 mm below
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = chart_width, CHART_HEIGHT - 16 * mm
    chart.data = [list(values) or [0] for _, values in series] or [[0] * len(columns)]
    chart.categoryAxis.categoryNames = list(columns)
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    top = max([max(values) for _, values in series if values] + [4])
    chart.valueAxis.valueMax = top + max(1, top // 5)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    for index in range(len(chart.data)):
        chart.bars[index].fillColor = colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
    drawing.add(chart)
    legend.x, legend.y = legend_x, height - 8 * mm
    drawing.add(legend)
    drawing.add(String(chart.x, height - 4 * mm, title, fontSize=8))
    return drawing


def chart_svg(columns: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
              title: str, width: float = 150 * mm) -> bytes:
    """The same chart as SVG bytes, in memory, for the app's dashboard."""
    from reportlab.graphics import renderSVG

    drawing = bar_chart(columns, series, width, title)
    # An SVG has no paper: give it a white page, or viewers draw it on black.
    drawing.insert(0, Rect(0, 0, drawing.width, drawing.height, fillColor=colors.white,
                           strokeColor=None))
    svg: str = renderSVG.drawToString(drawing)
    return svg.encode("utf-8")


def _block(block: FigureBlock) -> list[Flowable]:
    width = content_width()
    first = width * 0.34
    rest = (width - first) / max(1, len(block.columns))
    table = grid(["Figure", *block.columns], [[name, *cells] for name, cells in block.rows],
                 [first, *([rest] * len(block.columns))])
    body: list[Flowable] = [table, Spacer(1, 2 * mm),
                            bar_chart(block.columns, block.chart, width, block.title)]
    if block.note:
        body.append(para(block.note, small=True))
    return [KeepTogether([heading(block.title), *body]), Spacer(1, 4 * mm)]


def render_quarterly_report(
    *, title: str, period: str, summary: Sequence[str], blocks: Sequence[FigureBlock],
    deadlines: Sequence[OpenDeadline], notes: Sequence[str],
) -> bytes:
    """The quarterly report as PDF bytes, rendered in memory."""
    story: list[Flowable] = [heading(title), para(period)]
    story += section_flowables("Summary", [para(line) for line in summary])
    story += section_flowables("How to read these figures", [para(n, small=True) for n in notes])
    for block in blocks:
        story += _block(block)
    rows = [[d.due_on, d.case_reference, d.sent_by, d.person_reference, d.what, d.state]
            for d in deadlines]
    width = content_width()
    story += section_flowables("Open deadlines", [
        para("Every date still open for an NRM referral, by case and person reference, with "
             "the officer who sent the case (each laptop numbers its own cases).")
        if rows else para("No open deadlines."),
        *([grid(["Due", "Case", "Sent by", "Person", "What", "State"], rows,
                [33 * mm, 24 * mm, 32 * mm, 15 * mm, width - 122 * mm, 18 * mm])]
          if rows else []),
    ])
    return build_pdf(story, title=title, case_reference=period)
