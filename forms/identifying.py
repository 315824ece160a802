"""Finding text that could identify a person: their recorded names (also without accents and
with simple endings), recorded addresses and their street parts, UK postcodes and phone numbers,
email addresses, house-number addresses, National Insurance numbers, vehicle registrations,
social-media handles and links, map coordinates, dates of birth, identity document numbers,
bank details and other long numbers. Used to keep a Duty to
Notify anonymous. What is caught, and what knowingly is not, is tabled in docs/security.md."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class IdentifyingKind(StrEnum):
    """What kind of identifying detail was found."""

    NAME = "name"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    NI_NUMBER = "ni_number"
    VEHICLE = "vehicle"
    ONLINE = "online"
    COORDINATES = "coordinates"
    BIRTH_DATE = "birth_date"
    DOCUMENT_NUMBER = "document_number"
    LONG_NUMBER = "long_number"
    BANK_DETAILS = "bank_details"


PLACEHOLDERS = {
    IdentifyingKind.NAME: "[name removed]",
    IdentifyingKind.POSTCODE: "[postcode removed]",
    IdentifyingKind.PHONE: "[phone removed]",
    IdentifyingKind.EMAIL: "[email removed]",
    IdentifyingKind.ADDRESS: "[address removed]",
    IdentifyingKind.NI_NUMBER: "[NI number removed]",
    IdentifyingKind.VEHICLE: "[vehicle registration removed]",
    IdentifyingKind.ONLINE: "[online account removed]",
    IdentifyingKind.COORDINATES: "[location removed]",
    IdentifyingKind.BIRTH_DATE: "[date of birth removed]",
    IdentifyingKind.DOCUMENT_NUMBER: "[document number removed]",
    IdentifyingKind.LONG_NUMBER: "[number removed]",
    IdentifyingKind.BANK_DETAILS: "[bank details removed]",
}

DESCRIPTIONS = {
    IdentifyingKind.NAME: ("a name", "names"),
    IdentifyingKind.POSTCODE: ("a postcode", "postcodes"),
    IdentifyingKind.PHONE: ("a phone number", "phone numbers"),
    IdentifyingKind.EMAIL: ("an email address", "email addresses"),
    IdentifyingKind.ADDRESS: ("an address", "addresses"),
    IdentifyingKind.NI_NUMBER: ("a National Insurance number", "National Insurance numbers"),
    IdentifyingKind.VEHICLE: ("a vehicle registration", "vehicle registrations"),
    IdentifyingKind.ONLINE: ("a social media account or link", "social media accounts or links"),
    IdentifyingKind.COORDINATES: ("map coordinates", "map coordinates"),
    IdentifyingKind.BIRTH_DATE: ("a date of birth", "dates of birth"),
    IdentifyingKind.DOCUMENT_NUMBER: ("an identity document's number",
                                      "identity documents' numbers"),
    IdentifyingKind.LONG_NUMBER: ("a long number (such as an identity or account number)",
                                  "long numbers (such as identity or account numbers)"),
    IdentifyingKind.BANK_DETAILS: ("a bank account number or sort code",
                                   "bank account numbers or sort codes"),
}

ADULT_YEARS = 16
"""A full date at least this many years before the date of the notice is taken as a possible
date of birth (an adult's); later dates (when things happened) are left alone."""


@dataclass(frozen=True)
class IdentifyingText:
    """One identifying detail in a piece of text: its kind and where it is."""

    kind: IdentifyingKind
    start: int
    end: int


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(
    r"\b(?:GIR[ \t]*0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]*[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# A run of digits with spaces, dots, dashes or brackets, standing alone or straight after
# "tel", "mob" and the like; which part of it is a phone number is decided by its digits.
_PHONE_RUN = re.compile(
    r"(?:(?<=tel)|(?<=tel:)|(?<=tel\.)|(?<=mob)|(?<=mob:)|(?<=ph)|(?<=ph:)|(?<![\w/+]))"
    r"\+?\(?\d[\d \t().-]{0,26}\d",
    re.IGNORECASE,
)
_DIGIT_GROUP = re.compile(r"\+?\(?\d+")
_STREET_TYPES = (
    "road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|court|place|crescent|grove|"
    "terrace|gardens|hill|park|square|walk|row|mews|rise|view|green|parade|vale|broadway|"
    "boulevard|estate|yard|parkway|butts|croft|fold|gate|wharf|quay|chase|meadow|meadows"
)
_SMALL_WORDS = "the|on|in|at|of|a|an|to|by|near|down|up|along|and|or|from|for|with|off|per"
_ADDRESS = re.compile(
    rf"(?:\b(?:flat|unit|apartment|apt)\s+\d+[a-z]?\b)"
    rf"|(?:\b\d{{1,4}}[a-z]?,?\s+(?:(?!(?:{_SMALL_WORDS})\b)[a-z][a-z'’-]*\s+){{1,3}}"
    rf"(?:(?:rd|st|ln|ave|dr)\b\.?|(?:{_STREET_TYPES})\b))"
    r"|(?:\b\d{1,4}[a-z]?,?\s+(?:broadway|parade|boulevard|parkway|esplanade|promenade)\b)",
    re.IGNORECASE,
)
# "14 The Butts", "3 The Green": a house number, "The" and a capitalised name.
_THE_ADDRESS = re.compile(r"\b\d{1,4}[a-z]?,?\s+[Tt]he\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")
_STREET_PART = re.compile(rf"\b(?:{_STREET_TYPES})\b\.?$", re.IGNORECASE)
_NI_NUMBER = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D]\b"
    r"|\b(?i:[a-z]{2}\d{6}[a-d])\b"
)
_VEHICLE = re.compile(
    r"\b(?:[A-Z]{2}\d{2}[ \t]?[A-Z]{3}|[A-Z]\d{1,3}[ \t]?[A-Z]{3}|[A-Z]{3}[ \t]?\d{1,3}[A-Z])\b"
    r"|\b[A-Z]{2}[ \t]\d{2}[ \t]?[A-Z]{3}\b"
    r"|\b(?i:[a-z]{2}\d{2}[ \t]?[a-z]{3})\b"
    r"|(?i:\b(?:reg(?:istration)?|(?:number\s*)?plates?|vrm)(?:\s+(?:no\.?|number|is|was))*"
    r"\s*[:\-–]?\s*(?:[a-z]{2}[ \t]?\d{2}[ \t]?[a-z]{3}|[a-z]\d{1,3}[ \t]?[a-z]{3}"
    r"|[a-z]{3}[ \t]?\d{1,3}[a-z])\b)"
)
"""A UK registration: the current form (``AB12 CDE``) in any case, and spaced (``WX 65 ABC``)
in capitals; older forms (``A123 BCD``, ``ABC 123D``) in capitals, or in any case and spacing
after "reg", "registration" or "number plate"."""
_ONLINE = re.compile(
    r"(?:\b(?:https?://|www\.)\S+)"
    r"|(?:\b(?:facebook|fb|instagram|tiktok|twitter|x|linkedin|snapchat|vk|youtube|onlyfans)"
    r"\.com/\S+)"
    r"|(?:\b(?:t\.me|wa\.me|fb\.me)/\S+)"
    r"|(?:(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b)"
    r"|(?:///[a-z]+\.[a-z]+\.[a-z]+)",
    re.IGNORECASE,
)
_PLATFORMS = (
    "instagram|insta|ig|tik[ \t]?tok|snapchat|snap|facebook|fb|twitter|telegram|whatsapp|signal|"
    "viber|vk|onlyfans|linkedin|youtube|discord|skype|threads|kik|wechat"
)
_HANDLE = r"[A-Za-z0-9_][A-Za-z0-9_.]{0,29}(?<!\.)"
_CAPITALISED_WORDS = r"[^\W\d_a-z][^\W\d_]*(?:[ \t]+[^\W\d_a-z][^\W\d_]*){0,3}"
_NOT_A_HANDLE = (
    rf"(?!(?:{_SMALL_WORDS}|he|she|they|it|we|you|i|his|her|their|its|my|our|your|this|that|"
    r"these|those|there|is|was|are|were|has|had|been|no|not|none|unknown|yes|n)\b)"
)
_HANDLE_LIKE = (  # a word with a digit, an underscore or a dot inside: handles have them
    r"(?!(?i:e\.g|i\.e)\b)(?=[A-Za-z][\w.]*(?:\d|_|\.\w))[A-Za-z][A-Za-z0-9_.]{1,29}(?<!\.)"
)
_PLATFORM_HANDLE = re.compile(
    rf"\b(?i:{_PLATFORMS})(?:\s+(?i:account|profile|page))?(?:"
    # "Instagram username ionut", "Snapchat id: ionutp90"
    r"\s+(?i:handle|user[ \t]?name|id)(?:\s+(?i:is))?\s*[:\-–]?\s*"
    rf"(?:{_CAPITALISED_WORDS}|{_NOT_A_HANDLE}(?i:{_HANDLE}))"
    # "Facebook name Ion Pop", "Instagram name was ionut_90"
    r"|\s+(?i:handle|user[ \t]?name|id|name|nickname)(?:\s+(?i:is|was))?\s*[:\-–]?\s*"
    rf"(?:{_CAPITALISED_WORDS}|{_HANDLE_LIKE})"
    # "TikTok: darkangel"
    rf"|\s*:\s*{_NOT_A_HANDLE}(?i:{_HANDLE})"
    # "Snapchat ionutp90", "Instagram is ionut_pop90", "TikTok dark.angel"
    rf"|(?:\s+(?i:is|was))?\s+{_HANDLE_LIKE})"
)
"""A social media platform named and followed by a handle without an ``@`` or a link."""
_COORDINATES = re.compile(
    r"(?<![\d.])-?\d{1,2}\.\d{3,}°?(?:\s*[NS]\b)?\s*,\s*-?\d{1,3}\.\d{3,}°?"
    r"(?:\s*[EW]\b)?(?![\d.])"
    r"|\b\d{1,2}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[NS]\b[\s,]*"
    r"\d{1,3}°\s*\d{1,2}['′]\s*(?:\d{1,2}(?:\.\d+)?[\"″]\s*)?[EW]\b",
    re.IGNORECASE,
)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+(?P<y3>\d{{4}})"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}}))"
)
_FULL_DATE = re.compile(rf"(?<![\d/.-]){_DATE}(?![\d/])", re.IGNORECASE)
_ANY_DATE = re.sub(r"\?P<y\d>", "", _DATE)
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    "thirtieth|(?:twenty|thirty)[ -](?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
    "ninth)"
)
_WORDED_DATE = (  # "the twelfth of March 1994"
    rf"(?:the\s+)?(?:{_ORDINAL_WORDS})\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
)
_BIRTH = re.compile(
    r"\b(?:born(?:\s+on|\s+in)?|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday)"
    rf"\s*[:\-–]?\s*(?:{_ANY_DATE}|{_WORDED_DATE}|(?:{_MONTHS})\.?\s+\d{{4}}|\d{{4}})",
    re.IGNORECASE,
)
_DOCUMENT_NUMBER = re.compile(
    r"\b(?i:passport|identity\s+card|id\s+card|brp|biometric\s+residence\s+permit|"
    r"residence\s+(?:permit|card)|visa|driving\s+licen[cs]e|share\s+code|"
    r"national\s+id(?:entity)?\s+(?:card|number)|id(?=\s+(?:no|number|nr)\b)|cnp|pesel|"
    r"personal\s+(?:numeric\s+|identity\s+)?code)"
    r"(?i:\s+(?:no\.?|number|num\.?|nr\.?|#))?(?i:\s+(?:is|was))?\s*[:\-–]?\s*"
    r"(?:[A-Z]{0,3}[ \t]?\d{6,14}[A-Z]?|[A-Z]{0,3}\d{2,6}(?:[ -]\d{2,6}){1,3}|[A-Z0-9]{3}[ -]?"
    r"[A-Z0-9]{3}[ -]?[A-Z0-9]{3}(?<=\d\w\w)|[A-Z]{2}\d[A-Z0-9]{5,9})\b"
)
"""An identity document named and followed by its number (``passport number 051234567``,
``Passport no. RO 051234567``), or a national identity number (``CNP 1900304123456``)."""
_LONG_NUMBER = re.compile(r"(?<![\w£$€.,/-])\d{9,}(?![\w/])")
"""Nine digits or more in a row that are not a phone number: an identity, account or reference
number far more often than a count or an amount (amounts are written with £ or commas)."""
_BANK_DETAILS = re.compile(
    r"\b(?i:sort[ \t-]*code(?:[ \t]+(?:is|was))?)[ \t]*[:\-–]?[ \t]*"
    r"\d{2}[ \t.-]?\d{2}[ \t.-]?\d{2}\b"
    r"|\b(?i:(?:bank[ \t]+)?(?:account|acct?|a/c)(?:[ \t]+(?:no\.?|number|num\.?|nr\.?|#))?"
    r"(?:[ \t]+(?:is|was))?)[ \t]*[:\-–]?[ \t]*\d{6,10}\b"
    r"|\b(?i:iban[ \t]*:?[ \t]*)?[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]{4}){3,7}(?:[ \t]?[A-Z0-9]{1,3})?\b"
)
"""A bank account: a sort code or an account number after its name (``sort code 20-00-00``,
``bank account 12345678``), or an IBAN (``GB29 NWBK 6016 1331 9268 19``)."""
_NAMED_PLACE = re.compile(
    r"\b(?:[A-Z][a-z'’-]+\s+){0,2}"
    r"(?!(?:Crown|Magistrates'?|County|Family|Youth|High|Supreme|Coroners?'?s?|Council|"
    r"Public|Safe)[ \t]+(?:Court|House)\b)[A-Z][a-z'’-]+\s+"
    r"(?:Cottages?|Farm|Farmhouse|Lodge|Barn|Mill|Manor|Villa|Bungalow|Works|Yard|Depot|Wharf"
    r"|Court|House|Mansions|Towers?|Heights|Apartments|Buildings"
    r"|Road|Rd|Street|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Crescent|Terrace|Gardens|Mews|Grove"
    r"|St(?![ \t]+[A-Z])|Dr(?!\.?[ \t]+[A-Z]))\b"
)
"""A named house, building, works or farm (``Rose Cottage``, ``Meadow Farm``, ``Sample Court``,
``Brookvale Works``,
``Example House``, ``Fictional Towers``; not a court of law or ``Council House``) or a named
street without a house number (``Fictional Lane``): a specific place, not a general area; also
abbreviated
(``Gosford St``, ``Foleshill Rd``, ``Mill Ln``), but not ``St`` or ``Dr`` before a capitalised
word (``In St Albans``, ``Saw Dr Petrova``: a saint's name or a title). Capitalised words only,
so "worked on a farm down a lane" is left alone."""
_HOUSE_NUMBER = re.compile(r"\b[Nn]o\.\s?\d{1,4}[a-z]?\b")
"""``No. 22``: a house number written out (``flat above No. 22``)."""
_NOT_A_NAME = (r"(?!(?:In|At|On|The|A|An|It|He|She|They|We|I|You|That|This|There|Then|When|"
               r"Yes|No|Not|To|From|For|By|With|And|But|Or|If|So|His|Her|Their|Our|My|Your|"
               r"Mr|Mrs|Ms|Dr)\b)")
