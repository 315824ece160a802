"""What the pathway panel knows about a case: facts read from its records, and the steps the
officer has ticked off (kept in the store's meta table as JSON, per case and person)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import ValidationError

from fieldkit import cases, documents
from fieldkit.pathway import CaseFacts, facts_from_nrm
from fieldkit.store import Store
from forms import DutyToNotify, NrmReferral
from forms.choices import AgeGroup, ConsentDecision
from ui.profile import load_profile

TICKS_KEY = "ui.pathway_ticks:{case_id}"
CASE_SCOPE = "case"


def load_ticks(store: Store, case_id: str) -> dict[str, list[str]]:
    """Steps ticked as done, by scope (``case`` or a person id)."""
    raw = store.meta(TICKS_KEY.format(case_id=case_id))
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError:
        loaded = {}
    return {str(k): [str(s) for s in v] for k, v in loaded.items() if isinstance(v, list)}


def save_tick(store: Store, case_id: str, scope: str, step_id: str, done: bool) -> None:
    """Tick (or untick) one step for a scope."""
    ticks = load_ticks(store, case_id)
    steps = [s for s in ticks.get(scope, []) if s != step_id]
    if done:
        steps.append(step_id)
    ticks[scope] = steps
    with store.transaction():
        store.set_meta(TICKS_KEY.format(case_id=case_id), json.dumps(ticks))


def derived_done(store: Store, case_id: str) -> set[str]:
    """Steps the records themselves show are done (a case exists; a visit was made)."""
    done = {"ts.identify_concern"}
    if cases.list_visits(store, case_id):
        done.add("ts.visit")
    return done


def _first_responder(store: Store) -> bool:
    profile = load_profile(store)
    return True if profile is None else profile.first_responder


def person_facts(
    store: Store, case_id: str, person_id: str, live: dict[str, Any] | None = None
) -> CaseFacts:
    """Facts for one person: from the form being edited (``live``), else their saved forms."""
    done = set(load_ticks(store, case_id).get(person_id, [])) | derived_done(store, case_id)
    more = {"first_responder": _first_responder(store)}
    nrm_data = live
    dtn: DutyToNotify | None = None
    if nrm_data is None:
        for doc in documents.list_documents(store, case_id):
            if doc.person_id == person_id and doc.kind == "nrm":
                nrm_data = json.loads(doc.data)
            elif doc.person_id == person_id and doc.kind == "dtn":
                dtn = DutyToNotify.model_validate_json(doc.data)
    if nrm_data is not None:
        try:
            nrm = NrmReferral.model_validate(nrm_data)
        except ValidationError:
            nrm = None
        if nrm is not None:
            when = nrm.where_found.encountered_on or date.today()
            return facts_from_nrm(nrm, as_of=when, done=done, exploitation_present=True, **more)
    if dtn is not None:
        return CaseFacts(age=AgeGroup.ADULT, consent=ConsentDecision.REFUSED,
                         exploitation_present=True, done=frozenset(done), **more)
    return CaseFacts(done=frozenset(done), **more)


def case_facts(store: Store, case_id: str) -> CaseFacts:
    """Facts for the case as a whole: a child if anyone recorded is (or may be) a child, an
    adult if everyone with a form is an adult; consent is a matter for each person."""
    done = set(load_ticks(store, case_id).get(CASE_SCOPE, [])) | derived_done(store, case_id)
    people = {d.person_id for d in documents.list_documents(store, case_id)
              if d.kind in ("nrm", "dtn") and d.person_id}
    ages = {person_facts(store, case_id, person).age for person in people}
    age = AgeGroup.NOT_SURE
    if ages:
        age = AgeGroup.ADULT if ages == {AgeGroup.ADULT} else AgeGroup.CHILD
    return CaseFacts(done=frozenset(done), exploitation_present=True if people else None,
                     age=age, first_responder=_first_responder(store))
