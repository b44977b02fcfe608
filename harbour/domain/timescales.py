"""Statutory timescales for looked-after children and care leavers in England.

One pure function per rule. Each docstring cites the source as recorded in
``/work/shared/domain/reference.md`` with its confidence where that is below primary.
Working-day rules take the calendar as an argument; calendar-month rules use
:func:`harbour.domain.ages.add_months` (the last day of a short month when the day does
not exist).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from harbour.domain.ages import add_months, age_on, anniversary, birthday
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.types import Period, SchoolTerm

__all__ = [
    "ELIGIBLE_MINIMUM_DAYS",
    "NTS_FIVE_DAY_RULE_FROM",
    "LeavingCareStatus",
    "SchoolTerm",
    "became_eligible_on",
    "care_plan_due",
    "default_school_terms",
    "first_health_assessment_due",
    "first_pep_due",
    "first_review_due",
    "first_visit_due",
    "later_review_due",
    "leaving_care_status",
    "needs_assessment_due",
    "next_health_assessment_due",
    "next_visit_due",
    "nts_transfer_due",
    "nts_transfer_working_days",
    "pep_applies",
    "pep_period",
    "pep_review_due",
    "second_review_due",
]

NTS_FIVE_DAY_RULE_FROM = date(2022, 8, 24)
CARE_PLAN_WORKING_DAYS = 10
FIRST_REVIEW_WORKING_DAYS = 20
FIRST_PEP_WORKING_DAYS = 10
HEALTH_ASSESSMENT_AGE_THRESHOLD = 5
# 13 weeks, counted in days looked after (SI 2010/959 reg 40).
ELIGIBLE_MINIMUM_DAYS = 13 * 7


# --- National Transfer Scheme ------------------------------------------------------


def nts_transfer_working_days(referral_date: date, council_working_days: int = 5) -> int:
    """Working days allowed to transfer a child referred into the National Transfer Scheme.

    10 working days for referrals made before 24 August 2022; from that date 5 working
    days "once a referral is made" (gov.uk news "Faster accommodation moves for
    unaccompanied asylum-seeking children", 24 Aug 2022 [primary]; reference.md 1.1, 1.4).
    Whether protocol v7.0 starts the clock at referral or at acceptance is
    [unconfirmed], so the current figure is the council's setting, default 5.
    """
    if council_working_days < 1:
        raise ValueError("council_working_days must be 1 or more")
    if referral_date < NTS_FIVE_DAY_RULE_FROM:
        return 10
    return council_working_days


def nts_transfer_due(
    referral_date: date, calendar: WorkingDayCalendar, council_working_days: int = 5
) -> date:
    """The date by which a child referred into the NTS should have transferred.

    See :func:`nts_transfer_working_days` (gov.uk news, 24 Aug 2022 [primary]; NTS
    protocol; reference.md 1.4).
    """
    days = nts_transfer_working_days(referral_date, council_working_days)
    return calendar.add_working_days(referral_date, days)


# --- Care plan and reviews -----------------------------------------------------------


def care_plan_due(first_placement_start: date, calendar: WorkingDayCalendar) -> date:
    """Care plan: before the first placement or, if that is impractical, within
    10 working days of the start of the first placement.

    Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959)
    reg 4(2) [primary].
    """
    return calendar.add_working_days(first_placement_start, CARE_PLAN_WORKING_DAYS)


def first_review_due(looked_after_start: date, calendar: WorkingDayCalendar) -> date:
    """First looked-after review: within 20 working days of becoming looked after.

    SI 2010/959 reg 33 [primary] (reference.md 2.1).
    """
    return calendar.add_working_days(looked_after_start, FIRST_REVIEW_WORKING_DAYS)


def second_review_due(first_review_held: date) -> date:
    """Second review: no more than 3 calendar months after the first was held.

    SI 2010/959 reg 33 [primary] (reference.md 2.1).
    """
    return add_months(first_review_held, 3)


def later_review_due(previous_review_held: date) -> date:
    """Third and later reviews: no more than 6 calendar months after the previous one.

    SI 2010/959 reg 33 [primary] (reference.md 2.1).
    """
    return add_months(previous_review_held, 6)


# --- Visits --------------------------------------------------------------------------


def first_visit_due(placement_start: date) -> date:
    """Social worker visit within one week (7 days) of the start of any placement.

    SI 2010/959 reg 28(2)(a) [primary]. Calendar days, not working days.
    """
    return placement_start + timedelta(weeks=1)


def next_visit_due(previous_visit: date, placement_start: date, long_term: bool) -> date:
    """The next social worker visit after ``previous_visit``.

    SI 2010/959 reg 28(2)(b)-(c) [primary]: at intervals of not more than 6 weeks for the
    first year of the placement; after that, not more than 3 months where the placement
    is intended to last until the child is 18 (``long_term``), otherwise 6 weeks.

    An interval that straddles the placement's first anniversary is set by the previous
    visit: if that visit was within the first year the next is due within 6 weeks, even
    when the due date falls after the anniversary. This is the stricter reading; the
    3-month interval starts only from a visit made after the first year.
    """
    first_year_ends = anniversary(placement_start, 1)
    if long_term and previous_visit >= first_year_ends:
        return add_months(previous_visit, 3)
    return previous_visit + timedelta(weeks=6)


# --- Health --------------------------------------------------------------------------


def first_health_assessment_due(looked_after_start: date, calendar: WorkingDayCalendar) -> date:
    """Initial health assessment: before the first placement or, if not reasonably
    practicable, before the first review, so due by the first review's due date.

    SI 2010/959 reg 7 and statutory guidance "Promoting the health and wellbeing of
    looked-after children" (2015) [secondary: council procedures; the 20-working-day
    link to the first review is not confirmed from primary text] (reference.md 2.4).
    """
    return first_review_due(looked_after_start, calendar)


def next_health_assessment_due(previous_assessment: date, date_of_birth: date) -> date:
    """Review health assessment: at least every 6 months before the 5th birthday and at
    least every 12 months from the 5th birthday.

    SI 2010/959 reg 7; statutory guidance (2015) [secondary: Coventry and City of London
    procedures, NYAS; consistent across sources] (reference.md 2.4).

    The interval is set by the child's age on the previous assessment. A child under 5
    then is due again within 6 months even if they turn 5 in between: that assessment
    is the one the 6-monthly duty was waiting for, and it is the stricter reading.
    """
    if age_on(date_of_birth, previous_assessment) < HEALTH_ASSESSMENT_AGE_THRESHOLD:
        return add_months(previous_assessment, 6)
    return add_months(previous_assessment, 12)


# --- Personal education plans ----------------------------------------------------------


def first_pep_due(looked_after_start: date, calendar: WorkingDayCalendar) -> date:
    """Personal education plan (part of the care plan, SI 2010/959 reg 5(b)(ii)):
    started before the placement or within 10 working days in an emergency.

    [secondary: Knowsley and Oldham virtual school pages, Fosterline; DfE "Promoting
    the education of looked-after children" wording unconfirmed] (reference.md 2.5).
    Some councils allow 20 working days.
    """
    return calendar.add_working_days(looked_after_start, FIRST_PEP_WORKING_DAYS)


def pep_review_due(previous_pep: date, terms: Sequence[SchoolTerm]) -> date:
    """PEP reviews are held termly, so the next one is due by the end of the next term.

    "Reviewed termly" [secondary: virtual school pages] (reference.md 2.5). A PEP held in
    a term covers that term; the next must be held by the last day of the following
    term. A PEP held in a school holiday covers nothing, so the next is due by the end
    of the first term that starts after it. Term dates are injected because councils
    and schools set their own.
    """
    ordered = sorted(terms, key=lambda term: term.start)
    current = next((t for t in ordered if t.covers(previous_pep)), None)
    after = previous_pep if current is None else current.end
    following = next((t for t in ordered if t.start > after), None)
    if following is None:
        raise ValueError(
            f"no school term is known after {previous_pep.isoformat()}; supply term dates that run further ahead"
        )
    return following.end


def default_school_terms(year_from: int, year_to: int) -> list[SchoolTerm]:
    """Placeholder term dates for calendar years ``year_from`` to ``year_to``.

    Spring 1 January-31 March, summer 1 April-31 July, autumn 1 September-31 December.
    [unconfirmed: local practice only] Councils and schools set their own terms; pass
    real ones where known.
    """
    return list(_default_school_terms(year_from, year_to))


# A whole service's home page asks for the same few ranges once per child: make each range once.
@lru_cache(maxsize=256)
def _default_school_terms(year_from: int, year_to: int) -> tuple[SchoolTerm, ...]:
    terms: list[SchoolTerm] = []
    for year in range(year_from, year_to + 1):
        terms.append(SchoolTerm(date(year, 1, 1), date(year, 3, 31), f"spring {year}"))
        terms.append(SchoolTerm(date(year, 4, 1), date(year, 7, 31), f"summer {year}"))
        terms.append(SchoolTerm(date(year, 9, 1), date(year, 12, 31), f"autumn {year}"))
    return tuple(terms)


def pep_period(date_of_birth: date, *, from_age: int = 4, to_age: int = 16) -> tuple[date, date]:
    """The first and last days on which a looked-after child needs a PEP.

    From the 1 September after the child's ``from_age`` birthday (the start of the
    reception year in England) to the 31 August on or after their ``to_age`` birthday
    (the end of the school year in which they reach 16). This approximates compulsory
    school age (Education Act 1996 s8 [primary]) widened to reception, as virtual
    schools do [unconfirmed: local practice]; the ages are parameters because some
    councils keep PEPs to 18.
    """
    reaches_from_age = birthday(date_of_birth, from_age)
    start = date(reaches_from_age.year, 9, 1)
    if start <= reaches_from_age:
        start = date(reaches_from_age.year + 1, 9, 1)
    reaches_to_age = birthday(date_of_birth, to_age)
    end = date(reaches_to_age.year, 8, 31)
    if end < reaches_to_age:
        end = date(reaches_to_age.year + 1, 8, 31)
    return start, end


def pep_applies(date_of_birth: date, on: date, *, from_age: int = 4, to_age: int = 16) -> bool:
    """Whether a looked-after child needs a PEP on ``on``; see :func:`pep_period`.

    Education Act 1996 s8 (compulsory school age) [primary], widened to reception as
    local practice [unconfirmed].
    """
    first_day, last_day = pep_period(date_of_birth, from_age=from_age, to_age=to_age)
    return first_day <= on <= last_day


# --- Leaving care ----------------------------------------------------------------------


class LeavingCareStatus(StrEnum):
    """Care leaver categories (reference.md 3.1)."""

    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former_relevant"
    QUALIFYING = "qualifying"


def needs_assessment_due(date_of_birth: date, became_eligible_on: date) -> date:
    """Needs assessment for an eligible child: within 3 months of the 16th birthday, or
    of becoming eligible if that is later.

    SI 2010/959 reg 42(1) [primary] (reference.md 3.2).
    """
    starts = max(birthday(date_of_birth, 16), became_eligible_on)
    return add_months(starts, 3)


def became_eligible_on(date_of_birth: date, periods: Sequence[Period]) -> date | None:
    """The first day the child was an eligible child, or ``None``.

    Children Act 1989 Sch 2 para 19B; SI 2010/959 reg 40 [primary] (reference.md 3.1): a
    child aged 16 or 17, looked after, who has been looked after for 13 weeks in total
    (one period or several) beginning after age 14 and ending after age 16.

    Days are counted from the 14th birthday; both ends of a period count. The 13 weeks
    are 91 days looked after. An open period is taken as continuing, so the date may be
    in the future; callers clip open periods to today if they want only the past.
    Short-break series (reg 48) are not counted; leave them out of ``periods``.
    """
    reaches_14 = birthday(date_of_birth, 14)
    reaches_16 = birthday(date_of_birth, 16)
    reaches_18 = birthday(date_of_birth, 18)
    days_so_far = 0
    for period in sorted(periods, key=lambda p: p.start):
        if period.end is not None and period.end < reaches_14:
            continue
        counted_from = max(period.start, reaches_14)
        reaches_13_weeks = counted_from + timedelta(
            days=max(ELIGIBLE_MINIMUM_DAYS - days_so_far, 1) - 1
        )
        candidate = max(reaches_13_weeks, reaches_16)
        if candidate < reaches_18 and period.covers(candidate):
            return candidate
        if period.end is not None:
            days_so_far += (period.end - counted_from).days + 1
    return None


def leaving_care_status(
    date_of_birth: date,
    periods_looked_after: Sequence[Period],
    today: date,
    *,
    former_relevant_until_age: int = 21,
) -> LeavingCareStatus | None:
    """The young person's care leaver category on ``today``, or ``None``.

    Children Act 1989 as amended by the Children (Leaving Care) Act 2000 and CSWA 2017
    (reference.md 3.1):

    * eligible (Sch 2 para 19B; SI 2010/959 reg 40) [primary]: 16-17, looked after now,
      and has met the 13-week rule (:func:`became_eligible_on`);
    * relevant (s23A) [primary]: 16-17, no longer looked after, and eligible on the last
      day looked after. Not modelled: the reg 3 detention/hospital case of
      SI 2010/2571, and ceasing to be relevant after 6 months home [secondary];
    * former relevant (s23C) [primary]: 18 up to ``former_relevant_until_age`` (21 by
      default; pass 25 where the young person has asked for a personal adviser under
      s23CZB) and was eligible before turning 18 (every relevant child was eligible);
    * qualifying (s24) [secondary: council procedures]: 16-20, not looked after now,
      looked after at some time after turning 16, and not in the categories above.

    A looked-after 16 or 17-year-old who has not met the 13-week rule is simply a
    looked-after child, so ``None``.
    """
    age = age_on(date_of_birth, today)
    if age < 16:
        return None
    up_to_today = [
        period.clipped_to(today) for period in periods_looked_after if period.start <= today
    ]
    eligible_from = became_eligible_on(date_of_birth, up_to_today)
    looked_after_now = any(period.covers(today) for period in up_to_today)
    reaches_16 = birthday(date_of_birth, 16)
    looked_after_after_16 = any(period.end_or(today) >= reaches_16 for period in up_to_today)
    if age < 18:
        if eligible_from is not None:
            return LeavingCareStatus.ELIGIBLE if looked_after_now else LeavingCareStatus.RELEVANT
    elif age < former_relevant_until_age and eligible_from is not None:
        return LeavingCareStatus.FORMER_RELEVANT
    if age < 21 and looked_after_after_16 and not looked_after_now:
        return LeavingCareStatus.QUALIFYING
    return None
