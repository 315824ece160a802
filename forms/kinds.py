"""The registry of form kinds: the name a document is stored under, and its model."""

from __future__ import annotations

from forms.dtn import DutyToNotify
from forms.form import Form
from forms.intelligence import IntelligenceReport
from forms.nrm import NrmReferral
from forms.reception import ReceptionCentre
from forms.referral import Referral
from forms.visit import PremisesVisit

KINDS: dict[str, type[Form]] = {
    model.KIND: model
    for model in (
        NrmReferral, DutyToNotify, PremisesVisit, ReceptionCentre, IntelligenceReport, Referral
    )
}
"""Form kind ("nrm", "dtn", "visit", "reception", "intel", "referral") to its model class."""

KIND_TITLES: dict[str, str] = {
    "nrm": "NRM referral",
    "dtn": "Duty to Notify",
    "visit": "Premises visit",
    "reception": "Reception centre",
    "intel": "Intelligence report",
    "referral": "Referral",
}
"""The plain name of each form kind."""
