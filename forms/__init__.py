"""Every form and record fieldkit keeps, as pure pydantic models with the rules between their
fields. No Qt, no database, no network, no files: everything else speaks these types."""

from __future__ import annotations

from forms.check import check_document
from forms.dtn import DutyToNotify, NotForDutyToNotify, nrm_to_dtn
from forms.form import FieldProblem, Form
from forms.intelligence import IntelligenceReport
from forms.kinds import KIND_TITLES, KINDS
from forms.nrm import NrmReferral
from forms.reception import (
    BoardStep,
    PersonReceived,
    ReceptionCentre,
    StepStatus,
    StepWait,
)
from forms.referral import Referral
from forms.visit import PremisesVisit

__all__ = [
    "KINDS",
    "KIND_TITLES",
    "BoardStep",
    "DutyToNotify",
    "FieldProblem",
    "Form",
    "IntelligenceReport",
    "NotForDutyToNotify",
    "NrmReferral",
    "PersonReceived",
    "PremisesVisit",
    "ReceptionCentre",
    "Referral",
    "StepStatus",
    "StepWait",
    "check_document",
    "nrm_to_dtn",
]
