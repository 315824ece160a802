"""The NRM form's sections in the Home Office online form's order, and the rules that change
what the form asks (child, consent, Duty to Notify), kept apart from the widgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QT_TRANSLATE_NOOP

from fieldkit import clock
from fieldkit.documents import form_problems
from forms import DutyToNotify, NotForDutyToNotify, NrmReferral, nrm_to_dtn
from forms.dtn import IDENTIFYING_NRM_FIELDS, anonymise_nrm
from forms.form import TYPED, FieldProblem, without_invalid
from forms.rules import Obligations, Route


@dataclass(frozen=True)
class Section:
    """One step of the guided form: a title and the top-level NRM fields it edits."""

    key: str
    title: str
    fields: tuple[str, ...]


_T = "PersonFormPage"  # the translation context the page looks these titles up in
SECTIONS: tuple[Section, ...] = (
    Section("risk", str(QT_TRANSLATE_NOOP(_T, "Immediate risk")),
            ("immediate_risk", "immediate_risk_details")),
    Section("where", str(QT_TRANSLATE_NOOP(_T, "Where and when found")), ("where_found",)),
    Section("responder", str(QT_TRANSLATE_NOOP(_T, "First responder")), ("first_responder",)),
    Section("consent", str(QT_TRANSLATE_NOOP(_T, "Consent")), ("consent",)),
    Section("victim", str(QT_TRANSLATE_NOOP(_T, "Potential victim")), ("potential_victim",)),
    Section("dependants", str(QT_TRANSLATE_NOOP(_T, "Dependants")), ("dependants",)),
    Section("exploitation", str(QT_TRANSLATE_NOOP(_T, "Exploitation")), ("exploitation",)),
    Section("notice", str(QT_TRANSLATE_NOOP(_T, "How they came to notice")), ("came_to_notice",)),
    Section("account", str(QT_TRANSLATE_NOOP(_T, "Account")), ("account", "account_read_back")),
    Section("exploiters", str(QT_TRANSLATE_NOOP(_T, "Exploiters")), ("exploiters",)),
    Section("police", str(QT_TRANSLATE_NOOP(_T, "Police")), ("police",)),
    Section("support", str(QT_TRANSLATE_NOOP(_T, "Support wanted")), ("support",)),
    Section("needs", str(QT_TRANSLATE_NOOP(_T, "Needs and safeguarding")), ("needs",)),
)

HIDDEN_FOR_DTN_SECTIONS = frozenset(
    section.key for section in SECTIONS
    if any(field in IDENTIFYING_NRM_FIELDS for field in section.fields)
)
"""Whole sections a Duty to Notify must not carry (the core's list, ``forms.dtn``)."""

HIDDEN_FOR_DTN_FIELDS = tuple(path for path in IDENTIFYING_NRM_FIELDS if "." in path)
"""Fields that identify the person or others: hidden when the route is Duty to Notify."""


def section_of(field: str) -> str:
    """The section key that holds a problem's field path."""
    head = field.split(".", 1)[0]
    for section in SECTIONS:
        if head in section.fields:
            return section.key
    return SECTIONS[0].key


def read_nrm(data: dict[str, Any]) -> NrmReferral | None:
    """The form as a model, or None while something typed is invalid."""
    try:
        return NrmReferral.model_validate(data, context=TYPED)
    except ValidationError:
        return None


def read_valid_parts(data: dict[str, Any]) -> NrmReferral | None:
    """The form as a model; while something typed is invalid, made of what is valid (see
    :func:`forms.form.without_invalid`), so the child rule and the route still hold."""
    return read_nrm(data) or without_invalid(NrmReferral, data, context=TYPED)


def as_of(nrm: NrmReferral | None) -> date:
    """The date the age rules are applied on: when the person was found, else today."""
    found = nrm.where_found.encountered_on if nrm is not None else None
    return found or clock.today()


def rules_for(nrm: NrmReferral | None) -> Obligations | None:
    """What the rules require for the person on the form."""
    return None if nrm is None else nrm.obligations(as_of(nrm))


def form_from_dtn(notice: dict[str, Any]) -> dict[str, Any]:
    """A working form rebuilt from a saved Duty to Notify (it holds nothing identifying)."""
    areas = notice.get("areas") or []
    return {
        "where_found": {"encountered_on": notice.get("encountered_on"),
                        "local_authority": notice.get("general_area", ""),
                        "age_group": "adult"},
        "first_responder": notice.get("first_responder") or {},
        "consent": {"decision": "refused"},
        "immediate_risk": bool(notice.get("immediate_risk", False)),
        "potential_victim": {
            "gender": notice.get("gender"),
            "nationalities": [notice["nationality"]] if notice.get("nationality") else [],
            "nationality_unknown": bool(notice.get("nationality_unknown")),
        },
        "exploitation": {
            "types": notice.get("exploitation_types") or [], "in_uk": notice.get("in_uk", False),
            "abroad": notice.get("abroad", False), "ongoing": notice.get("ongoing"),
            "places": [{"country": a.get("country"), "town_or_area": a.get("general_area", "")}
                       for a in areas],
        },
        "came_to_notice": {"how": notice.get("how_came_to_notice", ""),
                           "indicator_ids": notice.get("indicator_ids") or []},
        "account": notice.get("account", ""),
    }


def problems_for(data: dict[str, Any], route: Route | None) -> list[FieldProblem]:
    """Every problem, named: invalid fields first; then what the route's form still needs."""
    invalid = form_problems("nrm", data, ready=False)
    if invalid:
        # Then what the valid parts still need (so one invalid date does not hide the rest).
        valid = without_invalid(NrmReferral, data, context=TYPED)
        if valid is None:
            return invalid
        named = {problem.field for problem in invalid}
        return invalid + [problem for problem in problems_for(valid.model_dump(mode="json"),
                                                              route)
                          if problem.field not in named]
    nrm = NrmReferral.model_validate(data)
    if route is Route.DUTY_TO_NOTIFY:
        notice = dtn_for(nrm)
        if notice is not None:
            return form_problems("dtn", notice[0].model_dump(mode="json"), ready=True,
                                 as_of=as_of(nrm), names=nrm.recorded_names(),
                                 addresses=nrm.recorded_addresses())
    return form_problems("nrm", data, ready=True, as_of=as_of(nrm))


def dtn_for(nrm: NrmReferral) -> tuple[DutyToNotify, list[str]] | None:
    """The anonymous notice for this person, with what was removed; None when not allowed."""
    try:
        return nrm_to_dtn(nrm, as_of=as_of(nrm))
    except NotForDutyToNotify:
        return None


def completeness(data: dict[str, Any], route: Route | None) -> int:
    """Percent complete: problems left against those of an empty form on the same route."""
    skeleton: dict[str, Any] = {
        "where_found": {"age_group": data.get("where_found", {}).get("age_group", "not_sure")},
        "consent": {"decision": data.get("consent", {}).get("decision", "not_asked")},
    }
    baseline = len(problems_for(skeleton, route)) or 1
    left = len(problems_for(data, route))
    return max(0, min(100, round(100 * (baseline - left) / baseline)))


def anonymised(data: dict[str, Any], notice: DutyToNotify) -> dict[str, Any]:
    """The working form with every identifying field removed, as the notice left them out
    (``forms.dtn.anonymise_nrm``: the same lists and scrubbing that made ``notice``)."""
    del notice  # made from the same data by the same rules
    nrm = read_nrm(data)
    return anonymise_nrm(data, as_of(nrm))
