"""A domain review of the Duty to Notify scanner found identifying details it let through: each
is caught here, by kind, and the ordinary account text around them (counts, hours, money,
places described in plain words) is not flagged, or a notice could never be marked ready."""

from __future__ import annotations

from datetime import date

import pytest

from forms.dtn import DutyToNotify
from forms.identifying import IdentifyingKind, find_identifying_text

AS_OF = date(2026, 11, 20)


def found(text: str) -> list[tuple[IdentifyingKind, str]]:
    return [(item.kind, text[item.start:item.end])
            for item in find_identifying_text(text, as_of=AS_OF)]


def account_problems(account: str) -> list[str]:
    notice = DutyToNotify(gender="male", general_area="Coventry", account=account,
                          encountered_on=AS_OF)
    return [p.message for p in notice.ready_problems() if p.field == "account"]


@pytest.mark.parametrize(("text", "plate"), [
    ("Vehicle reg ab12 cde collects him daily.", "ab12 cde"),
    ("A van, ab12cde, collects him.", "ab12cde"),
    ("Plate number WX 65 ABC.", "WX 65 ABC"),
    ("The car's reg is wx 65 abc.", "wx 65 abc"),
])
def test_a_lower_case_or_spaced_number_plate_is_caught(text: str, plate: str) -> None:
    kinds = found(text)
    assert [kind for kind, _ in kinds] == [IdentifyingKind.VEHICLE]
    assert plate in kinds[0][1]


ORDINARY = [
    "He worked 12 hours a day for 6 days a week.",
    "He was paid £40 a day, in cash.",
    "He was picked up at the car wash on the ring road.",
    "Seventeen workers slept in two rooms.",
    "The workers were aged between 25 and 34.",
    "He arrived at 10 and left at 11 with the others.",
    "He met the boss on Facebook and was offered work.",
    "He found the job on TikTok in 2023.",
    "His Instagram account was taken from him.",
    "He goes by bus to the car wash.",
    "He is known as a hard worker.",
    "Ask for the boss at the car wash.",
    "Paid £1200 a month, 2 payments of £600.",
    "Ref 20/123456/25 from the police.",
    "He sent £250 to his mother via Western Union.",
    "He stayed on a farm down a lane near the street market.",
    "Trading Standards visited on Monday. West Midlands Police attended.",
    "Coventry City Council housed him. Western Union transferred the money.",
    "Most Romanian workers lived upstairs. Vietnamese Nationals worked there.",
    "Sparkle Hand Car Wash employed six men. Last Tuesday he was paid.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_account_text_is_not_flagged(text: str) -> None:
    assert found(text) == []
    assert account_problems(text) == []


@pytest.mark.parametrize(("text", "handles"), [
    ("His Instagram is ionut_pop90 and TikTok dark.angel.",
     ["Instagram is ionut_pop90", "TikTok dark.angel"]),
    ("Snapchat ionutp90", ["Snapchat ionutp90"]),
    ("TikTok: darkangel, he says.", ["TikTok: darkangel"]),
    ("His Facebook name Ionut Pop is on the ads.", ["Facebook name Ionut Pop"]),
    ("Instagram username ionutpop.", ["Instagram username ionutpop"]),
])
def test_a_platform_named_with_a_handle_is_caught_without_at_or_link(
    text: str, handles: list[str]
) -> None:
    assert found(text) == [(IdentifyingKind.ONLINE, handle) for handle in handles]


@pytest.mark.parametrize("text", [
    "WhatsApp: they sent him the address the night before.",
    "His Facebook name was changed by the boss.",
    "Instagram: not known.",
    "There was no signal at the house.",
    "Found on Facebook e.g. in local groups.",
])
def test_a_platform_named_without_a_handle_is_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "number"), [
    ("Passport no. RO 051234567 held by the boss.", "Passport no. RO 051234567"),
    ("Romanian ID CNP 1900304123456.", "CNP 1900304123456"),
    ("His PESEL is 90030412345.", "PESEL is 90030412345"),
])
def test_a_document_number_after_a_country_prefix_or_a_national_id_is_caught(
    text: str, number: str
) -> None:
    assert found(text) == [(IdentifyingKind.DOCUMENT_NUMBER, number)]