"""Words that start a sentence or a phrase, not a name (``said In St Albans``)."""
_WORDS_AFTER = (r"[ \t]*:?[ \t]*[\"'“‘]?(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
                r"(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)*)")
_SAID_NAME = re.compile(
    r"\b(?i:(?:my|his|her|their|the[ \t]+\w+'s)[ \t]+(?:real[ \t]+|full[ \t]+|first[ \t]+|"
    r"family[ \t]+|sur)?name[ \t]+(?:is|was)|(?:i[ \t]+am|i'm|he[ \t]+is|she[ \t]+is|"
    r"he's|she's|they[ \t]+are|was|is|man|woman|person|guy|boy|girl|lady|someone|"
    r"somebody)[ \t]+called|call[ \t]+me|named|introduced[ \t]+"
    r"(?:himself|herself|themselves|themself)[ \t]+as|gave[ \t]+(?:his|her|their)[ \t]+"
    r"name[ \t]+as)" + _WORDS_AFTER)
"""A name said in the words (``My name is Tran Van Example``, ``she is called Ana``, ``call
me Bogdan``, ``a man named Ion``): those words, then capitalised words."""
_ROLE_NAME = re.compile(
    r"\b(?i:boss|manager|owner|gangmaster|supervisor|controller|driver|landlord|"
    r"recruiter|agent|employer|brother|sister|cousin|uncle|aunt|wife|husband|partner|"
    r"girlfriend|boyfriend|friend|son|daughter|father|mother)[ \t]+" + _NOT_A_NAME +
    r"(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)+)")
