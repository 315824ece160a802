"""The register: every case, person and form the Lead has received, with the facts the Lead
filters by (officer, premises, business type, exploitation type, route, status, date), and the
history of each case: every version received, with what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fieldkit.clock import parse_stamp
from fieldkit.store import Store
from forms import DutyToNotify, NrmReferral, PremisesVisit
from forms.choices import label
from forms.kinds import KIND_TITLES
from sync.desk.received import (
    ReceivedCase,
    form_model,
    load_all,
    received_on,
    senders,
    treated_as_child,
)

ROUTES = ("nrm", "dtn", "child")
"""Routes in the officers' words: NRM (adult), Duty to Notify, child (always NRM)."""


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register: a case, a person or a form."""

    kind: str
    """``case``, ``person`` or ``form``."""
    record_id: str
    case_id: str
    case_reference: str
    what: str
    officer: str
    premises: tuple[str, ...]
    business_types: tuple[str, ...]
    exploitation_types: tuple[str, ...]
    routes: tuple[str, ...]
    status: str
    received: date
    received_at: str
    """When it was received, to the second (a store timestamp, UTC): the register's order."""


@dataclass(frozen=True)
class RegisterFilter:
    """What the Lead narrows the register to; empty means any."""

    text: str = ""
    officer: str = ""
    premises: str = ""
    business_type: str = ""
    exploitation_type: str = ""
    route: str = ""
    status: str = ""
    kinds: frozenset[str] = frozenset()
    received_from: date | None = None
    received_to: date | None = None

    def accepts(self, row: RegisterRow) -> bool:
        """Whether the row passes every filter given."""
        text = self.text.strip().casefold()
        checks = (
            not text or text in " ".join([row.case_reference, row.what, row.officer,
                                          *row.premises]).casefold(),
            not self.officer or self.officer.casefold() in row.officer.casefold(),
            not self.premises or any(self.premises.casefold() in p.casefold()
                                     for p in row.premises),
            not self.business_type or self.business_type in row.business_types,
            not self.exploitation_type or self.exploitation_type in row.exploitation_types,
            not self.route or self.route in row.routes,
            not self.status or self.status == row.status,
            not self.kinds or row.kind in self.kinds,
            self.received_from is None or row.received >= self.received_from,
            self.received_to is None or row.received <= self.received_to,
        )
        return all(checks)


@dataclass
class _Facts:
    premises: list[str] = field(default_factory=list)
    business: list[str] = field(default_factory=list)
    exploitation: dict[str, list[str]] = field(default_factory=dict)
    routes: dict[str, list[str]] = field(default_factory=dict)


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _facts(case: ReceivedCase) -> _Facts:
    facts = _Facts(premises=[visit.premises_name for visit in case.visits])
    for form, _ in case.forms_to_read():  # a form submitted and replaced since still counts
        model = form_model(form)
        person = form.person_id or ""
        if isinstance(model, PremisesVisit):
            facts.premises.append(model.premises.name)
            if model.premises.business_type is not None:
                facts.business.append(model.premises.business_type.value)
        elif isinstance(model, NrmReferral):
            facts.exploitation.setdefault(person, []).extend(
                t.value for t in model.exploitation.types)
            child = treated_as_child(model, form)
            facts.routes.setdefault(person, []).append("child" if child else "nrm")
        elif isinstance(model, DutyToNotify):
            facts.exploitation.setdefault(person, []).extend(
                t.value for t in model.exploitation_types)
            # consent withdrawn after the NRM was submitted: still an NRM referral
            facts.routes.setdefault(person, []).append(
                "nrm" if person in case.nrm_submitted else "dtn")
    return facts


def case_rows(case: ReceivedCase, sent_by: str = "") -> list[RegisterRow]:
    """The register lines of one case: the case, then its people, then its forms; ``sent_by``:
    who sent it as the desk shows it (:func:`sync.desk.received.senders`), else the officer."""
    sender = sent_by or case.officer
    facts = _facts(case)
    premises, business = _unique(facts.premises), _unique(facts.business)
    every_type = _unique([t for types in facts.exploitation.values() for t in types])
    every_route = _unique([r for routes in facts.routes.values() for r in routes])
    head = case.case

    def arrived(record_id: str, written: str) -> str:  # when the Lead got it, not typed
        return case.arrived.get(record_id, written)

    came = arrived(head.id, case.last_received)
    rows = [RegisterRow("case", head.id, head.id, head.reference, head.title, sender,
                        premises, business, every_type, every_route, head.status,
                        received_on(came), came)]
    for person in case.people:
        came = arrived(person.id, person.created_at)
        rows.append(RegisterRow(
            "person", person.id, head.id, head.reference, person.reference, sender,
            premises, business, _unique(facts.exploitation.get(person.id, [])),
            _unique(facts.routes.get(person.id, [])), head.status, received_on(came), came))
    for form, said in case.forms_to_read():
        who = case.person_reference(form.person_id)
        title = KIND_TITLES[form.kind] + (f" ({who})" if who else "") + (
            f": {said}" if said else "")
        # An NRM referral or Duty to Notify the Lead recorded as submitted says so (it stayed
        # "ready", and the register could not be narrowed to what was submitted).
        submitted = (case.nrm_submitted if form.kind == "nrm" else
                     case.dtn_submitted if form.kind == "dtn" else frozenset())
        person_key = form.person_id or ""
        rows.append(RegisterRow(
            "form", form.id, head.id, head.reference, title, sender, premises, business,
            _unique(facts.exploitation.get(person_key, [])) if form.person_id else every_type,
            _unique(facts.routes.get(person_key, [])) if form.person_id else (),
            "submitted" if form.person_id in submitted else form.status,
            received_on(arrived(form.id, form.updated_at)), arrived(form.id, form.updated_at)))
    return rows


