"""The Duty to Notify (section 52, Modern Slavery Act 2015): an anonymous notice for an adult who
does not consent to an NRM referral. It has no identifying fields by construction, refuses any
extra field, and its free text is checked for anything that looks identifying."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from forms.choices import NO_CONSENT, AgeRange, ConsentDecision, ExploitationType, Gender
from forms.countries import CountryCode
from forms.form import FieldProblem, Form, FormSection, Problems
from forms.identifying import describe_found, find_identifying_text, scrub_identifying_text
from forms.nrm import FirstResponder, NrmReferral
from forms.rules import age_on

_CHILD_AGE_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
_STATED_CHILD_AGE = re.compile(
    r"(?:\b(?:i\s+am|i'm|he\s+is|she\s+is|they\s+are|he's|she's|they're)"
    r"|\b(?:said|says|told\s+\w+|claimed|claims|stated)\s+(?:that\s+)?"
    r"(?:he|she|they)\s+(?:was|were|is|are)"
    r"|\b(?:his|her|their|my)\s+age\s+(?:is|as)|\bgave\s+(?:his|her|their|my)\s+age\s+as)"
    r"\s+(?:(?:only|just|aged|about|around)\s+)*"
    r"(?:(?:under|not\s+yet|below)\s+(?:the\s+age\s+of\s+)?(?:18|eighteen)\b"
    r"|a\s+(?:minor|child)\b(?!\s+of\b)"
    r"|a\s+(?:1[0-7]|[1-9]|" + _CHILD_AGE_WORDS + r")[\s-]*(?:years?|yrs?)[\s-]*old\b"
    r"|(?:1[0-7]|[1-9]|" + _CHILD_AGE_WORDS + r")\b"
    r"(?:[\s-]*(?:years?|yrs?)(?:[\s-]*old|\s+of\s+age)?\b|(?![\d:]|\.\d|\s*[-–]\s*\d)"
    r"(?!\s*(?:am|pm|hours?|hrs?|days?|weeks?|months?|minutes?|mins?|pounds?|quid|people|men|"
    r"women|others|workers|girls|boys|children|kids|adults|times?|of\b"
    r"|miles?|km|metres?|meters?|f(?:oo|ee)?t|stone|kg|cm))))",
    re.IGNORECASE,
)
"""The person saying they are under 18, in digits or words (``He says he is 16 years old``,
``she is seventeen``, ``he is under eighteen``, ``his age is 15``)."""


class NotifyingOfficer(FirstResponder):
    """The first responder making the notification (the officer, not the person)."""


class ExploitationArea(FormSection):
    """A general area where exploitation happened: a country and a town or region, no address."""

    model_config = ConfigDict(extra="forbid", title="Area of exploitation")

    country: CountryCode | None = Field(None, title="Country")
    general_area: str = Field("", title="General area (town or region)")


class DutyToNotify(Form):
    """The anonymous Duty to Notify: gender, age range, nationality, exploitation types, a
    general area and an anonymised account. No name, date of birth, contact details or address."""

    KIND: ClassVar[str] = "dtn"
    # The free-text fields that must never identify anyone.
    FREE_TEXT: ClassVar[tuple[str, ...]] = ("general_area", "how_came_to_notice", "account")

    first_responder: NotifyingOfficer = Field(
        default_factory=NotifyingOfficer, title="First responder"
    )
    encountered_on: date | None = Field(None, title="Date the person was found")
    # Not identifying, and it keeps the urgent 999 step on the pathway once the NRM is replaced.
    immediate_risk: bool = Field(False, title="Immediate risk of serious harm")
    gender: Gender | None = Field(None, title="Gender")
    age_range: AgeRange = Field(AgeRange.NOT_KNOWN, title="Age range")
    nationality: CountryCode | None = Field(None, title="Nationality")
    nationality_unknown: bool = Field(False, title="Nationality not known or stateless")
    exploitation_types: list[ExploitationType] = Field(
        default_factory=list, title="Types of exploitation"
    )
    in_uk: bool = Field(False, title="Exploited in the UK")
    abroad: bool = Field(False, title="Exploited abroad")
    areas: list[ExploitationArea] = Field(default_factory=list, title="Areas of exploitation")
    general_area: str = Field("", title="General area where the person was found")
    ongoing: bool | None = Field(None, title="Exploitation is ongoing")
    how_came_to_notice: str = Field("", title="How the person came to notice")
    indicator_ids: list[str] = Field(default_factory=list, title="Indicators observed")
    account: str = Field("", title="Anonymised account")

    def identifying_problems(
        self, names: Iterable[str] = (), addresses: Iterable[str] = (),
        as_of: date | None = None,
    ) -> list[FieldProblem]:
        """Free text that looks identifying: the person's ``names`` or recorded ``addresses``
        and anything ``forms.identifying`` finds (phones, postcodes, dates of birth, ...).
        Messages never repeat what was found."""
        names, addresses = list(names), list(addresses)
        as_of = as_of or self.encountered_on
        problems = Problems()
        texts = [(field, str(getattr(self, field)), self.field_title(field))
                 for field in self.FREE_TEXT]
        texts += [(f"areas.{i}.general_area", area.general_area, f"Area {i + 1}")
                  for i, area in enumerate(self.areas)]
        for field, text, title in texts:
            found = find_identifying_text(text, names, addresses, as_of)
            if found:
                problems.add(
                    field,
                    f"{title} seems to contain {describe_found(found)}: a Duty to Notify must "
                    "not identify anyone, so remove it",
                )
        return problems

    @classmethod
    def field_title(cls, field: str) -> str:
        """The plain title of one of this form's fields."""
        return cls.model_fields[field].title or field

    def ready_problems(
        self, as_of: date | None = None, names: Sequence[str] = (),
        addresses: Sequence[str] = (), *, today: date | None = None,
    ) -> list[FieldProblem]:
        """Everything missing, or identifying, before the notification can be marked ready.
        ``as_of`` is the date the text is read on (default: the date found); ``today`` the
        date today, after which the date found may not be (not checked without it: the forms
        never read the clock)."""
        problems = Problems()
        problems.nested("first_responder", self.first_responder.ready_problems())
        problems.not_future("encountered_on", self.encountered_on, today,
                            "Date the person was found")
        problems.need("gender", self.gender, "Gender is needed (it may be 'not known')")
        if self.nationality is None and not self.nationality_unknown:
            problems.add("nationality", "Nationality is needed (or mark it as not known)")
        problems.need("exploitation_types", self.exploitation_types,
                      "At least one type of exploitation is needed")
        problems.need("general_area", self.general_area,
                      "A general area (town or region, no address) is needed")
        problems.need("account", self.account, "An anonymised account is needed")
        problems.extend(self.identifying_problems(names, addresses, as_of))
        for field in ("account", "how_came_to_notice"):
            if _STATED_CHILD_AGE.search(str(getattr(self, field))):
                problems.add(field, (
                    f"{self.field_title(field)} seems to say the person is under 18: a child "
                    "(or possibly a child) is always referred to the NRM, never by a Duty to "
                    "Notify; if the person may be under 18, make an NRM referral instead"))
        return problems


