"""A case as the Lead received it: the current version of each of its records, typed, read
from the Lead's encrypted store. Everything else on the desk reads cases through here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from fieldkit.clock import parse_stamp
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.records import Case, Exhibit, FormDocument, NoteEntry, Person, Visit
from fieldkit.store import Store
from forms import KINDS, Form, NrmReferral


@dataclass(frozen=True)
class ReceivedCase:
    """One case at its newest bundle: the officer who sent it and every current record."""

    case: Case
    officer: str
    device_id: str
    last_received: str
    bundles: int
    visits: list[Visit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)
    exhibits: list[Exhibit] = field(default_factory=list)
    forms: list[FormDocument] = field(default_factory=list)
    pdfs: dict[str, str] = field(default_factory=dict)
    """Pack file name to the hash of its content, as the officer's device rendered it."""
    nrm_submitted: frozenset[str] = frozenset()
    """People (ids) whose NRM referral the Lead recorded as submitted: an NRM, whatever the
    officer's laptop later sends (a Duty to Notify after a withdrawal of consent cannot undo
    a referral already made: the NRM withdrawal form is sent instead)."""
    dtn_submitted: frozenset[str] = frozenset()
    """People (ids) whose Duty to Notify the Lead recorded as submitted."""
    withdrawn_nrms: dict[str, FormDocument] = field(default_factory=dict)
    """Person id to the NRM referral the Lead recorded as submitted and the officer's laptop
    no longer sends (the person withdrew consent since): its last version received, kept so
    the Lead can still read and print what was submitted."""
    arrived: dict[str, str] = field(default_factory=dict)
    """Record id to when the Lead imported the bundle that first carried its current version
    (the register's "Received": the officer's own times said when they typed it)."""
    replaced_dtns: dict[str, FormDocument] = field(default_factory=dict)
    """Person id to the Duty to Notify the Lead recorded as submitted and the officer's laptop
    no longer sends (the person consented since, and an NRM referral replaced it): its last
    version received. The notification was made: still read, printed and counted."""

    def person(self, reference: str) -> Person:
        """The person with this reference (W1) or id; NotFound otherwise."""
        for person in self.people:
            if reference in (person.reference, person.id):
                return person
        raise NotFound(f"person in case {self.case.reference}", reference)

    def person_reference(self, person_id: str | None) -> str:
        """A person's reference from their id ('' when the form names no one)."""
        return next((p.reference for p in self.people if p.id == person_id), "")

    def forms_to_read(self) -> list[tuple[FormDocument, str]]:
        """Every form the Lead can read, with what to say beside it: the current forms, then
        each NRM referral submitted before consent was withdrawn ("as submitted")."""
        shown = [(form, "") for form in self.forms]
        shown += [(form, "as submitted; consent withdrawn since")
                  for form in self.withdrawn_nrms.values()]
        shown += [(form, REPLACED_DTN) for form in self.replaced_dtns.values()]
        return shown

    def forms_of(self, kind: str) -> list[FormDocument]:
        """The case's forms of one kind, oldest first."""
        return [form for form in self.forms if form.kind == kind]


REPLACED_DTN = "as notified; replaced since by an NRM referral"
"""What the desk says beside a Duty to Notify kept in :attr:`ReceivedCase.replaced_dtns`."""


def form_model(document: FormDocument) -> Form:
    """A received form as its forms model (it was validated when imported)."""
    return KINDS[document.kind].model_validate_json(document.data)


def received_on(stamp: str) -> date:
    """The day of a store timestamp, on the Lead's clock (local time: an operation at 00:30
    BST on 1 October is in October's quarter, though 23:30 UTC on 30 September)."""
    return parse_stamp(stamp).astimezone().date()


def treated_as_child(model: NrmReferral, form: FormDocument) -> bool:
    """Whether the rules treat the person of an NRM referral as a child (under 18 by the date
    of birth or the age recorded, or possibly under 18) on the day they were found: the desk's
    counts and routes follow the rules, not the adult/child box alone."""
    found_on = model.where_found.encountered_on or received_on(form.created_at)
    return model.obligations(found_on).treated_as_child


