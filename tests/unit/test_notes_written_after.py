"""A note written after the visit ended (written up at the office) looked like any note made
at the time: it is shown and printed as written after the visit ended, beside its time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldkit import cases, documents, notes
from fieldkit.clock import parse_stamp
from fieldkit.demo.forms import visit_form
from fieldkit.pdf import render_visit_report
from fieldkit.records import NoteEntry
from fieldkit.store import Store
from forms.visit import PremisesVisit
from tests.unit.test_pdf_tools import pdf_text


def _entry(seq: int, at: datetime) -> NoteEntry:
    return NoteEntry(f"n{seq}", "v", seq, at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "Officer",
                     f"Entry {seq}", None)


def test_entries_after_the_end_of_the_visit_are_found() -> None:
    end = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    during, later = _entry(1, end - timedelta(minutes=5)), _entry(2, end + timedelta(hours=2))
    assert notes.written_after([during, later], end) == {"n2"}
    assert notes.written_after([during, later], None) == set()
    local_end = end.astimezone().replace(tzinfo=None)  # as a visit record keeps it
    assert notes.written_after([during, later], local_end) == {"n2"}


def test_the_visit_record_end_marks_later_notes_on_screen_data_and_in_the_pdf(
        store: Store) -> None:
    case = cases.create_case(store, "Operation Hazel")
    visit = cases.create_visit(store, case.id, "Example Hand Car Wash", "1 Example Road")
    written = notes.add_note(store, visit.id, "Written up at the office after the visit.")
    at = parse_stamp(written.written_at).astimezone().replace(tzinfo=None, microsecond=0)
    record = visit_form(at - timedelta(minutes=95), at - timedelta(minutes=1))
    documents.save_document(store, case.id, "visit", record, visit_id=visit.id)
    ended = documents.visit_ended_at(store, visit.id)
    assert ended == at - timedelta(minutes=1)
    entries = notes.list_notes(store, visit.id)
    assert notes.written_after(entries, ended) == {written.id}
    pdf = render_visit_report(case.reference, visit=visit,
                              form=PremisesVisit.model_validate(record), notes=entries)
    assert "Written after the visit ended." in " ".join(pdf_text(pdf).split())


def test_a_note_in_the_visits_last_minute_was_written_before_it_ended() -> None:
    """The end time is typed to the minute (00:38): notes written at 00:38:06-00:38:19 all
    read "written after the visit ended"."""
    end = datetime(2026, 12, 5, 0, 38, tzinfo=UTC)
    same_minute, next_minute = (_entry(1, end + timedelta(seconds=19)),
                                _entry(2, end + timedelta(minutes=1, seconds=2)))
    assert notes.written_after([same_minute, next_minute], end) == {"n2"}
