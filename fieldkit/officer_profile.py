"""The officer's profile (a pydantic model): who uses this copy of fieldkit, printed on forms
and sent with exports. Read and written by :mod:`fieldkit.officer`; apart from it so that
starting the app does not load pydantic."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field


class OfficerProfile(BaseModel):
    """Who is using this copy of fieldkit; printed on forms and sent with exports."""

    name: str = Field(min_length=1)
    organisation: str = ""
    role: str = ""
    first_responder: bool = True
    email: str = ""
    phone: str = ""
    exhibit_prefix: str = ""
    """The start of exhibit references (police convention: the officer's initials, e.g. RH for
    RH/1, RH/2); empty means the initials of ``name``."""

    def initials(self) -> str:
        """The officer's initials in capitals (``Rowan Hallam`` gives ``RH``)."""
        letters = [part[0] for part in re.split(r"[\s\-']+", self.name.strip()) if part]
        return "".join(letters).upper() or "X"

    def contact_problems(self) -> dict[str, str]:
        """What is wrong with the work email and phone, by field (``email``, ``phone``), in
        plain words: they go on every form as the first responder's, so one mistyped here
        would make every NRM referral's first responder section wrong."""
        from forms.contact import (
            PHONE_EXAMPLE,
            WORK_EMAIL_EXAMPLE,
            is_phone_number,
            looks_like_email,
        )

        found = {}
        if self.email and not looks_like_email(self.email):
            found["email"] = (f"Work email must be an email address, such as "
                              f"{WORK_EMAIL_EXAMPLE}.")
        if self.phone and not is_phone_number(self.phone):
            found["phone"] = f"Work phone must be a phone number, such as {PHONE_EXAMPLE}."
        return found

    def exhibit_reference_prefix(self) -> str:
        """What exhibit references start with: the chosen prefix, else the initials."""
        chosen = re.sub(r"[^A-Za-z0-9]", "", self.exhibit_prefix).upper()
        return chosen or self.initials()
