"""Leaving-care categories (reference.md 3.1).

Most cases use a child born 10 March 2010: 14 on 10 March 2024, 16 on 10 March 2026,
18 on 10 March 2028, 21 on 10 March 2031.
"""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.tests.support import d
from harbour.domain.timescales import LeavingCareStatus, became_eligible_on, leaving_care_status
from harbour.domain.types import Period

BORN = d("2010-03-10")


def p(start: str, end: str | None = None) -> Period:
    return Period(d(start), None if end is None else d(end))


ELIGIBLE_ON = [
    (BORN, [p("2025-01-01")], "2026-03-10", "thirteen-weeks-before-16-eligible-on-16th-birthday"),
    # 10 Sep + 90 days = 9 Dec: the 91st day looked after
    (BORN, [p("2026-09-10")], "2026-12-09", "arrives-at-16-and-a-half"),
    # 22 days from the 14th birthday (10-31 Mar 2024), then 69 more: 1 May + 68 days = 8 Jul
    (
        BORN,
        [p("2024-03-01", "2024-03-31"), p("2026-05-01")],
        "2026-07-08",
        "periods-add-up-from-14th-birthday",
    ),
    (
        BORN,
        [p("2023-01-01", "2024-03-09"), p("2026-04-01")],
        "2026-06-30",
        "time-before-14-does-not-count",
    ),
    (BORN, [p("2024-06-01", "2025-12-31")], None, "left-before-16"),
    (
        BORN,
        [p("2024-06-01", "2025-12-31"), p("2026-06-01", "2026-06-02")],
        "2026-06-01",
        "returns-after-16",
    ),
    (BORN, [p("2027-12-10")], "2028-03-09", "reaches-13-weeks-day-before-18th-birthday"),
    (BORN, [p("2027-12-11")], None, "reaches-13-weeks-on-18th-birthday-too-late"),
    (BORN, [p("2028-01-01")], None, "arrives-within-13-weeks-of-18"),
    # Born 29 Feb 2012: 18 on 1 Mar 2030, so still 17 (and able to become eligible) on 28 Feb.
    (d("2012-02-29"), [p("2029-11-30")], "2030-02-28", "leap-born-still-17-on-28-february"),
    (d("2012-02-29"), [p("2029-12-01")], None, "leap-born-18-on-1-march"),
    (BORN, [p("2026-03-11"), p("2025-12-01", "2026-03-01")], "2026-03-11", "periods-in-any-order"),
]


@pytest.mark.parametrize(
    ("born", "periods", "expected"),
    [(b, ps, None if e is None else d(e)) for b, ps, e, _ in ELIGIBLE_ON],
    ids=[i for *_, i in ELIGIBLE_ON],
)
def test_became_eligible_on(born: date, periods: list[Period], expected: date | None) -> None:
    assert became_eligible_on(born, periods) == expected


E = LeavingCareStatus
STATUS = [
    ([p("2025-01-01")], "2026-03-09", 21, None, "aged-15-not-a-care-leaver"),
    ([p("2025-01-01")], "2026-03-10", 21, E.ELIGIBLE, "looked-after-on-16th-birthday"),
    ([p("2026-09-10")], "2026-10-01", 21, None, "looked-after-16-year-old-short-of-13-weeks"),
    (
        [p("2025-01-01", "2027-01-31")],
        "2027-02-01",
        21,
        E.RELEVANT,
        "left-care-at-16-after-eligible",
    ),
    ([p("2026-09-10", "2026-10-31")], "2027-02-01", 21, E.QUALIFYING, "left-at-16-before-13-weeks"),
    ([p("2025-01-01")], "2028-03-10", 21, E.FORMER_RELEVANT, "18th-birthday-in-care"),
    ([p("2025-01-01", "2028-03-09")], "2029-06-01", 21, E.FORMER_RELEVANT, "aged-19-was-eligible"),
    ([p("2028-01-01", "2028-03-09")], "2029-06-01", 21, E.QUALIFYING, "uasc-arrived-near-18"),
    (
        [p("2025-01-01", "2028-03-09")],
        "2031-03-09",
        21,
        E.FORMER_RELEVANT,
        "day-before-21st-birthday",
    ),
    (
        [p("2025-01-01", "2028-03-09")],
        "2031-03-10",
        21,
        None,
        "21st-birthday-support-ends-by-default",
    ),
    (
        [p("2025-01-01", "2028-03-09")],
        "2032-06-01",
        25,
        E.FORMER_RELEVANT,
        "aged-22-asked-for-adviser-to-25",
    ),
    ([p("2028-01-01", "2028-03-09")], "2032-06-01", 25, None, "qualifying-ends-at-21"),
    ([p("2024-06-01", "2025-12-31")], "2027-01-01", 21, None, "left-care-before-16"),
    ([], "2027-01-01", 21, None, "never-looked-after"),
    ([p("2026-09-10")], "2026-09-01", 21, None, "period-starting-after-today-ignored"),
]


@pytest.mark.parametrize(
    ("periods", "today", "until", "expected"),
    [(ps, d(t), u, e) for ps, t, u, e, _ in STATUS],
    ids=[i for *_, i in STATUS],
)
def test_leaving_care_status(
    periods: list[Period], today: date, until: int, expected: LeavingCareStatus | None
) -> None:
    assert leaving_care_status(BORN, periods, today, former_relevant_until_age=until) == expected


def test_open_period_is_only_counted_up_to_today() -> None:
    # On 1 Dec 2026 the child has been looked after 82 days: not yet eligible, though the
    # open period would reach 13 weeks on 9 Dec.
    assert leaving_care_status(BORN, [p("2026-09-10")], d("2026-12-01")) is None
    assert leaving_care_status(BORN, [p("2026-09-10")], d("2026-12-09")) == E.ELIGIBLE


def test_period_end_before_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        p("2026-03-02", "2026-03-01")
