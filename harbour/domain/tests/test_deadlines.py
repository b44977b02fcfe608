from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.deadlines import (
    CaseTimeline,
    Deadline,
    DeadlineStatus,
    compute_deadlines,
    deadlines_as_json,
    england_calendar_for_timeline,
)
from harbour.domain.tests.support import ENGLAND, d, property_test
from harbour.domain.types import Period, PlacementSpell

Row = tuple[str, str, str, str | None]


REVIEWS = "first_review|second_review|review"


def rows(deadlines: list[Deadline], duties: str | None = None) -> list[Row]:
    """(duty, due, status, met_on) for each deadline, optionally only the duties named
    in ``duties`` ("visit", or several joined by "|")."""
    wanted = None if duties is None else duties.split("|")
    return [
        (
            str(x.duty),
            x.due.isoformat(),
            str(x.status),
            None if x.met_on is None else x.met_on.isoformat(),
        )
        for x in deadlines
        if wanted is None or x.duty in wanted
    ]


# --- The worked example ------------------------------------------------------------------
#
# A 15-year-old unaccompanied asylum-seeking child, born 15 September 2010 (16 on
# 15 September 2026), referred into the NTS on Thursday 5 March 2026, arriving on Friday
# 13 March 2026 and looked after from that day in a placement not meant to last to 18.
# Today is Monday 16 November 2026.
WORKED = CaseTimeline(
    date_of_birth=d("2010-09-15"),
    nts_referrals=(d("2026-03-05"),),
    arrivals=(d("2026-03-13"),),
    periods_looked_after=(Period(d("2026-03-13")),),
    placements=(PlacementSpell(d("2026-03-13"), None, long_term=False),),
    care_plans=(d("2026-03-20"),),
    reviews=(d("2026-04-14"), d("2026-07-20")),
    visits=(d("2026-03-19"), d("2026-04-30"), d("2026-06-01"), d("2026-08-01")),
    health_assessments=(d("2026-04-01"),),
    peps=(d("2026-03-25"), d("2026-06-10")),
)
WORKED_TODAY = d("2026-11-16")
WORKED_EXPECTED: list[Row] = [
    # NTS: 5 working days after Thu 5 Mar: 6 (1), 9-12 (2-5) -> Thu 12 Mar. Arrived the
    # day after, so overdue but discharged on 13 Mar.
    ("nts_transfer", "2026-03-12", "overdue", "2026-03-13"),
    # First visit within a week of the placement on 13 Mar; visited 19 Mar.
    ("visit", "2026-03-20", "met", "2026-03-19"),
    # Care plan 10 working days after Fri 13 Mar: 16-20 (5), 23-27 (10) -> 27 Mar.
    ("care_plan", "2026-03-27", "met", "2026-03-20"),
    # First PEP also 10 working days after becoming looked after; held 25 Mar.
    ("pep", "2026-03-27", "met", "2026-03-25"),
    # First review 20 working days: 16-27 Mar (10), 30 Mar-2 Apr (14), Good Friday 3 Apr,
    # Easter Monday 6 Apr, 7-10 Apr (18), 13-14 Apr (20) -> Tue 14 Apr; held that day.
    ("first_review", "2026-04-14", "met", "2026-04-14"),
    # Initial health assessment by the first review's due date; done 1 Apr.
    ("health_assessment", "2026-04-14", "met", "2026-04-01"),
    # Visits every 6 weeks in the first year: 19 Mar + 42 days = 30 Apr (met that day),
    # 30 Apr + 42 = 11 Jun (met 1 Jun), 1 Jun + 42 = 13 Jul (late, 1 Aug).
    ("visit", "2026-04-30", "met", "2026-04-30"),
    ("visit", "2026-06-11", "met", "2026-06-01"),
    ("visit", "2026-07-13", "overdue", "2026-08-01"),
    # Second review 3 months after 14 Apr -> 14 Jul; held late on 20 Jul.
    ("second_review", "2026-07-14", "overdue", "2026-07-20"),
    # PEP of 25 Mar fell in the spring term (to 31 Mar), so the next is due by the end of
    # the summer term, 31 Jul; held 10 Jun.
    ("pep", "2026-07-31", "met", "2026-06-10"),
    # The chain continues from the late visit: 1 Aug + 42 days = 12 Sep; no visit since.
    ("visit", "2026-09-12", "overdue", None),
    # Looked after well over 13 weeks by the 16th birthday on 15 Sep, so eligible then;
    # needs assessment within 3 months -> 15 Dec.
    ("needs_assessment", "2026-12-15", "due", None),
    # PEP of 10 Jun fell in the summer term; next by the end of autumn, 31 Dec.
    ("pep", "2026-12-31", "due", None),
    # Later reviews 6 months after the (late) second review of 20 Jul -> 20 Jan 2027.
    ("review", "2027-01-20", "due", None),
    # Aged 15 at the health assessment on 1 Apr, so 12 months -> 1 Apr 2027.
    ("health_assessment", "2027-04-01", "due", None),
]