"""Someone's role, then two capitalised words or more (``my boss Nguyen Van Boss``,
``her cousin Maria Popescu``): a name. One word only (``the boss Mercedes``) is left, unless a
verb follows it (:data:`_ROLE_ONE_NAME`)."""
_ROLE_ONE_NAME = re.compile(
    r"\b(?i:boss|manager|owner|gangmaster|supervisor|controller|driver|landlord|"
    r"recruiter|agent|employer|foreman)(?:[ \t]*,)?[ \t]+" + _NOT_A_NAME +
    r"(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)"
    r"(?=,?[ \t]+(?:kept|keeps|took|takes|drove|drives|said|says|told|tells|paid|pays|holds|"
    r"held|collects|collected|runs|ran|owns|owned|gave|gives|brought|brings|hit|hits|beat|"
    r"beats|sent|sends|picks|picked|threatened|threatens|locks|locked|manages|managed)\b)")
"""Someone's role, one capitalised word, then a verb (``The supervisor Ionut keeps the
money``): a first name (the boss's car is ``the boss's Mercedes``)."""
_AGENCIES = (r"(?!(?:Home[ \t]+Office|Salvation[ \t]+Army|Trading[ \t]+Standards|Border[ \t]+"
             r"Force|Immigration[ \t]+Enforcement|Modern[ \t]+Slavery|City[ \t]+Council|"
             r"Social[ \t]+Services|Adult[ \t]+Social|Children'?s[ \t]+Services|West[ \t]+"
             r"Midlands|Job[ \t]+Centre|Jobcentre[ \t]+Plus|Citizens[ \t]+Advice|Red[ \t]+Cross|"
             r"British[ \t]+Red|National[ \t]+Crime|Police[ \t]+Scotland|Border|Gangmasters)\b)")
