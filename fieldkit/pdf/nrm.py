"""The NRM pack: the referral laid out in the order of the Home Office online form, so it can be
copied across section by section, with a checklist of what is still missing at the front."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from fieldkit.clock import today, utc_now
from fieldkit.pdf import values as v
from fieldkit.pdf.layout import (
    build_pdf,
    bullet_list,
    content_width,
    field_table,
    grid,
    para,
    section_flowables,
    subheading,
    title_block,
)
from forms import NrmReferral, check_document
from forms.choices import ConsentDecision
from forms.form import FieldProblem
from forms.rules import Obligations, Route

CHECKLIST_HEADING = "Checklist before submission"
ROUTE_HEADING = "Which referral the rules require"
SECTIONS = (
    "Immediate risk",
    "1. Where the potential victim was found",
    "2. First responder",
    "3. Consent",
    "4. The potential victim",
    "5. Dependants",
    "6. Exploitation: types, places and dates",
    "7. How the potential victim came to notice",
    "8. The account in the potential victim's words",
    "9. Suspected exploiters",
    "10. Police involvement",
    "11. Support wanted",
    "12. Needs and safeguarding",
)
"""The section headings of the pack, in the order of the Home Office online form."""


def nrm_title(case_reference: str) -> str:
    """The PDF title (and page header): no personal data."""
    return f"NRM pack {case_reference}"


def render_nrm_pack(
    nrm: NrmReferral, case_reference: str, *, as_of: date | None = None,
    person_reference: str = "",
) -> bytes:
    """The NRM pack for one potential victim, as PDF bytes. ``as_of`` is the date the age rules
    are applied on (default: the date the person was found, else today); ``person_reference``:
    the case's reference for them (W1), printed under the case's so the pack is matched to the
    person on the board and at the Lead (never in the file name or the PDF's title)."""
    when = as_of or nrm.where_found.encountered_on or utc_now().date()
    problems = check_document("nrm", nrm.model_dump(mode="json"), ready=True, as_of=when,
                              today=today())
    person = [f"Person {person_reference.strip()}"] if person_reference.strip() else []
    story: list[Flowable] = title_block(
        "National Referral Mechanism (NRM) referral", case_reference,
        [*person, "Laid out in the order of the Home Office online form. Good practice: go "
         "through it with the potential victim, in a language they understand, before it is "
         "sent."],
    )
    story += section_flowables(CHECKLIST_HEADING, checklist(problems))
    story += section_flowables(ROUTE_HEADING, [para(route_text(nrm.obligations(when)))])
    for title, body in zip(SECTIONS, _sections(nrm, nrm.obligations(when)), strict=True):
        story += section_flowables(title, body)
    return build_pdf(story, title=nrm_title(case_reference), case_reference=case_reference)


def checklist(
    problems: list[FieldProblem],
    *,
    done: str = "Nothing is missing: every section needed for submission is complete.",
) -> list[Flowable]:
    """What is still missing, one line each under the part of the form it concerns (in
    words, never the field's internal name); ``done`` when none."""
    if not problems:
        return [para(done)]
    lines = [f"{_part(p.field)}: {p.message}" for p in problems]
    intro = para(f"{len(problems)} thing{'s' if len(problems) != 1 else ''} still to complete:")
    return [intro, *bullet_list(lines)]


def _part(field: str) -> str:
    """The part of the form a problem's field is in, in words (``came_to_notice.how``: Came
    to notice)."""
    return field.split(".", 1)[0].replace("_", " ").capitalize()


def route_text(rules: Obligations) -> str:
    """The rules' answer in plain words: NRM or Duty to Notify (never both), MASH, transition."""
    if rules.treated_as_child:
        words = ("Treated as a child (under 18, or possibly under 18): always an NRM referral; "
                 "consent is not needed. Make a MASH referral to children's services first.")
        if rules.transition_to_adulthood:
            words += " Within six months of turning 18: follow the Transition to Adulthood pathway."
        return words
    if rules.route is Route.NRM:
        return "An adult who gave informed consent: an NRM referral."
    if rules.route is Route.DUTY_TO_NOTIFY:
        return ("An adult who did not consent: this must not be an NRM referral. Make an "
                "anonymous Duty to Notify instead (never both).")
    return "An adult who has not yet been asked: consent is needed before an NRM referral."


def _sections(nrm: NrmReferral, rules: Obligations) -> list[list[Flowable]]:
    found, responder, consent = nrm.where_found, nrm.first_responder, nrm.consent
    decision = v.choice(consent.decision)
    if not rules.ask_consent:
        recorded = consent.decision is not ConsentDecision.NOT_ASKED
        decision = "Not needed: treated as a child" + (
            f" (recorded: {decision}; it does not change the referral)" if recorded else "")
    return [
        [field_table([("Immediate risk of serious harm", v.yes_no(nrm.immediate_risk)),
                      ("Details", nrm.immediate_risk_details)])],
        [field_table([
            ("Date found", v.day(found.encountered_on)),
            ("Where found (town or area)", found.place),
            ("Local authority area", found.local_authority),
            ("Adult or child", v.choice(found.age_group)),
            ("Doubt about whether under 18", v.yes_no(found.age_disputed)),
        ])],
        [field_table([
            ("Name", responder.name), ("Organisation", responder.organisation),
            ("Role", responder.role), ("Work email", responder.work_email),
            ("Phone", responder.phone),
        ])],
        [field_table([
            ("Decision", decision),
            ("How the NRM was explained", consent.how_explained),
            ("Language of the NRM booklet", v.language(consent.booklet_language)),
            ("Interpreter used", v.yes_no(consent.interpreter_used)),
            ("Interpreter's language", v.language(consent.interpreter_language)),
            ("Date of the decision", v.day(consent.decided_on)),
            # A withdrawal's lines only when consent was withdrawn ("Not recorded" beside
            # consent given read as if something were missing).
            *([("Date consent was withdrawn", v.day(consent.withdrawn_on)),
               ("How the withdrawal was made", v.choice(consent.withdrawal_how)),
               ("Notes on the withdrawal", consent.withdrawal_notes)]
              if consent.decision is ConsentDecision.WITHDRAWN else []),
        ])],
        _victim(nrm),
        _dependants(nrm),
        _exploitation(nrm),
        [field_table([("How", nrm.came_to_notice.how)]),
         subheading("Indicators observed"),
         *bullet_list(v.item_text(i) for i in nrm.came_to_notice.indicator_ids),
         field_table([("Other indicators", nrm.came_to_notice.other_indicators)])],
        [para(nrm.account),
         field_table([("Read back in a language they understand",
                       v.yes_no(nrm.account_read_back))])],
        _exploiters(nrm),
        [field_table([
            ("Police involved", v.yes_no(nrm.police.involved)),
            ("Force", nrm.police.force), ("Crime reference", nrm.police.crime_reference),
            ("Officer", nrm.police.officer),
        ])],
        [field_table([
            ("Support from the victim care contract (Salvation Army)",
             v.yes_no(nrm.support.victim_care_contract)),
            ("Needs accommodation", v.yes_no(nrm.support.accommodation_needed)),
            ("Meets the criteria for council housing (refer for a housing assessment)",
             v.yes_no(nrm.support.council_housing_referral)),
            ("Destitute (emergency support before the decision)",
             v.yes_no(nrm.support.destitute)),
            ("Immediate needs", nrm.support.immediate_needs),
        ])],
        [_needs(nrm)],
    ]


def _needs(nrm: NrmReferral) -> Flowable:
    needs = nrm.needs
    return field_table([
        ("Care and support needs (Adult Social Care)", v.yes_no(needs.care_and_support_needs)),
        ("The potential victim is a migrant", v.yes_no(needs.migrant)),
        ("Immigration advice offered", v.yes_no(needs.immigration_advice_offered)),
        ("Concern about capacity to decide", v.yes_no(needs.capacity_concern)),
        ("Capacity notes (Mental Capacity Act)", needs.capacity_notes),
        ("Risk to others", v.yes_no(needs.risk_to_others)),
        ("NRM stage", v.choice(needs.nrm_stage)),
    ])


def _victim(nrm: NrmReferral) -> list[Flowable]:
    person, contact = nrm.potential_victim, nrm.potential_victim.safe_contact
    age = "" if person.estimated_age is None else str(person.estimated_age)
    nationality = "; ".join(part for part in (
        v.countries(person.nationalities),
        "Not known or stateless" if person.nationality_unknown else "") if part)
    return [
        field_table([
            ("Given names", "; ".join(part for part in (
                person.given_names,
                "Name not given (the person has not said it)" if person.name_not_given else "")
                if part)),
            ("Family name", person.family_name),
            ("Other names or aliases", v.joined(person.aliases)),
            ("Date of birth", v.day(person.date_of_birth)), ("Estimated age", age),
            ("Gender", v.choice(person.gender)),
            ("Nationality", nationality),
            ("Languages spoken", "; ".join(part for part in (
                v.languages(person.languages),
                "Not yet known" if person.languages_not_known else "") if part)),
            ("Interpreter needed", v.yes_no(person.interpreter_needed)),
            ("Where the potential victim is now", person.current_location),
        ]),
        subheading("Safe contact details"),
        field_table([
            ("Phone", contact.phone), ("Email", contact.email), ("Address", contact.address),
            ("Postcode", contact.postcode),
            ("Safe to leave messages", v.yes_no(contact.safe_to_leave_messages)),
            ("Notes", contact.notes),
        ]),
    ]


def _dependants(nrm: NrmReferral) -> list[Flowable]:
    if not nrm.dependants:
        return bullet_list([], empty="No dependants recorded.")
    width = content_width()
    rows = [[d.name, d.relationship, v.day(d.date_of_birth),
             "" if d.estimated_age is None else str(d.estimated_age),
             v.yes_no(d.with_the_person), d.location] for d in nrm.dependants]
    return [grid(["Name", "Relationship", "Date of birth", "Age", "With them", "Where"], rows,
                 [width * f for f in (0.2, 0.16, 0.16, 0.08, 0.1, 0.3)])]


def _exploitation(nrm: NrmReferral) -> list[Flowable]:
    found = nrm.exploitation
    story: list[Flowable] = [field_table([
        ("Types of exploitation", v.choices(found.types)),
        ("In the UK", v.where_exploited(found.in_uk, found.abroad)[0]),
        ("Abroad", v.where_exploited(found.in_uk, found.abroad)[1]),
        ("Began", found.began), ("Ended", found.ended), ("Ongoing", v.yes_no(found.ongoing)),
    ]), subheading("Places of exploitation")]
    if not found.places:
        return [*story, *bullet_list([], empty="No places recorded.")]
    width = content_width()
    rows = [[v.country(p.country), p.town_or_area, p.address, p.postcode] for p in found.places]
    return [*story, grid(["Country", "Town or area", "Address", "Postcode"], rows,
                         [width * f for f in (0.18, 0.25, 0.42, 0.15)])]


def _exploiters(nrm: NrmReferral) -> list[Flowable]:
    if not nrm.exploiters:
        return bullet_list([], empty="No suspected exploiters recorded.")
    story: list[Flowable] = []
    for number, person in enumerate(nrm.exploiters, start=1):
        story += [subheading(f"Suspected exploiter {number}"), field_table([
            ("Name", person.name), ("Gender", v.choice(person.gender)),
            ("Nationality", v.country(person.nationality)),
            ("Relationship to the potential victim", person.relationship),
            ("Description", person.description), ("Phone or other contact", person.contact_details),
            ("Address", person.address),
        ])]
    return story