class NotForDutyToNotify(ValueError):
    """The person on this NRM form must not be notified anonymously (a child, or an adult who
    has consented to an NRM referral): never both."""


def age_range(age: int | None) -> AgeRange:
    """The Duty to Notify age range for an adult's age in years."""
    if age is None or age < 18:
        return AgeRange.NOT_KNOWN
    for limit, found in ((24, AgeRange.FROM_18_TO_24), (34, AgeRange.FROM_25_TO_34),
                         (44, AgeRange.FROM_35_TO_44), (54, AgeRange.FROM_45_TO_54),
                         (64, AgeRange.FROM_55_TO_64)):
        if age <= limit:
            return found
    return AgeRange.FROM_65


def nrm_to_dtn(
    nrm: NrmReferral, *, as_of: date | None = None
) -> tuple[DutyToNotify, list[str]]:
    """Build a Duty to Notify from an NRM draft for an adult who did not consent, stripping every
    identifying field and scrubbing free text. Returns the notice and, in plain English, what
    was removed. Raises ``NotForDutyToNotify`` for a child or an adult who consented."""
    # Without a date the age rules still apply, as of today: a child must never be notified
    # anonymously just because the date found was left blank.
    as_of = as_of or nrm.where_found.encountered_on or date.today()
    if nrm.obligations(as_of).treated_as_child:
        raise NotForDutyToNotify(
            "A child (or possibly a child) is always referred to the NRM; "
            "a Duty to Notify is not used."
        )
    if nrm.consent.decision is ConsentDecision.GIVEN:
        raise NotForDutyToNotify(
            "The person consented to an NRM referral, which discharges the duty: never both."
        )
    if nrm.consent.decision not in NO_CONSENT:
        raise NotForDutyToNotify(
            "A Duty to Notify is for an adult who has refused (or withdrawn) consent to an NRM "
            "referral: ask first."
        )
    victim = nrm.potential_victim
    names = nrm.recorded_names()
    removed: list[str] = []

    addresses = nrm.recorded_addresses()

    def scrub(text: str, title: str) -> str:
        cleaned, found = scrub_identifying_text(text, names, addresses, as_of)
        if found:
            removed.append(f"{title}: {describe_found(found)} removed")
        return cleaned

    _note_removed_fields(nrm, removed)
    band = age_range(_age(nrm, as_of))
    if victim.date_of_birth is not None:
        removed.append(f"Date of birth (kept only as the age range {band.value})")
    areas = [
        ExploitationArea(country=place.country, general_area=scrub(place.town_or_area, "Area"))
        for place in nrm.exploitation.places
    ]
    notice = DutyToNotify(
        first_responder=NotifyingOfficer(**nrm.first_responder.model_dump()),
        encountered_on=nrm.where_found.encountered_on,
        immediate_risk=nrm.immediate_risk,
        gender=victim.gender,
        age_range=band,
        nationality=victim.nationalities[0] if victim.nationalities else None,
        nationality_unknown=victim.nationality_unknown,
        exploitation_types=list(nrm.exploitation.types),
        in_uk=nrm.exploitation.in_uk,
        abroad=nrm.exploitation.abroad,
        areas=areas,
        # The local authority the officer chose, never the place found: a place or address
        # copied here would name the premises.
        general_area=scrub(nrm.where_found.local_authority, "General area"),
        ongoing=nrm.exploitation.ongoing,
        how_came_to_notice=scrub(nrm.came_to_notice.how, "How the person came to notice"),
        indicator_ids=list(nrm.came_to_notice.indicator_ids),
        account=scrub(nrm.account, "Account"),
    )
    return notice, removed