_KIN_NAME = re.compile(
    r"\b(?i:brother|sister|cousin|uncle|aunt|auntie|wife|husband|partner|girlfriend|"
    r"boyfriend|friend|son|daughter|father|mother|mum|dad|nephew|niece|grandmother|"
    r"grandfather|grandson|granddaughter|fianc[eé]e?|stepfather|stepmother|stepson|"
    r"stepdaughter)(?:[ \t]+called|[ \t]*,)?[ \t]+" + _NOT_A_NAME +
    r"(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)\b")
"""A relative or friend, then one capitalised word (``her brother Duc``, ``his friend, Ion``):
family and friends are named by a first name alone; the word is taken unless it is an
agency's, a place's, a day's or a nationality (:data:`_NOT_IN_A_NAME`) or in capitals. (A boss,
driver or agent takes two words: ``the boss Mercedes`` is a car, see :data:`_ROLE_NAME`.)"""
_TOLD_NAME = re.compile(
    r"\b(?i:said|says|told|tells|asked|paid|pays|met|meets|saw|sees|phoned|called|"
    r"texted|messaged)[ \t]+" + _AGENCIES + _NOT_A_NAME +
    r"(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)+)")
"""Someone said, told, paid or met, then two capitalised words or more (``She said Maria
Popescu kept her passport``): a name, unless an agency's (``told Trading Standards``)."""
_BARE_NAME = re.compile(
    r"(?:^[ \t]*(?:[-*•][ \t]+)?|(?<=[.!?])[\"'”’)]?[ \t]+)"
    r"(?P<name>[^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*(?:[ \t]+[^\W\d_][^\W\d_]*"
    r"(?:['’-][^\W\d_]+)*){1,2})"
    r"(?=[ \t]+(?:[a-z]+ed|(?:kept|keeps|took|takes|drove|drives|said|says|told|tells|paid|"
    r"pays|had|has|is|was|runs|ran|owns|brought|brings|gave|gives|made|makes|lives|works|"
    r"hit|hits|beat|beats|sent|sends|picks|came|comes|spoke|speaks|manages|found|finds|met|"
    r"meets|sold|sells|holds|held|will|would|can|could|does|did|still|also|never)\b))",
    re.MULTILINE)
