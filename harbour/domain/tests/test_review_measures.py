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
    DueIndex,
    Occurrence,
    ReportingPeriod,
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


# The index a dashboard counts from (DueIndex, ADR 0012 "Speed") against the rule written out plainly:
# occurrences of the kind due in the period and decided by today, by due date then child, and those met
# by their due date. Rows chosen for the edges: ties on the same due date for two children and for one
# child, occurrences due on the first and last day of a period, one due today, one due later.
EDGES = [
    Occurrence("b", "visit", d("2026-04-01"), d("2026-04-01")),  # first day of April and Q1, met that day
    Occurrence("a", "visit", d("2026-04-01"), d("2026-04-03")),  # the same day, another child, late
    Occurrence("a", "visit", d("2026-04-01"), None),  # the same child and day again, never met
    Occurrence("c", "visit", d("2026-06-30"), d("2026-06-29")),  # last day of June and Q1
    Occurrence("a", "review", d("2026-06-30"), None, "Staff sickness"),  # another kind
    Occurrence("b", "visit", d("2026-07-15"), None),  # due today: not decided yet
    Occurrence("c", "visit", d("2026-07-15"), d("2026-07-15")),  # due today and met: decided, in time
    Occurrence("a", "visit", d("2026-07-20"), None),  # not due yet
    Occurrence("a", "visit", d("2026-07-01"), None),  # overdue in the current month
]


def _plainly(rows: list[Occurrence], kind: str, period: ReportingPeriod,
             today: date) -> tuple[list[Occurrence], list[Occurrence]]:
    considered = sorted((o for o in rows if o.kind == kind and period.covers(o.due)
                         and (o.met_on is not None or o.due < today)), key=lambda o: (o.due, o.child_id))
    return considered, [o for o in considered if o.met_on is not None and o.met_on <= o.due]


@pytest.mark.parametrize("kind", ["visit", "review", "pep"])
@pytest.mark.parametrize("key", [*MONTHS, *QUARTERS])
def test_the_due_date_index_counts_as_the_rule_says(kind: str, key: str) -> None:
    period = {**MONTHS, **QUARTERS}[key]
    for rows in (EDGES, list(reversed(EDGES)), occurrences()):
        figure = DueIndex.of(rows, kind).share_in_time(period, TODAY)
        considered, counted = _plainly(rows, kind, period, TODAY)
        assert (list(figure.considered), list(figure.counted)) == (considered, counted)
        assert (figure.of, figure.count) == (len(considered), len(counted))


def test_the_index_leaves_out_what_is_not_decided_and_keeps_ties_in_order() -> None:
    july = MONTHS["2026-07"]
    figure = DueIndex.of(EDGES, "visit").share_in_time(july, TODAY)
    assert [(o.child_id, o.due) for o in figure.considered] == [("a", d("2026-07-01")), ("c", d("2026-07-15"))]
    assert figure.count == 1
    april = DueIndex.of(EDGES, "visit").share_in_time(MONTHS["2026-04"], TODAY)
    # Child "a" before "b" on the same day; "a"'s two occurrences in the order they came.
    assert [(o.child_id, o.met_on) for o in april.considered] == [
        ("a", d("2026-04-03")), ("a", None), ("b", d("2026-04-01"))]