def test_worked_example() -> None:
    deadlines = compute_deadlines(WORKED, today=WORKED_TODAY, calendar=ENGLAND)
    assert rows(deadlines) == WORKED_EXPECTED


def test_worked_example_bases_name_the_dates_and_sources() -> None:
    deadlines = compute_deadlines(WORKED, today=WORKED_TODAY, calendar=ENGLAND)
    bases = {(x.duty, x.due.isoformat()): x.basis for x in deadlines}
    assert bases[("first_review", "2026-04-14")] == (
        "20 working days after becoming looked after on 13 March 2026 (SI 2010/959 reg 33)"
    )
    assert bases[("nts_transfer", "2026-03-12")] == (
        "5 working days after the National Transfer Scheme referral on 5 March 2026 "
        "(NTS protocol; gov.uk announcement of 24 August 2022)"
    )
    assert (
        bases[("second_review", "2026-07-14")]
        == "3 months after the first review on 14 April 2026 (SI 2010/959 reg 33)"
    )
    assert "reg 28(2)(b)" in bases[("visit", "2026-09-12")]
    assert "reg 42(1)" in bases[("needs_assessment", "2026-12-15")]
    assert "the 16th birthday on 15 September 2026" in bases[("needs_assessment", "2026-12-15")]


def test_worked_example_as_json() -> None:
    deadlines = compute_deadlines(WORKED, today=WORKED_TODAY, calendar=ENGLAND)
    output = deadlines_as_json(deadlines)
    assert output["deadlines"][0] == {
        "duty": "nts_transfer",
        "due": "2026-03-12",
        "status": "overdue",
        "met_on": "2026-03-13",
        "basis": deadlines[0].basis,
    }
    assert output["deadlines"][-1]["met_on"] is None


def test_calendar_for_timeline_covers_what_the_engine_needs() -> None:
    calendar = england_calendar_for_timeline(WORKED, WORKED_TODAY)
    assert compute_deadlines(WORKED, today=WORKED_TODAY, calendar=calendar) == compute_deadlines(
        WORKED, today=WORKED_TODAY, calendar=ENGLAND
    )


# --- One duty at a time --------------------------------------------------------------------

CLOSED = Period(d("2026-01-05"), d("2026-03-31"))  # first review due Mon 2 Feb 2026
OPEN = Period(d("2026-12-01"))  # first review due Thu 31 Dec 2026 (over Christmas)

