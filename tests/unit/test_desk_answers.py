"""The Lead reads each form answer in words: times kept as the officer recorded them, and
indicators by their text (the Forms tab showed 'labour.spokesperson' and dropped the times)."""

from __future__ import annotations

from datetime import datetime

from forms.visit import PremisesVisit
from sync.desk.submission import form_sections


def _answers(form: PremisesVisit) -> dict[str, str]:
    return {a.question: a.answer for s in form_sections(form) for a in s.answers}


def test_times_and_indicators_read_as_the_officer_recorded_them() -> None:
    visit = PremisesVisit(started_at=datetime(2026, 12, 3, 9, 15),
                        ended_at=datetime(2026, 12, 3, 10, 50),
                        indicators_ticked=["general.isolation"])
    answers = _answers(visit)
    assert "3 December 2026 09:15 (local time)" in answers.values()
    assert "3 December 2026 10:50 (local time)" in answers.values()
    shown = " ".join(answers.values())
    assert "general.isolation" not in shown and "Isolated" in shown
