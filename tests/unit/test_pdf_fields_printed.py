"""Every field of the NRM, Duty to Notify, reception and visit forms is printed in its PDF.

The test walks each form model's fields (nested sections and lists included). For each field it
sets another valid value, renders the real PDF and reads it with pdftotext: the text after the
checklist must change. A field that changes nothing on paper is not printed. The few fields
deliberately left off the paper are listed in ``NOT_PRINTED`` with the reason."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import render_dtn, render_nrm_pack, render_reception_summary, render_visit_report
from fieldkit.pdf.dtn import SECTIONS as DTN_SECTIONS
from fieldkit.pdf.nrm import SECTIONS as NRM_SECTIONS
from forms import DutyToNotify, NrmReferral, PremisesVisit, ReceptionCentre, nrm_to_dtn
from forms.choices import ConsentDecision, WithdrawalMethod
from tests.unit.test_pdf_tools import pdf_text

REF = "FK-2026-0042"
FOUND_ON = date(2026, 5, 14)
START = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)

NOT_PRINTED: dict[str, dict[str, str]] = {
    "nrm": {
        "schema_version": "the form's storage version, not a fact about the person",
    },
    "dtn": {
        "schema_version": "the form's storage version, not a fact about the person",
    },
    "reception": {
        "schema_version": "the form's storage version, not a fact about the person",
    },
    "visit": {
        "schema_version": "the form's storage version, not a fact about the visit",
    },
}
"""Fields deliberately not printed, by form kind, with why."""

_TEXTS = ("Zqalpha words", "Zqbravo words", "zqa@council.gov.uk", "zqb@council.gov.uk",
          "07700 900111", "07700 900222", "CV1 1AA", "CV2 2BB",
          "GB", "PL", "en", "pl", "general_exclusive_workplace")
_DATES = (date(2026, 5, 3), date(2026, 5, 4))
_TIMES = (datetime(2026, 5, 14, 10, 15, tzinfo=UTC), datetime(2026, 5, 14, 11, 20, tzinfo=UTC))


def _unwrap(annotation: Any) -> Any:
    """The type inside ``X | None`` and ``Annotated[X, ...]``."""
    while True:
        if get_origin(annotation) in (Union, types.UnionType):
            inner = [a for a in get_args(annotation) if a is not type(None)]
            annotation = inner[0]
        elif hasattr(annotation, "__metadata__"):
            annotation = get_args(annotation)[0]
        else:
            return annotation


def _candidates(annotation: Any) -> list[Any]:
    """Values to try for a field of this type (the first valid one that differs is used)."""
    kind = _unwrap(annotation)
    if get_origin(kind) is list:
        return [[value] for value in _candidates(get_args(kind)[0])]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [member.value for member in kind]
    if kind is bool:
        return [True, False]
    if kind is int:
        return [30, 31, 2, 3]
    if kind is datetime:
        return [t.isoformat() for t in _TIMES]
    if kind is date:
        return [d.isoformat() for d in _DATES]
    return list(_TEXTS)


def _leaves(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> Iterator[
        tuple[str, Any]]:
    """Every scalar field path of ``model`` (lists of sections by their first item) and its type;
    an empty list of sections gets one default item in ``data`` so its fields can be walked."""
    for name, info in model.model_fields.items():
        kind = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from _leaves(kind, data.setdefault(name, {}), f"{path}.")
        elif get_origin(kind) is list and isinstance(get_args(kind)[0], type) and issubclass(
                get_args(kind)[0], BaseModel):
            item = get_args(kind)[0]
            if not data.get(name):
                data[name] = [item().model_dump(mode="json")]
            yield from _leaves(item, data[name][0], f"{path}.0.")
        else:
            yield path, info.annotation


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    copy = _deep_copy(data)
    parts = path.split(".")
    target: Any = copy
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    return copy


def _get(data: dict[str, Any], path: str) -> Any:
    target: Any = data
    for part in path.split("."):
        target = target[int(part)] if part.isdigit() else target.get(part)
    return target


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def _shown(value: Any) -> str | None:
    """How a value tried reads on paper, where that is fixed (free text, dates, times), so a
    field is not taken as printed merely because it changes something else (the age rules)."""
    if isinstance(value, list):
        return _shown(value[0])
    if isinstance(value, str) and value.startswith(("Zq", "zq")):
        return value
    for day in _DATES:
        if value == day.isoformat():
            return f"{day.day} {day:%B %Y}"
    for moment in _TIMES:
        if value == moment.isoformat():
            return f"{moment:%H:%M}"
    return None


def _unprinted(model: type[BaseModel], bases: list[dict[str, Any]],
               render: Callable[[Any], str]) -> list[str]:
    """The field paths whose change leaves the printed text the same in every base form."""
    proven: set[str] = set()
    every: list[str] = []
    for base in bases:
        data = _deep_copy(base)
        leaves = list(_leaves(model, data))
        before = render(model.model_validate(data))
        for path, annotation in leaves:
            if path not in every:
                every.append(path)
            if path in proven:
                continue
            current = _get(data, path)
            for value in _candidates(annotation):
                if value == current:
                    continue
                try:
                    changed = model.model_validate(_set(data, path, value))
                except ValidationError:
                    continue
                after = render(changed)
                shown = _shown(value)
                if after != before and (shown is None or shown in after):
                    proven.add(path)
                break
    return [path for path in every if path not in proven]


def _after(text: str, heading: str) -> str:
    """The text from ``heading`` on (the checklist before it lists problems, not values)."""
    return text[text.index(heading):]


def _assert_all_printed(kind: str, model: type[BaseModel], bases: list[dict[str, Any]],
                        render: Callable[[Any], str]) -> None:
    missing = [p for p in _unprinted(model, bases, render)
               if p.split(".0.")[0] not in NOT_PRINTED[kind] and p not in NOT_PRINTED[kind]]
    assert missing == [], f"{kind} fields not printed in its PDF: {missing}"


def _withdrawn(nrm: NrmReferral) -> dict[str, Any]:
    data = nrm.model_dump(mode="json")
    data["consent"].update(decision=ConsentDecision.WITHDRAWN.value,
                           withdrawn_on="2026-05-20",
                           withdrawal_how=WithdrawalMethod.BY_PHONE.value)
    return data


def test_every_nrm_field_is_printed_in_the_nrm_pack() -> None:
    full = demo_forms.w1_nrm(FOUND_ON)
    bases = [full.model_dump(mode="json"), _withdrawn(full)]
    _assert_all_printed("nrm", NrmReferral, bases, lambda form: _after(
        pdf_text(render_nrm_pack(form, REF, as_of=FOUND_ON)), NRM_SECTIONS[0]))


def test_every_duty_to_notify_field_is_printed_in_the_notice() -> None:
    notice, _removed = nrm_to_dtn(demo_forms.w2_nrm_draft(FOUND_ON))
    _assert_all_printed("dtn", DutyToNotify, [notice.model_dump(mode="json")],
                        lambda form: _after(pdf_text(render_dtn(form, REF)), DTN_SECTIONS[1]))


def test_every_reception_field_is_printed_in_the_summary() -> None:
    base = ReceptionCentre.model_validate(demo_forms.reception_form(START)).model_dump(mode="json")
    _assert_all_printed("reception", ReceptionCentre, [base], lambda form: pdf_text(
        render_reception_summary(form, REF, as_of=FOUND_ON)))


def test_every_visit_field_is_printed_in_the_visit_report() -> None:
    base = PremisesVisit.model_validate(
        demo_forms.visit_form(START, START.replace(hour=12))).model_dump(mode="json")
    _assert_all_printed("visit", PremisesVisit, [base], lambda form: pdf_text(
        render_visit_report(REF, form=form)))


def test_the_nrm_pack_renders_whatever_falls_at_a_page_foot() -> None:
    """One length of the consent's "how explained" put the "Safe contact details" heading at
    the foot of a page, and reportlab drew it unwrapped and failed: no pack at all. Every
    length here moves what falls at the foot of the page."""
    full = demo_forms.w1_nrm(FOUND_ON).model_dump(mode="json")
    for words in range(0, 60, 2):
        data = _deep_copy(full)
        data["consent"]["how_explained"] = " ".join(["Zqalpha"] * words)
        assert render_nrm_pack(NrmReferral.model_validate(data), REF, as_of=FOUND_ON)
    full["consent"]["how_explained"] = "Zqalpha words"
    full["consent"].pop("withdrawn_on", None)
    pdf = pdf_text(render_nrm_pack(NrmReferral.model_validate(full), REF, as_of=FOUND_ON))
    assert "Date consent was withdrawn" not in pdf  # consent given: no withdrawal lines