CASES: list[tuple[str, CaseTimeline, str, list[Row]]] = [
    (
        "first_review",
        CaseTimeline(periods_looked_after=(OPEN,)),
        "2026-12-31",
        [("first_review", "2026-12-31", "due", None)],
    ),
    (
        "first_review",
        CaseTimeline(periods_looked_after=(OPEN,)),
        "2027-01-04",
        [("first_review", "2026-12-31", "overdue", None)],
    ),
    (
        "first_review",
        CaseTimeline(periods_looked_after=(OPEN,), reviews=(d("2026-12-31"),)),
        "2027-01-04",
        [("first_review", "2026-12-31", "met", "2026-12-31")],
    ),
    (
        REVIEWS,
        CaseTimeline(periods_looked_after=(CLOSED,), reviews=(d("2026-01-30"),)),
        "2026-06-01",
        [("first_review", "2026-02-02", "met", "2026-01-30")],
    ),
    (
        REVIEWS,
        CaseTimeline(periods_looked_after=(CLOSED,)),
        "2026-06-01",
        [("first_review", "2026-02-02", "overdue", None)],
    ),
    (
        "first_review",
        CaseTimeline(periods_looked_after=(Period(d("2026-01-05"), d("2026-01-20")),)),
        "2026-06-01",
        [],
    ),
    (
        REVIEWS,
        CaseTimeline(
            periods_looked_after=(CLOSED, Period(d("2026-06-01"))),
            reviews=(d("2026-01-30"), d("2026-06-10")),
        ),
        "2026-07-01",
        # The June review belongs to the second period, so it is that period's first review.
        [
            ("first_review", "2026-02-02", "met", "2026-01-30"),
            ("first_review", "2026-06-29", "met", "2026-06-10"),
            ("second_review", "2026-09-10", "due", None),
        ],
    ),
    (
        "review",
        CaseTimeline(
            periods_looked_after=(Period(d("2025-01-06")),),
            reviews=(d("2025-01-31"), d("2025-04-30"), d("2025-08-31"), d("2026-02-28")),
        ),
        "2026-03-01",
        # 30 Apr + 6 months = 30 Oct (met early, 31 Aug); 31 Aug + 6 months clamps to
        # 28 Feb 2026, met on that day.
        [
            ("review", "2025-10-30", "met", "2025-08-31"),
            ("review", "2026-02-28", "met", "2026-02-28"),
            ("review", "2026-08-28", "due", None),
        ],
    ),
    (
        "nts_transfer",
        CaseTimeline(
            nts_referrals=(d("2022-08-19"), d("2026-12-23")),
            arrivals=(d("2022-08-18"), d("2022-09-05")),
        ),
        "2026-12-24",
        # Old 10-day rule to 5 Sep 2022 (met that day; the earlier arrival does not count);
        # 5 days over Christmas to 4 Jan 2027.
        [
            ("nts_transfer", "2022-09-05", "met", "2022-09-05"),
            ("nts_transfer", "2027-01-04", "due", None),
        ],
    ),
    (
        "care_plan",
        CaseTimeline(
            periods_looked_after=(Period(d("2026-12-17")),),
            placements=(PlacementSpell(d("2026-12-18"), None, long_term=False),),
        ),
        "2027-01-06",
        # 10 working days from the first placement on Fri 18 Dec -> Wed 6 Jan 2027: due today.
        [("care_plan", "2027-01-06", "due", None)],
    ),
    (
        "care_plan",
        CaseTimeline(periods_looked_after=(Period(d("2026-03-06")),)),
        "2026-03-23",
        # No placement recorded: counted from becoming looked after on Fri 6 Mar.
        [("care_plan", "2026-03-20", "overdue", None)],
    ),
    (
        "care_plan",
        CaseTimeline(
            periods_looked_after=(CLOSED, Period(d("2026-06-01"))),
            care_plans=(d("2026-01-10"),),
        ),
        "2026-07-01",
        # The January plan does not discharge the second period's duty.
        [
            ("care_plan", "2026-01-19", "met", "2026-01-10"),
            ("care_plan", "2026-06-15", "overdue", None),
        ],
    ),
    (
        "visit",
        CaseTimeline(
            placements=(PlacementSpell(d("2025-03-10"), None, long_term=True),),
            visits=(d("2025-03-12"), d("2026-03-01"), d("2026-04-10")),
        ),
        "2026-05-01",
        # 12 Mar 2025 + 6 weeks = 23 Apr 2025 (missed until 1 Mar 2026, still in the first
        # year, so 6 weeks again -> 12 Apr); 10 Apr is after the first year: 3 months.
        [
            ("visit", "2025-03-17", "met", "2025-03-12"),
            ("visit", "2025-04-23", "overdue", "2026-03-01"),
            ("visit", "2026-04-12", "met", "2026-04-10"),
            ("visit", "2026-07-10", "due", None),
        ],
    ),
    (
        "visit",
        CaseTimeline(
            placements=(PlacementSpell(d("2026-03-06"), d("2026-03-11"), long_term=False),)
        ),
        "2026-04-01",
        # Placement ended before the first visit was due: nothing to show.
        [],
    ),
    (
        "visit",
        CaseTimeline(
            placements=(PlacementSpell(d("2026-03-06"), d("2026-04-30"), long_term=False),),
            visits=(d("2026-03-13"), d("2026-05-01")),
        ),
        "2026-07-01",
        # Visit on 1 May was after the placement ended, so it does not count for it; the
        # next visit was due 24 Apr, before the end, so it is overdue.
        [("visit", "2026-03-13", "met", "2026-03-13"), ("visit", "2026-04-24", "overdue", None)],
    ),
    (
        "health_assessment",
        CaseTimeline(
            periods_looked_after=(Period(d("2026-03-02")),),
            health_assessments=(d("2026-01-15"),),
        ),
        "2026-06-01",
        # An assessment in the 3 months before care counts as the first; no date of birth,
        # so 12 months is assumed.
        [
            ("health_assessment", "2026-03-30", "met", "2026-01-15"),
            ("health_assessment", "2027-01-15", "due", None),
        ],
    ),
    (
        "health_assessment",
        CaseTimeline(
            date_of_birth=d("2022-06-15"),
            periods_looked_after=(Period(d("2026-08-31")),),
            health_assessments=(d("2026-09-10"), d("2027-03-10")),
        ),
        "2027-03-11",
        # Aged 4: 6 months, clamped: 10 Sep -> 10 Mar; then 10 Mar 2027, still 4 -> 10 Sep.
        [
            ("health_assessment", "2026-09-28", "met", "2026-09-10"),
            ("health_assessment", "2027-03-10", "met", "2027-03-10"),
            ("health_assessment", "2027-09-10", "due", None),
        ],
    ),
    (
        "pep",
        CaseTimeline(periods_looked_after=(Period(d("2026-03-06")),)),
        "2026-06-01",
        # No date of birth: school age unknown, so no PEP deadlines.
        [],
    ),
    (
        "pep",
        CaseTimeline(
            date_of_birth=d("2023-01-01"), periods_looked_after=(Period(d("2026-03-06")),)
        ),
        "2026-06-01",
        # A three-year-old: no PEP yet.
        [],
    ),
    (
        "pep",
        CaseTimeline(
            date_of_birth=d("2022-01-10"), periods_looked_after=(Period(d("2025-06-02")),)
        ),
        "2026-09-10",
        # Starts reception on Tue 1 Sep 2026: 2-4 Sep (3), 7-11 (8), 14-15 (10) -> 15 Sep.
        [("pep", "2026-09-15", "due", None)],
    ),
    (
        "needs_assessment",
        CaseTimeline(
            date_of_birth=d("2010-03-10"),
            periods_looked_after=(Period(d("2026-09-10")),),
            needs_assessments=(d("2026-12-01"),),
        ),
        "2027-01-04",
        # Eligible on 9 Dec 2026 (91st day); assessment done earlier in care still counts.
        [("needs_assessment", "2027-03-09", "met", "2026-12-01")],
    ),
    (
        "needs_assessment",
        CaseTimeline(
            date_of_birth=d("2010-03-10"), periods_looked_after=(Period(d("2026-09-10")),)
        ),
        "2026-12-08",
        # 90 days looked after: not yet eligible.
        [],
    ),
    (
        "needs_assessment",
        CaseTimeline(periods_looked_after=(Period(d("2024-09-10")),)),
        "2026-12-08",
        # No date of birth: eligibility cannot be worked out.
        [],
    ),
]