def case_ids(store: Store) -> list[str]:
    """Every case the Lead holds, by id."""
    rows = store.conn.execute(
        "SELECT DISTINCT case_id FROM lead_records WHERE record_type = 'case' AND current = 1 "
        "ORDER BY case_id"
    ).fetchall()
    return [str(row[0]) for row in rows]


def find_case_id(store: Store, wanted: str) -> str:
    """A case's id from its id or its reference (FK-2026-0001); a plain error otherwise."""
    wanted = wanted.strip()
    if not wanted:
        raise InvalidInput("Give the case: --case ID or its reference (FK-2026-0001).")
    for case_id in case_ids(store):
        if case_id == wanted:
            return case_id
    rows = store.conn.execute(
        "SELECT case_id, data FROM lead_records WHERE record_type = 'case' AND current = 1 "
        "ORDER BY case_id"
    ).fetchall()
    found = [str(case_id) for case_id, data in rows if json.loads(data)["reference"] == wanted]
    if len(found) > 1:
        # Each laptop numbers its own cases: never pick one of several officers' silently.
        officers = [load_case(store, case_id).officer for case_id in found]
        raise InvalidInput(
            f"{len(found)} cases received have the reference {wanted} (each laptop numbers its "
            f"own), from {', '.join(officers)}: give the case by its id, one of "
            f"{', '.join(found)}.")
    if found:
        return found[0]
    raise NotFound("case received", wanted)


def _fields(record: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in record.items() if key != "type"}


def load_case(store: Store, case_id: str) -> ReceivedCase:
    """The case as received (current versions), or NotFound."""
    rows = store.conn.execute(
        "SELECT record_type, data FROM lead_records WHERE case_id = ? AND current = 1 "
        "ORDER BY record_type, record_id",
        (case_id,),
    ).fetchall()
    records = [(str(kind), json.loads(data)) for kind, data in rows]
    cases = [data for kind, data in records if kind == "case"]
    if not cases:
        raise NotFound("case received", case_id)
    sender = store.conn.execute(
        "SELECT d.officer, b.device_id, MAX(b.created_at), COUNT(*) FROM lead_bundles b "
        "JOIN lead_devices d ON d.device_id = b.device_id WHERE b.case_id = ?",
        (case_id,),
    ).fetchone()
    submitted: dict[str, set[str]] = {"nrm": set(), "dtn": set()}
    for person_id, route in store.conn.execute(
            "SELECT DISTINCT person_id, route FROM lead_referral_events WHERE case_id = ? "
            "AND kind = 'submitted' AND route IN ('nrm', 'dtn')", (case_id,)):
        submitted[str(route)].add(str(person_id))
    received = ReceivedCase(
        case=Case(**_fields(cases[0])),  # type: ignore[arg-type]
        officer=str(sender[0]), device_id=str(sender[1]), last_received=str(sender[2]),
        bundles=int(sender[3]), nrm_submitted=frozenset(submitted["nrm"]),
        dtn_submitted=frozenset(submitted["dtn"]),
    )
    received.arrived.update({str(record_id): str(at) for record_id, at in store.conn.execute(
        "SELECT r.record_id, MIN(b.imported_at) FROM lead_records r "
        "JOIN lead_bundles b ON b.bundle_id = r.bundle_id "
        "JOIN lead_records now ON now.case_id = r.case_id AND now.record_type = r.record_type "
        "AND now.record_id = r.record_id AND now.current = 1 AND now.data = r.data "
        "WHERE r.case_id = ? GROUP BY r.record_type, r.record_id", (case_id,))})
    for kind, data in records:
        values = _fields(data)
        if kind == "visit":
            received.visits.append(Visit(**values))  # type: ignore[arg-type]
        elif kind == "person":
            received.people.append(Person(**values))  # type: ignore[arg-type]
        elif kind == "note":
            received.notes.append(NoteEntry(**values))  # type: ignore[arg-type]
        elif kind == "exhibit":
            received.exhibits.append(Exhibit(**values))  # type: ignore[arg-type]
        elif kind == "form":
            values["data"] = json.dumps(values["data"])
            received.forms.append(FormDocument(**values))  # type: ignore[arg-type]
        elif kind == "pdf":
            received.pdfs[str(values["name"])] = str(values["sha256"])
    received.visits.sort(key=lambda v: v.created_at)
    received.people.sort(key=lambda p: p.created_at)
    received.notes.sort(key=lambda n: (n.visit_id, n.seq))
    received.exhibits.sort(key=lambda e: e.exhibit_ref)
    received.forms.sort(key=lambda f: f.created_at)
    received.withdrawn_nrms.update(_no_longer_sent(store, received, "nrm",
                                                    received.nrm_submitted))
    received.replaced_dtns.update(_no_longer_sent(store, received, "dtn",
                                                  received.dtn_submitted))
    return received


