"""Form documents (NRM, DtN, premises visit, reception centre, intelligence, referral) stored as
JSON validated by the ``forms`` models. Every save is a new version; earlier versions are kept
(drafts that differ from the final version are part of the record)."""

from __future__ import annotations

import functools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from fieldkit.cases import (
    get_case,
    get_person,
    get_visit,
    list_people,
    list_visits,
    touch_case,
)
from fieldkit.clock import local_now, parse_stamp, stamp, utc_now
from fieldkit.clock import today as clock_today
from fieldkit.errors import InvalidInput, NotFound
from fieldkit.events import RECORDS_CHANGED, STORE_LOCKED, hub
from fieldkit.records import FormDocument
from fieldkit.resources import load_resources
from fieldkit.seals import record_seal
from fieldkit.store import Store
from forms import KINDS
from forms.check import check_document
from forms.choices import AgeGroup, ConsentDecision
from forms.dtn import DutyToNotify
from forms.form import FieldProblem
from forms.nrm import NrmReferral
from forms.reception import (
    PersonReceived,
    ReceptionCentre,
    ReferralForm,
    mistaken_references,
    reference_key,
)
from forms.rules import Route
from forms.visit import PremisesVisit

_SELECT = (
    "SELECT d.id, d.case_id, d.visit_id, d.person_id, d.kind, d.status, d.current_version, "
    "v.data, d.created_at, d.updated_at FROM form_documents d "
    "JOIN form_versions v ON v.document_id = d.id AND v.version = d.current_version"
)
_CURRENT = "NOT EXISTS (SELECT 1 FROM form_withdrawals w WHERE w.document_id = d.id)"
# One person has an NRM referral or a Duty to Notify, never both: saving one withdraws the other.
_EXCLUSIVE = {"nrm": "dtn", "dtn": "nrm"}
CONSENT_WITHDRAWN = "consent withdrawn before submission"
"""The reason kept when an adult's withdrawal of consent withdraws their NRM referral."""


def form_problems(
    kind: str, data: str | dict[str, Any], *, ready: bool, names: list[str] | None = None,
    addresses: list[str] | None = None, as_of: date | None = None,
    premises: list[str] | None = None, today: date | None = None,
) -> list[FieldProblem]:
    """Everything wrong with a form document, each naming its field: the form's own rules and
    the council's indicator lists. The app's problems list and saving both ask this, so they
    always agree. ``today`` (default: the officer's today, and the time now) is the date
    nothing that has already happened may be after."""
    now = local_now() if today is None else None
    problems = check_document(kind, data, ready=ready, names=names or [],
                              addresses=addresses or [], as_of=as_of, premises=premises or [],
                              today=today or clock_today(), now=now)
    if problems:
        return problems
    form = KINDS[kind].model_validate_json(data if isinstance(data, str) else json.dumps(data))
    for field, ticked in _indicator_fields(form):
        unknown = load_resources().unknown_indicator_ids(ticked)
        if unknown:  # never echoed: a mistyped "id" could be anything, personal data included
            problems.append(FieldProblem(field, (
                f"Indicators observed: {len(unknown)} of those chosen are not in the council's "
                "indicator lists; choose them from the list.")))
    return problems


def _indicator_fields(form: object) -> list[tuple[str, list[str]]]:
    found = []
    for field in ("indicators_ticked", "indicator_ids"):
        if getattr(form, field, None):
            found.append((field, list(getattr(form, field))))
    ids = getattr(getattr(form, "came_to_notice", None), "indicator_ids", None)
    if ids:
        found.append(("came_to_notice.indicator_ids", list(ids)))
    return found


def _validated(
    kind: str, data: str | dict[str, Any], status: str, *, names: list[str],
    addresses: list[str], premises: list[str] | None = None,
) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"Form kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}.")
    if status not in ("draft", "ready"):
        raise InvalidInput("Form status must be draft or ready.")
    problems = form_problems(kind, data, ready=status == "ready", names=names,
                             addresses=addresses, premises=premises)
    if problems:
        raise InvalidInput(" ".join(problem.message for problem in problems))
    raw = data if isinstance(data, str) else json.dumps(data)
    return str(KINDS[kind].model_validate_json(raw).model_dump_json())


@functools.lru_cache(maxsize=8)
def _centre(data: str) -> ReceptionCentre | None:
    try:
        return ReceptionCentre.model_validate_json(data)
    except ValidationError:
        return None


