"""National Referral Mechanism timescales for a child the council refers as first responder
(reference.md 5.3). Pure functions; the working-day calendar is an argument."""

from __future__ import annotations

from datetime import date, timedelta

from harbour.domain.calendar import WorkingDayCalendar

__all__ = [
    "REASONABLE_GROUNDS_WORKING_DAYS",
    "RECOVERY_PERIOD_CUT_FROM",
    "reasonable_grounds_due",
    "recovery_period_ends",
]

REASONABLE_GROUNDS_WORKING_DAYS = 5
RECOVERY_PERIOD_CUT_FROM = date(2022, 12, 13)


def reasonable_grounds_due(referred_on: date, calendar: WorkingDayCalendar) -> date:
    """The target date for the reasonable-grounds decision: 5 working days from the referral.

    NRM guidance (reference.md 5.3) [primary for the target; it is a target, not a duty]. The
    threshold has needed objective factors since 30 January 2023 [secondary].
    """
    return calendar.add_working_days(referred_on, REASONABLE_GROUNDS_WORKING_DAYS)


def recovery_period_ends(positive_reasonable_grounds_on: date) -> date:
    """The last day of the minimum recovery period after a positive reasonable-grounds decision,
    before which no conclusive-grounds decision is expected.

    30 days from 13 December 2022 (ministerial statement, Hansard 13 Dec 2022 [primary]); 45 days
    for decisions before then (reference.md 5.3). Calendar days: day 1 is the day after the decision.
    """
    days = 30 if positive_reasonable_grounds_on >= RECOVERY_PERIOD_CUT_FROM else 45
    return positive_reasonable_grounds_on + timedelta(days=days)
