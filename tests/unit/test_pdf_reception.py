"""The reception-centre summary: one row per person with each board step's status; for 200
people it spans pages with the header row repeated."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import render_reception_summary
from fieldkit.pdf.reception import SECTIONS
from forms import PersonReceived, ReceptionCentre
from tests.unit.test_pdf_tools import assert_page_furniture, pdf_text, qpdf_check

REF = "FK-2026-0003"
START = datetime(2026, 5, 14, 6, 0)


def test_demo_centre_shows_each_persons_steps() -> None:
    centre = ReceptionCentre.model_validate(demo_forms.reception_form(START))
    pdf = render_reception_summary(centre, REF)
    qpdf_check(pdf)
    assert_page_furniture(pdf, REF)
    text = pdf_text(pdf)
    for heading in SECTIONS:
        assert heading in text, heading
    for value in ("Operation Larkspur", "14 May 2026", "W1", "W2", "W3", "W4", "Duty to Notify",
                  "Not needed (child)", "Salvation Army safe house", "Own arrangements",
                  "Romanian x1", "Albanian x1 (not yet present)", "Venue undisclosed and ready"):
        assert value in text, value
    # W4 declined to talk: waiting for almost everything; W2 has left
    w4_row = text[text.index("W4 Adult Done"):]
    assert w4_row.startswith("W4 Adult Done WAITING WAITING WAITING WAITING")
    assert "People waiting, by step:" in text


def test_two_hundred_people_span_pages_with_the_header_repeated() -> None:
    arrived = START + timedelta(hours=1)
    people = [
        PersonReceived(reference=f"P{n:03d}", arrived_at=arrived, age_group="adult",
                       welfare_given_at=arrived if n % 2 else None,
                       onward_destination="Hostel <east> & co" if n % 7 == 0 else "")
        for n in range(1, 201)
    ]
    centre = ReceptionCentre(operation="Operation Harrier", held_on=date(2026, 5, 14),
                             people=people)
    pdf = render_reception_summary(centre, REF)
    qpdf_check(pdf)
    pages = assert_page_furniture(pdf, REF)
    board_row = re.compile(r"P\d{3} Adult (Done|WAITING)")
    people_row = re.compile(r"P\d{3} Romanian|P\d{3} Not asked yet")
    board_pages = [page for page in pages if board_row.search(page)]
    people_pages = [page for page in pages if people_row.search(page)]
    assert len(board_pages) >= 3 and len(people_pages) >= 2
    assert sum(len(board_row.findall(page)) for page in board_pages) == 200
    for page in board_pages:
        assert "Steps waiting" in page  # the header row, repeated
    for page in people_pages:
        assert "Onward destination" in page
    text = " ".join(pages)
    for n in (1, 100, 200):
        assert f"P{n:03d}" in text
    assert "200 people received" in text
    assert "Hostel <east> & co" in text


def test_the_printed_waiting_counts_agree_with_the_board() -> None:
    """Someone who left is not counted as waiting for welfare or property (the board does not
    count them); a person whose property was logged with no items listed is said to be."""
    at = START + timedelta(minutes=5)
    left = PersonReceived(reference="L1", arrived_at=at, age_group="adult",
                          departed_at=at + timedelta(hours=1), onward_destination="Home")
    here = PersonReceived(reference="H1", arrived_at=at, age_group="adult",
                          property_logged=True)
    centre = ReceptionCentre(operation="Operation Count", people=[left, here])
    text = " ".join(pdf_text(render_reception_summary(centre, REF)).split())
    summary = text[text.index("People waiting, by step:"):]
    assert "Welfare: 1;" in summary and "Property" not in summary.split(".")[0]
    assert "logged, no items listed: H1." in text


def test_the_printed_summary_counts_who_left_apart_from_who_waits() -> None:
    """"Left: 1" among the steps waited for read as one person waiting to leave: leaving is
    its own count, beside who is still at the centre."""
    at = START + timedelta(minutes=5)
    left = PersonReceived(reference="L1", arrived_at=at, age_group="adult",
                          departed_at=at + timedelta(hours=1), onward_destination="Home")
    here = PersonReceived(reference="H1", arrived_at=at, age_group="adult")
    centre = ReceptionCentre(operation="Operation Count", people=[left, here])
    text = " ".join(pdf_text(render_reception_summary(centre, REF)).split())
    summary = text[text.index("People waiting, by step:"):]
    waiting = summary.split(". ")[0]
    assert "Left" not in waiting and "Welfare: 1" in waiting
    assert "Still at the centre: 1; left: 1." in summary


def test_the_times_table_shows_when_consent_was_decided_and_fits_the_page() -> None:
    """The "Times of each step" table had no consent column, so the record could not show the
    consent was informed (the NRM explained, and the interpreter provided, before it). Every
    header word fits its column (none broken in two) within the landscape page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from fieldkit.pdf.fonts import SANS_BOLD, register_fonts
    from fieldkit.pdf.layout import content_width
    from fieldkit.pdf.reception import times_table

    register_fonts()
    at = START + timedelta(hours=4)  # 10:00
    informed = PersonReceived(reference="C1", arrived_at=at, age_group="adult",
                              nrm_explained_at=at + timedelta(minutes=5), consent="given",
                              consent_recorded_at=at + timedelta(minutes=12))
    early = PersonReceived(reference="C2", arrived_at=at, age_group="adult",
                           consent="given", consent_recorded_at=at + timedelta(minutes=7),
                           nrm_explained_at=at + timedelta(minutes=20))
    table = times_table([informed, early])
    header = [cell.text for cell in table._cellvalues[0]]
    assert "Consent decision" in header
    column = header.index("Consent decision")
    assert header[column - 1] == "NRM explained"
    assert [table._cellvalues[1][column], table._cellvalues[2][column]] == ["10:12", "10:07"]
    assert sum(table._colWidths) <= content_width(wide=True) + 0.01
    for words, width in zip(header, table._colWidths, strict=True):
        for word in words.replace("<br/>", " ").split():
            assert stringWidth(word, SANS_BOLD, 7) + 9 <= width, word  # 3 + 6 points padding
    centre = ReceptionCentre(operation="Operation Count", held_on=date(2026, 5, 14),
                             people=[informed, early])
    text = " ".join(pdf_text(render_reception_summary(centre, REF)).split())
    assert "Ask again" in text and "Given before it was informed: ask again" in text


def test_a_time_after_midnight_is_printed_with_its_date() -> None:
    """A person who arrived before midnight and left after it: the times on the next day carry
    their date, so 01:05 is never read as the centre's own morning."""
    arrived = datetime(2026, 11, 21, 23, 50)
    person = PersonReceived(reference="N1", arrived_at=arrived, age_group="adult",
                            welfare_given_at=datetime(2026, 11, 21, 23, 55),
                            departed_at=datetime(2026, 11, 22, 1, 5), onward_destination="Home")
    centre = ReceptionCentre(operation="Operation Midnight", held_on=date(2026, 11, 21),
                             people=[person])
    text = " ".join(pdf_text(render_reception_summary(centre, REF)).split())
    assert "01:05 22 Nov" in text  # left, the next day
    assert "23:50" in text and "23:50 21 Nov" not in text  # arrived on the centre's day
    assert "23:55" in text and "23:55 21 Nov" not in text