"""Two or three capitalised words opening a sentence, then a verb (``Maria Popescu kept her
passport``): a name said with no cue before it. Not when any word is an agency's, a place's,
a business's or a day's (:data:`_NOT_IN_A_NAME`), or the first opens sentences
(:data:`_NOT_A_NAME`)."""
_NOT_IN_A_NAME = frozenset(re.split(r"\s+", """
home office salvation army trading standards border force immigration enforcement modern
slavery city council county borough social services adult adults children's childrens west
east north south midlands job centre jobcentre plus citizens advice red cross british national
crime agency police scotland gangmasters labour abuse authority nhs hospital street road lane
avenue close drive farm farms car cars wash nails bar shop shops ltd limited company group
spa upon estate industrial retail village town centre coldfield keynes regis
magistrates magistrates' crown court courts tribunal university college school
airport station union western bank hand takeaway restaurant factory warehouse hotel house
facebook instagram tiktok snapchat whatsapp telegram monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november
december christmas easter ramadan eid god
nationals workers worker men women people officers officer staff team family
vietnamese romanian albanian polish chinese eritrean sudanese english indian pakistani
bangladeshi bulgarian lithuanian latvian slovak czech hungarian ukrainian nigerian ghanaian
afghan iranian iraqi syrian kurdish turkish moldovan european african asian
""".strip()))
"""Words that are not part of a person's name, for :data:`_BARE_NAME`."""
_SENTENCE_OPENERS = frozenset(re.findall(r"[A-Z][a-z]*", _NOT_A_NAME))


def _could_be_a_name(words: list[str]) -> bool:
    """Capitalised words that may be a person's name: none an agency's, a place's, a
    business's, a day's or a nationality (:data:`_NOT_IN_A_NAME`), and the first not a word
    that opens sentences (:data:`_SENTENCE_OPENERS`). Words in capitals are a name only when
    two or more of three letters or more are all in capitals (``MARIUS POPESCU``), none an
    acronym an officer writes (:data:`_ACRONYMS`): one alone (``GLAA``) is not."""
    shouted = len(words) >= 2 and all(word.isupper() and len(word.strip("'’")) >= 3
                                      for word in words)
    if shouted:
        return not any(word.casefold().strip("'’") in _NOT_IN_A_NAME | _ACRONYMS
                       for word in words)
    return words[0] not in _SENTENCE_OPENERS and not any(
        word.casefold().strip("'’") in _NOT_IN_A_NAME or word.isupper()
        or not word[0].isupper() for word in words)


_ACRONYMS = frozenset(re.split(r"\s+", """
nrm dtn glaa nca mash hmrc dwp ukvi cps iom ngo hmcts mslo spoc moj dbs ppe cctv anpr sms
atm pin gps ceo gbp eur usd ron nhs pcso dcs dci det insp sgt btp cid tsi tso ssp nino brp
dob vrm rgd cgd vcc mso ltd plc www com
""".strip()))
"""Acronyms an officer writes in capitals, two side by side (``NRM DTN``) being no name."""


def _bare_names(text: str) -> Iterable[tuple[int, int]]:
    for match in _BARE_NAME.finditer(text):
        if _could_be_a_name(match.group("name").split()):
            yield match.span("name")


_CAPITALISED_PAIR = re.compile(
    r"(?<![\w'’-])(?P<name>[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
    r"[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)(?![\w'’-])")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;•*\n][\"'”’)]*)[ \t]*$")


def _mid_sentence_names(text: str) -> Iterable[tuple[int, int]]:
    """Two capitalised words inside a sentence (``hand cash to Gheorghe Marin every Friday``,
    ``The boss, Marius Popescu, took``): in English prose a person's name, unless a word is an
    agency's, a place's, a business's, a day's or a nationality (:data:`_NOT_IN_A_NAME`) or in
    capitals. At a sentence's start, :data:`_BARE_NAME` decides (a verb must follow)."""
    for match in _CAPITALISED_PAIR.finditer(text):
        start = match.start("name")
        if _SENTENCE_END.search(text[max(0, start - 12):start]) is not None:
            continue  # opens a sentence or a line
        if _could_be_a_name(match.group("name").split()):
            yield match.span("name")


_DONE_TO_PEOPLE = (
    "kept|keeps|took|takes|drove|drives|told|tells|paid|pays|threatened|threatens|hit|hits|"
    "beat|beats|locked|locks|collected|collects|recruited|recruits|controlled|controls|"
    "promised|promises|brought|brings|holds|held|owns|owned|said|says|gave|gives|sent|sends|"
    "picked|picks|shouted|shouts|slapped|punched|hurt|hurts|forced|forces|watched|watches|"
    "guarded|guards|ordered|orders|sold|sells|bought|buys"
)
"""Verbs of what people do (to people): after one capitalised word, a first name
(:data:`_LONE_NAME`)."""
_PERSON_VERBS = _DONE_TO_PEOPLE + "|have|has|had|lives|lived|live|sleeps|slept|sleep|works|worked"
_ONE_WORD = r"[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
_JOINED_NAMES = re.compile(
    rf"(?<![\w'’-])(?P<names>{_ONE_WORD}(?:[ \t]*,[ \t]*{_ONE_WORD})*"
    rf"[ \t]*,?[ \t]+(?:and|or|&)[ \t]+{_ONE_WORD})"
    rf"(?=[ \t]+(?:both[ \t]+|all[ \t]+|also[ \t]+|still[ \t]+|never[ \t]+|always[ \t]+)?"
    rf"(?:{_PERSON_VERBS}|[a-z]+ed)\b)")
