"""Cases, premises visits and the people encountered."""

from __future__ import annotations

from fieldkit.clock import stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.events import RECORDS_CHANGED, hub
from fieldkit.records import Case, Person, Visit
from fieldkit.store import Store

_CASE_COLUMNS = "id, reference, title, status, created_at, updated_at"
_VISIT_COLUMNS = "id, case_id, premises_name, address, created_at"
_PERSON_COLUMNS = "id, case_id, visit_id, reference, summary, created_at"


def required_text(field: str, value: str, limit: int = 500) -> str:
    """Trim ``value``; raise InvalidInput naming ``field`` when empty or too long."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(f"{field} is needed.")
    if len(cleaned) > limit:
        raise InvalidInput(f"{field} is too long ({len(cleaned)} characters; at most {limit}).")
    if "\x00" in cleaned:
        raise InvalidInput(f"{field} contains a character that cannot be stored.")
    return cleaned


def _next_reference(store: Store, prefix: str) -> str:
    year = stamp()[:4]
    like = f"{prefix}-{year}-%"
    row = store.conn.execute(
        "SELECT reference FROM cases WHERE reference LIKE ? ORDER BY reference DESC LIMIT 1",
        (like,),
    ).fetchone()
    number = 1 if row is None else int(str(row[0]).rsplit("-", 1)[1]) + 1
    return f"{prefix}-{year}-{number:04d}"


def create_case(store: Store, title: str, *, prefix: str = "FK") -> Case:
    """Open a new case with the next reference for this year."""
    import uuid  # loaded when an id is made, not at every start

    title = required_text("Case title", title, 200)
    now = stamp()
    with store.transaction() as conn:
        case = Case(str(uuid.uuid4()), _next_reference(store, prefix), title, "open", now, now)
        conn.execute(
            f"INSERT INTO cases({_CASE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (case.id, case.reference, case.title, case.status, case.created_at, case.updated_at),
        )
        store.audit("case.create", "case", case.id)
    hub.publish(RECORDS_CHANGED, kind="case", record_id=case.id)
    return case


def get_case(store: Store, case_id: str) -> Case:
    """One case by id."""
    row = store.conn.execute(
        f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise NotFound("case", case_id)
    return Case(*row)


def list_cases(store: Store) -> list[Case]:
    """Every case, newest first."""
    rows = store.conn.execute(
        f"SELECT {_CASE_COLUMNS} FROM cases ORDER BY created_at DESC, reference DESC"
    ).fetchall()
    return [Case(*row) for row in rows]


def set_case_status(store: Store, case_id: str, status: str) -> Case:
    """Close or reopen a case."""
    if status not in ("open", "closed"):
        raise InvalidInput("Case status must be open or closed.")
    get_case(store, case_id)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", (status, stamp(), case_id)
        )
        store.audit(f"case.{'close' if status == 'closed' else 'reopen'}", "case", case_id)
    hub.publish(RECORDS_CHANGED, kind="case", record_id=case_id)
    return get_case(store, case_id)


def touch_case(store: Store, case_id: str, at: str | None = None) -> None:
    """Mark a case as changed now, or ``at`` (a stamp of now the caller already took), inside
    the caller's transaction."""
    store.conn.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (at or stamp(), case_id))


def create_visit(store: Store, case_id: str, premises_name: str, address: str) -> Visit:
    """Record a premises visit within a case."""
    import uuid  # loaded when an id is made, not at every start

    get_case(store, case_id)
    name = required_text("Premises name", premises_name, 200)
    where = required_text("Premises address", address, 500)
    visit = Visit(str(uuid.uuid4()), case_id, name, where, stamp())
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO visits({_VISIT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            (visit.id, visit.case_id, visit.premises_name, visit.address, visit.created_at),
        )
        touch_case(store, case_id)
        store.audit("visit.create", "visit", visit.id)
    hub.publish(RECORDS_CHANGED, kind="visit", record_id=visit.id)
    return visit


def get_visit(store: Store, visit_id: str) -> Visit:
    """One visit by id."""
    row = store.conn.execute(
        f"SELECT {_VISIT_COLUMNS} FROM visits WHERE id = ?", (visit_id,)
    ).fetchone()
    if row is None:
        raise NotFound("visit", visit_id)
    return Visit(*row)


def list_visits(store: Store, case_id: str | None = None) -> list[Visit]:
    """Visits of one case (or all), oldest first."""
    if case_id is None:
        rows = store.conn.execute(
            f"SELECT {_VISIT_COLUMNS} FROM visits ORDER BY created_at"
        ).fetchall()
    else:
        rows = store.conn.execute(
            f"SELECT {_VISIT_COLUMNS} FROM visits WHERE case_id = ? ORDER BY created_at",
            (case_id,),
        ).fetchall()
    return [Visit(*row) for row in rows]


def add_person(
    store: Store, case_id: str, reference: str, *, visit_id: str | None = None, summary: str = ""
) -> Person:
    """Record a person encountered, by a reference such as ``P01`` (a name is not needed)."""
    import uuid  # loaded when an id is made, not at every start

    get_case(store, case_id)
    if visit_id is not None:
        get_visit(store, visit_id)
    ref = " ".join(required_text("Person reference", reference, 40).split())
    exists = store.conn.execute(  # "w1" and "W1" are one person's reference
        "SELECT reference FROM people WHERE case_id = ? AND lower(reference) = lower(?)",
        (case_id, ref),
    ).fetchone()
    if exists:
        raise InvalidInput(f"Person reference {exists[0]} is already used in this case.")
    person = Person(str(uuid.uuid4()), case_id, visit_id, ref, summary.strip(), stamp())
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO people({_PERSON_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (person.id, person.case_id, person.visit_id, person.reference, person.summary,
             person.created_at),
        )
        touch_case(store, case_id)
        store.audit("person.create", "person", person.id)
    hub.publish(RECORDS_CHANGED, kind="person", record_id=person.id)
    return person


def get_person(store: Store, person_id: str) -> Person:
    """One person by id."""
    row = store.conn.execute(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None:
        raise NotFound("person", person_id)
    return Person(*row)


def list_people(store: Store, case_id: str) -> list[Person]:
    """People encountered in a case, in the order they were recorded."""
    rows = store.conn.execute(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE case_id = ? ORDER BY created_at, reference",
        (case_id,),
    ).fetchall()
    return [Person(*row) for row in rows]


def person_by_reference(store: Store, case_id: str, reference: str) -> Person | None:
    """The case's person with ``reference`` (spaces tidied; "w1" finds W1), if recorded."""
    row = store.conn.execute(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE case_id = ? AND lower(reference) = lower(?) "
        "ORDER BY reference = ? DESC LIMIT 1",
        (case_id, " ".join(reference.split()), " ".join(reference.split())),
    ).fetchone()
    return None if row is None else Person(*row)


def ensure_person(store: Store, case_id: str, reference: str) -> Person:
    """The case's person with ``reference``, recorded now if they are not yet: a person
    registered on a reception board and the case's person are one record."""
    return person_by_reference(store, case_id, reference) or add_person(store, case_id,
                                                                        reference)
