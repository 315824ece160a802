"""The data a council may change without a release (indicator lists, contacts, support services,
NRM timelines, bank holidays, first responders, the reception set-up checklist and the
pathways), read from YAML under ``resources/`` through importlib.resources and validated when
loaded.

A council overrides any file by putting one of the same name in its own folder. A bad file is
refused with a ``ResourceError`` naming the file, the line and the problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources as package_data
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fieldkit.errors import FieldkitError
from forms.choices import BusinessType, ExploitationType
from forms.pathways import Id, Pathway, Text


class ResourceError(FieldkitError):
    """A resource file is missing, unreadable or wrong; says which file, which line and why."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file, self.line, self.problem = file, line, problem
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Concern = Literal["perpetrator_concern", "business_exploiting_workers", "business_broke_law",
                  "housing_concern"]
"""What seeing an indicator at a business tells the pathway (a fact its steps test: the police
on 101 or a Partnership Information Report, the GLAA, Trading Standards, Housing
Enforcement)."""


class Indicator(_Strict):
    """One indicator of modern slavery: a stable id (stored on forms), its plain text, and the
    concerns seeing it raises (``concerns``; its list's too)."""

    id: Id
    text: Text
    concerns: list[Concern] = []


class IndicatorList(_Strict):
    """A titled checklist of indicators; ``concerns``: raised by any indicator of the list."""

    title: Text
    indicators: list[Indicator]
    concerns: list[Concern] = []


class BusinessIndicators(IndicatorList):
    """The checklist for a type of business: the exploitation lists it includes, and its own."""

    includes: list[ExploitationType] = []


class IndicatorLists(_Strict):
    """The indicator lists (indicators.yaml): general, by exploitation type, by business type."""

    general: IndicatorList
    exploitation: dict[ExploitationType, IndicatorList]
    business: dict[BusinessType, BusinessIndicators]

    @model_validator(mode="after")
    def _complete_and_unique(self) -> IndicatorLists:
        for needed, given, where in ((ExploitationType, self.exploitation, "exploitation"),
                                     (BusinessType, self.business, "business")):
            missing = [str(choice.value) for choice in needed if choice not in given]
            if missing:
                raise ValueError(f"{where} has no list for {', '.join(missing)}")
        seen: set[str] = set()
        for indicator in self.every_indicator():
            if indicator.id in seen:
                raise ValueError(f"the indicator id {indicator.id!r} is used twice")
            seen.add(indicator.id)
        return self

    def every_indicator(self) -> list[Indicator]:
        """Every indicator in the file, general first."""
        lists = [self.general, *self.exploitation.values(), *self.business.values()]
        return [indicator for found in lists for indicator in found.indicators]

    def concerns_of(self, indicator_ids: Iterable[str]) -> set[str]:
        """The concerns the indicators with these ids raise (their own and their list's)."""
        wanted = set(indicator_ids)
        lists = [self.general, *self.exploitation.values(), *self.business.values()]
        return {concern for found in lists for indicator in found.indicators
                if indicator.id in wanted for concern in (*found.concerns, *indicator.concerns)}


class Contact(_Strict):
    """An organisation or line to contact, with its phone number and email where known."""

    id: Id
    name: Text
    phone: str | None = None
    email: str | None = None
    notes: str = ""


class _ContactsFile(_Strict):
    contacts: list[Contact]


class FirstResponderOrganisation(_Strict):
    """An organisation that may refer to the NRM; statutory ones also have the duty to notify.
    ``matches`` are words or phrases found in the names officers give it (e.g. "police")."""

    name: Text
    statutory: bool
    matches: list[Text] = []


class _FirstRespondersFile(_Strict):
    organisations: list[FirstResponderOrganisation]


TimelineEvent = Literal[
    "submitted", "rg", "cg", "rg.positive", "rg.negative", "cg.positive", "cg.negative",
    "reconsideration_request", "reconsideration_outcome", "support_ended", "move_on",
]
"""What starts or settles a timeline: an event the Lead records, with its outcome if it
matters (a positive reconsideration outcome counts as a positive decision of its kind)."""


