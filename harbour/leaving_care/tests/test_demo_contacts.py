"""The demo puts a personal adviser's contact near each OC3 birthday on a day that will do, so
that the demo's SSDA903 return has no blank OC3 row (rules 131 to 133) whatever the random draw."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.domain.types import Period
from harbour.leaving_care.demo import contact_day_near

BORN = dt.date(2006, 5, 10)  # 19 on 10 May 2025
NINETEENTH = dt.date(2025, 5, 10)
IN_CARE_TO_18 = [Period(dt.date(2021, 1, 4), dt.date(2024, 5, 9))]


@pytest.mark.parametrize(
    ("case", "offset", "allocated", "spells", "expected"),
    [
        ("the drawn day will do", 12, Period(dt.date(2024, 5, 10), None), IN_CARE_TO_18, dt.date(2025, 5, 22)),
        ("drawn before the adviser was allocated: the birthday, once allocated", -20,
         Period(dt.date(2025, 5, 1), None), IN_CARE_TO_18, NINETEENTH),
        ("allocated after the birthday: the first allocated day", -20,
         Period(dt.date(2025, 5, 15), None), IN_CARE_TO_18, dt.date(2025, 5, 15)),
        ("drawn after the allocation ended: its last day", 30,
         Period(dt.date(2024, 5, 10), dt.date(2025, 5, 14)), IN_CARE_TO_18, dt.date(2025, 5, 10)),
        ("drawn while back in care: the nearest day out of care", 5, Period(dt.date(2024, 5, 10), None),
         [*IN_CARE_TO_18, Period(dt.date(2025, 5, 3), dt.date(2025, 5, 20))], dt.date(2025, 5, 2)),
        ("allocated only after the window: none", 0, Period(dt.date(2025, 7, 10), None), IN_CARE_TO_18, None),
        ("allocated from the window's last day", 0, Period(dt.date(2025, 7, 9), None), IN_CARE_TO_18,
         dt.date(2025, 7, 9)),
        ("never looked after, so never a care leaver: none", 0, Period(dt.date(2024, 5, 10), None), [], None),
    ],
)
def test_the_contact_day_near_a_birthday(case: str, offset: int, allocated: Period, spells: list[Period],
                                         expected: dt.date | None) -> None:
    assert contact_day_near(NINETEENTH, offset, allocated=allocated, date_of_birth=BORN, spells=spells) == expected