def _note_removed_fields(nrm: NrmReferral, removed: list[str]) -> None:
    """Describe each identifying field of the NRM that the notice leaves out."""
    victim = nrm.potential_victim
    if victim.given_names or victim.family_name:
        removed.append("The person's name")
    if victim.aliases:
        removed.append(f"Other names or aliases ({len(victim.aliases)})")
    contact = victim.safe_contact
    if any((contact.phone, contact.email, contact.address, contact.postcode, contact.notes)):
        removed.append("Safe contact details (phone, email, address)")
    if victim.current_location:
        removed.append("Where the person is now")
    if nrm.dependants:
        removed.append(f"Dependants ({len(nrm.dependants)})")
    if any(place.address or place.postcode for place in nrm.exploitation.places):
        removed.append("Addresses and postcodes of the places of exploitation")
    if nrm.exploiters:
        removed.append(f"Exploiters' names, contact details and addresses ({len(nrm.exploiters)})")
    if nrm.police.crime_reference or nrm.police.officer:
        removed.append("Police crime reference and officer")
    if nrm.where_found.place:
        removed.append("Exact place where the person was found (only the local authority area "
                       "is kept)")


def _age(nrm: NrmReferral, as_of: date) -> int | None:
    """The person's age in years on ``as_of``: from the date of birth, else the estimate."""
    victim = nrm.potential_victim
    if victim.date_of_birth is not None:
        return age_on(victim.date_of_birth, as_of)
    return victim.estimated_age


# --- which NRM fields a Duty to Notify keeps ----------------------------------------------

IDENTIFYING_NRM_FIELDS: tuple[str, ...] = (
    "where_found.place",
    "potential_victim.given_names", "potential_victim.family_name", "potential_victim.aliases",
    "potential_victim.date_of_birth", "potential_victim.safe_contact",
    "potential_victim.current_location",
    "dependants", "exploiters",
    "exploitation.places.address", "exploitation.places.postcode",
    "police.crime_reference", "police.officer",
)
"""NRM fields that identify the person or others: never in a Duty to Notify, emptied from the
working form when it becomes one, hidden while the route is Duty to Notify. A path names a
field, a whole section, or a field of every item of a list (``exploitation.places.address``)."""

