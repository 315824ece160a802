"""The records the store keeps, as plain immutable values returned by the services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """An operation or concern: everything else hangs off a case."""

    id: str
    reference: str
    title: str
    status: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Visit:
    """A premises visit within a case."""

    id: str
    case_id: str
    premises_name: str
    address: str
    created_at: str


@dataclass(frozen=True)
class Person:
    """A person encountered, known by a reference (no name is needed)."""

    id: str
    case_id: str
    visit_id: str | None
    reference: str
    summary: str
    created_at: str


@dataclass(frozen=True)
class NoteEntry:
    """A contemporaneous note: timed when written, never changed; corrections point back."""

    id: str
    visit_id: str
    seq: int
    written_at: str
    author: str
    text: str
    corrects: str | None


@dataclass(frozen=True)
class Exhibit:
    """A photo or document captured into the store, numbered and hashed at capture."""

    id: str
    case_id: str
    visit_id: str | None
    exhibit_ref: str
    filename: str
    media_type: str
    description: str
    sensitive: bool
    sha256: str
    size: int
    captured_at: str


@dataclass(frozen=True)
class FormDocument:
    """A form (NRM, DtN, visit, reception, intelligence, referral) at its current version."""

    id: str
    case_id: str
    visit_id: str | None
    person_id: str | None
    kind: str
    status: str
    version: int
    data: str
    created_at: str
    updated_at: str
