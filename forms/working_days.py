"""Counting days for NRM timelines: calendar days, and working days that skip weekends and the
bank holidays the council keeps in ``resources/bank_holidays.yaml``. Pure date arithmetic."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def is_working_day(day: date, bank_holidays: Collection[date]) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays


def add_working_days(start: date, days: int, bank_holidays: Collection[date]) -> date:
    """The working day ``days`` working days after ``start`` (the start itself is not counted,
    so a referral submitted on a Friday with 5 working days is due the next Friday)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            counted += 1
    return day


def add_days(start: date, days: int, *, working: bool, bank_holidays: Collection[date]) -> date:
    """``days`` calendar days after ``start`` (31 January + 30 days is 2 March, or 1 March in a
    leap year), or working days when ``working``."""
    if working:
        return add_working_days(start, days, bank_holidays)
    return start + timedelta(days=days)