# What a board holds is personal data: forgotten as soon as any store locks.
hub.subscribe(STORE_LOCKED, lambda **_: _centre.cache_clear())


def reception_centres(store: Store, case_id: str) -> list[ReceptionCentre]:
    """The case's reception boards as saved, newest first (each read once while unchanged: the
    pathway asks for every person of a board of hundreds). Not to be changed by the caller."""
    read = (_centre(d.data) for d in reversed(list_documents(store, case_id, "reception")))
    return [centre for centre in read if centre is not None]


def board_reference(reference: str) -> str:
    """A person's reference as the board and the case are matched by (``r 1`` is ``R 1``)."""
    return reference_key(reference)


def on_the_board(store: Store, case_id: str, person_id: str) -> PersonReceived | None:
    """The person as the case's reception board records them (by their reference), if it
    does: the newest board first."""
    reference = board_reference(get_person(store, person_id).reference)
    for centre in reception_centres(store, case_id):
        for person in centre.received():  # registered by mistake: no one
            if board_reference(person.reference) == reference:
                return person
    return None


def _child_on_the_board(store: Store, person_id: str) -> bool:
    """Whether the case's reception board records the person as a child, or as possibly one
    (age not sure, or disputed), on the day they arrived (else today)."""
    person = get_person(store, person_id)
    received = on_the_board(store, person.case_id, person_id)
    if received is None:
        return False
    when = received.arrived_at.date() if received.arrived_at else utc_now().date()
    return received.obligations(when).treated_as_child


def _recorded_on_nrm(store: Store, person_id: str) -> tuple[list[str], list[str], bool]:
    """Names and addresses on every version of the person's NRM forms (withdrawn ones too),
    the person's reference, the case's premises names and addresses, and whether any NRM
    shows a child: what a Duty to Notify must never contain, and when it must not be made."""
    rows = store.conn.execute(
        "SELECT v.data FROM form_versions v JOIN form_documents d ON d.id = v.document_id "
        "WHERE d.person_id = ? AND d.kind = 'nrm'",
        (person_id,),
    ).fetchall()
    names: list[str] = []
    addresses: list[str] = []
    child = False
    for (data,) in rows:
        nrm = NrmReferral.model_validate_json(data)
        names += nrm.recorded_names()
        addresses += nrm.recorded_addresses()
        found_on = nrm.where_found.encountered_on or utc_now().date()
        child = child or nrm.obligations(found_on).treated_as_child
    # The person's reference (officers sometimes use a name) and every premises of the case.
    person = get_person(store, person_id)
    names.append(person.reference)
    for premises, address in store.conn.execute(
        "SELECT premises_name, address FROM visits WHERE case_id = ?", (person.case_id,)
    ).fetchall():
        addresses += [str(premises), str(address)]
    return names, addresses, child


def recorded_in_case(store: Store, case_id: str) -> tuple[list[str], list[str], list[str]]:
    """Every person's reference in the case and the names and addresses on their NRM forms
    (withdrawn ones too): what an intelligence report's sanitised text must not hold, since a
    person found is often who told the officers (the visits' premises are its subject, so not
    here). Returned as names, sensitive addresses (where each person stays and how to reach
    them: never in the report, subject included) and the other places (where found or
    exploited, exploiters' addresses: in the text only as its subject)."""
    names = [str(reference) for (reference,) in store.conn.execute(
        "SELECT reference FROM people WHERE case_id = ?", (case_id,)).fetchall()]
    addresses: list[str] = []
    premises: list[str] = []
    for (data,) in store.conn.execute(
            "SELECT v.data FROM form_versions v JOIN form_documents d ON d.id = v.document_id "
            "WHERE d.case_id = ? AND d.kind = 'nrm'", (case_id,)).fetchall():
        nrm = NrmReferral.model_validate_json(data)
        names += nrm.recorded_names()
        whereabouts = nrm.whereabouts()
        addresses += whereabouts
        premises += [a for a in nrm.recorded_addresses() if a not in whereabouts]
    return names, addresses, premises


def case_form_problems(store: Store, case_id: str, kind: str,
                       data: str | dict[str, Any]) -> list[FieldProblem]:
    """:func:`form_problems` for a form of this case marked ready, checked against what the
    case records (as saving it checks): what a form's screen shows."""
    names, addresses, premises = (recorded_in_case(store, case_id) if kind == "intel"
                                  else ([], [], []))
    return form_problems(kind, data, ready=True, names=names, addresses=addresses,
                         premises=premises) + _unknown_person(store, case_id, kind, data) \
        + _support_without_consent(store, case_id, kind, data)


