"""An officer's walk marked a Duty to Notify ready with a relative's first name and a named
building still in its account: both are now found, and removed on save as every identifying
detail is, while an account that names no one still passes."""

from __future__ import annotations

from datetime import date

from forms.dtn import DutyToNotify
from forms.identifying import scrub_identifying_text

AS_OF = date(2026, 12, 4)
ACCOUNT = ("She was brought from Vietnam by a man she owed money to. Her brother Duc lives at "
           "Flat 2, Sample Court, Radford. She worked twelve hours a day at the nail bar.")


def test_the_relatives_name_and_the_building_are_removed() -> None:
    scrubbed, found = scrub_identifying_text(ACCOUNT, as_of=AS_OF)
    assert "Duc" not in scrubbed and "Sample Court" not in scrubbed
    assert "Radford" in scrubbed  # the general area may stay
    assert [item.kind.value for item in found] == ["name", "address", "address"]


def test_a_notice_with_them_is_not_ready_and_one_without_is() -> None:
    def problems(account: str) -> list[str]:
        notice = DutyToNotify(gender="female", general_area="Coventry", account=account,
                              encountered_on=AS_OF)
        return [p.message for p in notice.ready_problems(AS_OF) if p.field == "account"]

    assert problems(ACCOUNT)
    assert problems(scrub_identifying_text(ACCOUNT, as_of=AS_OF)[0]) == []
