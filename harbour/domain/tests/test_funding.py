from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harbour.domain.funding import DatedRate, rate_in_force
from harbour.domain.tests.support import d

RATES = [
    DatedRate("2016-under-16", d("2016-07-01"), d("2019-04-30"), 0, 15, Decimal("114")),
    DatedRate("2016-16-17", d("2016-07-01"), d("2019-04-30"), 16, 17, Decimal("91")),
    DatedRate("2019-flat", d("2019-05-01"), None, 0, 17, Decimal("114")),
    DatedRate("2022-incentive", d("2022-08-24"), d("2024-11-30"), 0, 17, Decimal("143"), Decimal("6000")),
]

CASES = [
    # (date of birth, arrival, expected rate key, case)
    ("2003-03-01", "2018-06-01", "2016-under-16", "15-in-2018-younger-band"),
    ("2002-05-31", "2018-06-01", "2016-16-17", "16th-birthday-the-day-before"),
    ("2002-06-01", "2018-06-01", "2016-16-17", "16th-birthday-on-arrival"),
    ("2002-06-02", "2018-06-01", "2016-under-16", "16th-birthday-the-day-after"),
    ("2005-01-01", "2019-04-30", "2016-under-16", "last-day-of-old-rates"),
    ("2005-01-01", "2019-05-01", "2019-flat", "first-day-of-flat-rate"),
    ("2008-01-01", "2023-01-01", "2022-incentive", "later-instruction-wins-overlap"),
    ("2008-01-01", "2024-12-01", "2019-flat", "incentive-ended"),
    ("2008-02-29", "2025-02-28", "2019-flat", "born-29-february-still-16-on-28th"),
    ("2008-02-29", "2026-02-28", "2019-flat", "born-29-february-still-17-on-28-february"),
    ("2008-02-29", "2026-03-01", None, "born-29-february-18-on-1-march"),
    ("2008-03-01", "2026-03-01", None, "18th-birthday-no-child-rate"),
    ("2010-01-01", "2015-01-01", None, "before-any-rate"),
]


@pytest.mark.parametrize(("dob", "arrival", "expected"), [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_rate_in_force(dob: str, arrival: str, expected: str | None) -> None:
    rate = rate_in_force(RATES, date_of_birth=d(dob), on=d(arrival))
    assert (rate.key if rate else None) == expected


def test_no_date_of_birth_no_rate() -> None:
    assert rate_in_force(RATES, date_of_birth=None, on=date(2026, 1, 1)) is None
