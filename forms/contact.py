"""How to reach someone, checked as it is typed: a phone number must look like one, a UK postcode
must be one (stored upper-case with one space, ``CV1 2AB``), an email address must look like one.
Blank is always allowed: whether a field is needed is the form's ready check.

The checks refuse only what is being typed or saved now (validated with
:data:`forms.form.TYPED`): a form read back as it was saved, perhaps before a check existed,
is never refused for its format, so it still prints, syncs and reaches the Lead."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from forms.form import typed_now

PHONE_EXAMPLE = "07700 900123"
POSTCODE_EXAMPLE = "CV1 2AB"
WORK_EMAIL_EXAMPLE = "name@council.gov.uk"
PERSONAL_EMAIL_EXAMPLE = "name@example.com"

_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-./]+$")
_PHONE_MIN_DIGITS = 7
_PHONE_MAX_DIGITS = 15  # the longest number ITU-T E.164 allows, country code included

# The UK postcode pattern (outward code, then inward code: a digit and two letters), with the
# letters each position may hold, and GIR 0AA. Checked on the upper-case text without spaces.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|(?P<outward>[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2}))$"
)


def is_phone_number(text: str) -> bool:
    """True for text that looks like a UK or international phone number: only digits, spaces,
    brackets, hyphens, dots and slashes (as numbers are written in other countries) and a
    leading ``+``, with 7 to 15 digits (``07700 900123``, ``+44 (0)24 7650 0000``,
    ``+48 22 123 45 67``, ``+33 6.12.34.56.78``, ``030/1234567``)."""
    if not _PHONE_CHARACTERS.match(text):
        return False
    digits = sum(char.isdigit() for char in text)
    return _PHONE_MIN_DIGITS <= digits <= _PHONE_MAX_DIGITS


def uk_postcode(text: str) -> str | None:
    """``text`` as a UK postcode, upper-case with one space (``cv15ah`` is ``CV1 5AH``), or None
    when it is not one."""
    compact = "".join(text.split()).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


_POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


def postcode_in(text: str) -> str:
    """The last UK postcode written in ``text`` (an address line: "14 Example Lane, Coventry
    CV6 5PD"), normalised, or "" when it holds none."""
    for outward, inward in reversed(_POSTCODE_IN_TEXT.findall(text)):
        found = uk_postcode(outward + inward)
        if found is not None:
            return found
    return ""


def _phone_or_blank(value: str, info: ValidationInfo) -> str:
    if value and typed_now(info.context) and not is_phone_number(value):
        raise ValueError(f"must be a phone number, such as {PHONE_EXAMPLE}")
    return value


def _postcode_or_blank(value: str, info: ValidationInfo) -> str:
    if not value:
        return value
    found = uk_postcode(value)
    if found is None:
        if not typed_now(info.context):
            return value  # read as it was saved
        raise ValueError(f"must be a UK postcode, such as {POSTCODE_EXAMPLE}")
    return found


_EMAIL = re.compile(
    r"^[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")
"""The WHATWG "valid e-mail address" (what a browser's e-mail box accepts), letters of any
alphabet allowed, with a dot in the domain and a top-level domain of letters."""


def looks_like_email(text: str) -> bool:
    """True for text shaped like an email address (``name@council.gov.uk``): no spaces,
    commas or semicolons, one ``@``, no two dots together, and a domain with a dot in it
    (``name@coventry,gov.uk``, ``a@@x.gov.uk``, ``@x.gov.uk`` and ``a@x..gov.uk`` are not)."""
    return _EMAIL.match(text) is not None and ".." not in text


def _email_or_blank(example: str) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        if value and typed_now(info.context) and not looks_like_email(value):
            raise ValueError(f"must be an email address, such as {example}")
        return value
    return check


PhoneText = Annotated[str, AfterValidator(_phone_or_blank)]
"""A phone number, or blank."""

PostcodeText = Annotated[str, AfterValidator(_postcode_or_blank)]
"""A UK postcode stored upper-case with one space, or blank."""

WorkEmailText = Annotated[str, AfterValidator(_email_or_blank(WORK_EMAIL_EXAMPLE))]
"""An officer's work email address, or blank."""

EmailText = Annotated[str, AfterValidator(_email_or_blank(PERSONAL_EMAIL_EXAMPLE))]
"""Anyone else's email address (a potential victim's), or blank: the example is neutral."""
