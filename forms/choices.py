"""The fixed choices offered on the forms, in the officers' words, with display labels."""

from __future__ import annotations

import re
from enum import StrEnum


class AgeGroup(StrEnum):
    """Whether the person is an adult or a child, as the officer judges it. Not sure counts as
    a child until shown otherwise (presumption of age)."""

    ADULT = "adult"
    CHILD = "child"
    NOT_SURE = "not_sure"


class Gender(StrEnum):
    """The person's gender as they describe it."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_KNOWN = "not_known"


class ConsentDecision(StrEnum):
    """An adult's decision about an NRM referral, after it was explained. ``WITHDRAWN`` is an
    adult who consented and then withdrew before the referral was submitted: for the route it
    counts as no consent (a Duty to Notify), and the record keeps when and how it was said."""

    NOT_ASKED = "not_asked"
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


NO_CONSENT = frozenset({ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN})
"""The decisions that leave an adult without consent to an NRM referral."""


class WithdrawalMethod(StrEnum):
    """How an adult's withdrawal of consent reached the officer."""

    IN_PERSON = "in_person"
    THROUGH_INTERPRETER = "through_interpreter"
    BY_PHONE = "by_phone"
    IN_WRITING = "in_writing"
    THROUGH_SUPPORT_WORKER = "through_support_worker"
    OTHER = "other"


class ResponderDuty(StrEnum):
    """What the officer's organisation is as a first responder, which decides what they must do
    for an adult who does not consent (Modern Slavery Act 2015, section 52)."""

    STATUTORY = "statutory"
    """A specified public authority: must notify the Home Office (Duty to Notify)."""
    NON_STATUTORY = "non_statutory"
    """A charity first responder: may refer with consent; has no duty to notify."""
    NOT_LISTED = "not_listed"
    """Says it is a first responder, but its organisation is not in the council's list."""
    NOT_FIRST_RESPONDER = "not_first_responder"
    """Cannot refer to the NRM: passes the concern to a first responder."""


class ExploitationType(StrEnum):
    """Types of exploitation on the NRM form; more than one may apply."""

    LABOUR = "labour"
    SEXUAL = "sexual"
    CRIMINAL = "criminal"
    DOMESTIC_SERVITUDE = "domestic_servitude"
    ORGAN_REMOVAL = "organ_removal"


class BusinessType(StrEnum):
    """The kind of premises visited; each has its own indicator checklist."""

    HAND_CAR_WASH = "hand_car_wash"
    NAIL_BAR = "nail_bar"
    TAKEAWAY_OR_RESTAURANT = "takeaway_or_restaurant"
    FACTORY_OR_WAREHOUSE = "factory_or_warehouse"
    FARM = "farm"
    CONSTRUCTION = "construction"
    CARE = "care"
    HOSPITALITY = "hospitality"
    HOUSE_IN_MULTIPLE_OCCUPATION = "house_in_multiple_occupation"
    OTHER = "other"


class Agency(StrEnum):
    """Agencies present on a visit or at a reception centre."""

    TRADING_STANDARDS = "trading_standards"
    POLICE = "police"
    GLAA = "glaa"
    BORDER_FORCE = "border_force"
    IMMIGRATION_ENFORCEMENT = "immigration_enforcement"
    COUNCIL_HOUSING = "council_housing"
    ADULT_SOCIAL_CARE = "adult_social_care"
    CHILDRENS_SERVICES = "childrens_services"
    NHS = "nhs"
    SALVATION_ARMY = "salvation_army"
    RED_CROSS = "red_cross"
    HMRC = "hmrc"
    DWP = "dwp"
    FIRE_SERVICE = "fire_service"
    OTHER = "other"


class ReferralDestination(StrEnum):
    """Where a referral was made."""

    MODERN_SLAVERY_LEAD = "modern_slavery_lead"
    POLICE_999 = "police_999"
    POLICE_101 = "police_101"
    MASH = "mash"
    ADULT_SOCIAL_CARE = "adult_social_care"
    HOUSING = "housing"
    MIGRATION_TEAM = "migration_team"
    REFUGEE_AND_MIGRANT_CENTRE = "refugee_and_migrant_centre"
    GLAA = "glaa"
    SALVATION_ARMY = "salvation_army"
    HOUSING_ENFORCEMENT = "housing_enforcement"
    TRADING_STANDARDS = "trading_standards"
    BORDER_FORCE = "border_force"
    STREETLINK = "streetlink"
    SPECIALIST_SUPPORT = "specialist_support"
    OTHER = "other"