class Timeline(_Strict):
    """An NRM timeline to track, in words and (where there is one) in days."""

    id: Id
    event: Text
    rule: Text
    days: int | None = Field(None, ge=0)
    working_days: bool = False
    starts: list[TimelineEvent] = Field(default_factory=list)
    closed_by: list[TimelineEvent] = Field(default_factory=list)
    due: Text = ""
    deadline: bool = False


class _TimelinesFile(_Strict):
    timelines: list[Timeline]


class BankHoliday(_Strict):
    """A day the tracker does not count as a working day."""

    date: date
    name: Text


class _BankHolidaysFile(_Strict):
    region: Text
    bank_holidays: list[BankHoliday]


class SupportStage(StrEnum):
    """Stages of the NRM at which a support service helps."""

    IN_NRM = "in_nrm"
    NOT_IN_NRM = "not_in_nrm"
    NEGATIVE_DECISION = "negative_decision"
    POSITIVE_DECISION = "positive_decision"


class SupportService(_Strict):
    """A specialist support service: what it offers, whom it serves and at which NRM stages."""

    id: Id
    name: Text
    provider: str = ""
    offers: Text
    serves: Literal["all", "female", "male"]
    stages: list[SupportStage] = Field(min_length=1)
    contact: Id | None = None


class _SupportServicesFile(_Strict):
    services: list[SupportService]


class ChecklistItem(_Strict):
    """One item of a checklist (the reception centre set-up)."""

    id: Id
    text: Text


class _ReceptionFile(_Strict):
    setup: list[ChecklistItem]


class _PathwaysFile(_Strict):
    pathways: list[Pathway]


class Council(_Strict):
    """The council this copy of fieldkit serves, and its Modern Slavery Lead."""

    name: Text
    lead_title: Text
    lead_contact: Text
    emergency_contacts: list[Id] = []


class _CouncilFile(_Strict):
    council: Council


FILES: dict[str, type[_Strict]] = {
    "council.yaml": _CouncilFile,
    "indicators.yaml": IndicatorLists,
    "contacts.yaml": _ContactsFile,
    "first_responders.yaml": _FirstRespondersFile,
    "timelines.yaml": _TimelinesFile,
    "bank_holidays.yaml": _BankHolidaysFile,
    "support_services.yaml": _SupportServicesFile,
    "reception.yaml": _ReceptionFile,
    "pathways.yaml": _PathwaysFile,
}
"""Every resource file and the model that validates it."""