def _no_longer_sent(store: Store, received: ReceivedCase, kind: str,
                    submitted: frozenset[str]) -> dict[str, FormDocument]:
    """The forms of ``kind`` (``nrm``, ``dtn``) recorded as submitted (``submitted``: the
    people) that the case's newest bundle no longer holds: for each such person, the form of
    the newest earlier bundle that held one."""
    holding = {form.person_id for form in received.forms if form.kind == kind}
    missing = submitted - holding
    if not missing:
        return {}
    found: dict[str, FormDocument] = {}
    for (data,) in store.conn.execute(
            "SELECT r.data FROM lead_records r JOIN lead_bundles b ON b.bundle_id = r.bundle_id "
            "WHERE r.case_id = ? AND r.record_type = 'form' AND r.current = 0 "
            "ORDER BY COALESCE(b.counter, 0) DESC, r.bundle_created_at DESC",
            (received.case.id,)):
        values = _fields(json.loads(data))
        person = values.get("person_id")
        if values.get("kind") != kind or person not in missing or person in found:
            continue
        values["data"] = json.dumps(values["data"])
        found[str(person)] = FormDocument(**values)  # type: ignore[arg-type]
    return found


def load_all(store: Store) -> list[ReceivedCase]:
    """Every case the Lead holds, as received."""
    return [load_case(store, case_id) for case_id in case_ids(store)]


def _laptops(store: Store) -> tuple[dict[str, str], dict[str, int]]:
    """Each enrolled laptop's name by device id, and how many laptops each officer has sent
    bundles from."""
    names = {str(r[0]): str(r[1] or "") for r in store.conn.execute(
        "SELECT device_id, device_name FROM lead_devices")}
    counts = {str(r[0]): int(r[1]) for r in store.conn.execute(
        "SELECT d.officer, COUNT(DISTINCT b.device_id) FROM lead_bundles b "
        "JOIN lead_devices d ON d.device_id = b.device_id GROUP BY d.officer")}
    return names, counts


def _sender(case: ReceivedCase, names: dict[str, str], counts: dict[str, int]) -> str:
    if counts.get(case.officer, 1) <= 1:
        return case.officer
    return f"{case.officer}, {names.get(case.device_id) or 'laptop ' + case.device_id[:8]}"


def senders(store: Store, cases: list[ReceivedCase]) -> dict[str, str]:
    """Who sent each case, by case id, to show beside its reference (each laptop numbers its own
    cases, so two officers' cases may share one): the officer, and the laptop's name too when
    that officer has sent from more than one laptop."""
    names, counts = _laptops(store)
    return {case.case.id: _sender(case, names, counts) for case in cases}


def sender(store: Store, case: ReceivedCase) -> str:
    """Who sent one case, as :func:`senders` words it."""
    return _sender(case, *_laptops(store))


def exhibit_content(store: Store, sha256: str) -> bytes:
    """An exhibit's (or a pack's) bytes as received, by its hash."""
    row = store.conn.execute(
        "SELECT content FROM lead_exhibits WHERE sha256 = ?", (sha256,)
    ).fetchone()
    if row is None:
        raise NotFound("exhibit content", sha256[:12])
    return bytes(row[0])
