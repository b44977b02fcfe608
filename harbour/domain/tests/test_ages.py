from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.ages import add_months, age_on, anniversary, birthday
from harbour.domain.tests.support import d, property_test

ADD_MONTHS = [
    ("2026-01-31", 1, "2026-02-28", "31-jan-plus-1-clamps-to-28-feb"),
    ("2024-01-31", 1, "2024-02-29", "31-jan-plus-1-clamps-to-29-feb-in-leap-year"),
    ("2025-08-31", 6, "2026-02-28", "31-aug-plus-6-clamps-to-28-feb"),
    ("2023-08-31", 6, "2024-02-29", "31-aug-plus-6-clamps-to-29-feb"),
    ("2024-02-29", 12, "2025-02-28", "leap-day-plus-12-months"),
    ("2026-11-30", 3, "2027-02-28", "over-year-end-clamps"),
    ("2026-10-31", 2, "2026-12-31", "month-end-that-exists"),
    ("2026-03-15", -3, "2025-12-15", "backwards-over-year-end"),
    ("2026-05-31", -1, "2026-04-30", "backwards-clamps"),
    ("2026-12-28", 0, "2026-12-28", "zero-months"),
]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(d(s), m, d(e)) for s, m, e, _ in ADD_MONTHS],
    ids=[i for *_, i in ADD_MONTHS],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


BIRTHDAYS = [
    ("2008-03-10", 18, "2026-03-10", "18th-birthday"),
    ("2008-02-29", 18, "2026-03-01", "leap-day-born-18th-birthday-is-1-march"),
    ("2008-02-29", 16, "2024-02-29", "leap-day-born-birthday-in-leap-year"),
    ("2010-12-31", 16, "2026-12-31", "new-years-eve"),
    ("2010-12-31", 0, "2010-12-31", "age-zero-is-birth"),
]


@pytest.mark.parametrize(
    ("born", "age", "expected"),
    [(d(b), a, d(e)) for b, a, e, _ in BIRTHDAYS],
    ids=[i for *_, i in BIRTHDAYS],
)
def test_birthday(born: date, age: int, expected: date) -> None:
    assert birthday(born, age) == expected


def test_birthday_rejects_negative_age() -> None:
    with pytest.raises(ValueError):
        birthday(d("2010-01-01"), -1)


AGES = [
    ("2008-03-10", "2026-03-09", 17, "day-before-18th-birthday"),
    ("2008-03-10", "2026-03-10", 18, "on-18th-birthday"),
    ("2008-02-29", "2026-02-28", 17, "leap-born-on-28-feb-not-yet-18"),
    ("2008-02-29", "2026-03-01", 18, "leap-born-18-on-1-march"),
    ("2008-02-29", "2024-02-29", 16, "leap-born-on-leap-birthday"),
    ("2008-03-10", "2008-03-10", 0, "day-of-birth"),
]


@pytest.mark.parametrize(
    ("born", "on", "expected"), [(d(b), d(o), a) for b, o, a, _ in AGES], ids=[i for *_, i in AGES]
)
def test_age_on(born: date, on: date, expected: int) -> None:
    assert age_on(born, on) == expected


def test_age_on_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(d("2010-01-01"), d("2009-12-31"))


def test_anniversary_of_leap_day_placement_is_1_march() -> None:
    assert anniversary(d("2024-02-29"), 1) == d("2025-03-01")
    assert anniversary(d("2024-02-29"), 4) == d("2028-02-29")


births = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@property_test
@given(born=births, age=st.integers(min_value=1, max_value=30))
def test_age_on_agrees_with_birthday(born: date, age: int) -> None:
    reached = birthday(born, age)
    assert age_on(born, reached) == age
    assert age_on(born, reached - timedelta(days=1)) == age - 1


@property_test
@given(day=births, months=st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_or_clamps_to_month_end(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)
