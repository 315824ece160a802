"""Who has the duty to notify: the officer's organisation looked up in the council's list of
first responders (``resources/first_responders.yaml``). Specified public authorities (councils,
police, the NCA, the GLAA, Border Force and other Home Office functions) must notify the Home
Office of an adult who does not consent (Modern Slavery Act 2015, section 52); charities that
are first responders may refer with consent but have no duty to notify."""

from __future__ import annotations

import re

from fieldkit import officer
from fieldkit.resources import FirstResponderOrganisation, Resources, load_resources
from fieldkit.store import Store
from forms.choices import ResponderDuty


def _words(text: str) -> str:
    """Lower case, apostrophes dropped, anything else that is not a letter or digit a space."""
    plain = re.sub(r"['\u2019]", "", text.casefold())
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split()) + " "


def matching_organisation(
    organisation: str, resources: Resources | None = None
) -> FirstResponderOrganisation | None:
    """The listed first responder an organisation's name belongs to, or None. The longest
    name or phrase found in it decides, so "Refugee Council" is the charity, not a council."""
    resources = resources or load_resources()
    named = _words(organisation)
    best: tuple[int, FirstResponderOrganisation] | None = None
    for listed in resources.first_responders:
        for phrase in (listed.name, *listed.matches):
            words = _words(phrase)
            if words.strip() and words in named and (best is None or len(words) > best[0]):
                best = (len(words), listed)
    return best[1] if best else None


def responder_duty(
    organisation: str, *, first_responder: bool = True, resources: Resources | None = None
) -> ResponderDuty:
    """What an organisation is as a first responder: statutory (must notify), non-statutory
    (may refer with consent, no duty to notify), not in the council's list, or, when the
    officer says they are not a first responder, not one."""
    if not first_responder:
        return ResponderDuty.NOT_FIRST_RESPONDER
    listed = matching_organisation(organisation, resources)
    if listed is None:
        return ResponderDuty.NOT_LISTED
    return ResponderDuty.STATUTORY if listed.statutory else ResponderDuty.NON_STATUTORY


def officer_duty(store: Store) -> ResponderDuty | None:
    """The duty of the officer using this copy of fieldkit, from their profile: not a first
    responder when they said so; otherwise from their organisation's name; None when the
    profile names no organisation (the forms' own first responder details then decide)."""
    profile = officer.load_profile(store)
    if profile is not None and not profile.first_responder:
        return ResponderDuty.NOT_FIRST_RESPONDER
    if profile is None or not profile.organisation.strip():
        return None
    return responder_duty(profile.organisation)
