"""The measures from a known set of children, every figure counted by hand.

Today is 15 July 2026. The occurrences come from the deadlines engine, as the service builds them.

* Ayan: looked after from Friday 20 March 2026. First review due 21 April (20 working days
  across Easter), held 20 April: in time. Second due 20 July: not due yet, left out. Placed on
  20 March: first visit due 27 March, visited 26 March (in time); next due 6 weeks later,
  7 May, visited 12 May (late); next due 23 June, not visited (late).
* Bilal: looked after from Monday 5 January 2026. First review due 2 February, held 23 February
  (late: staff sickness). Second due 3 months later, Saturday 23 May, the late May bank holiday
  weekend; held Tuesday 26 May (late: carer or officer not available). Born 2023, so PN0.
* Cara: looked after from 1 October 2025. First review due 29 October, held 28 October (in
  time); second due 28 January 2026, held early on 20 November 2025 (in time, counted in
  January); third due 20 May 2026, not held (late, not held yet).
"""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.deadlines import CaseTimeline, compute_deadlines
from harbour.domain.review_measures import (
    NOT_HELD_YET,
    Occurrence,
    ReviewHeld,
    late_reasons,
    months_between,
    participation_by_code,
    quarters_between,
    share_in_time,
)
from harbour.domain.review_rules import REVIEW_DUTIES
from harbour.domain.tests.support import ENGLAND, d
from harbour.domain.types import Period, PlacementSpell

TODAY = d("2026-07-15")
TIMELINES = {
    "ayan": CaseTimeline(date_of_birth=d("2011-04-02"), periods_looked_after=(Period(d("2026-03-20"), None),),
                         placements=(PlacementSpell(d("2026-03-20"), None, False),),
                         reviews=(d("2026-04-20"),), visits=(d("2026-03-26"), d("2026-05-12"))),
    "bilal": CaseTimeline(date_of_birth=d("2023-01-10"), periods_looked_after=(Period(d("2026-01-05"), None),),
                          reviews=(d("2026-02-23"), d("2026-05-26"))),
    "cara": CaseTimeline(date_of_birth=d("2012-09-30"), periods_looked_after=(Period(d("2025-10-01"), None),),
                         reviews=(d("2025-10-28"), d("2025-11-20"))),
}
LATE_REASONS = {("bilal", d("2026-02-23")): "Staff sickness",
                ("bilal", d("2026-05-26")): "Carer or officer not available"}
HELD = [ReviewHeld("ayan", d("2026-04-20"), "PN1"), ReviewHeld("bilal", d("2026-02-23"), "PN0"),
        ReviewHeld("bilal", d("2026-05-26"), "PN0"), ReviewHeld("cara", d("2025-10-28"), "PN7"),
        ReviewHeld("cara", d("2025-11-20"), "PN2")]


def occurrences() -> list[Occurrence]:
    found = []
    for child, timeline in TIMELINES.items():
        for deadline in compute_deadlines(timeline, today=TODAY, calendar=ENGLAND):
            kind = "review" if deadline.duty in REVIEW_DUTIES else str(deadline.duty)
            reason = LATE_REASONS.get((child, deadline.met_on), "") if deadline.met_on else ""
            found.append(Occurrence(child, kind, deadline.due, deadline.met_on, reason))
    return found


MONTHS = {p.key: p for p in months_between(d("2025-10-01"), d("2026-07-31"))}
QUARTERS = {p.key: p for p in quarters_between(d("2025-10-01"), d("2026-07-31"))}

REVIEWS_IN_TIME = [
    ("2025-10", 1, 1), ("2025-11", 0, 0), ("2026-01", 1, 1), ("2026-02", 0, 1), ("2026-04", 1, 1),
    ("2026-05", 0, 2), ("2026-07", 0, 0),
    ("2025-26-Q3", 1, 1), ("2025-26-Q4", 1, 2), ("2026-27-Q1", 1, 3), ("2026-27-Q2", 0, 0),
]


@pytest.mark.parametrize(("period", "in_time", "of"), REVIEWS_IN_TIME, ids=[row[0] for row in REVIEWS_IN_TIME])
def test_reviews_in_time(period: str, in_time: int, of: int) -> None:
    figure = share_in_time(occurrences(), "review", {**MONTHS, **QUARTERS}[period], TODAY)
    assert (figure.count, figure.of) == (in_time, of)


def test_the_review_due_on_the_bank_holiday_weekend_counts_late_in_may() -> None:
    figure = share_in_time(occurrences(), "review", MONTHS["2026-05"], TODAY)
    assert [(o.child_id, o.due, o.met_on) for o in figure.considered] == [
        ("cara", d("2026-05-20"), None), ("bilal", d("2026-05-23"), d("2026-05-26"))]
    assert d("2026-05-23").weekday() == 5  # a Saturday; Monday 25 May is the bank holiday


def test_why_reviews_were_late() -> None:
    assert late_reasons(occurrences(), MONTHS["2026-05"], TODAY) == [
        ("Carer or officer not available", 1), (NOT_HELD_YET, 1)]
    assert late_reasons(occurrences(), QUARTERS["2025-26-Q4"], TODAY) == [("Staff sickness", 1)]
    assert late_reasons(occurrences(), MONTHS["2026-04"], TODAY) == []


VISITS_IN_TIME = [("2026-03", 1, 1), ("2026-05", 0, 1), ("2026-06", 0, 1), ("2026-27-Q1", 0, 2)]


@pytest.mark.parametrize(("period", "in_time", "of"), VISITS_IN_TIME, ids=[row[0] for row in VISITS_IN_TIME])
def test_visits_in_time(period: str, in_time: int, of: int) -> None:
    figure = share_in_time(occurrences(), "visit", {**MONTHS, **QUARTERS}[period], TODAY)
    assert (figure.count, figure.of) == (in_time, of)


def test_participation_by_code() -> None:
    quarter = participation_by_code(HELD, QUARTERS["2026-27-Q1"])
    assert (quarter.by_code["PN0"], quarter.by_code["PN1"], quarter.took_part, quarter.of) == (1, 1, 1, 1)
    autumn = participation_by_code(HELD, QUARTERS["2025-26-Q3"])
    assert (autumn.by_code["PN2"], autumn.by_code["PN7"], autumn.took_part, autumn.of, autumn.percent) == (
        1, 1, 1, 2, 50)
    assert participation_by_code(HELD, MONTHS["2026-05"]).percent is None  # only PN0: nobody aged 4 or over


QUARTER_NAMES = [
    ("2026-04-01", "2026-27-Q1", "2026-04-01", "2026-06-30"),
    ("2026-12-31", "2026-27-Q3", "2026-10-01", "2026-12-31"),
    ("2027-02-28", "2026-27-Q4", "2027-01-01", "2027-03-31"),
    ("2024-02-29", "2023-24-Q4", "2024-01-01", "2024-03-31"),
]


@pytest.mark.parametrize(("day", "key", "start", "end"), QUARTER_NAMES, ids=[r[1] for r in QUARTER_NAMES])
def test_financial_quarters(day: str, key: str, start: str, end: str) -> None:
    (quarter,) = quarters_between(d(day), d(day))
    assert (quarter.key, quarter.start, quarter.end) == (key, d(start), d(end))


def test_months_cover_leap_february() -> None:
    (february,) = months_between(d("2024-02-10"), d("2024-02-10"))
    assert (february.key, february.label, february.end) == ("2024-02", "February 2024", date(2024, 2, 29))