@pytest.mark.parametrize(
    ("duty", "timeline", "today", "expected"),
    [(duty, t, d(today), e) for duty, t, today, e in CASES],
    ids=[
        "first-review-due-today-over-christmas",
        "first-review-overdue-after-new-year",
        "first-review-met-on-due-date",
        "closed-period-chain-stops-at-end",
        "closed-period-undischarged-review-due-before-end",
        "period-ended-before-first-review-due",
        "reviews-assigned-to-their-period",
        "six-monthly-reviews-31-aug-clamps-to-28-feb",
        "nts-old-rule-and-christmas",
        "care-plan-due-today-from-friday-placement",
        "care-plan-without-placement-uses-period-start",
        "care-plan-per-period",
        "visits-straddle-first-anniversary-then-three-months",
        "visits-placement-ended-before-first-due",
        "visits-stop-at-placement-end",
        "health-assessment-before-care-and-no-date-of-birth",
        "health-assessment-under-five-six-monthly",
        "pep-needs-date-of-birth",
        "pep-not-before-school-age",
        "pep-starts-at-reception",
        "needs-assessment-after-eligible",
        "needs-assessment-not-yet-eligible",
        "needs-assessment-needs-date-of-birth",
    ],
)
def test_deadlines(duty: str, timeline: CaseTimeline, today: date, expected: list[Row]) -> None:
    deadlines = compute_deadlines(timeline, today=today, calendar=ENGLAND)
    assert rows(deadlines, duty) == expected


