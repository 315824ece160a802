"""The quarterly report's PDF read back with the real tools (pdftotext, qpdf): nothing is cut,
neither a chart's legend nor what an open deadline is about and its date."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4

from fieldkit.pdf.quarterly import FigureBlock, OpenDeadline, render_quarterly_report
from forms.choices import ReferralDestination, label
from tests.unit.test_pdf_tools import pdf_text, qpdf_check, require

QUARTERS = ["2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]
NAMES = sorted((label(d) for d in ReferralDestination), key=len, reverse=True)[:7]
"""The seven longest (a chart draws seven series at most)."""


def _report() -> bytes:
    rows = [(name, ["0", "0", "0", "0", str(5 + n)]) for n, name in enumerate(NAMES)]
    block = FigureBlock("Referrals made, by destination", QUARTERS, rows,
                        [(name, [0, 0, 0, 0, 5 + n]) for n, name in enumerate(NAMES)])
    deadlines = [OpenDeadline("2 January 2027", "FK-2026-0011", "W1",
                              "Recovery period runs at least until 2 January 2027", "open",
                              "Rowan Hallam")]
    return render_quarterly_report(title="Modern slavery quarterly report 2026Q4",
                                   period="Quarter 2026Q4", summary=["A summary."],
                                   blocks=[block], deadlines=deadlines, notes=["A note."])


def _words(pdf: bytes) -> list[tuple[float, float, str]]:
    """Every word pdftotext finds: its left and right edges (points) and its text."""
    pdftotext = require("pdftotext")
    with tempfile.TemporaryDirectory(prefix="fieldkit-pdf-test-") as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)  # fictional test data only
        done = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [(float(a), float(b), word) for a, b, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        done.stdout)]


def test_chart_legends_are_whole_and_on_the_page() -> None:
    """The legend cut each name at 34 characters ('Multi-Agency Safeguarding Hub (MAS')."""
    pdf = _report()
    qpdf_check(pdf)
    text = pdf_text(pdf)
    long_names = [name for name in NAMES if len(name) > 34]
    assert long_names  # the case that was cut
    for name in NAMES:
        assert text.count(name) == 2, name  # in the table and in the chart's legend
    words = _words(pdf)
    width = A4[0]
    assert all(left >= 0 and right <= width - 10 for left, right, _ in words), [
        word for left, right, word in words if right > width - 10]


def test_an_open_deadline_keeps_its_date() -> None:
    text = pdf_text(_report())
    # (pdftotext reads the table's cells in an order of its own: each is checked whole)
    for shown in ("2 January 2027 FK-2026-0011", "Rowan Hallam", " W1 ",
                  "Recovery period runs at least until 2 January 2027 open"):
        assert shown in text, shown