def _referral_values(kind: str, data: str | dict[str, Any]) -> dict[str, Any] | None:
    """A referral form's values as saved (None for another kind, or what is no form)."""
    if kind != "referral":
        return None
    try:
        values = json.loads(data) if isinstance(data, str) else data
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def _unknown_person(store: Store, case_id: str, kind: str,
                    data: str | dict[str, Any]) -> list[FieldProblem]:
    """A referral to another agency names its person by their reference in the case: one that
    is no one recorded in the case (W9 of a case with W1 to W4) is named as a problem."""
    values = _referral_values(kind, data)
    reference = values.get("person_reference") if values is not None else None
    if not isinstance(reference, str) or not reference.strip():
        return []
    known = {board_reference(person.reference) for person in list_people(store, case_id)}
    if board_reference(reference) in known:
        return []
    # Echoed only when it looks like a reference (W9, R012): a name typed there by mistake is
    # never repeated on screen or in a command's error.
    plain = plain_reference(reference)
    shown = f" {plain}" if plain else ""
    return [FieldProblem("person_reference", (
        f"Person's reference{shown} is no one recorded in this case: add them "
        "on the People tab first, or correct the reference (as W1, W2 ...). Leave it blank "
        "for a referral about the case as a whole."))]


def forms_made(store: Store, case_id: str) -> dict[str, tuple[ReferralForm, datetime]]:
    """The NRM referrals and Duty to Notify notices marked ready in the case, by the board
    reference of the person each is for (:func:`board_reference`), with when each was marked
    (local time): what the reception board records on its NRM or DtN step
    (:meth:`forms.PersonReceived.with_form_made`)."""
    people = {person.id: board_reference(person.reference)
              for person in list_people(store, case_id)}
    made: dict[str, tuple[ReferralForm, datetime]] = {}
    for document in list_documents(store, case_id):
        if document.kind not in ("nrm", "dtn") or document.status != "ready" \
                or document.person_id not in people:
            continue
        form = ReferralForm.NRM if document.kind == "nrm" else ReferralForm.DUTY_TO_NOTIFY
        made[people[document.person_id]] = (form, parse_stamp(document.updated_at).astimezone())
    return made


def forms_for_the_board(store: Store, case_id: str, people: list[PersonReceived],
                        as_of: date) -> list[tuple[int, PersonReceived]]:
    """The board's people (by position) whose NRM or DtN step a form marked ready in the case
    records (:func:`forms_made`): each as the board then holds them. The board waited on, and
    its panel said "A Duty to Notify is needed", after the forms were marked ready."""
    made = forms_made(store, case_id)
    found = []
    for row, person in enumerate(people):
        form = made.get(board_reference(person.reference))
        if form is not None:
            updated = person.with_form_made(form[0], form[1], as_of)
            if updated != person:
                found.append((row, updated))
    return found


def arrival_from_forms(store: Store, case_id: str, arrived: PersonReceived) -> PersonReceived:
    """A person just registered on the board with what the case's forms already record of
    them (their reference names a case person with an NRM referral or a Duty to Notify): age,
    gender, language and the interpreter need from the NRM, an adult's age and gender from a
    Duty to Notify. The board showed an adult who refused as "Not sure", on the child route
    with MASH waiting. Consent is never taken over: it is asked and recorded at the centre."""
    reference = board_reference(arrived.reference)
    person = next((p for p in list_people(store, case_id)
                   if board_reference(p.reference) == reference), None)
    if person is None:
        return arrived
    forms = [d for d in list_documents(store, case_id)
             if d.person_id == person.id and d.kind in ("nrm", "dtn")]
    if not forms:
        return arrived
    latest = max(forms, key=lambda d: d.updated_at)
    update: dict[str, object]
    try:
        if latest.kind == "nrm":
            nrm = NrmReferral.model_validate_json(latest.data)
            victim = nrm.potential_victim
            update = {"age_group": nrm.where_found.age_group,
                      "age_disputed": nrm.where_found.age_disputed,
                      "estimated_age": victim.estimated_age,
                      "date_of_birth": victim.date_of_birth, "gender": victim.gender,
                      "language": victim.languages[0] if victim.languages else None,
                      "interpreter_needed": victim.interpreter_needed}
        else:
            notice = DutyToNotify.model_validate_json(latest.data)
            update = {"age_group": AgeGroup.ADULT, "gender": notice.gender}
    except ValidationError:
        return arrived
    return arrived.model_copy(update={name: value for name, value in update.items()
                                      if value is not None})


