"""The checks an officer's walk of the app found missing: dates of what has already happened
refused when after today, phone numbers and UK postcodes checked (postcodes stored normalised),
the potential victim's email given a neutral example, every problem shown while a field is
invalid, and the visit's worker counts not recorded until entered."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from forms.check import check_document
from forms.contact import is_phone_number, looks_like_email, uk_postcode
from forms.dtn import DutyToNotify
from forms.form import TYPED
from forms.intelligence import IntelligenceReport
from forms.nrm import Dependant, FirstResponder, NrmReferral, Place, SafeContact
from forms.referral import Referral
from forms.visit import PartnerAttending, Premises, PremisesVisit, VisitAction
from tests.unit.test_forms_roundtrip import FOUND_ON, full_examples, full_nrm

TODAY = date(2026, 12, 4)
LATER = date(2027, 6, 1)
LATER_AT = datetime(2027, 6, 1, 10, 0)


def messages(problems: list[Any]) -> dict[str, str]:
    return {p.field: p.message for p in problems}


# --- dates of what has already happened -----------------------------------------------------


def test_an_nrm_dated_after_today_is_not_ready() -> None:
    """R-FORM-NOT-FUTURE: on an NRM marked ready, the date found, the consent decision and a
    dependant's date of birth after today are each named."""
    nrm = full_nrm()
    nrm.where_found.encountered_on = LATER
    nrm.consent.decided_on = LATER
    nrm.dependants = [Dependant(name="Mira", date_of_birth=LATER)]
    found = messages(check_document("nrm", nrm.model_dump_json(), ready=True, today=TODAY))
    assert found == {
        "where_found.encountered_on": "Date the person was found cannot be in the future",
        "consent.decided_on": "Date of the consent decision cannot be in the future",
        "dependants.0.date_of_birth": "Date of birth of dependant 1 cannot be in the future",
    }
    assert nrm.ready_problems(today=LATER) == []  # on the day itself, nothing is in the future
    assert full_nrm().ready_problems(FOUND_ON, today=TODAY) == []


def test_a_withdrawal_dated_after_today_is_named() -> None:
    """R-FORM-NOT-FUTURE: the date consent was withdrawn may not be after today either."""
    nrm = NrmReferral.model_validate({"consent": {"decision": "withdrawn",
                                                  "withdrawn_on": "2027-06-01",
                                                  "withdrawal_how": "in_person"}})
    assert messages(nrm.ready_problems(today=TODAY))["consent.withdrawn_on"] == (
        "Date consent was withdrawn cannot be in the future")


def test_without_today_the_nrm_is_not_checked_against_the_clock() -> None:
    """The forms never read the clock: with no ``today`` a future date is not a problem (the
    app always gives one: ``fieldkit.documents.form_problems``)."""
    nrm = full_nrm()
    nrm.where_found.encountered_on = LATER
    nrm.consent.decided_on = LATER
    assert check_document("nrm", nrm.model_dump_json(), ready=True) == []


def test_a_duty_to_notify_dated_after_today_is_not_ready() -> None:
    """R-FORM-NOT-FUTURE: the Duty to Notify's date found too."""
    notice = full_examples()["dtn"]
    assert isinstance(notice, DutyToNotify)
    notice.encountered_on = LATER
    found = check_document("dtn", notice.model_dump_json(), ready=True, today=TODAY)
    assert messages(found) == {
        "encountered_on": "Date the person was found cannot be in the future"}


def test_a_visit_ended_after_today_is_not_ready_but_may_be_planned_then() -> None:
    """R-FORM-NOT-FUTURE: a visit's start, end and actions have happened; its plan may be for
    later."""
    visit = full_examples()["visit"]
    assert isinstance(visit, PremisesVisit)
    visit.plan.planned_for = LATER_AT
    assert check_document("visit", visit.model_dump_json(), ready=True, today=TODAY) == []
    visit.started_at = visit.ended_at = LATER_AT
    visit.actions = [VisitAction(at=LATER_AT, action="lead_notified")]
    found = messages(check_document("visit", visit.model_dump_json(), ready=True, as_of=TODAY))
    assert found == {"started_at": "Start time cannot be in the future",
                     "ended_at": "End time cannot be in the future",
                     "actions.0.at": "Time of action 1 cannot be in the future"}


