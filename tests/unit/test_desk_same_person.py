"""The same person met by two officers: the desk's check for an NRM referral already made
compares names as a person is written down in practice (accents or none, names swapped, a
second family name) with the same date of birth, or close estimated ages when neither has one."""

from __future__ import annotations

from datetime import date

import pytest

from sync.desk.submission import _Identity, _words

BORN = date(1990, 3, 4)


def who(*names: str, born: date | None = BORN, age: int | None = None) -> _Identity:
    return _Identity(tuple(_words(n) for n in names), born, age)


@pytest.mark.parametrize("written", [
    "Ionut Popescu",          # no accents
    "Popescu Ionuț",          # family name first
    "Ionuț Popescu-Marin",    # a second family name
    "IONUȚ POPESCU",
    "Ionuţ Popescu",          # the cedilla form of the letter
])
def test_one_person_written_down_differently_may_be_one(written: str) -> None:
    """Four NRMs of one person (born 4 March 1990) from two officers were all accepted."""
    assert who("Ionuț Popescu").may_be(who(written))
    assert who(written).may_be(who("Ionuț Popescu"))


@pytest.mark.parametrize(("theirs"), [
    who("Ionuț Popescu", born=date(1991, 3, 4)),  # another date of birth
    who("Andrei Popescu"),                         # another given name
    who("Popescu"),                                # one word says too little
    who("Ionuț Popescu", born=None, age=34),       # a date of birth on one side only
])
def test_other_people_are_not_taken_for_the_same(theirs: _Identity) -> None:
    assert not who("Ionuț Popescu").may_be(theirs)


def test_with_no_dates_of_birth_close_estimated_ages_and_the_same_name() -> None:
    assert who("Ionut Popescu", born=None, age=30).may_be(who("Ionuț Popescu", born=None, age=34))
    assert not who("Ionut Popescu", born=None, age=25).may_be(
        who("Ionuț Popescu", born=None, age=34))


def test_an_alias_counts_as_a_name() -> None:
    assert who("Ion Pop", "Ionut Popescu").may_be(who("Ionuț Popescu"))
