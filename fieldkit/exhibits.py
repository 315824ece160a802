"""Exhibits: photos and documents captured into the encrypted store, numbered per case and
hashed (SHA-256) at capture so they can later be listed on a disclosure schedule."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from pathlib import Path

from fieldkit.cases import get_case, get_visit, touch_case
from fieldkit.clock import stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.records import Exhibit
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
    """Capture ``content`` as the case's next numbered exhibit (EX-001, EX-002, ...)."""
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
    with store.transaction() as conn:
        count = conn.execute(
            "SELECT COUNT(*) FROM attachments WHERE case_id = ?", (case_id,)
        ).fetchone()[0]
        exhibit = Exhibit(
            str(uuid.uuid4()), case_id, visit_id, f"EX-{count + 1:03d}", name, media_type,
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
        store.audit("exhibit.add", "exhibit", exhibit.id)
    hub.publish(RECORDS_CHANGED, kind="exhibit", record_id=exhibit.id)
    return exhibit


def list_exhibits(store: Store, case_id: str, visit_id: str | None = None) -> list[Exhibit]:
    """A case's exhibits (or one visit's) in number order."""
    if visit_id is None:
        rows = store.conn.execute(
            f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? ORDER BY exhibit_ref",
            (case_id,),
        ).fetchall()
    else:
        rows = store.conn.execute(
            f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? AND visit_id = ? "
            "ORDER BY exhibit_ref",
            (case_id, visit_id),
        ).fetchall()
    return [_row(row) for row in rows]


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