def test_missing_date_of_birth_is_explained_in_health_basis() -> None:
    timeline = CaseTimeline(
        periods_looked_after=(Period(d("2026-03-02")),), health_assessments=(d("2026-03-10"),)
    )
    deadlines = compute_deadlines(timeline, today=d("2026-04-01"), calendar=ENGLAND)
    assert "date of birth is not recorded" in deadlines[-1].basis


def test_nts_council_setting_is_passed_through() -> None:
    timeline = CaseTimeline(nts_referrals=(d("2026-03-06"),))
    [deadline] = compute_deadlines(
        timeline, today=d("2026-03-06"), calendar=ENGLAND, nts_working_days=3
    )
    assert deadline.due == d("2026-03-11")
    assert deadline.basis.startswith("3 working days")


def test_output_is_sorted_by_due_date_then_duty() -> None:
    deadlines = compute_deadlines(WORKED, today=WORKED_TODAY, calendar=ENGLAND)
    assert [(x.due, x.duty) for x in deadlines] == sorted((x.due, x.duty) for x in deadlines)
    assert all(isinstance(x.status, DeadlineStatus) for x in deadlines)


def test_empty_timeline_has_no_deadlines() -> None:
    assert compute_deadlines(CaseTimeline(), today=d("2026-03-06"), calendar=ENGLAND) == []


event_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@property_test
@given(
    start=event_days,
    offsets=st.lists(st.integers(min_value=0, max_value=700), max_size=12),
    long_term=st.booleans(),
    looked_after_for=st.one_of(st.none(), st.integers(min_value=0, max_value=700)),
)
def test_chains_are_consistent(
    start: date, offsets: list[int], long_term: bool, looked_after_for: int | None
) -> None:
    end = None if looked_after_for is None else start + timedelta(days=looked_after_for)
    events = tuple(sorted(start + timedelta(days=n) for n in offsets))
    today = max((start, end or start, *events))
    timeline = CaseTimeline(
        periods_looked_after=(Period(start, end),),
        placements=(PlacementSpell(start, end, long_term),),
        reviews=events,
        visits=events,
    )
    deadlines = compute_deadlines(timeline, today=today, calendar=ENGLAND)
    assert [(x.due, x.duty) for x in deadlines] == sorted((x.due, x.duty) for x in deadlines)
    for x in deadlines:
        if x.status is DeadlineStatus.MET:
            assert x.met_on is not None and x.met_on <= x.due
        elif x.status is DeadlineStatus.OVERDUE:
            assert (x.met_on is not None and x.met_on > x.due) or (
                x.met_on is None and today > x.due
            )
        else:
            assert x.met_on is None and today <= x.due
    for duties in ("visit", REVIEWS):
        chain = [x for x in deadlines if x.duty in duties.split("|")]
        # Each event discharges at most one occurrence, and only the last can be open.
        assert all(x.met_on is not None for x in chain[:-1])
        assert len([x for x in chain if x.met_on is not None]) <= len(events)
