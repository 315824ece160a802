"""What a bundle carries: every record of one case, as typed values the Lead re-validates.

The field limits here are the receiving side's defence: anything outside them is rejected with
the field named, and nothing from that bundle is imported.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from forms import KINDS
from forms.check import check_document
from sync.board_share.changes import check_change
from sync.errors import BundleRejected

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Stamp = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
Text = Annotated[str, Field(max_length=20_000)]
Short = Annotated[str, Field(max_length=500)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseRecord(_Record):
    """A case as the device held it when the bundle was made."""

    type: Literal["case"]
    id: Id
    reference: Short
    title: Short
    status: Literal["open", "closed"]
    created_at: Stamp
    updated_at: Stamp


class VisitRecord(_Record):
    """A premises visit."""

    type: Literal["visit"]
    id: Id
    case_id: Id
    premises_name: Short
    address: Short
    created_at: Stamp


class PersonRecord(_Record):
    """A person encountered, by reference."""

    type: Literal["person"]
    id: Id
    case_id: Id
    visit_id: Id | None
    reference: Short
    summary: Text
    created_at: Stamp


class NoteRecord(_Record):
    """A contemporaneous note entry (corrections point at what they correct)."""

    type: Literal["note"]
    id: Id
    visit_id: Id
    seq: int = Field(ge=1)
    written_at: Stamp
    author: Short
    text: Text
    corrects: Id | None


class ExhibitRecord(_Record):
    """An exhibit's details; its bytes travel as a part named by the hash."""

    type: Literal["exhibit"]
    id: Id
    case_id: Id
    visit_id: Id | None
    exhibit_ref: Short
    filename: Short
    media_type: Short
    description: Text
    sensitive: bool
    sha256: Sha256
    size: int = Field(ge=1)
    captured_at: Stamp


class FormRecord(_Record):
    """A form at its current version; ``data`` is checked against the forms models."""

    type: Literal["form"]
    id: Id
    case_id: Id
    visit_id: Id | None
    person_id: Id | None
    kind: str
    status: Literal["draft", "ready"]
    version: int = Field(ge=1)
    data: dict[str, Any]
    created_at: Stamp
    updated_at: Stamp

    @model_validator(mode="after")
    def _valid_form(self) -> FormRecord:
        if self.kind not in KINDS:
            raise ValueError(f"unknown form kind {self.kind!r}")
        # As the device saved it: a format check added since (a phone number's) never refuses
        # an officer's record at the Lead; the forms' rules and limits still do.
        problems = check_document(self.kind, self.data, ready=self.status == "ready",
                                  typed=False)
        if problems:
            raise ValueError("; ".join(f"{p.field}: {p.message}" for p in problems[:5]))
        return self


class PdfRecord(_Record):
    """A printed pack as the device rendered it; its bytes travel as a part named by the hash."""

    type: Literal["pdf"]
    id: Id
    case_id: Id
    # Case reference, form kind and number only: never a person's reference or name.
    name: Annotated[str, Field(
        pattern=r"^[A-Za-z0-9-]{1,40}-(?:visit|nrm|dtn|reception|intel|referral)-\d{1,4}\.pdf$")]
    sha256: Sha256
    size: int = Field(ge=1)


class BoardChangeRecord(_Record):
    """One change to the case's shared reception board, as made on one device (the Lead
    merges every device's changes into one board, with who did what)."""

    type: Literal["board_change"]
    id: Id
    case_id: Id
    change: dict[str, Any]

    @model_validator(mode="after")
    def _valid_change(self) -> BoardChangeRecord:
        change = check_change(self.change)
        if self.id != record_id_of(change.hlc):
            raise ValueError("the record id is not the change's clock")
        return self


def record_id_of(hlc: str) -> str:
    """A board change's record id in a bundle: its clock, dots written as dashes."""
    return hlc.replace(".", "-")


Record = Annotated[
    CaseRecord | VisitRecord | PersonRecord | NoteRecord | ExhibitRecord | FormRecord | PdfRecord
    | BoardChangeRecord,
    Field(discriminator="type"),
]
_RECORDS: TypeAdapter[list[Record]] = TypeAdapter(list[Record])


def validate_records(
    raw: object, case_id: str, attachments: dict[str, bytes]
) -> list[Record]:
    """Validate a bundle's records; raise BundleRejected naming the first problem."""
    try:
        records = _RECORDS.validate_python(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BundleRejected(f"record field {where} is not valid: {first['msg']}") from None
    cases = [r for r in records if isinstance(r, CaseRecord)]
    if len(cases) != 1 or cases[0].id != case_id:
        raise BundleRejected("the bundle must hold exactly the one case its manifest names")
    _check_references(records)
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.type, record.id)
        if key in seen:
            raise BundleRejected(f"{record.type} {record.id} appears twice")
        seen.add(key)
        if isinstance(record, ExhibitRecord | PdfRecord) and record.sha256 not in attachments:
            raise BundleRejected(f"{record.type} {record.id} has no content in the bundle")
        owner = getattr(record, "case_id", case_id)
        if owner != case_id:
            raise BundleRejected(f"{record.type} {record.id} belongs to another case")
    return records


def _check_references(records: list[Record]) -> None:
    """Every record points only at records in the same bundle (its own case)."""
    visits = {r.id for r in records if isinstance(r, VisitRecord)}
    people = {r.id for r in records if isinstance(r, PersonRecord)}
    notes = {r.id for r in records if isinstance(r, NoteRecord)}
    for record in records:
        pointers: list[tuple[str | None, set[str], str]] = []
        if isinstance(record, NoteRecord):
            pointers = [(record.visit_id, visits, "visit"), (record.corrects, notes, "note")]
        elif isinstance(record, PersonRecord | ExhibitRecord):
            pointers = [(record.visit_id, visits, "visit")]
        elif isinstance(record, FormRecord):
            pointers = [(record.visit_id, visits, "visit"), (record.person_id, people, "person")]
        for target, known, kind in pointers:
            if target is not None and target not in known:
                raise BundleRejected(
                    f"{record.type} {record.id} points at a {kind} that is not in the bundle"
                )
