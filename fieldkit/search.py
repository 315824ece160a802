"""Search everything an officer recorded, inside the encrypted store: notes (full-text), form
documents, people and exhibit descriptions. Each hit says what it is and where it opens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fieldkit import cases, documents, notes
from fieldkit.cases import required_text
from fieldkit.store import Store
from forms.kinds import KIND_TITLES

SNIPPET = 90


class HitKind(StrEnum):
    """What a search result is."""

    NOTE = "note"
    FORM = "form"
    PERSON = "person"
    EXHIBIT = "exhibit"
    CASE = "case"


@dataclass(frozen=True)
class SearchHit:
    """One result: its kind, the record to open, its case, a title and the words around it."""

    kind: HitKind
    record_id: str
    case_id: str
    case_reference: str
    title: str
    snippet: str
    visit_id: str | None = None
    person_id: str | None = None
    form_kind: str | None = None


def _snippet(text: str, words: list[str]) -> str:
    flat = " ".join(text.split())
    lower = flat.lower()
    at = min((lower.find(w) for w in words if lower.find(w) >= 0), default=0)
    start = max(0, at - SNIPPET // 3)
    piece = flat[start:start + SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(flat) else "")


def _texts(value: Any) -> list[str]:
    """Every string inside a form document's JSON (keys are field names, not answers)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


def _matches(text: str, words: list[str]) -> bool:
    lower = text.lower()
    return all(word in lower for word in words)


def search_all(store: Store, text: str, limit: int = 200) -> list[SearchHit]:
    """Records containing every word of ``text``: notes first (full-text index), then forms,
    people, exhibits and case titles. Nothing leaves the encrypted store."""
    query = required_text("Search text", text, 500)
    words = [word.lower() for word in query.split()]
    references = {case.id: case.reference for case in cases.list_cases(store)}
    hits: list[SearchHit] = []
    for entry in notes.search_notes(store, query, limit):
        visit = cases.get_visit(store, entry.visit_id)
        hits.append(SearchHit(HitKind.NOTE, entry.id, visit.case_id,
                              references.get(visit.case_id, ""),
                              f"Note #{entry.seq}, {visit.premises_name}",
                              _snippet(entry.text, words), visit_id=visit.id))
    for case_id, reference in references.items():
        for doc in documents.list_documents(store, case_id):
            found = " · ".join(t for t in _texts(json.loads(doc.data)) if t.strip())
            if _matches(found, words):
                hits.append(SearchHit(HitKind.FORM, doc.id, case_id, reference,
                                      KIND_TITLES.get(doc.kind, doc.kind), _snippet(found, words),
                                      visit_id=doc.visit_id, person_id=doc.person_id,
                                      form_kind=doc.kind))
    for person_id, case_id, reference, summary in store.conn.execute(
            "SELECT id, case_id, reference, summary FROM people ORDER BY created_at"):
        if _matches(f"{reference} {summary}", words):
            hits.append(SearchHit(HitKind.PERSON, str(person_id), str(case_id),
                                  references.get(case_id, ""), f"Person {reference}",
                                  _snippet(summary or reference, words), person_id=person_id))
    for exhibit_id, case_id, visit_id, ref, description in store.conn.execute(
            "SELECT id, case_id, visit_id, exhibit_ref, description FROM attachments "
            "ORDER BY captured_at"):
        if _matches(f"{ref} {description}", words):
            hits.append(SearchHit(HitKind.EXHIBIT, str(exhibit_id), str(case_id),
                                  references.get(case_id, ""), f"Exhibit {ref}",
                                  _snippet(description or ref, words), visit_id=visit_id))
    for case in cases.list_cases(store):
        if _matches(f"{case.reference} {case.title}", words):
            hits.append(SearchHit(HitKind.CASE, case.id, case.id, case.reference,
                                  f"Case {case.reference}", case.title))
    return hits[:limit]