def register_rows(store: Store, wanted: RegisterFilter | None = None) -> list[RegisterRow]:
    """Every register line the filter accepts, newest first by the full time received (a case
    before its own lines received at the same moment)."""
    every = load_all(store)
    sent_by = senders(store, every)  # two officers' laptops may both send an FK-2026-0011
    rows = [row for case in every for row in case_rows(case, sent_by[case.case.id])]
    rows.sort(key=lambda r: (r.case_reference, r.kind != "case"))
    rows.sort(key=lambda r: parse_stamp(r.received_at), reverse=True)  # stable: ties keep order
    return [row for row in rows if wanted is None or wanted.accepts(row)]


def words(code: str) -> str:
    """A business type, exploitation type or route code in plain words."""
    routes = {"nrm": "NRM (adult)", "dtn": "Duty to Notify", "child": "Child (NRM)"}
    if code in routes:
        return routes[code]
    from forms.choices import BusinessType, ExploitationType

    for kind in (BusinessType, ExploitationType):
        if code in kind._value2member_map_:
            return label(kind(code))
    return code


# --- history -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    """One bundle received for a case and what it changed against the one before."""

    bundle_id: str
    created_at: str
    imported_at: str
    changes: list[str]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The field paths whose values differ (names only: values may be personal data)."""
    old, new = _flatten(before), _flatten(after)
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def _field_words(path: str) -> str:
    """A changed field's path in words (``data.potential_victim.given_names``: "given
    names"); the last named part, never a value."""
    parts = [part for part in path.split(".") if not part.isdigit() and part != "data"]
    return (parts[-1] if parts else path).replace("_", " ")


def _describe(kind: str, data: dict[str, Any]) -> str:
    if kind == "form":
        return f"{KIND_TITLES.get(str(data['kind']), 'form')} version {data['version']}"
    if kind == "note":
        return f"note {data['seq']}" + (" (a correction)" if data.get("corrects") else "")
    if kind == "exhibit":
        return f"exhibit {data['exhibit_ref']}"
    if kind == "person":
        return f"person {data['reference']}"
    if kind == "pdf":
        return f"pack {data['name']}"
    return kind


def _first(now: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    kinds = [kind for kind, _ in now]
    names = {"case": ("case", "cases"), "visit": ("visit", "visits"),
             "person": ("person", "people"), "note": ("note", "notes"),
             "exhibit": ("exhibit", "exhibits"), "form": ("form", "forms"),
             "pdf": ("pack", "packs")}
    held = [f"{kinds.count(k)} {names[k][kinds.count(k) != 1]}" for k in names if k in kinds]
    return ["first received: " + ", ".join(held)]


def case_history(store: Store, case_id: str) -> list[Version]:
    """Every version of the case received, oldest first, each with what it added, changed or
    no longer holds compared with the version before."""
    bundles = store.conn.execute(
        "SELECT bundle_id, created_at, imported_at FROM lead_bundles WHERE case_id = ? "
        "ORDER BY COALESCE(counter, 0), created_at",  # the laptop's order, never its clock
        (case_id,)).fetchall()
    previous: dict[tuple[str, str], dict[str, Any]] = {}
    versions = []
    for bundle_id, created, imported in bundles:
        rows = store.conn.execute(
            "SELECT record_type, record_id, data FROM lead_records WHERE bundle_id = ?",
            (bundle_id,)).fetchall()
        now = {(str(t), str(i)): json.loads(d) for t, i, d in rows}
        changes = [] if previous else _first(now)
        for key in sorted(now.keys() - previous.keys()) if previous else []:
            changes.append(f"added {_describe(key[0], now[key])}")
        for key in sorted(now.keys() & previous.keys()):
            fields = changed_fields(previous[key], now[key])
            fields = [f for f in fields if f not in ("updated_at", "version")]
            if fields and key[0] == "pdf":  # its hash and size: the pack printed again
                changes.append(f"printed again: {_describe(key[0], now[key])}")
            elif fields:
                named = list(dict.fromkeys(_field_words(f) for f in fields))
                shown = ", ".join(named[:8]) + (" ..." if len(named) > 8 else "")
                changes.append(f"changed {_describe(key[0], now[key])}: {shown}")
        for key in sorted(previous.keys() - now.keys()):
            changes.append(f"no longer holds {_describe(key[0], previous[key])}")
        versions.append(Version(str(bundle_id), str(created), str(imported), changes))
        previous = now
    return versions