def plain_reference(reference: str) -> str | None:
    """``reference`` when it looks like a person's reference code (W9, R012, A3a), else None: a
    name typed as a reference is never repeated in an error or put in a file name."""
    typed = reference.strip()
    return typed if re.fullmatch(r"[A-Za-z]{0,3}\d{1,4}[A-Za-z]?", typed) else None


def _support_without_consent(store: Store, case_id: str, kind: str,
                             data: str | dict[str, Any]) -> list[FieldProblem]:
    """R-REFERRAL-SA-CONSENT: a referral to the Salvation Army (the victim care contract, NRM
    support) for an adult whose NRM records no informed consent (refused, withdrawn, not yet
    asked, or given without the interpreter they need) or who has a Duty to Notify instead is
    a problem, as the reception board waits for consent before that step."""
    values = _referral_values(kind, data)
    if values is None or values.get("destination") != "salvation_army":
        return []
    reference = values.get("person_reference")
    if not isinstance(reference, str) or not reference.strip():
        return []
    person = next((p for p in list_people(store, case_id)
                   if board_reference(p.reference) == board_reference(reference)), None)
    if person is None:
        return []  # no one recorded: :func:`_unknown_person` says so
    forms = [d for d in list_documents(store, case_id)
             if d.person_id == person.id and d.kind in ("nrm", "dtn")]
    if not forms:
        return []  # nothing recorded of their consent yet: nothing to go on
    latest = max(forms, key=lambda d: d.updated_at)
    if latest.kind == "nrm":
        try:
            nrm = NrmReferral.model_validate_json(latest.data)
        except ValidationError:
            return []
        found_on = nrm.where_found.encountered_on or clock_today()
        if not nrm.obligations(found_on).ask_consent \
                or nrm.counted_decision() is ConsentDecision.GIVEN:
            return []  # a child (no consent asked), or an adult who gave informed consent
        why = "their NRM referral records no informed consent to it"
    else:
        why = "they did not consent to the NRM (a Duty to Notify was made instead)"
    who = plain_reference(person.reference) or "the person"  # a reference may be a name
    return [FieldProblem("destination", (
        f"Referred to: the Salvation Army's support (the victim care contract) is NRM "
        f"support, for an adult who consents to the NRM, and {who}: {why}. "
        "Refer them to other support, or record their informed consent on the NRM first."))]


def save_document(
    store: Store,
    case_id: str,
    kind: str,
    data: str | dict[str, Any],
    *,
    status: str = "draft",
    document_id: str | None = None,
    visit_id: str | None = None,
    person_id: str | None = None,
) -> FormDocument:
    """Validate and save a form as a new document, or as the next version of ``document_id``."""
    get_case(store, case_id)
    if document_id is not None:  # a new version keeps the form's own links
        current = get_document(store, document_id)
        visit_id, person_id = current.visit_id, current.person_id
    if visit_id is not None and get_visit(store, visit_id).case_id != case_id:
        raise InvalidInput("That visit belongs to another case.")
    if person_id is not None and get_person(store, person_id).case_id != case_id:
        raise InvalidInput("That person belongs to another case.")
    names: list[str] = []
    addresses: list[str] = []
    premises: list[str] = []
    if kind == "intel":
        names, addresses, premises = recorded_in_case(store, case_id)
    if kind == "dtn" and person_id is not None:
        names, addresses, child = _recorded_on_nrm(store, person_id)
        if child:
            raise InvalidInput("This person is (or may be) a child: a child is always referred "
                               "to the NRM, never by a Duty to Notify.")
        if _child_on_the_board(store, person_id):
            raise InvalidInput("The reception board records this person as a child, or as "
                               "possibly one (age not sure or disputed): a child is always "
                               "referred to the NRM, never by a Duty to Notify. If an age "
                               "assessment found them an adult, record that on the board first.")
    body = _validated(kind, data, status, names=names, addresses=addresses,
                      premises=premises)
    unknown = (_unknown_person(store, case_id, kind, data)
               + _support_without_consent(store, case_id, kind, data)
               if status == "ready" else [])
    if unknown:
        raise InvalidInput(unknown[0].message)
    schema_version = int(KINDS[kind].model_fields["schema_version"].default)
    now = stamp()
    with store.transaction() as conn:
        if document_id is None:
            document_id, version = str(uuid.uuid4()), 1
            conn.execute(
                "INSERT INTO form_documents(id, case_id, visit_id, person_id, kind, status, "
                "current_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (document_id, case_id, visit_id, person_id, kind, status, now, now),
            )
            action = "form.create"
        else:
            current = get_document(store, document_id)
            if current.kind != kind or current.case_id != case_id:
                raise InvalidInput("A form cannot change its kind or case.")
            if is_withdrawn(store, document_id):
                raise InvalidInput("This form was withdrawn; it cannot be changed.")
            version = current.version + 1
            conn.execute(
                "UPDATE form_documents SET status = ?, current_version = ?, updated_at = ? "
                "WHERE id = ?",
                (status, version, now, document_id),
            )
            action = "form.update"
        conn.execute(
            "INSERT INTO form_versions(document_id, version, schema_version, status, data, "
            "saved_at) VALUES (?, ?, ?, ?, ?, ?)",
            (document_id, version, schema_version, status, body, now),
        )
        if kind == "nrm" and _consent_withdrawn(body):
            # The moment an adult's withdrawal is recorded, the referral with their identity
            # stops being current: never printed or sealed into a bundle to the Lead.
            _withdraw(store, document_id, CONSENT_WITHDRAWN)
        if person_id is not None and kind in _EXCLUSIVE:
            for other in list_documents(store, case_id, _EXCLUSIVE[kind]):
                if other.person_id == person_id:
                    _withdraw(store, other.id, f"replaced by a {kind.upper()} for this person")
        touch_case(store, case_id)
        store.audit(action, kind, document_id, record_seal(
            "form_version", (document_id, version, schema_version, status, body, now)))
    hub.publish(RECORDS_CHANGED, kind="form", record_id=document_id)
    return get_document(store, document_id)


