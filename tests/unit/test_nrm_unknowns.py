"""A child who says nothing (or an adult whose language nobody has identified yet) could not
have an NRM marked ready without the officer typing a placeholder name ("Not given", then
matched as a name by the Lead) or a language they did not know: both may now be marked as not
known, and the pack says so."""

from __future__ import annotations

from fieldkit.pdf import render_nrm_pack
from tests.unit.test_forms_roundtrip import FOUND_ON, full_nrm
from tests.unit.test_pdf_tools import pdf_text


def _fields(nrm: object) -> dict[str, str]:
    return {p.field: p.message for p in nrm.ready_problems(FOUND_ON)}  # type: ignore[attr-defined]


def test_a_name_not_given_and_languages_not_yet_known_are_answers() -> None:
    nrm = full_nrm()
    silent = nrm.potential_victim.model_copy(update={
        "given_names": "", "family_name": "", "aliases": [], "languages": []})
    blank = nrm.model_copy(update={"potential_victim": silent})
    problems = _fields(blank)
    assert "or mark it as not given" in problems["potential_victim.given_names"]
    assert "or mark them as not yet known" in problems["potential_victim.languages"]
    marked = blank.model_copy(update={"potential_victim": silent.model_copy(update={
        "name_not_given": True, "languages_not_known": True})})
    problems = _fields(marked)
    assert "potential_victim.given_names" not in problems
    assert "potential_victim.languages" not in problems
    text = " ".join(pdf_text(render_nrm_pack(marked, "FK-2026-0001")).split())
    assert "Name not given (the person has not said it)" in text
    assert "Languages spoken Not yet known" in text
