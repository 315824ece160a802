"""Corrections in the printed packs: an entry corrected twice names both corrections, and a
correction that was itself corrected shows both labels (what it corrects, and what corrects it).
The original of every correction stays readable."""

from __future__ import annotations

import re

from fieldkit import cases, notes
from fieldkit.export import schedule_content
from fieldkit.pdf import render_visit
from fieldkit.pdf.schedule import render_schedule
from fieldkit.pdf.values import numbers, stamp_text
from fieldkit.store import Store
from tests.unit.test_pdf_tools import content_streams, pdf_text, qpdf_check

FIRST = "10:05 Three men in the back office, one asleep on a mattress."
SECOND = "Correction: four men in the back office."
THIRD = "Correction of the correction: three men and a boy of about fifteen."
FOURTH = "Second correction of the first entry: the mattress was in the store room."


def _corrected_twice(store: Store) -> tuple[str, str, list[notes.NoteEntry]]:
    """Entry 1; entry 2 corrects 1; entry 3 corrects 2; entry 4 corrects 1 again (as an
    earlier release allowed: a correction now corrects the entry as it stands, entry 3 here;
    stores and bundles hold such entries, and they still print)."""
    case = cases.create_case(store, "Operation Gorse")
    visit = cases.create_visit(store, case.id, "Bright Car Wash", "1 Example Road, Testville")
    one = notes.add_note(store, visit.id, FIRST)
    two = notes.correct_note(store, one.id, SECOND)
    three = notes.correct_note(store, two.id, THIRD)
    four = notes._append(store, visit.id, FOURTH, one.id)
    return case.id, visit.id, [one, two, three, four]


def test_a_second_correction_corrects_the_entry_as_it_stands(store: Store) -> None:
    """Two corrections of one entry both looked current; now the second corrects the first
    correction (and the one after, in turn): one version of each note stands."""
    case = cases.create_case(store, "Operation Gorse")
    visit = cases.create_visit(store, case.id, "Bright Car Wash", "1 Example Road, Testville")
    one = notes.add_note(store, visit.id, FIRST)
    two = notes.correct_note(store, one.id, SECOND)
    three = notes.correct_note(store, one.id, THIRD)  # pressed on entry 1 again
    assert three.corrects == two.id
    assert notes.latest_version(store, one.id) == three
    four = notes.correct_note(store, two.id, FOURTH)
    assert four.corrects == three.id and notes.latest_version(store, one.id) == four
    found = notes.corrections_of(notes.list_notes(store, visit.id))
    assert all(len(later) == 1 for later in found.values())


def test_corrections_of_keeps_every_correction_in_order(store: Store) -> None:
    _case_id, visit_id, (one, two, three, four) = _corrected_twice(store)
    found = notes.corrections_of(notes.list_notes(store, visit_id))
    assert [e.id for e in found[one.id]] == [two.id, four.id]
    assert [e.id for e in found[two.id]] == [three.id]
    assert three.id not in found and four.id not in found


def test_numbers_reads_as_words() -> None:
    assert [numbers(n) for n in ([], [2], [2, 4], [2, 4, 5])] == ["", "2", "2 and 4",
                                                                   "2, 4 and 5"]


def test_the_visit_pack_shows_every_correction_label(store: Store) -> None:
    _case_id, visit_id, (one, two, three, four) = _corrected_twice(store)
    pdf = render_visit(store, visit_id)[1]
    qpdf_check(pdf)
    text = pdf_text(pdf)
    # Entry 2 is a correction and was corrected: its row carries both labels, in that order.
    row_two = text[text.index("Correction of entry 1"):text.index("Correction of entry 2")]
    assert SECOND in row_two
    assert f"Corrected by entry 3, written {stamp_text(three.written_at)}." in row_two
    # Entry 1 names both its corrections, each with its time.
    assert (f"Corrected by entries 2 and 4: entry 2 written {stamp_text(two.written_at)}; "
            f"entry 4 written {stamp_text(four.written_at)}.") in text
    # Entries 2 and 4 are both corrections of entry 1, quoting it.
    assert text.count(f"Correction of entry 1, written {stamp_text(one.written_at)}. It read:"
                      ) == 2
    assert f"Correction of entry 2, written {stamp_text(two.written_at)}. It read:" in text
    # Every text stays readable: entry 1 in place and above entries 2 and 4; entry 2 in place
    # and above entry 3.
    assert text.count(FIRST) == 3 and text.count(SECOND) == 2
    assert THIRD in text and FOURTH in text
    # ... and struck through each time (entries 3 and 4, not corrected, are not struck).
    struck = _struck_lines(content_streams(pdf))
    assert sum(line.startswith("10:05 Three men") for line in struck) == 3
    assert sum(line.startswith("Correction: four men") for line in struck) == 2
    assert not any(line.startswith(("Correction of the correction", "Second correction"))
                   for line in struck)


def _struck_lines(drawn: bytes) -> list[str]:
    """The text lines a strike is drawn through. reportlab draws a paragraph's strikes (lines
    "x y m x y l S") just before its text block, a little above the struck line's baseline; the
    block's lines start at its Tm and step down by its leading (TL) at each T*."""
    found: list[str] = []
    for chunk in drawn.split(b"ET\n"):
        before, _bt, block = chunk.rpartition(b"BT ")
        strikes = [float(y) for y in re.findall(rb"m [\d.]+ ([\d.]+) l S", before)]
        start = re.match(rb"1 0 0 1 [\d.]+ ([\d.]+) Tm", block)
        leading = re.search(rb"([\d.]+) TL", block)
        if not strikes or start is None or leading is None:
            continue
        for number, line in enumerate(block.split(b"T*")):
            baseline = float(start[1]) - number * float(leading[1])
            if any(0 < y - baseline < 5 for y in strikes):
                found.append(b"".join(re.findall(rb"\((.*?)\) Tj", line)).decode("latin-1"))
    return found


def test_the_schedule_lists_every_correction_of_an_entry(store: Store) -> None:
    case_id, _visit_id, _entries = _corrected_twice(store)
    pdf = render_schedule(schedule_content(store, case_id))
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "Corrected by entries 2 and 4" in text
    assert "Corrected by entry 3; Corrects entry 1" in text
    assert text.count("Corrects entry 1") == 2 and text.count("Corrects entry 2") == 1