def replaced_on_saving(store: Store, case_id: str, person_id: str,
                       kind: str) -> FormDocument | None:
    """The person's current form that saving a form of ``kind`` for them would withdraw (an
    NRM referral replaced by a Duty to Notify, or the reverse), or None: asked before the
    officer replaces a form marked ready."""
    other = _EXCLUSIVE.get(kind)
    if other is None:
        return None
    return next((d for d in list_documents(store, case_id, other) if d.person_id == person_id),
                None)


def _consent_withdrawn(body: str) -> bool:
    """An adult withdrew consent on this NRM form (a child's referral never depends on it)."""
    nrm = NrmReferral.model_validate_json(body)
    if nrm.consent.decision is not ConsentDecision.WITHDRAWN:
        return False
    found_on = nrm.where_found.encountered_on or utc_now().date()
    return nrm.obligations(found_on).route is Route.DUTY_TO_NOTIFY


def _withdraw(store: Store, document_id: str, reason: str) -> None:
    store.conn.execute(
        "INSERT INTO form_withdrawals(document_id, withdrawn_at, reason) VALUES (?, ?, ?)",
        (document_id, stamp(), reason),
    )
    touch_case(store, get_document(store, document_id).case_id)
    store.audit("form.withdraw", "form", document_id)


def withdraw_document(store: Store, document_id: str, reason: str) -> None:
    """Withdraw a form: kept in the record with every version, but no longer current, printed
    or sent to the Lead."""
    get_document(store, document_id)
    if is_withdrawn(store, document_id):
        return
    with store.transaction():
        _withdraw(store, document_id, reason.strip() or "withdrawn")
    hub.publish(RECORDS_CHANGED, kind="form", record_id=document_id)


def is_withdrawn(store: Store, document_id: str) -> bool:
    """True once a form has been withdrawn."""
    row = store.conn.execute(
        "SELECT 1 FROM form_withdrawals WHERE document_id = ?", (document_id,)
    ).fetchone()
    return row is not None


def get_document(store: Store, document_id: str) -> FormDocument:
    """A form at its current version."""
    row = store.conn.execute(f"{_SELECT} WHERE d.id = ?", (document_id,)).fetchone()
    if row is None:
        raise NotFound("form", document_id)
    return FormDocument(*row)


def list_documents(store: Store, case_id: str, kind: str | None = None) -> list[FormDocument]:
    """A case's current (not withdrawn) forms, optionally of one kind, oldest first."""
    if kind is None:
        rows = store.conn.execute(
            f"{_SELECT} WHERE d.case_id = ? AND {_CURRENT} ORDER BY d.created_at", (case_id,)
        ).fetchall()
    else:
        rows = store.conn.execute(
            f"{_SELECT} WHERE d.case_id = ? AND d.kind = ? AND {_CURRENT} "
            "ORDER BY d.created_at",
            (case_id, kind),
        ).fetchall()
    return [FormDocument(*row) for row in rows]


