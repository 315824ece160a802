"""Countries, nationalities and languages from pycountry (ISO 3166 and ISO 639-3), validated as
codes and shown by name. No hand-made lists."""

from __future__ import annotations

from functools import cache
from typing import Annotated

import pycountry
from pydantic import BeforeValidator

# Kosovo has no ISO 3166 code; XK is the user-assigned code used by the EU and UK Home Office
# forms. Many people met in this work are Kosovan, so it must be offered.
_EXTRA_COUNTRIES = {"XK": "Kosovo"}


def country_name(code: str) -> str:
    """The display name of an ISO 3166 alpha-2 country code, e.g. ``Romania`` for ``RO``."""
    code = code.upper()
    if code in _EXTRA_COUNTRIES:
        return _EXTRA_COUNTRIES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    return str(getattr(country, "common_name", country.name))


def language_name(code: str) -> str:
    """The display name of an ISO 639-3 language code, e.g. ``Romanian`` for ``ron``."""
    language = pycountry.languages.get(alpha_3=code.lower())
    if language is None:
        raise KeyError(code)
    return str(language.name)


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """Every country as (alpha-2 code, name), sorted by name, for pick lists."""
    pairs = [(c.alpha_2, str(getattr(c, "common_name", c.name))) for c in pycountry.countries]
    pairs.extend(_EXTRA_COUNTRIES.items())
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


@cache
def language_choices(common_only: bool = True) -> tuple[tuple[str, str], ...]:
    """Languages as (ISO 639-3 code, name), sorted by name. ``common_only`` keeps the living
    languages that also have a two-letter code (about 180); otherwise every living language."""
    pairs = [
        (str(lang.alpha_3), str(lang.name))
        for lang in pycountry.languages
        if getattr(lang, "type", "") == "L" and (not common_only or hasattr(lang, "alpha_2"))
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def _country_code(value: object) -> object:
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    if len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
        if found is not None:
            return str(found.alpha_2)
    if code in _EXTRA_COUNTRIES or (len(code) == 2 and pycountry.countries.get(alpha_2=code)):
        return code
    raise ValueError("must be a country code such as GB (United Kingdom) or RO (Romania)")


def _language_code(value: object) -> object:
    if not isinstance(value, str):
        return value
    code = value.strip().lower()
    if len(code) == 2:
        found = pycountry.languages.get(alpha_2=code)
        if found is not None:
            return str(found.alpha_3)
    if len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None:
        return code
    raise ValueError("must be a language code such as ron (Romanian) or sqi (Albanian)")


CountryCode = Annotated[str, BeforeValidator(_country_code)]
"""An ISO 3166 alpha-2 country code (alpha-3 is accepted and stored as alpha-2)."""

LanguageCode = Annotated[str, BeforeValidator(_language_code)]
"""An ISO 639-3 language code (a two-letter ISO 639-1 code is accepted and stored as 639-3)."""