def test_a_referral_or_report_recorded_after_today_is_not_ready() -> None:
    """R-FORM-NOT-FUTURE: the time a referral was made, or intelligence recorded."""
    referral = full_examples()["referral"]
    report = full_examples()["intel"]
    assert isinstance(referral, Referral) and isinstance(report, IntelligenceReport)
    referral.made_at = LATER_AT
    report.recorded_at = LATER_AT
    assert messages(check_document("referral", referral.model_dump_json(), ready=True,
                                   today=TODAY)) == {
        "made_at": "Time of the referral cannot be in the future"}
    assert messages(check_document("intel", report.model_dump_json(), ready=True,
                                   today=TODAY)) == {
        "recorded_at": "Time recorded cannot be in the future"}


def test_a_time_later_today_is_in_the_future_too() -> None:
    """R-FORM-NOT-FUTURE: at 21:12, a visit ended at 23:59 today, intelligence recorded at
    23:50 and a referral made at 22:00 are refused (only a date after today was); a time
    rounded up a few minutes is not. Typed times have no zone; the clock's has one."""
    now = datetime(2026, 12, 4, 21, 12).astimezone()
    visit, referral, report = (full_examples()[kind] for kind in ("visit", "referral", "intel"))
    assert isinstance(visit, PremisesVisit) and isinstance(referral, Referral)
    assert isinstance(report, IntelligenceReport)
    visit.started_at = datetime(2026, 12, 4, 19, 40)
    visit.ended_at = datetime(2026, 12, 4, 23, 59)
    visit.actions = [VisitAction(at=datetime(2026, 12, 4, 20, 0), action="lead_notified")]
    referral.made_at = datetime(2026, 12, 4, 22, 0)
    report.recorded_at = datetime(2026, 12, 4, 23, 50)
    checked = {kind: messages(check_document(kind, form.model_dump_json(), ready=True,
                                             today=TODAY, now=now))
               for kind, form in (("visit", visit), ("referral", referral), ("intel", report))}
    assert checked == {"visit": {"ended_at": "End time cannot be in the future"},
                       "referral": {"made_at": "Time of the referral cannot be in the future"},
                       "intel": {"recorded_at": "Time recorded cannot be in the future"}}
    visit.ended_at = datetime(2026, 12, 4, 21, 15)  # rounded up: within five minutes
    assert check_document("visit", visit.model_dump_json(), ready=True, today=TODAY,
                          now=now) == []
    # Without the time, only the date is checked (as before).
    visit.ended_at = datetime(2026, 12, 4, 23, 59)
    assert check_document("visit", visit.model_dump_json(), ready=True, today=TODAY) == []


# --- phone numbers, postcodes and email addresses --------------------------------------------


@pytest.mark.parametrize("text", ["07700 900123", "024 7650 0000", "+44 (0)24 7650 0000",
                                  "+48 22 123 45 67", "07700-900-123", "0247650000",
                                  "+33 6.12.34.56.78", "030/1234567"])  # as written abroad
def test_phone_numbers_uk_or_international_are_accepted(text: str) -> None:
    assert is_phone_number(text)


@pytest.mark.parametrize("text", ["call me maybe", "abc", "999", "123456", "0770+0900123",
                                  "07700 900123 ext 4", "1234567890123456"])
def test_what_is_not_a_phone_number_is_refused(text: str) -> None:
    assert not is_phone_number(text)


@pytest.mark.parametrize(("text", "stored"), [
    ("CV1 5AH", "CV1 5AH"), ("cv15ah", "CV1 5AH"), ("  cv6   5pd ", "CV6 5PD"),
    ("SW1A 1AA", "SW1A 1AA"), ("ec1a1bb", "EC1A 1BB"), ("M1 1AE", "M1 1AE"),
    ("DN55 1PT", "DN55 1PT"), ("gir0aa", "GIR 0AA"),
])
def test_uk_postcodes_are_stored_upper_case_with_one_space(text: str, stored: str) -> None:
    assert uk_postcode(text) == stored
    assert Premises(postcode=text).postcode == stored


@pytest.mark.parametrize("text", ["NOTAPOSTCODE", "CV1", "12345", "CV1 5A", "QV1 5AH",
                                  "CV1 5CH", "CV15 AH1"])
def test_what_is_not_a_uk_postcode_is_refused(text: str) -> None:
    assert uk_postcode(text) is None