def registered_by_mistake(store: Store, case_id: str) -> set[str]:
    """Ids of the case's people whose only trace is a reference registered by mistake on a
    reception board (:func:`forms.reception.mistaken_references`) and whom no form names."""
    mistaken = mistaken_references(reception_centres(store, case_id))
    with_forms = {document.person_id for document in list_documents(store, case_id)}
    return {person.id for person in list_people(store, case_id)
            if board_reference(person.reference) in mistaken and person.id not in with_forms}


def about_person(store: Store, case_id: str,
                 documents: list[FormDocument] | None = None) -> dict[str, str]:
    """Form id to the id of the person of the case it is about: the person it is linked to
    (an NRM, a Duty to Notify), else for a referral the person its reference names ("w1" is
    W1: it was not shown with W1's forms). ``documents``: the case's, if already read."""
    people = {board_reference(p.reference): p.id for p in list_people(store, case_id)}
    found: dict[str, str] = {}
    for document in documents if documents is not None else list_documents(store, case_id):
        if document.person_id:
            found[document.id] = document.person_id
        elif document.kind == "referral":
            try:
                named = json.loads(document.data).get("person_reference")
            except ValueError:
                continue
            person = people.get(board_reference(named)) if isinstance(named, str) else None
            if person is not None:
                found[document.id] = person
    return found


def withdrawn_documents(store: Store, case_id: str) -> list[FormDocument]:
    """A case's withdrawn forms (replaced, or withdrawn with the person's consent), oldest
    first: no longer current, printed or sent, but every version is still part of the record
    (the schedule of what is held lists them)."""
    rows = store.conn.execute(
        f"{_SELECT} WHERE d.case_id = ? AND NOT {_CURRENT} ORDER BY d.created_at", (case_id,)
    ).fetchall()
    return [FormDocument(*row) for row in rows]


def document_versions(store: Store, document_id: str) -> list[tuple[int, str, str, str]]:
    """Every saved version of a form: (version, status, saved_at, data)."""
    get_document(store, document_id)
    rows = store.conn.execute(
        "SELECT version, status, saved_at, data FROM form_versions WHERE document_id = ? "
        "ORDER BY version",
        (document_id,),
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


@dataclass(frozen=True)
class VisitLine:
    """One visit as the case's visits list shows it."""

    visit_id: str
    premises_name: str
    address: str
    started: datetime
    """When the visit started: the time its visit record gives, else when it was added (the
    record's own time, a UTC stamp, read as the officer's local time)."""
    record: str
    """``ready``, ``draft`` (saved, not marked ready), ``typed`` (typed, not saved yet) or
    ``""`` (nothing typed)."""


def visit_lines(store: Store, case_id: str) -> list[VisitLine]:
    """The case's visits with when each started and how far its visit record is."""
    from fieldkit.drafts import DraftKind, case_drafts

    saved = {d.visit_id: d for d in list_documents(store, case_id, "visit") if d.visit_id}
    typed = {owner.visit_id for owner in case_drafts(store, case_id)
             if owner.kind is DraftKind.VISIT_FORM}
    lines = []
    for visit in list_visits(store, case_id):
        document = saved.get(visit.id)
        read = _visit_record(document.data) if document is not None else None
        started = read.started_at if read is not None else None
        record = document.status if document is not None else (
            "typed" if visit.id in typed else "")
        lines.append(VisitLine(visit.id, visit.premises_name, visit.address,
                               started or parse_stamp(visit.created_at).astimezone(), record))
    return lines


def visit_ended_at(store: Store, visit_id: str) -> datetime | None:
    """When the visit ended, as its saved visit record says (None while not recorded)."""
    get_visit(store, visit_id)
    row = store.conn.execute(
        f"{_SELECT} WHERE d.visit_id = ? AND d.kind = 'visit' AND {_CURRENT} "
        "ORDER BY d.created_at DESC LIMIT 1", (visit_id,)).fetchone()
    read = _visit_record(FormDocument(*row).data) if row is not None else None
    return read.ended_at if read is not None else None


def _visit_record(data: str) -> PremisesVisit | None:
    try:
        return PremisesVisit.model_validate_json(data)
    except ValidationError:
        return None
