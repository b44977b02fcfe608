"""``has_open_duties`` (the rule a whole service's home page selects children by) agrees with
``outstanding_deadlines`` (what the engine says is still to do) on every row: a child left out
by the rule has nothing to do, and a child it keeps has something."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.domain.deadlines import (
    CaseTimeline,
    DeadlineStatus,
    compute_deadlines,
    england_calendar_for_timeline,
    has_open_duties,
    outstanding_deadlines,
)
from harbour.domain.tests.support import d, property_test
from harbour.domain.types import Period, PlacementSpell

TODAY = d("2026-12-02")
# Born on 29 February: 16 on 29 February 2024 (a leap year), 21 on 1 March 2029 (not one).
LEAP_BORN = d("2008-02-29")
# Looked after from 15 to 17: an eligible child (13 weeks after 14, ending after 16).
LEAP_CARE = (Period(d("2022-06-01"), d("2025-02-28")),)

CASES: list[tuple[str, CaseTimeline, date, bool]] = [
    ("no history at all", CaseTimeline(date_of_birth=d("2015-01-01")), TODAY, False),
    ("open period, nothing done yet", CaseTimeline(
        date_of_birth=d("2015-01-01"), periods_looked_after=(Period(d("2026-11-20")),)), TODAY, True),
    ("open period, every duty done to date: the next review is still to do", CaseTimeline(
        date_of_birth=d("2015-01-01"), periods_looked_after=(Period(d("2026-01-05")),),
        placements=(PlacementSpell(d("2026-01-05"), None, long_term=True),),
        care_plans=(d("2026-01-09"),), reviews=(d("2026-01-30"), d("2026-04-20"), d("2026-10-01")),
        visits=(d("2026-01-09"), d("2026-02-16"), d("2026-03-27"), d("2026-05-01"), d("2026-06-10"),
                d("2026-07-20"), d("2026-08-28"), d("2026-10-05"), d("2026-11-13")),
        health_assessments=(d("2026-01-20"),), peps=(d("2026-01-12"), d("2026-03-20"), d("2026-07-10"),
                                                      d("2026-11-01"))), TODAY, True),
    ("closed period with a missed review: a breach on the record, not a thing to do", CaseTimeline(
        date_of_birth=d("2012-05-05"), periods_looked_after=(Period(d("2025-01-06"), d("2026-12-01")),)),
     TODAY, False),
    ("period ended today (a Wednesday): its duties lapse today", CaseTimeline(
        date_of_birth=d("2012-05-05"), periods_looked_after=(Period(d("2026-11-02"), TODAY),)), TODAY, False),
    ("period ended on a bank holiday, 25 December 2025", CaseTimeline(
        date_of_birth=d("2012-05-05"), periods_looked_after=(Period(d("2025-12-01"), d("2025-12-25")),)),
     TODAY, False),
    ("closed record from 1982, cared for aged 16 to 18, now 60", CaseTimeline(
        date_of_birth=d("1966-03-01"), periods_looked_after=(Period(d("1982-03-01"), d("1984-02-29")),)),
     TODAY, False),
    ("placement left open after the period closed", CaseTimeline(
        date_of_birth=d("2012-05-05"), periods_looked_after=(Period(d("2025-01-06"), d("2026-06-01")),),
        placements=(PlacementSpell(d("2025-01-06"), None, long_term=False),)), TODAY, True),
    ("NTS referral, not yet arrived", CaseTimeline(
        date_of_birth=d("2010-09-15"), nts_referrals=(d("2026-11-27"),)), TODAY, True),
    ("NTS referral, arrived and since left care", CaseTimeline(
        date_of_birth=d("2010-09-15"), nts_referrals=(d("2026-03-05"),), arrivals=(d("2026-03-13"),),
        periods_looked_after=(Period(d("2026-03-13"), d("2026-05-01")),)), TODAY, False),
    ("NTS referral after an earlier arrival: the second transfer is still owed", CaseTimeline(
        date_of_birth=d("2010-09-15"), nts_referrals=(d("2026-03-05"), d("2026-11-30")),
        arrivals=(d("2026-03-13"),)), TODAY, True),
    ("care leaver aged 18, eligible, no needs assessment", CaseTimeline(
        date_of_birth=LEAP_BORN, periods_looked_after=LEAP_CARE), TODAY, True),
    ("care leaver, needs assessment on the 16th birthday, 29 February 2024", CaseTimeline(
        date_of_birth=LEAP_BORN, periods_looked_after=LEAP_CARE, needs_assessments=(d("2024-02-29"),)),
     TODAY, False),
    ("care leaver, only a needs assessment the day before the 16th birthday", CaseTimeline(
        date_of_birth=LEAP_BORN, periods_looked_after=LEAP_CARE, needs_assessments=(d("2024-02-28"),)),
     TODAY, True),
    ("care leaver the day before the 21st birthday, still no needs assessment", CaseTimeline(
        date_of_birth=LEAP_BORN, periods_looked_after=LEAP_CARE), d("2029-02-28"), True),
    ("care leaver on the 21st birthday (1 March 2029, born 29 February): no longer owed", CaseTimeline(
        date_of_birth=LEAP_BORN, periods_looked_after=LEAP_CARE), d("2029-03-01"), False),
    ("looked after 12 weeks at 16, never eligible", CaseTimeline(
        date_of_birth=d("2009-01-10"), periods_looked_after=(Period(d("2025-02-01"), d("2025-04-25")),)),
     TODAY, False),
    ("no date of birth, closed period", CaseTimeline(
        periods_looked_after=(Period(d("2024-01-08"), d("2024-09-30")),)), TODAY, False),
    ("no date of birth, open period", CaseTimeline(periods_looked_after=(Period(d("2024-01-08")),)), TODAY, True),
    ("back in care after a closed period with a missed review", CaseTimeline(
        date_of_birth=d("2012-05-05"), periods_looked_after=(Period(d("2024-01-08"), d("2024-09-30")),
                                                             Period(d("2026-11-16"))),), TODAY, True),
]


@pytest.mark.parametrize(("timeline", "today", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_rule_agrees_with_the_engine(timeline: CaseTimeline, today: date, expected: bool) -> None:
    calendar = england_calendar_for_timeline(timeline, today)
    outstanding = outstanding_deadlines(timeline, today=today, calendar=calendar)
    assert has_open_duties(timeline, today=today) is expected
    assert bool(outstanding) is expected
    everything = compute_deadlines(timeline, today=today, calendar=calendar)
    assert all(deadline in everything and deadline.met_on is None for deadline in outstanding)


def test_a_missed_review_in_a_closed_period_stays_on_the_record() -> None:
    timeline = CASES[3][1]
    calendar = england_calendar_for_timeline(timeline, TODAY)
    everything = compute_deadlines(timeline, today=TODAY, calendar=calendar)
    assert any(x.duty == "first_review" and x.status == DeadlineStatus.OVERDUE and x.met_on is None
               for x in everything)
    assert outstanding_deadlines(timeline, today=TODAY, calendar=calendar) == []


def test_in_a_later_period_only_that_periods_duties_are_outstanding() -> None:
    timeline = CASES[-1][1]
    outstanding = outstanding_deadlines(timeline, today=TODAY,
                                        calendar=england_calendar_for_timeline(timeline, TODAY))
    assert {x.due for x in outstanding if x.duty == "first_review"} == {d("2026-12-14")}


@st.composite
def timelines(draw: st.DrawFn) -> CaseTimeline:
    born = draw(st.dates(min_value=d("1995-01-01"), max_value=d("2022-01-01")))
    later = st.dates(min_value=born, max_value=TODAY)
    # Sorted distinct days taken in pairs: (start, end), ..., and an odd last one is an open period.
    days = sorted(draw(st.lists(later, max_size=5, unique=True)))
    periods = [Period(days[i], days[i + 1] if i + 1 < len(days) else None) for i in range(0, len(days), 2)]
    placements = tuple(PlacementSpell(p.start, p.end, draw(st.booleans())) for p in periods)

    def events() -> tuple[date, ...]:
        return tuple(sorted(draw(st.lists(later, max_size=4))))

    return CaseTimeline(
        date_of_birth=born, nts_referrals=events(), arrivals=events(), periods_looked_after=tuple(periods),
        placements=placements, care_plans=events(), reviews=events(), visits=events(),
        health_assessments=events(), peps=events(), needs_assessments=events(),
    )


# No deadline: each example builds a working-day calendar for its years, slow on a busy machine.
@settings(property_test, deadline=None)
@given(timelines())
def test_for_any_history_the_rule_is_empty_exactly_when_the_engine_is(timeline: CaseTimeline) -> None:
    calendar = england_calendar_for_timeline(timeline, TODAY)
    assert has_open_duties(timeline, today=TODAY) is bool(
        outstanding_deadlines(timeline, today=TODAY, calendar=calendar))
