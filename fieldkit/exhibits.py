"""Exhibits: photos and documents captured into the encrypted store, numbered per case and
hashed (SHA-256) at capture so they can later be listed on a disclosure schedule."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from dataclasses import astuple
from pathlib import Path

from fieldkit import officer
from fieldkit.cases import get_case, get_visit, touch_case
from fieldkit.clock import stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.records import Exhibit
from fieldkit.seals import record_seal
from fieldkit.store import Store

MAX_EXHIBIT_BYTES = 64 * 1024 * 1024
_COLUMNS = (
    "id, case_id, visit_id, exhibit_ref, filename, media_type, description, sensitive, sha256, "
    "size, captured_at"
)


def _row(row: tuple[object, ...]) -> Exhibit:
    values = list(row)
    values[7] = bool(values[7])
    return Exhibit(*values)  # type: ignore[arg-type]


def add_exhibit(
    store: Store,
    case_id: str,
    content: bytes,
    filename: str,
    *,
    visit_id: str | None = None,
    description: str = "",
    sensitive: bool = False,
) -> Exhibit:
    """Capture ``content`` as the case's next numbered exhibit. References follow the police
    convention: the capturing officer's initials (or chosen prefix) and a number, RH/1, RH/2."""
    get_case(store, case_id)
    if visit_id is not None and get_visit(store, visit_id).case_id != case_id:
        raise InvalidInput("Visit belongs to another case.")
    if not content:
        raise InvalidInput("The exhibit file is empty.")
    if len(content) > MAX_EXHIBIT_BYTES:
        raise InvalidInput(
            f"The exhibit file is larger than {MAX_EXHIBIT_BYTES // 2**20} MB."
        )
    name = Path(filename).name or "exhibit"
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    digest = hashlib.sha256(content).hexdigest()
    prefix = _reference_prefix(store)
    with store.transaction() as conn:
        taken = [str(row[0]).rpartition("/")[2] for row in conn.execute(
            "SELECT exhibit_ref FROM attachments WHERE case_id = ? AND exhibit_ref LIKE ?",
            (case_id, f"{prefix}/%"))]
        number = max((int(n) for n in taken if n.isdigit()), default=0) + 1
        exhibit = Exhibit(
            str(uuid.uuid4()), case_id, visit_id, f"{prefix}/{number}", name, media_type,
            description.strip(), sensitive, digest, len(content), stamp(),
        )
        conn.execute(
            f"INSERT INTO attachments({_COLUMNS}, content) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (exhibit.id, exhibit.case_id, exhibit.visit_id, exhibit.exhibit_ref,
             exhibit.filename, exhibit.media_type, exhibit.description, int(exhibit.sensitive),
             exhibit.sha256, exhibit.size, exhibit.captured_at, content),
        )
        touch_case(store, case_id)
        store.audit("exhibit.add", "exhibit", exhibit.id,
                    record_seal("exhibit", astuple(exhibit)))
    hub.publish(RECORDS_CHANGED, kind="exhibit", record_id=exhibit.id)
    return exhibit


def _reference_prefix(store: Store) -> str:
    """The capturing officer's exhibit prefix: from their profile, else their initials."""
    profile = officer.load_profile(store)
    if profile is None:
        profile = officer.OfficerProfile(name=store.actor or "officer")
    return profile.exhibit_reference_prefix()


def list_exhibits(store: Store, case_id: str, visit_id: str | None = None) -> list[Exhibit]:
    """A case's exhibits (or one visit's) in number order."""
    if visit_id is None:
        rows = store.conn.execute(
            f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? ORDER BY captured_at, rowid",
            (case_id,),
        ).fetchall()
    else:
        rows = store.conn.execute(
            f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? AND visit_id = ? "
            "ORDER BY captured_at, rowid",
            (case_id, visit_id),
        ).fetchall()
    return [_row(row) for row in rows]


def held_as(store: Store, case_id: str, content: bytes) -> Exhibit | None:
    """The case's exhibit that already holds exactly ``content`` (the same photo chosen
    twice), or None: asked before the same file becomes a second exhibit."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? AND sha256 = ? "
        "ORDER BY captured_at, rowid LIMIT 1",
        (case_id, hashlib.sha256(content).hexdigest()),
    ).fetchone()
    return _row(row) if row is not None else None


def get_exhibit(store: Store, exhibit_id: str) -> Exhibit:
    """One exhibit's details by id."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (exhibit_id,)
    ).fetchone()
    if row is None:
        raise NotFound("exhibit", exhibit_id)
    return _row(row)


def exhibit_content(store: Store, exhibit_id: str) -> bytes:
    """The exhibit's bytes, checked against the hash recorded at capture."""
    row = store.conn.execute(
        "SELECT content, sha256 FROM attachments WHERE id = ?", (exhibit_id,)
    ).fetchone()
    if row is None:
        raise NotFound("exhibit", exhibit_id)
    content = bytes(row[0])
    if hashlib.sha256(content).hexdigest() != row[1]:
        raise InvalidInput(f"Exhibit {exhibit_id} no longer matches the hash taken at capture.")
    return content
