"""fieldkit's Paragraph (layout.py) skips the markup parser for plain text and the empty-value
marker, and breaks lines once per width: it must give exactly what reportlab's own Paragraph
gives, fragment for fragment, line for line and byte for byte."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as ReportlabParagraph

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import layout, render_nrm_pack
from fieldkit.pdf.layout import MISSING, Paragraph, styles, text

TEXTS = [
    "Andrei Dobrescu",
    "  Workers seen at the back   of the yard;\n mattresses in the cabin  ",
    "Ștefan Żółkiewski — Ελένη Παπαδοπούλου — Лариса — 王秀英 — محمد",
    "a\tb\u00a0c",
    "x" * 400,
    " ".join(f"word{n}" for n in range(120)),
    text("Tom & Jerry's <yard>"),  # entities: the parser's path
    text("line one\nline two"),  # <br/>: the parser's path
    MISSING,
    "   ",
    "",
]


def _fragments(paragraph: Any) -> list[dict[str, Any]]:
    return [dict(vars(fragment)) for fragment in paragraph.frags]


def _lines(paragraph: Any, width: float) -> Any:
    paragraph.wrap(width, 800)
    return repr(paragraph.blPara)


@pytest.mark.parametrize("words", TEXTS)
def test_the_same_fragments_and_lines_as_reportlabs_paragraph(words: str) -> None:
    for style in (styles().body, styles().cell, styles().cell_bold, styles().label):
        ours, theirs = Paragraph(words, style), ReportlabParagraph(words, style)
        assert ours.text == theirs.text
        assert _fragments(ours) == _fragments(theirs)
        for width in (40.0, 180.0, 500.0):
            assert _lines(ours, width) == _lines(theirs, width)
            assert ours.wrap(width, 10) == theirs.wrap(width, 10)  # again: from the first


def test_bullets_keep_their_bullet() -> None:
    ours = Paragraph("Owes a debt", styles().body, bulletText="•")
    theirs = ReportlabParagraph("Owes a debt", styles().body, bulletText="•")
    assert ours.bulletText == theirs.bulletText == "•"
    assert _lines(ours, 200) == _lines(theirs, 200)


def test_a_split_paragraph_splits_as_reportlabs_does() -> None:
    words = " ".join(f"word{n}" for n in range(400))
    ours, theirs = Paragraph(words, styles().body), ReportlabParagraph(words, styles().body)
    ours.wrap(300, 100)
    theirs.wrap(300, 100)
    ours_parts, their_parts = ours.split(300, 100), theirs.split(300, 100)
    assert len(ours_parts) == len(their_parts) == 2
    for mine, theirs_part in zip(ours_parts, their_parts, strict=True):
        assert _lines(mine, 300) == _lines(theirs_part, 300)


def test_an_nrm_pack_is_byte_for_byte_what_reportlabs_paragraph_makes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = demo_forms.w1_nrm(date(2026, 5, 14))
    ours = render_nrm_pack(referral, "FK-2026-0042")
    monkeypatch.setattr(layout, "Paragraph", ReportlabParagraph)
    assert render_nrm_pack(referral, "FK-2026-0042") == ours


def test_a_style_that_changes_case_changes_it_on_both_paths() -> None:
    shouting = ParagraphStyle("shouting", styles().cell, textTransform="uppercase")
    for words in ("Andrei Dobrescu", MISSING):
        ours, theirs = Paragraph(words, shouting), ReportlabParagraph(words, shouting)
        assert _fragments(ours) == _fragments(theirs)
        assert _lines(ours, 200) == _lines(theirs, 200)