"""Single capitalised words joined by "and" (``Only Marius and Ionut have keys``, ``Ana,
Dora and Irina slept there``), then a verb: people named by their first names. Not when a
word is a place's, an agency's, a day's or a nationality (:func:`_could_be_a_name`, and
countries and UK areas from pycountry: ``Romania and Bulgaria``)."""
_LONE_NAME = re.compile(
    rf"(?<![\w'’-])(?P<name>{_ONE_WORD})(?=[ \t]+(?:{_DONE_TO_PEOPLE})\b)")
"""One capitalised word, then a verb of what people do to people (``Maria kept it``, ``he
said Ionut drove them``, ``the money Mihai took``): a first name. Not after another
capitalised word (a longer name, found whole elsewhere), not a word that opens sentences
(:data:`_NOT_A_NAME`, :data:`_NOT_A_LONE_NAME`), and not a place's, an agency's and the
like. After a day's or a month's name it still is (``On Friday Ionut paid them``)."""
_INITIALLED = re.compile(
    rf"(?<![\w'’-])(?P<name>{_ONE_WORD}[ \t]+[A-Z]\.?|[A-Z]\.[ \t]*{_ONE_WORD})"
    rf"(?=[ \t]+(?:{_PERSON_VERBS}|[a-z]+ed)\b)")
"""A name with an initial for one of its words (``Marius P. kept``, ``M. Popescu took``),
then a verb."""
_CAPITALISED_BEFORE = re.compile(r"([^\W\d_a-z][^\W\d_]*)[ \t]+$")
_PRONOUNS = frozenset({"He", "She", "They", "We", "I", "You", "Him", "Her", "Them"})
_NOT_A_LONE_NAME = frozenset(re.split(r"\s+", """
Nobody Noone No-one Everyone Everybody Someone Somebody Anyone Anybody Nothing Everything
Something None All Both Each Every Some Most Many Few Several Others Another Other One Two
Three Four Five Six Seven Eight Nine Ten Who Which What Where Why How Police Officers Later
Now Usually Often Sometimes Always Never Also Still Management Staff Workers Men Women People
Nobody's Rent Work Transport Money Wages Pay Food Debt Travel Agency Agencies Gang Gangs
Employers Bosses Managers Landlords Drivers Neighbours Customers Clients Someone's Everyone's
Plan Unit Room Block Bay Site Gate Phase Type Grade Zone Level Floor Flat Option Team Van Car
Section Area Part Shift Group Line Row Cabin Caravan
""".strip()))


def _places() -> frozenset[str]:
    """Countries (and their common names) and UK areas, folded: never a person's first name."""
    global _PLACES
    if _PLACES is None:
        import pycountry

        names: set[str] = set()
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(country, attribute, None)
                if value and " " not in value:
                    names.add(fold(value))
        for area in pycountry.subdivisions:
            if area.country_code == "GB" and " " not in area.name:
                names.add(fold(area.name))
        _PLACES = frozenset(names)
    return _PLACES


_PLACES: frozenset[str] | None = None


def _could_be_a_first_name(word: str) -> bool:
    return (_could_be_a_name([word]) and word not in _NOT_A_LONE_NAME
            and fold(word) not in _places())


def _lone_first_names(text: str) -> Iterable[tuple[int, int]]:
    """First names said alone: joined by "and" then a verb (:data:`_JOINED_NAMES`), or one
    before a verb of what people do to people (:data:`_LONE_NAME`)."""
    for match in _JOINED_NAMES.finditer(text):
        words = list(re.finditer(_ONE_WORD, match.group("names")))
        if len(words) < 2:
            continue
        words = [word for word in words if word.group() not in _PRONOUNS]  # "He and Ion"
        if not words or not all(_could_be_a_first_name(word.group()) for word in words):
            continue
        for word in words:
            yield match.start("names") + word.start(), match.start("names") + word.end()
    for match in _INITIALLED.finditer(text):
        longest = max((m.group() for m in re.finditer(_ONE_WORD, match.group("name"))),
                      key=len)
        if len(longest) >= 2 and _could_be_a_first_name(longest):
            yield match.span("name")
    for match in _LONE_NAME.finditer(text):
        start = match.start("name")
        before = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
        if before is not None and _could_be_a_name([before.group(1)]):
            continue  # the end of a longer name ("Tell Ionut", "Maria Popescu")
        if _could_be_a_first_name(match.group("name")):
            yield match.span("name")


def _kin_names(text: str) -> Iterable[tuple[int, int]]:
    for match in _KIN_NAME.finditer(text):
        word = match.group("name")
        if word.casefold().strip("'’") in _NOT_IN_A_NAME or word.isupper():
            continue
        yield match.span("name")


# Simple endings a name takes in speech or other languages: possessives, plurals, cases.
_ENDINGS = "s|es|a|ei|ul|ului|ova|eva|ovi|ovs|ov|u|y|i|ie|owi|em|om|ego|emu|ą|ę"


def _fold_char(ch: str) -> str:
    bare = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
    lower = bare.lower()
    return lower if len(lower) == 1 else bare