@pytest.mark.parametrize("text", [
    "He gave his personal number 1900304123456.",
    "The number on his card is 123456789.",
])
def test_a_long_run_of_digits_that_is_not_a_phone_number_is_caught(text: str) -> None:
    assert [kind for kind, _ in found(text)] == [IdentifyingKind.LONG_NUMBER]
    assert account_problems(text) == [
        "Anonymised account seems to contain a long number (such as an identity or account "
        "number): a Duty to Notify must not identify anyone, so remove it"]


@pytest.mark.parametrize("text", [
    "Paid 1,000,000 lei over 20240312 days", "Ref 20/123456/25.", "Mobile 07700 900123."])
def test_amounts_references_and_phones_are_not_long_numbers(text: str) -> None:
    assert IdentifyingKind.LONG_NUMBER not in [kind for kind, _ in found(text)]


@pytest.mark.parametrize(("text", "street"), [
    ("Lives at flat above the chip shop, Gosford St, Coventry.", "Gosford St"),
    ("Works on Foleshill Rd.", "Foleshill Rd"),
    ("He sleeps on Mill Ln now.", "Mill Ln"),
    ("Collected from Park Ave daily.", "Park Ave"),
    ("Dropped off on Birch Cl.", "Birch Cl"),
    ("Moved to Gosford Dr in May.", "Gosford Dr"),
])
def test_a_named_street_abbreviated_without_a_house_number_is_caught(
    text: str, street: str
) -> None:
    assert found(text) == [(IdentifyingKind.ADDRESS, street)]


@pytest.mark.parametrize(("text", "result"), [
    ("In St Albans now, he says.", []),
    ("He saw Dr Petrova at the clinic.", [(IdentifyingKind.NAME, "Dr Petrova")]),
])
def test_st_or_dr_before_a_capitalised_word_is_a_saint_or_a_title_not_a_street(
    text: str, result: list[tuple[IdentifyingKind, str]]
) -> None:
    assert found(text) == result


@pytest.mark.parametrize(("text", "nickname"), [
    ("Known as Johnny P to the workers.", "Known as Johnny P"),
    ("The boss goes by Tata.", "goes by Tata"),
    ("He calls himself Bogdan at the wash.", "calls himself Bogdan"),
    ("She is also known as 'Lulu'.", "also known as 'Lulu"),
    ("He used the name Ion Pop at the bank.", "used the name Ion Pop"),
])
def test_a_nickname_or_name_someone_goes_by_is_caught(text: str, nickname: str) -> None:
    assert found(text) == [(IdentifyingKind.NAME, nickname)]


@pytest.mark.parametrize("text", [
    "He lives in an area known as Hillfields.",
    "He went by car to the car wash.",
])
def test_known_as_a_place_or_going_by_car_is_not_a_nickname(text: str) -> None:
    assert found(text) == []


def test_a_sort_code_is_named_as_a_bank_detail_not_a_date_of_birth() -> None:
    text = "Bank account 12345678 sort code 20-00-00 controlled by the boss."
    assert found(text) == [(IdentifyingKind.BANK_DETAILS, "Bank account 12345678"),
                           (IdentifyingKind.BANK_DETAILS, "sort code 20-00-00")]
    assert account_problems(text) == [
        "Anonymised account seems to contain 2 bank account numbers or sort codes: a Duty to "
        "Notify must not identify anyone, so remove it"]


def test_an_iban_is_a_bank_detail() -> None:
    assert [kind for kind, _ in found("Wages went to RO49 AAAA 1B31 0075 9384 0000.")] == [
        IdentifyingKind.BANK_DETAILS]


@pytest.mark.parametrize("text", [
    "The boss paid into his account 3 times.", "His account of the 2019 events is below."])