class AgeRange(StrEnum):
    """Age ranges a Duty to Notify may give. Adults only: a child is always referred to the NRM,
    so there is deliberately no range under 18."""

    FROM_18_TO_24 = "18-24"
    FROM_25_TO_34 = "25-34"
    FROM_35_TO_44 = "35-44"
    FROM_45_TO_54 = "45-54"
    FROM_55_TO_64 = "55-64"
    FROM_65 = "65+"
    NOT_KNOWN = "not_known"


class NrmStage(StrEnum):
    """Where a person's NRM referral stands (reasonable and conclusive grounds decisions)."""

    NOT_REFERRED = "not_referred"
    AWAITING_RG = "awaiting_rg"
    POSITIVE_RG = "positive_rg"
    NEGATIVE_RG = "negative_rg"
    POSITIVE_CG = "positive_cg"
    NEGATIVE_CG = "negative_cg"


# Keyed by (enum, value): StrEnum members of different enums with the same value compare equal.
_LABELS: dict[tuple[type[StrEnum], str], str] = {
    (AgeGroup, "not_sure"): "Not sure (a child, unless an age of 18 or over is recorded)",
    (ConsentDecision, "not_asked"): "Not asked yet",
    (ConsentDecision, "withdrawn"): "Given, then withdrawn before submission",
    (WithdrawalMethod, "through_interpreter"): "In person, through an interpreter",
    (ResponderDuty, "statutory"): "Statutory first responder (must notify)",
    (ResponderDuty, "non_statutory"): "Non-statutory first responder (no duty to notify)",
    (ResponderDuty, "not_listed"): "First responder not in the council's list",
    (BusinessType, "house_in_multiple_occupation"): "House in multiple occupation (HMO)",
    (Agency, "glaa"): "Gangmasters and Labour Abuse Authority (GLAA)",
    (Agency, "nhs"): "NHS",
    (Agency, "hmrc"): "HMRC",
    (Agency, "dwp"): "DWP",
    (Agency, "childrens_services"): "Children's services",
    (ReferralDestination, "modern_slavery_lead"): "Council's Modern Slavery Lead",
    (ReferralDestination, "police_999"): "Police (999)",
    (ReferralDestination, "police_101"): "Police (101)",
    (ReferralDestination, "mash"): "Multi-Agency Safeguarding Hub (MASH)",
    (ReferralDestination, "migration_team"): "Council migration team",
    (ReferralDestination, "glaa"): "Gangmasters and Labour Abuse Authority (GLAA)",
    (ReferralDestination, "salvation_army"): "Salvation Army (victim care contract)",
    (ReferralDestination, "streetlink"): "StreetLink",
    (AgeRange, "65+"): "65 or over",
    (NrmStage, "awaiting_rg"): "Awaiting the reasonable grounds decision",
    (NrmStage, "positive_rg"): "Positive reasonable grounds decision",
    (NrmStage, "negative_rg"): "Negative reasonable grounds decision",
    (NrmStage, "positive_cg"): "Positive conclusive grounds decision",
    (NrmStage, "negative_cg"): "Negative conclusive grounds decision",
}
"""Labels for other modules' enums are registered with :func:`register_labels`."""


def register_labels(enum: type[StrEnum], labels: dict[str, str]) -> None:
    """Give some of ``enum``'s values display labels of their own."""
    for value, text in labels.items():
        _LABELS[(enum, value)] = text


def label(choice: StrEnum) -> str:
    """The display text of a choice, e.g. ``Hand car wash`` for ``hand_car_wash``."""
    known = _LABELS.get((type(choice), str(choice.value)))
    if known is not None:
        return known
    text = str(choice.value).replace("_", " ")
    text = text[:1].upper() + text[1:]
    for pattern, proper in _PROPER_NAMES:
        text = pattern.sub(proper, text)
    return text


# Names and initialisms that keep their capitals in labels made from enum values.
_PROPER_NAMES = [
    (re.compile(rf"\b{word}\b", re.IGNORECASE), proper)
    for word, proper in [
        ("mash", "MASH"), ("nrm", "NRM"), ("dtn", "DtN"), ("glaa", "GLAA"), ("nhs", "NHS"),
        ("uk", "UK"), ("salvation army", "Salvation Army"), ("border force", "Border Force"),
        ("red cross", "Red Cross"), ("sca", "SCA"),
    ]
]