def test_contact_details_that_are_not_phones_or_postcodes_are_named() -> None:
    """R-FORM-CONTACT-DETAILS: every phone and postcode field of the forms refuses what is not
    one, naming the field and giving an example; blank stays allowed."""
    found = messages(check_document("nrm", {
        "first_responder": {"phone": "abc"},
        "potential_victim": {"safe_contact": {"phone": "call me maybe",
                                              "postcode": "NOTAPOSTCODE"}},
        "exploitation": {"places": [{"postcode": "nowhere"}]},
    }, ready=False))
    assert found == {
        "first_responder.phone": "First responder: first responder's phone number must be "
                                 "a phone number, such as 07700 900123",
        "potential_victim.safe_contact.phone": "Potential victim, Safe contact details: safe "
                                               "phone number must be a phone number, such as "
                                               "07700 900123",
        "potential_victim.safe_contact.postcode": "Potential victim, Safe contact details: "
                                                  "postcode must be a UK postcode, such as "
                                                  "CV1 2AB",
        "exploitation.places.0.postcode": "Exploitation, Places of exploitation (item 1): "
                                          "postcode must be a UK postcode, such as CV1 2AB",
    }
    visit = messages(check_document("visit", {
        "premises": {"postcode": "CV6"},
        "plan": {"partners": [{"contact_phone": "ring the desk"}]},
    }, ready=False))
    assert visit == {
        "premises.postcode": "Premises: premises postcode must be a UK postcode, such as "
                             "CV1 2AB",
        "plan.partners.0.contact_phone": "Visit plan, Partner agencies (item 1): partner's "
                                         "phone must be a phone number, such as 07700 900123",
    }
    notice = messages(check_document("dtn", {"first_responder": {"phone": "x"}}, ready=False))
    assert list(notice) == ["first_responder.phone"]
    assert SafeContact(phone="", postcode="").postcode == ""
    assert Place(postcode="cv2 9zx").postcode == "CV2 9ZX"
    assert PartnerAttending(contact_phone="+44 24 7683 2222").contact_phone


@pytest.mark.parametrize("text", ["rowan.hallam@coventry,gov.uk", "a@@coventry.gov.uk",
                                  "@coventry.gov.uk", "a@coventry..gov.uk", "a@.",
                                  "a;b@gov.uk", "rowan.hallam@coventry", "a..b@x.org"])
def test_what_is_not_an_email_address_is_refused(text: str) -> None:
    """A comma for a dot, two @, nothing before it: each went on every NRM as the first
    responder's email."""
    assert not looks_like_email(text)


@pytest.mark.parametrize("text", ["rowan.hallam@coventry.gov.uk", "a.b+c@sub.example.co.uk",
                                  "jose@exemplo.com.br", "o'neil@example.org"])
def test_email_addresses_are_accepted(text: str) -> None:
    assert looks_like_email(text)


def test_the_potential_victims_email_has_a_neutral_example() -> None:
    """R-FORM-CONTACT-DETAILS: a potential victim's email is not given a council example; the
    officer's work email is."""
    found = messages(check_document("nrm", {
        "first_responder": {"work_email": "officer at council"},
        "potential_victim": {"safe_contact": {"email": "no email"}},
    }, ready=False))
    assert found["first_responder.work_email"].endswith(
        "must be an email address, such as name@council.gov.uk")
    assert found["potential_victim.safe_contact.email"] == (
        "Potential victim, Safe contact details: safe email address must be an email address, "
        "such as name@example.com")
    assert FirstResponder(work_email="a.officer@coventry.gov.uk").work_email


def test_a_form_saved_before_the_format_checks_is_still_read() -> None:
    """R-FORM-CONTACT-DETAILS: the checks refuse what is typed or saved now; a form read back
    as it was saved (a phone written as words before the check existed) is read as it is, so
    it still prints, syncs and reaches the Lead, and checking it names what to correct."""
    saved = json.dumps({"potential_victim": {"safe_contact": {
        "phone": "ring the front desk", "postcode": "unknown", "email": "no email"}},
        "exploitation": {"places": [{"postcode": "cv2 9zx"}]}})
    read = NrmReferral.model_validate_json(saved)
    contact = read.potential_victim.safe_contact
    assert (contact.phone, contact.postcode, contact.email) == (
        "ring the front desk", "unknown", "no email")
    assert read.exploitation.places[0].postcode == "CV2 9ZX"  # a real one still normalised
    with pytest.raises(ValueError, match="must be a phone number"):
        NrmReferral.model_validate_json(saved, context=TYPED)
    named = messages(check_document("nrm", saved, ready=False))
    assert set(named) == {"potential_victim.safe_contact.phone",
                          "potential_victim.safe_contact.postcode",
                          "potential_victim.safe_contact.email"}
    assert check_document("nrm", saved, ready=False, typed=False) == []
    assert Premises.model_validate({"postcode": "CV6"}).postcode == "CV6"


# --- every problem while a field is invalid ---------------------------------------------------