_TITLED_NAME = re.compile(
    r"(?<![\w])(?i:mr|mrs|ms|miss|mx|dr|mister|madam|sir)\.?[ \t]+"
    r"[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)*"
)
"""A title and the capitalised words after it (``Mr Ion Fictionalescu``): someone's name,
recorded on the form or not."""
_NICKNAME = re.compile(
    r"(?<!area[ \t])(?<!place[ \t])(?<!estate[ \t])(?<!street[ \t])(?<!road[ \t])"
    r"(?<!locally[ \t])(?<!shop[ \t])(?<!pub[ \t])(?<!club[ \t])"
    r"\b(?i:(?:also[ \t]+)?known[ \t]+as|a\.?k\.?a\.?|nicknamed|(?:his|her|their)[ \t]+nickname"
    r"(?:[ \t]+(?:is|was))?|go(?:es)?[ \t]+by(?:[ \t]+the[ \t]+name(?:[ \t]+of)?)?"
    r"|call(?:s|ed|ing)?[ \t]+(?:himself|herself|themselves|themself)"
    r"|(?:uses|used|using)[ \t]+the[ \t]+name)[ \t]*:?[ \t]*[\"'“‘]?"
    r"[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*)*"
)
"""A nickname or another name the person goes by (``known as Johnny P``, ``goes by Tata``,
``calls himself Bogdan``): "known as", "goes by" and the like, then capitalised words. Not
after "area", "place", "street" and the like (``an area known as Hillfields``)."""
_WORD_BEFORE = re.compile(r"([^\W\d_][^\W\d_'’]*)[ -]$")
_WORD_AFTER = re.compile(r"[ -]([^\W\d_][^\W\d_'’]*)")


def _with_capitalised_neighbours(text: str, start: int, end: int) -> tuple[int, int]:
    """A recorded name's place widened over capitalised words right beside it (``Lena`` in
    ``her sister Lena Testova`` when ``Testova`` is recorded): most likely the rest of a name,
    a relative's or the person's own, and never harmful to remove from an anonymous notice."""
    while (before := _WORD_BEFORE.search(text, max(0, start - 64), start)) \
            and len(before.group(1)) >= 2 \
            and before.group(1)[0].isupper():
        start = before.start(1)
    while (after := _WORD_AFTER.match(text, end)) and len(after.group(1)) >= 2 \
            and after.group(1)[0].isupper():
        end = after.end(1)
    return start, end


def fold(text: str) -> str:
    """``text`` lower case with accents removed, character for character (same length, so a
    place found in the folded text is the same place in the original)."""
    return "".join(_fold_char(ch) for ch in text)


def _name_patterns(names: Iterable[str]) -> re.Pattern[str] | None:
    """Each whole name and each part of two letters or more, as whole words, accent-free, with
    simple endings (``Jose``, ``José's``, ``Ivanova`` for ``Ivanov``)."""
    words: set[str] = set()
    for name in names:
        cleaned = fold(" ".join(name.split()))
        if len(cleaned) >= 2:
            words.add(re.escape(cleaned))
        for part in re.split(r"[\s,]+", cleaned):
            if len(part) < 2:
                continue
            if len(part) >= 4 and part.isalpha() and part[-1] in "aeiouy":
                words.add(rf"{re.escape(part[:-1])}(?:{re.escape(part[-1])}|{_ENDINGS})")
            elif len(part) >= 4 and part.isalpha():
                words.add(rf"{re.escape(part)}(?:{_ENDINGS})?")
            else:
                words.add(re.escape(part))
    if not words:
        return None
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def _phones(text: str) -> Iterable[tuple[int, int]]:
    """Where phone numbers are: in each run of digit groups, the longest stretch of whole
    groups that is one (so a number beside a year or a count is still found alone)."""
    for run in _PHONE_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start())
                  for m in _DIGIT_GROUP.finditer(run.group())]
        first = 0
        while first < len(groups):
            for last in range(len(groups) - 1, first - 1, -1):
                start, end = groups[first][0], groups[last][1]
                if _is_phone(text[start:end]):
                    unopened = text[start] == "(" and ")" not in text[start:end]
                    yield start + unopened, end
                    first = last
                    break
            first += 1


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if candidate.lstrip("(").startswith("+"):
        return 9 <= len(digits) <= 15
    if digits.startswith("00"):
        return 11 <= len(digits) <= 17
    if digits.startswith("44"):
        return len(digits) in (12, 13)  # 44 7700 900123, or 44 (0)7700 900123
    return digits.startswith("0") and 10 <= len(digits) <= 11


def _address_parts(addresses: Iterable[str]) -> list[str]:
    """Each recorded address whole, and its street parts (``Lockhurst Lane`` of ``14 Lockhurst
    Lane, Coventry``) without the house number. A town alone is not a part: a Duty to Notify
    may name the town."""
    parts: set[str] = set()
    for address in addresses:
        whole = " ".join(address.split())
        if len(whole) >= 3:
            parts.add(fold(whole))
        for piece in re.split(r"[,\n;]+", whole):
            street = re.sub(r"^\s*(?:flat|unit)?\s*\d+[a-z]?\s*", "", piece, flags=re.I).strip()
            if len(street) >= 5 and (_STREET_PART.search(street) or " " in street):
                parts.add(fold(street))
    return sorted(parts, key=len, reverse=True)