SCRUBBED_NRM_FIELDS: tuple[str, ...] = (
    "immediate_risk_details", "consent.how_explained", "exploitation.places.town_or_area",
    "exploitation.began", "exploitation.ended", "came_to_notice.how",
    "came_to_notice.other_indicators", "account", "support.immediate_needs",
    "needs.capacity_notes", "consent.withdrawal_notes",
)
"""Free text kept, with every identifying detail (``forms.identifying``) replaced."""

SAFE_NRM_FIELDS: tuple[str, ...] = (
    "schema_version", "immediate_risk",
    "where_found.encountered_on", "where_found.local_authority", "where_found.age_group",
    "where_found.age_disputed",
    "first_responder",  # the officer's own work details, not the person's
    "consent.decision", "consent.booklet_language", "consent.interpreter_used",
    "consent.interpreter_language", "consent.decided_on",
    "potential_victim.estimated_age", "potential_victim.gender",
    "potential_victim.nationalities", "potential_victim.nationality_unknown",
    "potential_victim.languages", "potential_victim.languages_not_known",
    "potential_victim.interpreter_needed", "potential_victim.name_not_given",
    "exploitation.types", "exploitation.in_uk", "exploitation.abroad",
    "exploitation.places.country", "exploitation.ongoing",
    "came_to_notice.indicator_ids", "account_read_back",
    "police.involved", "police.force",
    "support.victim_care_contract", "support.accommodation_needed", "support.destitute",
    "needs.care_and_support_needs", "needs.migrant", "needs.immigration_advice_offered",
    "needs.capacity_concern", "needs.risk_to_others", "needs.nrm_stage",
    "consent.withdrawn_on", "consent.withdrawal_how", "support.council_housing_referral",
)
"""NRM fields that identify no one (choices, dates of events, the officer's details)."""


def nrm_field_paths(model: type[BaseModel] = NrmReferral, prefix: str = "") -> list[str]:
    """Every leaf field of ``model`` as a dotted path; a list of sections is walked into."""
    paths: list[str] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        inner = field.annotation
        args = getattr(inner, "__args__", ())
        if getattr(inner, "__origin__", None) is list and args:
            inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            paths += nrm_field_paths(inner, f"{path}.")
        else:
            paths.append(path)
    return paths


def _clear(data: dict[str, Any], path: list[str], blank: object) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        if head in data:
            data[head] = copy.deepcopy(blank)
        return
    inner = data.get(head)
    items = inner if isinstance(inner, list) else [inner]
    for item in items:
        if isinstance(item, dict):
            _clear(item, rest, blank)


def _blank(path: str) -> object:
    """The empty value of an NRM field (its default)."""
    model: type[BaseModel] = NrmReferral
    field = None
    for part in path.split("."):
        field = model.model_fields[part]
        inner = field.annotation
        args = getattr(inner, "__args__", ())
        if getattr(inner, "__origin__", None) is list and args and part != path.split(".")[-1]:
            inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    assert field is not None
    default = field.get_default(call_default_factory=True)
    return default.model_dump(mode="json") if isinstance(default, BaseModel) else default


def anonymise_nrm(data: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The NRM working form as a Duty to Notify leaves it: every identifying field emptied,
    free text scrubbed, and the age kept only as an estimate (from the date of birth, by the
    age rules, on ``as_of``). ``data`` must be a valid NRM form; it is not changed."""
    nrm = NrmReferral.model_validate(data)
    names, addresses = nrm.recorded_names(), nrm.recorded_addresses()
    cleaned = copy.deepcopy(data)
    victim = cleaned.setdefault("potential_victim", {})
    if nrm.potential_victim.estimated_age is None:
        victim["estimated_age"] = _age(nrm, as_of)
    for path in IDENTIFYING_NRM_FIELDS:
        _clear(cleaned, path.split("."), _blank(path))
    for path in SCRUBBED_NRM_FIELDS:
        _scrub_path(cleaned, path.split("."), names, addresses, as_of)
    return cleaned


def _scrub_path(
    data: dict[str, Any], path: list[str], names: list[str], addresses: list[str], as_of: date
) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        if isinstance(data.get(head), str):
            data[head] = scrub_identifying_text(data[head], names, addresses, as_of)[0]
        return
    inner = data.get(head)
    for item in inner if isinstance(inner, list) else [inner]:
        if isinstance(item, dict):
            _scrub_path(item, rest, names, addresses, as_of)
