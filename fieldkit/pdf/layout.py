"""The page every fieldkit PDF shares: A4, the protective marking at top and bottom, the case
reference and "Page x of y" on each page (two passes: pages are kept until the total is known),
paragraph styles, and the building blocks (headings, field tables, lists) the renderers use.

User text always goes through :func:`text` before it reaches a Paragraph: reportlab reads
paragraph text as a mini-markup, so a note with ``<`` or ``&`` would otherwise break a render."""

from __future__ import annotations

import io
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.paraparser import ParaParser

from fieldkit.pdf.fonts import SANS, SANS_BOLD, register_fonts

MARKING = "OFFICIAL-SENSITIVE"
MARGIN = 16 * mm
HEADER_SPACE = 15 * mm
FOOTER_SPACE = 13 * mm
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
INK_SOFT = colors.HexColor("#52606d")
WAITING = colors.HexColor("#fde8c8")
NOT_RECORDED = "Not recorded"
SECTION_ROOM = 32 * mm  # a heading never ends a page: at least this much must follow it

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object) -> str:
    """User text made safe for a Paragraph: markup characters escaped, control characters
    dropped, line breaks kept."""
    cleaned = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned).replace("\n", "<br/>")


MISSING = f'<font color="#7b8794"><i>{NOT_RECORDED}</i></font>'
"""What an empty value shows (markup of the layout's own, never user text)."""

_PLACEHOLDER = "x"
_PARSED: weakref.WeakKeyDictionary[ParagraphStyle, dict[str, list[Any]]] = (
    weakref.WeakKeyDictionary()
)


def _parsed(style: ParagraphStyle, markup: str) -> list[Any]:
    """The fragments the markup parser makes of ``markup`` in ``style``, parsed once per style.
    Only the layout's own markup comes here (``MISSING`` and a placeholder), never user text."""
    known = _PARSED.setdefault(style, {})
    if markup not in known:
        parser = ParaParser()
        parser.caseSensitive = 1
        known[markup] = parser.parse(markup, style)[1]
    return known[markup]


class Paragraph(reportlab_paragraph.Paragraph):  # type: ignore[misc]  # no type hints
    """reportlab's Paragraph with savings that leave every PDF the same to the byte: text
    without markup or entities skips the markup parser (its one fragment is the style's,
    parsed once from a placeholder, holding this text), as does ``MISSING``; and a second wrap
    at the same width (a table wraps each cell to measure it, then again to draw it) reuses the
    lines already broken. Styles are never changed once made (``styles()``), so nothing can go
    stale."""

    def __init__(
        self, text: str | None, style: ParagraphStyle, bulletText: str | None = None,
        frags: list[Any] | None = None, **options: Any,
    ) -> None:
        if frags is None and isinstance(text, str):
            if text == MISSING:
                frags = [fragment.clone() for fragment in _parsed(style, MISSING)]
            elif "<" not in text and "&" not in text:
                plain = reportlab_paragraph.cleanBlockQuotedText(text)
                if plain:  # as the parser makes it: one fragment, whitespace cleaned
                    fragment = _parsed(style, _PLACEHOLDER)[0]
                    text, frags = plain, [fragment.clone(text=plain)]
            if frags is not None:  # as reportlab does after parsing
                reportlab_paragraph.textTransformFrags(frags, style)
        super().__init__(text, style, bulletText, frags, **options)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break into lines for ``availWidth`` (once per width); the height does not matter."""
        if getattr(self, "_wrapped_width", None) == availWidth:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every PDF."""

    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    note: ParagraphStyle
    mono: ParagraphStyle


@cache
def styles() -> Styles:
    """The shared styles (fonts registered on first use)."""
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12.5)
    return Styles(
        title=ParagraphStyle("title", base, fontName=SANS_BOLD, fontSize=16, leading=20,
                             spaceAfter=2 * mm),
        heading=ParagraphStyle("heading", base, fontName=SANS_BOLD, fontSize=12, leading=15,
                               spaceBefore=4 * mm, spaceAfter=1.5 * mm,
                               textColor=colors.HexColor("#1f2933")),
        # Kept with what follows: never alone at a page's foot (reportlab then also drew
        # it unwrapped and failed, for one length of text above it).
        subheading=ParagraphStyle("subheading", base, fontName=SANS_BOLD, fontSize=10,
                                  leading=13, spaceBefore=2 * mm, spaceAfter=1 * mm,
                                  keepWithNext=1),
        body=base,
        small=ParagraphStyle("small", base, fontSize=8, leading=10, textColor=INK_SOFT),
        label=ParagraphStyle("label", base, fontSize=8.5, leading=11, textColor=INK_SOFT),
        cell=ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle("cell_bold", base, fontName=SANS_BOLD, fontSize=8.5,
                                 leading=10.5),
        note=ParagraphStyle("note", base, fontSize=8, leading=10, textColor=INK_SOFT),
        mono=ParagraphStyle("mono", base, fontName="Courier", fontSize=7, leading=9),
    )


