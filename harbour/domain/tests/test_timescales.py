"""Table-driven tests of each statutory rule. Expected dates were counted by hand on a
calendar; the comments give the count where it crosses a holiday."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain import timescales as ts
from harbour.domain.tests.support import ENGLAND, d
from harbour.domain.types import SchoolTerm

NTS_DAYS = [
    ("2022-08-23", 5, 10, "day-before-change-uses-10"),
    ("2022-08-24", 5, 5, "change-day-uses-5"),
    ("2026-03-06", 3, 3, "council-setting-used-after-change"),
    ("2022-01-04", 3, 10, "council-setting-ignored-before-change"),
]


@pytest.mark.parametrize(
    ("referral", "council", "expected"),
    [(d(r), c, e) for r, c, e, _ in NTS_DAYS],
    ids=[i for *_, i in NTS_DAYS],
)
def test_nts_transfer_working_days(referral: date, council: int, expected: int) -> None:
    assert ts.nts_transfer_working_days(referral, council) == expected


def test_nts_transfer_working_days_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ts.nts_transfer_working_days(d("2026-03-06"), 0)


NTS_DUE = [
    ("2026-03-06", "2026-03-13", "friday-referral"),
    # 24 (1), 25 Christmas, 26-27 weekend, 28 substitute, 29-31 (2-4), 1 Jan, 4 Jan (5)
    ("2026-12-23", "2027-01-04", "over-christmas-and-new-year"),
    # 2 Apr (1), Good Friday, weekend, Easter Monday, 7-10 Apr (2-5)
    ("2026-04-01", "2026-04-10", "over-easter"),
    # 15, 16 (1-2), 19 state funeral, 20-22 (3-5)
    ("2022-09-14", "2022-09-22", "over-state-funeral"),
    # 4, 5 (1-2), 8 coronation, 9-11 (3-5)
    ("2023-05-03", "2023-05-11", "over-coronation"),
    # 10 days under the old rule: 22-26 Aug (5), 29 Aug bank holiday, 30 Aug-2 Sep (9), 5 Sep (10)
    ("2022-08-19", "2022-09-05", "old-ten-day-rule"),
    ("2024-02-22", "2024-02-29", "due-on-leap-day"),
]


@pytest.mark.parametrize(
    ("referral", "expected"), [(d(r), d(e)) for r, e, _ in NTS_DUE], ids=[i for *_, i in NTS_DUE]
)
def test_nts_transfer_due(referral: date, expected: date) -> None:
    assert ts.nts_transfer_due(referral, ENGLAND) == expected


TEN_WORKING_DAYS = [
    ("2026-03-06", "2026-03-20", "friday-start"),
    # 21-24 Dec (4), 25 & 28 holidays, 29-31 (7), 1 Jan holiday, 4-6 Jan (10)
    ("2026-12-18", "2027-01-06", "over-christmas-substitute-and-new-year"),
    # 1 Mar (1), 4-8 (6), 11-14 (10)
    ("2024-02-29", "2024-03-14", "leap-day-start"),
    # 15-17 Apr (3), Good Friday 18, Easter Monday 21, 22-25 (7), 28-30 (10)
    ("2025-04-14", "2025-04-30", "over-easter-2025"),
    # 16 (1), 19 state funeral, 20-23 (5), 26-30 (10)
    ("2022-09-15", "2022-09-30", "over-state-funeral"),
]


@pytest.mark.parametrize(
    ("start", "expected"),
    [(d(s), d(e)) for s, e, _ in TEN_WORKING_DAYS],
    ids=[i for *_, i in TEN_WORKING_DAYS],
)
def test_care_plan_due(start: date, expected: date) -> None:
    assert ts.care_plan_due(start, ENGLAND) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [(d(s), d(e)) for s, e, _ in TEN_WORKING_DAYS],
    ids=[i for *_, i in TEN_WORKING_DAYS],
)
def test_first_pep_due(start: date, expected: date) -> None:
    assert ts.first_pep_due(start, ENGLAND) == expected


FIRST_REVIEW = [
    ("2026-03-03", "2026-03-31", "plain-month"),
    # 9-13 (5), 16-20 (10), 23-27 (15), 30 Mar-2 Apr (19), Good Friday, Easter Monday, 7 Apr (20)
    ("2026-03-06", "2026-04-07", "friday-start-over-easter"),
    # 2-4 (3), 7-11 (8), 14-18 (13), 21-24 (17), 25 & 28 holidays, 29-31 (20)
    ("2026-12-01", "2026-12-31", "over-christmas-substitute"),
    # 2 (1), 5-9 (6), 12-16 (11), 19 funeral, 20-23 (15), 26-30 (20)
    ("2022-09-01", "2022-09-30", "over-state-funeral"),
    # 21 (1), 24-28 (6), 1 May holiday, 2-5 (10), 8 coronation, 9-12 (14), 15-19 (19), 22 (20)
    ("2023-04-20", "2023-05-22", "over-coronation"),
    # 1 Mar (1), 4-8 (6), 11-15 (11), 18-22 (16), 25-28 (20), Good Friday 29 Mar 2024 not reached
    ("2024-02-29", "2024-03-28", "leap-day-start"),
]


@pytest.mark.parametrize(
    ("start", "expected"),
    [(d(s), d(e)) for s, e, _ in FIRST_REVIEW],
    ids=[i for *_, i in FIRST_REVIEW],
)
def test_first_review_due(start: date, expected: date) -> None:
    assert ts.first_review_due(start, ENGLAND) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [(d(s), d(e)) for s, e, _ in FIRST_REVIEW],
    ids=[i for *_, i in FIRST_REVIEW],
)
def test_first_health_assessment_due_is_the_first_review_due_date(
    start: date, expected: date
) -> None:
    assert ts.first_health_assessment_due(start, ENGLAND) == expected


SECOND_REVIEW = [
    ("2026-03-31", "2026-06-30", "plain"),
    ("2025-11-30", "2026-02-28", "clamps-to-28-feb"),
    ("2023-11-29", "2024-02-29", "lands-on-leap-day"),
    ("2026-12-28", "2027-03-28", "held-on-substitute-day-due-on-sunday-not-moved"),
]


@pytest.mark.parametrize(
    ("held", "expected"),
    [(d(h), d(e)) for h, e, _ in SECOND_REVIEW],
    ids=[i for *_, i in SECOND_REVIEW],
)
def test_second_review_due(held: date, expected: date) -> None:
    assert ts.second_review_due(held) == expected


LATER_REVIEW = [
    ("2025-08-31", "2026-02-28", "31-aug-clamps-to-28-feb"),
    ("2023-08-31", "2024-02-29", "31-aug-clamps-to-29-feb"),
    ("2024-02-29", "2024-08-29", "from-leap-day"),
    ("2026-06-26", "2026-12-26", "due-on-boxing-day-not-moved"),
]


@pytest.mark.parametrize(
    ("held", "expected"),
    [(d(h), d(e)) for h, e, _ in LATER_REVIEW],
    ids=[i for *_, i in LATER_REVIEW],
)
def test_later_review_due(held: date, expected: date) -> None:
    assert ts.later_review_due(held) == expected


FIRST_VISIT = [
    ("2026-03-06", "2026-03-13", "friday-start"),
    ("2026-12-21", "2026-12-28", "due-on-substitute-day-not-moved"),
    ("2024-02-22", "2024-02-29", "due-on-leap-day"),
]


@pytest.mark.parametrize(
    ("start", "expected"),
    [(d(s), d(e)) for s, e, _ in FIRST_VISIT],
    ids=[i for *_, i in FIRST_VISIT],
)
def test_first_visit_due(start: date, expected: date) -> None:
    assert ts.first_visit_due(start) == expected


NEXT_VISIT = [
    ("2026-02-01", "2026-01-05", True, "2026-03-15", "first-year-six-weeks"),
    ("2026-03-01", "2025-03-10", True, "2026-04-12", "straddles-anniversary-still-six-weeks"),
    ("2026-03-10", "2025-03-10", True, "2026-06-10", "on-anniversary-long-term-three-months"),
    ("2026-03-10", "2025-03-10", False, "2026-04-21", "after-first-year-not-long-term-six-weeks"),
    ("2025-08-31", "2024-06-01", True, "2025-11-30", "long-term-month-end"),
    ("2025-11-30", "2024-06-01", True, "2026-02-28", "long-term-clamps-to-february"),
    ("2025-02-28", "2024-02-29", True, "2025-04-11", "leap-day-placement-first-year-ends-1-march"),
    ("2025-03-01", "2024-02-29", True, "2025-06-01", "leap-day-placement-after-first-year"),
    ("2026-11-16", "2026-09-01", False, "2026-12-28", "due-on-substitute-day-not-moved"),
]


@pytest.mark.parametrize(
    ("previous", "placement_start", "long_term", "expected"),
    [(d(p), d(s), lt, d(e)) for p, s, lt, e, _ in NEXT_VISIT],
    ids=[i for *_, i in NEXT_VISIT],
)
def test_next_visit_due(
    previous: date, placement_start: date, long_term: bool, expected: date
) -> None:
    assert ts.next_visit_due(previous, placement_start, long_term) == expected


NEXT_HEALTH = [
    ("2022-06-15", "2026-01-10", "2026-07-10", "under-five-six-months"),
    ("2022-06-15", "2027-03-01", "2027-09-01", "turns-five-in-interval-still-six-months"),
    ("2022-06-15", "2027-06-15", "2028-06-15", "on-fifth-birthday-twelve-months"),
    ("2020-02-29", "2025-02-28", "2025-08-28", "leap-born-not-five-until-1-march"),
    ("2020-02-29", "2025-03-01", "2026-03-01", "leap-born-five-on-1-march"),
    ("2015-01-01", "2018-08-31", "2019-02-28", "six-months-clamps-to-february"),
    ("2008-03-10", "2025-08-31", "2026-08-31", "seventeen-year-old-twelve-months"),
]


@pytest.mark.parametrize(
    ("born", "previous", "expected"),
    [(d(b), d(p), d(e)) for b, p, e, _ in NEXT_HEALTH],
    ids=[i for *_, i in NEXT_HEALTH],
)
def test_next_health_assessment_due(born: date, previous: date, expected: date) -> None:
    assert ts.next_health_assessment_due(previous, born) == expected


TERMS = ts.default_school_terms(2023, 2027)
PEP_REVIEW = [
    ("2026-01-15", "2026-07-31", "spring-pep-due-end-of-summer"),
    ("2026-05-01", "2026-12-31", "summer-pep-due-end-of-autumn"),
    ("2026-08-10", "2026-12-31", "holiday-pep-due-end-of-next-term"),
    ("2026-10-01", "2027-03-31", "autumn-pep-due-end-of-spring"),
    ("2026-12-28", "2027-03-31", "pep-on-substitute-day"),
    ("2024-02-29", "2024-07-31", "leap-day-pep"),
]


@pytest.mark.parametrize(
    ("previous", "expected"),
    [(d(p), d(e)) for p, e, _ in PEP_REVIEW],
    ids=[i for *_, i in PEP_REVIEW],
)
def test_pep_review_due_default_terms(previous: date, expected: date) -> None:
    assert ts.pep_review_due(previous, TERMS) == expected


def test_pep_review_due_uses_injected_terms() -> None:
    terms = [
        SchoolTerm(d("2026-09-03"), d("2026-12-18"), "autumn"),
        SchoolTerm(d("2027-01-05"), d("2027-03-26"), "spring"),
    ]
    assert ts.pep_review_due(d("2026-12-21"), terms) == d("2027-03-26")
    assert ts.pep_review_due(d("2026-09-03"), list(reversed(terms))) == d("2027-03-26")


def test_pep_review_due_needs_a_later_term() -> None:
    with pytest.raises(ValueError, match="no school term"):
        ts.pep_review_due(d("2027-10-01"), TERMS)


def test_default_school_terms_shape() -> None:
    assert ts.default_school_terms(2026, 2026) == [
        SchoolTerm(d("2026-01-01"), d("2026-03-31"), "spring 2026"),
        SchoolTerm(d("2026-04-01"), d("2026-07-31"), "summer 2026"),
        SchoolTerm(d("2026-09-01"), d("2026-12-31"), "autumn 2026"),
    ]


PEP_APPLIES = [
    ("2020-08-31", "2024-08-31", 16, False, "summer-born-before-reception"),
    ("2020-08-31", "2024-09-01", 16, True, "summer-born-starts-reception-just-4"),
    ("2020-09-01", "2024-09-01", 16, False, "september-born-waits-a-year"),
    ("2020-09-01", "2025-09-01", 16, True, "september-born-starts-next-year"),
    ("2020-02-29", "2024-09-01", 16, True, "leap-born-reception"),
    ("2010-03-10", "2026-08-31", 16, True, "last-day-of-year-11"),
    ("2010-03-10", "2026-09-01", 16, False, "after-year-11"),
    ("2010-09-01", "2027-08-31", 16, True, "turns-16-on-1-september-stays-a-year"),
    ("2010-09-01", "2027-09-01", 16, False, "turns-16-on-1-september-then-leaves"),
    ("2010-03-10", "2027-03-01", 18, True, "council-keeps-peps-to-18"),
]


@pytest.mark.parametrize(
    ("born", "on", "to_age", "expected"),
    [(d(b), d(o), a, e) for b, o, a, e, _ in PEP_APPLIES],
    ids=[i for *_, i in PEP_APPLIES],
)
def test_pep_applies(born: date, on: date, to_age: int, expected: bool) -> None:
    assert ts.pep_applies(born, on, to_age=to_age) is expected


NEEDS = [
    ("2010-03-10", "2026-03-10", "2026-06-10", "eligible-on-16th-birthday"),
    ("2010-03-10", "2026-08-31", "2026-11-30", "eligible-later-month-end-clamps"),
    ("2008-02-29", "2024-02-29", "2024-05-29", "leap-born-16-on-leap-day"),
    ("2010-11-30", "2026-11-30", "2027-02-28", "clamps-to-february"),
    ("2010-03-10", "2026-01-01", "2026-06-10", "never-before-16th-birthday"),
]


@pytest.mark.parametrize(
    ("born", "eligible", "expected"),
    [(d(b), d(e), d(x)) for b, e, x, _ in NEEDS],
    ids=[i for *_, i in NEEDS],
)
def test_needs_assessment_due(born: date, eligible: date, expected: date) -> None:
    assert ts.needs_assessment_due(born, eligible) == expected