@dataclass(frozen=True)
class Resources:
    """Everything loaded from the resource files, checked and cross-referenced."""

    council: Council
    indicators: IndicatorLists
    contacts: dict[str, Contact]
    first_responders: list[FirstResponderOrganisation]
    timelines: dict[str, Timeline]
    bank_holidays: frozenset[date]
    support_services: list[SupportService]
    reception_setup: list[ChecklistItem]
    pathways: list[Pathway]

    def indicators_for_exploitation(self, kind: ExploitationType) -> list[Indicator]:
        """The checklist for a type of exploitation."""
        return list(self.indicators.exploitation[kind].indicators)

    def indicators_for_business(self, kind: BusinessType) -> list[Indicator]:
        """The visit checklist for a type of business: general, then the exploitation lists it
        includes, then its own."""
        business = self.indicators.business[kind]
        found = list(self.indicators.general.indicators)
        for included in business.includes:
            found += self.indicators.exploitation[included].indicators
        return found + list(business.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if the council's lists have none)."""
        for indicator in self.indicators.every_indicator():
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def unknown_indicator_ids(self, ids: Iterable[str]) -> list[str]:
        """The ids (e.g. ticked on a form) that are in none of the council's lists."""
        known = {indicator.id for indicator in self.indicators.every_indicator()}
        return [indicator_id for indicator_id in ids if indicator_id not in known]

    def emergency_contacts(self) -> list[Contact]:
        """The emergency panel's contacts: 999 first, then the council's list in its order."""
        ids = ["police_emergency"] + [i for i in self.council.emergency_contacts
                                      if i != "police_emergency"]
        return [self.contacts[i] for i in ids if i in self.contacts]

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id."""
        return self.contacts[contact_id]

    def pathway(self, pathway_id: str) -> Pathway:
        """The pathway with this id."""
        for pathway in self.pathways:
            if pathway.id == pathway_id:
                return pathway
        raise KeyError(pathway_id)

    def services_for(
        self, stage: SupportStage, serves: Literal["female", "male"] | None = None
    ) -> list[SupportService]:
        """Support services that help at ``stage``, optionally only those open to women or men."""
        return [
            service for service in self.support_services
            if stage in service.stages and (serves is None or service.serves in ("all", serves))
        ]


def load_resources(directory: Path | None = None) -> Resources:
    """The council's resources: the packaged defaults, with any file of the same name in
    ``directory`` used instead. Cached; raises ``ResourceError`` naming file, line and problem."""
    return _load(directory.resolve() if directory is not None else None)


def reload_resources() -> None:
    """Forget cached resources, so edited files are read again."""
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(directory: Path | None) -> Resources:
    files = {name: _ResourceFile.read(name, model, directory) for name, model in FILES.items()}
    for source in files.values():
        source.check_unique_ids()

    def parsed(name: str) -> Any:
        return files[name].model

    contacts: _ContactsFile = parsed("contacts.yaml")
    timelines: _TimelinesFile = parsed("timelines.yaml")
    services: _SupportServicesFile = parsed("support_services.yaml")
    pathways: _PathwaysFile = parsed("pathways.yaml")
    contact_ids = {contact.id for contact in contacts.contacts}
    for index, service in enumerate(services.services):
        if service.contact is not None and service.contact not in contact_ids:
            raise files["support_services.yaml"].error(
                ("services", index, "contact"), f"no contact has the id {service.contact!r}"
            )
    council: _CouncilFile = parsed("council.yaml")
    for index, contact_id in enumerate(council.council.emergency_contacts):
        if contact_id not in contact_ids:
            raise files["council.yaml"].error(
                ("council", "emergency_contacts", index), f"no contact has the id {contact_id!r}"
            )
    _check_pathways(pathways, files["pathways.yaml"], contact_ids,
                    {timeline.id for timeline in timelines.timelines})
    return Resources(
        council=parsed("council.yaml").council,
        indicators=parsed("indicators.yaml"),
        contacts={contact.id: contact for contact in contacts.contacts},
        first_responders=list(parsed("first_responders.yaml").organisations),
        timelines={timeline.id: timeline for timeline in timelines.timelines},
        bank_holidays=frozenset(h.date for h in parsed("bank_holidays.yaml").bank_holidays),
        support_services=list(services.services),
        reception_setup=list(parsed("reception.yaml").setup),
        pathways=list(pathways.pathways),
    )


def _check_pathways(
    found: _PathwaysFile, source: _ResourceFile, contact_ids: set[str], timeline_ids: set[str]
) -> None:
    """Every reference in the pathways points at something that exists."""
    pathway_ids = {pathway.id for pathway in found.pathways}
    step_ids: set[str] = set()
    for p_index, pathway in enumerate(found.pathways):
        for s_index, step in enumerate(pathway.steps):
            if step.id in step_ids:
                raise source.error(("pathways", p_index, "steps", s_index, "id"),
                                   f"the step id {step.id!r} is used twice")
            step_ids.add(step.id)
    for p_index, pathway in enumerate(found.pathways):
        for s_index, step in enumerate(pathway.steps):
            at: tuple[str | int, ...] = ("pathways", p_index, "steps", s_index)
            for c_index, contact in enumerate(step.contacts):
                if contact not in contact_ids:
                    raise source.error((*at, "contacts", c_index),
                                       f"no contact has the id {contact!r} (see contacts.yaml)")
            if step.timeline is not None and step.timeline not in timeline_ids:
                raise source.error((*at, "timeline"), f"no timeline has the id {step.timeline!r}")
            if step.go_to is not None and step.go_to not in pathway_ids:
                raise source.error((*at, "go_to"), f"no pathway has the id {step.go_to!r}")
            for a_index, first in enumerate(step.after):
                if first not in step_ids or first == step.id:
                    raise source.error((*at, "after", a_index),
                                       f"no other step has the id {first!r}")
            for key, condition in (("when", step.when), ("done_when", step.done_when)):
                unknown = condition.steps_named() - step_ids if condition else set()
                if unknown:
                    raise source.error((*at, key), f"no step has the id {sorted(unknown)[0]!r}")


@dataclass(frozen=True)
class _ResourceFile:
    """One resource file: where it came from, its YAML nodes (for line numbers) and its model."""

    name: str
    node: yaml.Node
    model: _Strict

    @classmethod
    def read(cls, name: str, model: type[_Strict], directory: Path | None) -> _ResourceFile:
        """Read, parse and validate ``name`` from ``directory`` or else from the package."""
        override = directory / name if directory is not None else None
        if override is not None and override.is_file():
            shown = str(override)
            try:
                text = override.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ResourceError(shown, None, f"cannot be read ({error})") from error
        else:
            shown = f"resources/{name}"
            text = package_data.files("resources").joinpath(name).read_text(encoding="utf-8")
        node, data = _parse(shown, text)
        try:
            parsed = model.model_validate(data)
        except ValidationError as error:
            # A misspelt key also makes the right one "missing": report the misspelling.
            first = min(error.errors(include_url=False),
                        key=lambda e: e["type"] != "extra_forbidden")
            raise _ResourceFile(shown, node, model.model_construct()).error(
                first["loc"], _plain(first["type"], first["msg"], first["loc"])
            ) from None
        return cls(shown, node, parsed)

    def check_unique_ids(self) -> None:
        """Every list of things with ids (contacts, timelines, pathways...) has no id twice."""
        for field in type(self.model).model_fields:
            items = getattr(self.model, field)
            if not isinstance(items, list):
                continue
            seen: set[str] = set()
            for index, item in enumerate(items):
                item_id = getattr(item, "id", None)
                if item_id is not None and item_id in seen:
                    raise self.error((field, index, "id"), f"the id {item_id!r} is used twice")
                seen.add(str(item_id))

    def error(self, loc: Sequence[int | str], problem: str) -> ResourceError:
        """A ResourceError for the YAML at ``loc`` (or as near to it as the file goes)."""
        node = self.node
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        where = ".".join(str(part) for part in loc)
        return ResourceError(self.name, node.start_mark.line + 1, f"{where}: {problem}"
                             if where else problem)


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if key.value == part:
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _plain(kind: str, message: str, loc: tuple[int | str, ...]) -> str:
    name = str(loc[-1]) if loc else "value"
    if kind == "missing":
        return f"'{name}' is missing"
    if kind == "extra_forbidden":
        return f"'{name}' is not a setting this file can have"
    return message.removeprefix("Value error, ")


def _parse(shown: str, text: str) -> tuple[yaml.Node, Any]:
    """YAML nodes (which know their lines) and the data built from them."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ResourceError(shown, 1, "the file is empty")
        _no_duplicate_keys(shown, node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(p for p in (error.context, error.problem) if p) or "not valid YAML"
        raise ResourceError(shown, mark.line + 1 if mark else None, problem) from None
    except yaml.YAMLError as error:
        raise ResourceError(shown, None, f"not valid YAML ({error})") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ResourceError(shown, node.start_mark.line + 1, "the file must be a mapping of keys")
    return node, data


def _no_duplicate_keys(shown: str, node: yaml.Node) -> None:
    """YAML quietly keeps the last of two equal keys; a council's typo must not vanish."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                raise ResourceError(shown, key.start_mark.line + 1,
                                    f"the key '{key.value}' appears twice")
            seen.add(key.value)
            _no_duplicate_keys(shown, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _no_duplicate_keys(shown, item)