# -- the page --------------------------------------------------------------------------------


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """A canvas that holds every page until the end, then draws the page furniture with the
    total page count ("Page x of y") on each."""

    document_title = ""
    case_reference = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Keep the finished page instead of writing it."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Write every kept page with its furniture, now that the total is known."""
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_furniture(total)
            super().showPage()
        super().save()

    def _draw_furniture(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFillColor(colors.black)
        self.setFont(SANS_BOLD, 9)
        self.drawCentredString(width / 2, height - 9 * mm, MARKING)
        self.drawCentredString(width / 2, 6 * mm, MARKING)
        self.setFont(SANS, 8)
        self.setFillColor(INK_SOFT)
        self.drawString(MARGIN, height - 9 * mm, self.document_title)
        self.drawRightString(width - MARGIN, height - 9 * mm, self.case_reference)
        self.drawString(MARGIN, 6 * mm, self.case_reference)
        self.drawRightString(width - MARGIN, 6 * mm, f"Page {self._pageNumber} of {total}")
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, height - 11 * mm, width - MARGIN, height - 11 * mm)
        self.line(MARGIN, 10 * mm, width - MARGIN, 10 * mm)
        self.restoreState()


def build_pdf(
    story: Sequence[Flowable], *, title: str, case_reference: str, wide: bool = False
) -> bytes:
    """Lay out ``story`` on A4 (landscape when ``wide``) and return the PDF bytes, rendered in
    memory. ``title`` becomes the PDF's metadata title and the page header: it must name the
    document and case, never a person."""
    styles()  # fonts must be registered before the canvas draws the furniture
    pagesize = landscape(A4) if wide else A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, title=title, author="fieldkit", subject=MARKING,
        creator="fieldkit", leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=HEADER_SPACE, bottomMargin=FOOTER_SPACE,
        # Same content, same bytes: a re-sent case carries identical packs, and a pack can be
        # checked against the copy the Lead holds by its hash.
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas_class = type("Canvas", (NumberedCanvas,),
                        {"document_title": title, "case_reference": case_reference})
    doc.build(list(story), canvasmaker=canvas_class)
    return buffer.getvalue()


def content_width(wide: bool = False) -> float:
    """The width of the text column, in points."""
    return float((landscape(A4) if wide else A4)[0] - 2 * MARGIN)


# -- building blocks -------------------------------------------------------------------------


def title_block(heading: str, case_reference: str, lines: Iterable[str] = ()) -> list[Flowable]:
    """The document's title and the lines under it (plain text, escaped here)."""
    s = styles()
    story: list[Flowable] = [Paragraph(text(heading), s.title),
                             Paragraph(f"Case {text(case_reference)}", s.label)]
    story += [Paragraph(text(line), s.label) for line in lines]
    story.append(Spacer(1, 2 * mm))
    return story


def heading(words: str) -> Paragraph:
    """A section heading."""
    return Paragraph(text(words), styles().heading)


def subheading(words: str) -> Paragraph:
    """A heading within a section."""
    return Paragraph(text(words), styles().subheading)


def para(words: str, *, small: bool = False) -> Paragraph:
    """A paragraph of user text (escaped here)."""
    s = styles()
    return Paragraph(text(words) if words.strip() else MISSING, s.small if small else s.body)


def cell(value: str | Paragraph, *, bold: bool = False) -> Paragraph:
    """A table cell that wraps; plain strings are escaped."""
    if isinstance(value, Paragraph):
        return value
    s = styles()
    return Paragraph(text(value) if value.strip() else MISSING, s.cell_bold if bold else s.cell)


def field_table(rows: Sequence[tuple[str, str | Paragraph]], *, wide: bool = False) -> Table:
    """Label and value pairs, one a row, values wrapped; empty values say "Not recorded"."""
    s = styles()
    width = content_width(wide)
    data = [[Paragraph(text(label), s.label), cell(value)] for label, value in rows]
    table = Table(data, colWidths=[width * 0.34, width * 0.66], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def grid(
    header: Sequence[str], rows: Sequence[Sequence[str | Paragraph]], widths: Sequence[float],
    *, repeat_header: bool = True, extra_style: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table with a shaded header row (repeated on every page it spans) and wrapped cells."""
    data: list[list[Any]] = [[cell(h, bold=True) for h in header]]
    data += [[cell(value) for value in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1 if repeat_header else 0,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *extra_style,
    ]))
    return table


def bullet_list(items: Iterable[str], *, empty: str = "None recorded.") -> list[Flowable]:
    """One paragraph a line, each with a bullet; ``empty`` when there are none."""
    s = styles()
    found = [Paragraph(text(item), s.body, bulletText="•") for item in items]
    return found or [Paragraph(f"<i>{text(empty)}</i>", s.small)]


def section_flowables(title: str, body: Sequence[Flowable]) -> list[Flowable]:
    """A section as flowables: a new page first when too little room is left for its heading
    and a few lines, then the body flowing on (long tables split across pages)."""
    return [CondPageBreak(SECTION_ROOM), heading(title), *body]