def test_an_invalid_date_on_a_visit_does_not_hide_what_is_missing() -> None:
    """R-FORM-ALL-PROBLEMS: the invalid field is named, and what the rest still needs too."""
    found = check_document("visit", {"plan": {"planned_for": "2026-13-45 25:00"}}, ready=True)
    assert [p.field for p in found] == [
        "plan.planned_for", "premises.name", "premises.address", "premises.business_type",
        "started_at", "ended_at", "lead_officer", "workers_seen"]
    assert found[0].message.startswith("Visit plan: planned date and time must be a date")
    assert found[3].message == "Type of business is needed"


def test_an_invalid_date_on_an_nrm_is_named_once_beside_the_rest() -> None:
    """R-FORM-ALL-PROBLEMS: an invalid field is not named again as missing, and nothing twice."""
    data = full_nrm().model_dump(mode="json")
    data["where_found"]["encountered_on"] = "2026-13-45"
    data["potential_victim"]["safe_contact"]["phone"] = "call me maybe"
    data["account"] = ""
    found = check_document("nrm", data, ready=True, today=TODAY)
    assert [p.field for p in found] == [
        "where_found.encountered_on", "potential_victim.safe_contact.phone", "account"]
    assert len(set(found)) == len(found)
    text = check_document("nrm", json.dumps(data), ready=True, today=TODAY)
    assert text == found
    assert [p.field for p in check_document("nrm", data, ready=False)] == [
        "where_found.encountered_on", "potential_victim.safe_contact.phone"]


def test_an_invalid_section_hides_only_its_own_missing_fields() -> None:
    """R-FORM-ALL-PROBLEMS: a section refused as a whole (a withdrawal without its date) is not
    also said to be missing its answers."""
    data = full_nrm().model_dump(mode="json")
    data["consent"]["decision"] = "withdrawn"
    data["account"] = ""
    found = check_document("nrm", data, ready=True)
    assert [p.field for p in found] == ["consent", "account"]


# --- the workers seen on a visit ----------------------------------------------------------


def test_workers_are_not_recorded_until_a_number_is_entered() -> None:
    """R-VISIT-WORKERS: the counts start blank, "Workers seen" is needed before the visit is
    ready (0 is an answer), and once workers were seen so are the other two counts."""
    blank = PremisesVisit()
    assert (blank.workers_seen, blank.workers_spoken_to, blank.workers_of_concern) == (
        None, None, None)
    visit = full_examples()["visit"]
    assert isinstance(visit, PremisesVisit)
    visit.workers_seen = visit.workers_spoken_to = visit.workers_of_concern = None
    assert messages(visit.ready_problems()) == {
        "workers_seen": "Workers seen is needed (0 if there were none)"}
    visit.workers_seen = 0
    assert visit.ready_problems() == []
    visit.workers_seen = 6
    assert messages(visit.ready_problems()) == {
        "workers_spoken_to": "Workers spoken to is needed when workers were seen (0 if none)",
        "workers_of_concern": "Workers of concern is needed when workers were seen (0 if none)",
    }
    visit.workers_spoken_to, visit.workers_of_concern = 0, 7
    assert messages(visit.ready_problems()) == {
        "workers_of_concern": "Workers of concern cannot be more than workers seen"}


def test_a_visit_saved_with_zero_workers_keeps_its_zero() -> None:
    saved = {"workers_seen": 0, "workers_spoken_to": 0, "workers_of_concern": 0}
    visit = PremisesVisit.model_validate(saved)
    assert (visit.workers_seen, visit.workers_spoken_to, visit.workers_of_concern) == (0, 0, 0)
    assert PremisesVisit.model_validate_json(visit.model_dump_json()) == visit


def test_consent_is_not_withdrawn_before_it_was_given() -> None:
    """Withdrawn on 01/12 for consent given on 04/12 was saved (and withdrew the referral);
    a form saved before the check is still read."""
    consent = {"decision": "withdrawn", "decided_on": "2026-12-04", "withdrawn_on": "2026-12-01",
               "withdrawal_how": "by_phone"}
    found = messages(check_document("nrm", {"consent": consent}, ready=False))
    assert found == {"consent": "Consent withdrawn: the date it was withdrawn cannot be before "
                                "the date of the consent decision; check both dates"}
    assert NrmReferral.model_validate({"consent": consent}).consent.withdrawn_on == date(
        2026, 12, 1)
    consent["withdrawn_on"] = "2026-12-04"  # the same day: fine
    assert check_document("nrm", {"consent": consent}, ready=False) == []