def _birth_year(match: re.Match[str], as_of: date) -> int | None:
    year = next((match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)), None)
    if year is None:
        return None
    value = int(year)
    if value >= 100:
        return value
    return 2000 + value if value <= as_of.year % 100 else 1900 + value


def find_identifying_text(
    text: str, names: Iterable[str] = (), addresses: Iterable[str] = (),
    as_of: date | None = None,
) -> list[IdentifyingText]:
    """Everything in ``text`` that looks identifying, in order, without overlaps. ``names`` are
    the names (and references) recorded that must not appear; ``addresses`` are recorded
    addresses, places and premises, matched whole and by their street parts. With ``as_of``
    (the notice's date), a full date at least ADULT_YEARS before it counts as a date of birth;
    a date after "born", "DOB" or "date of birth" always does."""
    found: list[IdentifyingText] = []
    taken: list[tuple[int, int]] = []
    folded = fold(text)

    def claim(kind: IdentifyingKind, start: int, end: int) -> bool:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return False
        taken.append((start, end))
        found.append(IdentifyingText(kind, start, end))
        return True

    for pattern, kind in ((_EMAIL, IdentifyingKind.EMAIL), (_ONLINE, IdentifyingKind.ONLINE),
                          (_PLATFORM_HANDLE, IdentifyingKind.ONLINE),
                          (_BANK_DETAILS, IdentifyingKind.BANK_DETAILS),
                          (_COORDINATES, IdentifyingKind.COORDINATES),
                          (_BIRTH, IdentifyingKind.BIRTH_DATE)):
        for match in pattern.finditer(text):
            claim(kind, *match.span())
    if as_of is not None:
        for match in _FULL_DATE.finditer(text):
            year = _birth_year(match, as_of)
            if year is not None and year <= as_of.year - ADULT_YEARS:
                claim(IdentifyingKind.BIRTH_DATE, *match.span())
    for start, end in _phones(text):
        claim(IdentifyingKind.PHONE, start, end)
    for pattern, kind in ((_NI_NUMBER, IdentifyingKind.NI_NUMBER),
                          (_DOCUMENT_NUMBER, IdentifyingKind.DOCUMENT_NUMBER),
                          (_ADDRESS, IdentifyingKind.ADDRESS),
                          (_THE_ADDRESS, IdentifyingKind.ADDRESS),
                          (_HOUSE_NUMBER, IdentifyingKind.ADDRESS),
                          (_NAMED_PLACE, IdentifyingKind.ADDRESS),
                          (_POSTCODE, IdentifyingKind.POSTCODE),
                          (_VEHICLE, IdentifyingKind.VEHICLE),
                          (_LONG_NUMBER, IdentifyingKind.LONG_NUMBER)):
        for match in pattern.finditer(text):
            claim(kind, *match.span())
    for part in _address_parts(addresses):
        for match in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", folded):
            claim(IdentifyingKind.ADDRESS, *match.span())
    for pattern in (_TITLED_NAME, _NICKNAME):
        for match in pattern.finditer(text):
            claim(IdentifyingKind.NAME, *match.span())
    for pattern in (_SAID_NAME, _ROLE_NAME, _ROLE_ONE_NAME, _TOLD_NAME):  # the name only
        for match in pattern.finditer(text):
            claim(IdentifyingKind.NAME, *match.span("name"))
    for start, end in _bare_names(text):
        claim(IdentifyingKind.NAME, start, end)
    for start, end in _mid_sentence_names(text):
        claim(IdentifyingKind.NAME, start, end)
    for start, end in _kin_names(text):
        claim(IdentifyingKind.NAME, start, end)
    for start, end in _lone_first_names(text):
        claim(IdentifyingKind.NAME, start, end)
    named = _name_patterns(names)
    if named is not None:
        for match in named.finditer(folded):
            if not claim(IdentifyingKind.NAME, *_with_capitalised_neighbours(text, *match.span())):
                claim(IdentifyingKind.NAME, *match.span())
    return sorted(found, key=lambda item: item.start)


def find_recorded_addresses(text: str, addresses: Iterable[str]) -> list[tuple[int, int]]:
    """Where in ``text`` any of the recorded ``addresses`` (whole or a street part) occurs, as
    :func:`find_identifying_text` matches them, overlaps included."""
    folded = fold(text)
    return [match.span() for part in _address_parts(addresses)
            for match in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", folded)]


def scrub_identifying_text(
    text: str, names: Iterable[str] = (), addresses: Iterable[str] = (),
    as_of: date | None = None,
) -> tuple[str, list[IdentifyingText]]:
    """``text`` with every identifying detail replaced by a placeholder such as
    ``[phone removed]``, and what was replaced."""
    found = find_identifying_text(text, names, addresses, as_of)
    pieces: list[str] = []
    position = 0
    for item in found:
        pieces.append(text[position : item.start])
        pieces.append(PLACEHOLDERS[item.kind])
        position = item.end
    pieces.append(text[position:])
    return "".join(pieces), found


def describe_found(found: Iterable[IdentifyingText]) -> str:
    """Plain words for what was found, e.g. ``2 names and a phone number``."""
    counts: dict[IdentifyingKind, int] = {}
    for item in found:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    parts = [
        DESCRIPTIONS[kind][0] if count == 1 else f"{count} {DESCRIPTIONS[kind][1]}"
        for kind, count in counts.items()
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
