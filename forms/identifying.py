"""Finding text that could identify a person: their recorded names, UK postcodes, phone numbers,
email addresses and house-number-and-street addresses. Used to keep a Duty to Notify anonymous."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class IdentifyingKind(StrEnum):
    """What kind of identifying detail was found."""

    NAME = "name"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


PLACEHOLDERS = {
    IdentifyingKind.NAME: "[name removed]",
    IdentifyingKind.POSTCODE: "[postcode removed]",
    IdentifyingKind.PHONE: "[phone removed]",
    IdentifyingKind.EMAIL: "[email removed]",
    IdentifyingKind.ADDRESS: "[address removed]",
}

DESCRIPTIONS = {
    IdentifyingKind.NAME: ("a name", "names"),
    IdentifyingKind.POSTCODE: ("a postcode", "postcodes"),
    IdentifyingKind.PHONE: ("a phone number", "phone numbers"),
    IdentifyingKind.EMAIL: ("an email address", "email addresses"),
    IdentifyingKind.ADDRESS: ("an address", "addresses"),
}


@dataclass(frozen=True)
class IdentifyingText:
    """One identifying detail in a piece of text: its kind and where it is."""

    kind: IdentifyingKind
    start: int
    end: int


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# UK numbers (0 and 9-10 digits, in up to three groups), with +country or (0) forms; a match
# counts only with 10 to 13 digits, so dates, years and references are left alone.
_GROUPS = r"\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
_PHONE = re.compile(
    rf"(?<![\w/+])(?:\+\d{{1,3}}[\s.-]?(?:\(0\)[\s.-]?)?{_GROUPS}"
    rf"|\(0\d{{2,4}}\)[\s.-]?\d{{3,4}}[\s.-]?\d{{3,4}}|0{_GROUPS})(?![\d/])"
)
_STREET_TYPES = (
    "road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|court|place|crescent|grove|"
    "terrace|gardens|hill|park|square|walk|row|mews|rise|view|green|parade|vale|broadway|"
    "boulevard|estate|yard|parkway"
)
_SMALL_WORDS = "the|on|in|at|of|a|an|to|by|near|down|up|along|and|or|from|for|with|off|per"
_ADDRESS = re.compile(
    rf"(?:\b(?:flat|unit|apartment|apt)\s+\d+[a-z]?\b)"
    rf"|(?:\b\d{{1,4}}[a-z]?,?\s+(?:(?!(?:{_SMALL_WORDS})\b)[a-z][a-z'’-]*\s+){{1,3}}"
    rf"(?:{_STREET_TYPES})\b\.?)",
    re.IGNORECASE,
)


def _name_patterns(names: Iterable[str]) -> re.Pattern[str] | None:
    """Each whole name, and each part of a name of two letters or more, as a whole word."""
    words: set[str] = set()
    for name in names:
        cleaned = " ".join(name.split())
        if len(cleaned) >= 2:
            words.add(cleaned)
        words.update(part for part in re.split(r"[\s,]+", cleaned) if len(part) >= 2)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def find_identifying_text(
    text: str, names: Iterable[str] = (), addresses: Iterable[str] = ()
) -> list[IdentifyingText]:
    """Everything in ``text`` that looks identifying, in order, without overlaps. ``names`` are
    the names recorded for the person (and others) that must not appear; ``addresses`` are
    recorded addresses or locations, matched as whole phrases."""
    found: list[IdentifyingText] = []
    taken: list[tuple[int, int]] = []

    def claim(kind: IdentifyingKind, start: int, end: int) -> None:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        found.append(IdentifyingText(kind, start, end))

    for match in _EMAIL.finditer(text):
        claim(IdentifyingKind.EMAIL, *match.span())
    for match in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group())
        if 10 <= digits <= 13:
            claim(IdentifyingKind.PHONE, *match.span())
    for match in _ADDRESS.finditer(text):
        claim(IdentifyingKind.ADDRESS, *match.span())
    for match in _POSTCODE.finditer(text):
        claim(IdentifyingKind.POSTCODE, *match.span())
    for address in sorted({a.strip() for a in addresses if len(a.strip()) >= 3}, key=len,
                          reverse=True):
        for match in re.finditer(re.escape(address), text, re.IGNORECASE):
            claim(IdentifyingKind.ADDRESS, *match.span())
    pattern = _name_patterns(names)
    if pattern is not None:
        for match in pattern.finditer(text):
            claim(IdentifyingKind.NAME, *match.span())
    return sorted(found, key=lambda item: item.start)


def scrub_identifying_text(
    text: str, names: Iterable[str] = (), addresses: Iterable[str] = ()
) -> tuple[str, list[IdentifyingText]]:
    """``text`` with every identifying detail replaced by a placeholder such as
    ``[phone removed]``, and what was replaced."""
    found = find_identifying_text(text, names, addresses)
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
