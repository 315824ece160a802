"""What the pathway needs to know about a person beyond the NRM portal's questions: care and
support needs, whether they are a migrant (and were offered immigration advice), concerns about
their capacity to decide, any risk to others, and where their NRM referral stands."""

from __future__ import annotations

from pydantic import Field

from forms.choices import NrmStage
from forms.form import FormSection


class PersonNeeds(FormSection):
    """Facts the council's pathway acts on (Adult Social Care, the migrant steps, the
    Mental Capacity Act, the during- and after-NRM steps)."""

    care_and_support_needs: bool | None = Field(
        None, title="Care and support needs (Adult Social Care)")
    migrant: bool | None = Field(None, title="The person is a migrant")
    immigration_advice_offered: bool | None = Field(
        None, title="Immigration advice offered")
    capacity_concern: bool = Field(False, title="Concern about capacity to decide")
    capacity_notes: str = Field("", title="Capacity notes (Mental Capacity Act)")
    risk_to_others: bool = Field(False, title="Risk to others")
    nrm_stage: NrmStage = Field(NrmStage.NOT_REFERRED, title="NRM stage")
