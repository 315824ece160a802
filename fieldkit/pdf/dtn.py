"""The Duty to Notify (section 52, Modern Slavery Act 2015): the anonymous notice for an adult who
did not consent to an NRM referral. It prints only what the form holds, and the form has no
identifying fields by construction (build it from an NRM draft with ``forms.nrm_to_dtn``)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fieldkit.clock import today
from fieldkit.pdf import values as v
from fieldkit.pdf.layout import (
    build_pdf,
    bullet_list,
    content_width,
    field_table,
    grid,
    para,
    section_flowables,
    title_block,
)
from fieldkit.pdf.nrm import checklist
from forms import DutyToNotify, check_document

SECTIONS = (
    "Checklist before submission",
    "Immediate risk",
    "First responder",
    "The potential victim (no identifying details)",
    "Exploitation",
    "How the potential victim came to notice",
    "Indicators observed",
    "Anonymised account",
)
"""The section headings of the notice, in order."""


def dtn_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"Duty to Notify {case_reference}"


def render_dtn(dtn: DutyToNotify, case_reference: str) -> bytes:
    """The Duty to Notify as PDF bytes."""
    problems = check_document("dtn", dtn.model_dump(mode="json"), ready=True,
                              today=today())
    story: list[Flowable] = title_block(
        "Duty to Notify (section 52, Modern Slavery Act 2015)", case_reference,
        ["An anonymous notification for an adult potential victim who did not consent to an "
         "NRM referral. It must not identify anyone: no name, date of birth, contact details "
         "or address."],
    )
    nationality = "; ".join(part for part in (
        v.country(dtn.nationality),
        "Not known or stateless" if dtn.nationality_unknown else "") if part)
    bodies: list[list[Flowable]] = [
        checklist(problems),
        [field_table([("Immediate risk of serious harm", v.yes_no(dtn.immediate_risk))]),
         *([para("Immediate risk of serious harm: call 999 first.")] if dtn.immediate_risk
           else [])],
        [field_table([
            ("Name", dtn.first_responder.name),
            ("Organisation", dtn.first_responder.organisation),
            ("Role", dtn.first_responder.role), ("Work email", dtn.first_responder.work_email),
            ("Phone", dtn.first_responder.phone),
        ])],
        [field_table([
            ("Date found", v.day(dtn.encountered_on)), ("Gender", v.choice(dtn.gender)),
            ("Age range", v.choice(dtn.age_range)), ("Nationality", nationality),
        ])],
        [field_table([
            ("Types of exploitation", v.choices(dtn.exploitation_types)),
            ("In the UK", v.where_exploited(dtn.in_uk, dtn.abroad)[0]),
            ("Abroad", v.where_exploited(dtn.in_uk, dtn.abroad)[1]),
            ("General area where found", dtn.general_area),
            ("Ongoing", v.yes_no(dtn.ongoing)),
        ]), *_areas(dtn)],
        [para(dtn.how_came_to_notice)],
        bullet_list(v.item_text(i) for i in dtn.indicator_ids),
        [para(dtn.account)],
    ]
    for title, body in zip(SECTIONS, bodies, strict=True):
        story += section_flowables(title, body)
    return build_pdf(story, title=dtn_title(case_reference), case_reference=case_reference)


def _areas(dtn: DutyToNotify) -> list[Flowable]:
    if not dtn.areas:
        return []
    width = content_width()
    rows = [[v.country(a.country), a.general_area] for a in dtn.areas]
    return [grid(["Country", "General area of exploitation"], rows, [width * 0.3, width * 0.7])]
