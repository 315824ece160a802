"""Consent counts as informed only in a language the person understands, and only on or after
the day they were found (a domain review found both accepted as ready)."""

from __future__ import annotations

from datetime import timedelta

from forms.nrm import Consent
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm


def _fields(nrm: object) -> dict[str, str]:
    return {p.field: p.message for p in nrm.ready_problems(FOUND_ON)}  # type: ignore[attr-defined]


def _consent(**changes: object) -> Consent:
    return full_nrm().consent.model_copy(update=changes)


def test_an_interpreter_needed_but_not_used_for_consent_is_a_problem() -> None:
    """R-CONSENT-LANGUAGE: the person needs an interpreter, none was used for consent."""
    nrm = full_nrm(consent=_consent(interpreter_used=False, interpreter_language=None,
                                    booklet_language="ron"))
    problems = _fields(nrm)
    assert "an interpreter was needed but none is recorded" in problems["consent.interpreter_used"]
    assert "in a language the person understands" in problems["consent.interpreter_used"]


def test_an_interpreter_in_a_language_the_person_does_not_speak_is_a_problem() -> None:
    """R-CONSENT-LANGUAGE: a Romanian and English speaker, consent through a Polish
    interpreter."""
    nrm = full_nrm(consent=_consent(interpreter_language="pol"))
    assert "not one of the languages" in _fields(nrm)["consent.interpreter_language"]
    assert _fields(full_nrm(consent=_consent(interpreter_language="eng"))) == {}


def test_a_booklet_in_another_language_without_an_interpreter_is_a_problem() -> None:
    """R-CONSENT-LANGUAGE: the booklet in Polish, no interpreter, for someone who needs none;
    with an interpreter in their language the booklet's language does not matter."""
    nrm = full_nrm(consent=_consent(interpreter_used=False, interpreter_language=None,
                                    booklet_language="pol"))
    nrm.potential_victim.interpreter_needed = False
    assert list(_fields(nrm)) == ["consent.booklet_language"]
    assert _fields(full_nrm(consent=_consent(booklet_language="pol"))) == {}


def test_consent_languages_are_not_checked_when_none_are_recorded() -> None:
    """R-CONSENT-LANGUAGE: lenient where data is missing: no languages recorded for the
    person (asked for elsewhere), so no language problem on consent."""
    nrm = full_nrm(consent=_consent(interpreter_language="pol", booklet_language="pol"))
    nrm.potential_victim.languages = []
    assert list(_fields(nrm)) == ["potential_victim.languages"]


def test_a_consent_decision_before_the_person_was_found_is_a_problem() -> None:
    """R-CONSENT-DATE: the consent decision cannot be dated before the person was found."""
    early = full_nrm(consent=_consent(decided_on=FOUND_ON - timedelta(days=8)))
    assert list(_fields(early)) == ["consent.decided_on"]
    assert "before the date the person was found" in _fields(early)["consent.decided_on"]
    later = full_nrm(consent=_consent(decided_on=FOUND_ON + timedelta(days=1)))
    assert _fields(later) == {}


def test_consent_not_informed_does_not_count_for_the_route() -> None:
    """R-CONSENT-LANGUAGE: consent given without the interpreter the person needs was one
    problem line, while the banner said "make an NRM referral" and the Lead recorded its
    submission: it does not count until asked again (as on the reception board), and the
    reason is still named."""
    from forms.choices import ConsentDecision
    from forms.rules import Route

    nrm = full_nrm(consent=_consent(interpreter_used=False, interpreter_language=None,
                                    booklet_language="ron"))
    assert nrm.consent_not_informed()
    assert nrm.counted_decision() is ConsentDecision.NOT_ASKED
    assert nrm.obligations(FOUND_ON).route is Route.UNDECIDED
    assert "an interpreter was needed" in _fields(nrm)["consent.interpreter_used"]
    informed = full_nrm()
    assert not informed.consent_not_informed()
    assert informed.obligations(FOUND_ON).route is Route.NRM


def test_the_pathway_reads_consent_not_informed_as_not_yet_asked() -> None:
    """R-CONSENT-LANGUAGE: the pathway took consent given without the needed interpreter as
    given, ticked "Ask whether the person wants support" and sent the officer to the NRM."""
    from fieldkit.pathway import facts_from_nrm
    from forms.choices import ConsentDecision

    nrm = full_nrm(consent=_consent(interpreter_used=False, interpreter_language=None,
                                    booklet_language="ron"))
    assert facts_from_nrm(nrm, as_of=FOUND_ON).consent is ConsentDecision.NOT_ASKED
    assert facts_from_nrm(full_nrm(), as_of=FOUND_ON).consent is ConsentDecision.GIVEN
