from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.formatting import long_date, long_date_with_day, working_days_left_phrase
from harbour.domain.tests.support import ENGLAND, d

LONG_DATES = [
    ("2027-01-04", "4 January 2027", "Monday 4 January 2027", "no-leading-zero"),
    ("2024-02-29", "29 February 2024", "Thursday 29 February 2024", "leap-day"),
    ("2026-12-28", "28 December 2026", "Monday 28 December 2026", "substitute-bank-holiday"),
]


@pytest.mark.parametrize(
    ("day", "plain", "with_day"),
    [(d(x), p, w) for x, p, w, _ in LONG_DATES],
    ids=[i for *_, i in LONG_DATES],
)
def test_long_dates(day: date, plain: str, with_day: str) -> None:
    assert long_date(day) == plain
    assert long_date_with_day(day) == with_day


PHRASES = [
    ("2026-03-11", "2026-03-09", "2 working days left", "two-left"),
    ("2026-03-09", "2026-03-06", "1 working day left", "friday-to-monday-one-left"),
    ("2026-03-09", "2026-03-09", "due today", "due-today"),
    ("2026-03-09", "2026-03-10", "1 working day overdue", "one-overdue"),
    ("2026-03-06", "2026-03-11", "3 working days overdue", "friday-due-three-overdue"),
    ("2026-12-29", "2026-12-24", "1 working day left", "over-christmas-substitute-day"),
    ("2026-03-08", "2026-03-06", "no working days left", "due-sunday-seen-on-friday"),
    ("2026-03-07", "2026-03-08", "overdue", "due-saturday-seen-on-sunday"),
]


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [(d(x), d(t), p) for x, t, p, _ in PHRASES],
    ids=[i for *_, i in PHRASES],
)
def test_working_days_left_phrase(due: date, today: date, expected: str) -> None:
    assert working_days_left_phrase(due, today, ENGLAND) == expected
