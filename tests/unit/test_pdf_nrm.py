"""The NRM pack and the Duty to Notify PDFs: well formed, every section in portal order, the
checklist of what is missing, the page furniture, and a DtN that identifies nobody."""

from __future__ import annotations

from datetime import date

from fieldkit.demo import forms as demo_forms
from fieldkit.pdf import render_dtn, render_nrm_pack
from fieldkit.pdf.dtn import SECTIONS as DTN_SECTIONS
from fieldkit.pdf.nrm import CHECKLIST_HEADING, ROUTE_HEADING, SECTIONS
from forms import NrmReferral, nrm_to_dtn
from tests.unit.test_pdf_tools import assert_page_furniture, pdf_text, qpdf_check

REF = "FK-2026-0042"
FOUND_ON = date(2026, 5, 14)


def test_nrm_pack_has_every_section_in_portal_order_and_the_key_values() -> None:
    pdf = render_nrm_pack(demo_forms.w1_nrm(FOUND_ON), REF)
    qpdf_check(pdf)
    assert_page_furniture(pdf, REF)
    text = pdf_text(pdf)
    positions = [text.index(heading) for heading in (CHECKLIST_HEADING, ROUTE_HEADING, *SECTIONS)]
    assert positions == sorted(positions)
    for value in ("Andrei", "Dobrescu", "12 March 1994", "Romania", "Romanian", "Rowan Hallam",
                  "West Midlands Police", "Labour", "14 May 2026", "07700 900123",
                  "Tied, overcrowded accommodation; mattresses on floors",
                  "Nothing is missing", "An adult who gave informed consent"):
        assert value in text, value
    assert b"/Title (NRM pack FK-2026-0042)" in pdf


def test_nrm_pack_lists_what_is_missing_and_the_child_rules() -> None:
    text = pdf_text(render_nrm_pack(demo_forms.w3_nrm(FOUND_ON), REF))
    assert "2 things still to complete" in text
    assert "Potential victim: Say whether an interpreter is needed" in text
    assert "Exploitation: When the exploitation began is needed" in text
    assert "MASH referral" in text and "consent is not needed" in text
    assert "Not needed: treated as a child" in text


def test_an_empty_draft_renders_with_a_long_checklist() -> None:
    pdf = render_nrm_pack(NrmReferral(), REF, as_of=FOUND_ON)
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "Where found: Date the person was found is needed" in text
    assert "where_found" not in text and "(exploitation." not in text  # no internal names
    assert "Not recorded" in text


def test_user_text_with_markup_characters_is_printed_as_written() -> None:
    nrm = demo_forms.w1_nrm(FOUND_ON)
    account = 'Paid < £3 an hour & "fined" for <b>breaks</b> </para> \x01 ok'
    nrm = nrm.model_copy(update={"account": account})
    pdf = render_nrm_pack(nrm, REF)
    qpdf_check(pdf)
    assert 'Paid < £3 an hour & "fined" for <b>breaks</b> </para> ok' in pdf_text(pdf)


def test_the_pdf_title_names_no_one() -> None:
    pdf = render_nrm_pack(demo_forms.w1_nrm(FOUND_ON), REF)
    info = pdf[pdf.index(b"/Title"):pdf.index(b"/Title") + 200]
    assert b"Andrei" not in info and b"Dobrescu" not in info


def test_dtn_built_from_a_full_nrm_draft_contains_no_identifying_value() -> None:
    draft = demo_forms.w2_nrm_draft(FOUND_ON)
    notice, removed = nrm_to_dtn(draft)
    assert removed
    pdf = render_dtn(notice, REF)
    qpdf_check(pdf)
    assert_page_furniture(pdf, REF)
    text = pdf_text(pdf)
    for heading in DTN_SECTIONS:
        assert heading in text, heading
    assert "Male" in text and "35-44" in text and "Romania" in text and "Labour" in text
    assert "Coventry" in text  # the general area is kept
    victim = draft.potential_victim
    identifying = [
        *draft.recorded_names(), *draft.recorded_addresses(), "Mateescu", "Florin",
        "2 July 1988", "1988-07-02", "02/07/1988", "07700 900456", "07700900456",
        "Lockhurst", "CV6 5PD", "CV6 5AH", "210 Foleshill", "Unit 4", "Shine Bright",
        draft.police.crime_reference, draft.police.officer, "Kam",
    ]
    assert victim.given_names in identifying
    for value in identifying:
        assert value not in text, "an identifying value is printed on the Duty to Notify"
    assert "[name removed]" in text and "[phone removed]" in text


def test_the_council_housing_answer_is_printed_in_the_nrm_pack() -> None:
    """R-HOUSING-ASSESSMENT: the separate council housing question is on paper, answered."""
    nrm = demo_forms.w1_nrm(FOUND_ON)
    for answer, shown in ((True, "Yes"), (False, "No")):
        support = nrm.support.model_copy(update={"council_housing_referral": answer})
        text = pdf_text(render_nrm_pack(nrm.model_copy(update={"support": support}), REF))
        assert f"Meets the criteria for council housing (refer for a housing assessment) " \
               f"{shown}" in text


def test_the_duty_to_notify_prints_the_immediate_risk() -> None:
    """R-999-KEPT-WITH-DTN: the notice shows the immediate risk and the 999 step."""
    notice, _removed = nrm_to_dtn(demo_forms.w2_nrm_draft(FOUND_ON))
    calm = pdf_text(render_dtn(notice, REF))
    assert "Immediate risk of serious harm No" in calm and "call 999" not in calm
    urgent = pdf_text(render_dtn(notice.model_copy(update={"immediate_risk": True}), REF))
    assert "Immediate risk of serious harm Yes" in urgent
    assert "Immediate risk of serious harm: call 999 first." in urgent