def test_an_account_without_a_number_is_not_a_bank_detail(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("Maria Popescu kept her passport.", ["Maria Popescu"]),
    ("He was scared.  Ion Ionescu drove them every day.\nAndrei Pop took the money.",
     ["Ion Ionescu", "Andrei Pop"]),
    ("- Ana Maria Pop owns the house.", ["Ana Maria Pop"]),
    ('He said "no." Elena Rusu-Marin paid them in cash.', ["Elena Rusu-Marin"]),
])
def test_a_name_opening_a_sentence_with_no_cue_is_caught(text: str, names: list[str]) -> None:
    """A walk's Duty to Notify kept "Maria Popescu kept her passport": a name opening a
    sentence, then a verb, with no "my name is" or "her cousin" before it."""
    assert found(text) == [(IdentifyingKind.NAME, name) for name in names]
    assert account_problems(text)


@pytest.mark.parametrize(("text", "names"), [
    ("Only Marius and Ionut have keys.", ["Marius", "Ionut"]),
    ("Ana, Dora and Irina slept in the loft.", ["Ana", "Dora", "Irina"]),
    ("He and Ionut worked there.", ["Ionut"]),
    ("Maria kept it.", ["Maria"]),
    ("He said Maria kept it. Ionut drove them.", ["Maria", "Ionut"]),
    ("The money Mihai took was his.", ["Mihai"]),
    ("On Friday Ionut paid them.", ["Ionut"]),
])
def test_a_first_name_alone_is_caught_before_a_verb_of_what_people_do(
    text: str, names: list[str]
) -> None:
    assert found(text) == [(IdentifyingKind.NAME, name) for name in names]
    assert account_problems(text)


@pytest.mark.parametrize("text", [
    "Romania and Bulgaria are in the EU.",
    "Coventry and Warwickshire have a joint team.",
    "England and Wales have the NRM.",
    "Monday and Tuesday were busy.",
    "Birmingham and Coventry worked together.",
    "Nobody paid him. Everyone said so.",
    "Rent took half his wages.",
    "Police took him home. Workers said nothing.",
    "The Home Office took his claim. The Council paid for the hotel.",
    "The Salvation Army took him to a safe house. Western Union sent it.",
    "Trading Standards and Police visited.",
    "Vietnamese and Romanian workers lived upstairs.",
    "Coventry sent a team.",
])
def test_places_agencies_and_sentence_openers_before_such_a_verb_are_not_names(
    text: str
) -> None:
    assert found(text) == []
    assert account_problems(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("The boss, MARIUS POPESCU, took her passport.", "MARIUS POPESCU"),
    ("the supervisor, Ionut, keeps the money", "Ionut"),
    ("Marius P. kept her passport.", "Marius P."),
    ("M. Popescu took them to the farm.", "M. Popescu"),
])
def test_a_name_in_capitals_between_commas_or_with_an_initial_is_caught(
    text: str, name: str
) -> None:
    assert found(text) == [(IdentifyingKind.NAME, name)]


@pytest.mark.parametrize("text", [
    "NRM DTN forms were done.", "He spoke to GLAA and the NCA.",
    "WEST MIDLANDS POLICE attended.", "Plan A worked.", "Unit B was used.",
])
def test_acronyms_and_lettered_things_are_not_names(text: str) -> None:
    assert found(text) == []


def test_scrubbing_an_address_keeps_the_full_stop_after_it() -> None:
    """"locked cabin at [address removed] He did not...": the full stop went with the street."""
    from forms.identifying import scrub_identifying_text

    assert scrub_identifying_text(
        "He slept in a locked cabin at 14 Lockhurst Lane. He did not leave.", as_of=AS_OF)[0] \
        == "He slept in a locked cabin at [address removed]. He did not leave."
    assert [text for _, text in found("Moved to 3 Foleshill Rd. in May.")] == \
        ["3 Foleshill Rd."]  # an abbreviation's own dot
