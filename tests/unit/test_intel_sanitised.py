"""An intelligence report marked ready must not identify its source: its sanitised text is
checked as a Duty to Notify's is (a report naming its source, with her address, postcode and
phone, was passed as ready to share)."""

from __future__ import annotations

from forms.intelligence import IntelligenceReport

SUBJECT = "Sparkle Hand Car Wash, 12 Elm Street, Coventry"


def _problems(text: str) -> list[str]:
    report = IntelligenceReport(subject=SUBJECT, sanitised_text=text)
    return [p.message for p in report.ready_problems() if p.field == "sanitised_text"]


def test_a_source_named_or_reachable_is_a_problem_and_never_repeated() -> None:
    text = ("Source Maria Popescu of 14 Oak Road, Coventry CV6 5AH says workers sleep at the "
            "car wash; call 07700 900555.")
    [message] = _problems(text)
    assert "address" in message and "postcode" in message and "phone number" in message
    assert "source's name" in message
    assert "Popescu" not in message and "07700" not in message


def test_what_the_intelligence_is_about_may_be_named_in_the_subject_and_text() -> None:
    assert _problems("A source says workers sleep at 12 Elm Street and are driven each "
                     "morning in a white van. The source is reliable.") == []


def test_a_source_named_in_any_form_of_words_is_caught() -> None:
    for text in ("The source, Ion, works there.", "Information from source named Petra.",
                 "source: Dana said the manager keeps passports"):
        assert _problems(text), text
