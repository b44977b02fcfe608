"""Calendar-month arithmetic, birthdays and ages."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier when negative).

    When that day does not exist the result is the last day of the month, so
    31 January + 1 month is 28 (or 29) February. This is how "3 months" and "6 months"
    in SI 2010/959 reg 33 are read: calendar months, never working days.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def anniversary(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start``; a 29 February falls on 1 March.

    The 1 March rule follows the birthday rule below so that "the first year of a
    placement" and "aged 16" are measured the same way.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        # Only 29 February can fail: the anniversary has not come until 28 February ends.
        return date(start.year + years, 3, 1)


def birthday(date_of_birth: date, age: int) -> date:
    """The date on which a person born on ``date_of_birth`` attains ``age``.

    Family Law Reform Act 1969 s9: a person attains an age at the commencement of the
    relevant anniversary of their birth. For someone born on 29 February the relevant
    anniversary in a non-leap year is taken to be 1 March; this is the common legal
    view in England [secondary: no statute says so expressly], and it is the later,
    safer date for rules that switch on at an age (an eligible child must be 16).
    """
    if age < 0:
        raise ValueError("age must not be negative")
    return anniversary(date_of_birth, age)


def age_on(date_of_birth: date, on: date) -> int:
    """The person's age in whole years on ``on``, consistent with :func:`birthday`."""
    if on < date_of_birth:
        raise ValueError(
            f"{on.isoformat()} is before the date of birth {date_of_birth.isoformat()}"
        )
    age = on.year - date_of_birth.year
    if birthday(date_of_birth, age) > on:
        age -= 1
    return age
