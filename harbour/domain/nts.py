"""The National Transfer Scheme: the threshold, the transfer clock and whether a transfer was in time.

Sources: reference.md 1.2 (threshold) and 1.4 (timescale). The threshold is 0.1% of the council's
child population since 24 August 2022 (gov.uk news "Faster accommodation moves for unaccompanied
asylum-seeking children" [primary]); a council at or above it is not directed to accept
transfers (NTS protocol as quoted in Lincolnshire FOI [secondary]), so it may contest a referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from .calendar import WorkingDayCalendar
from .formatting import long_date_with_day, working_days_left_phrase

NTS_THRESHOLD_SHARE = Fraction(1, 1000)


def nts_threshold_count(child_population: int) -> Fraction:
    """The number of looked-after UASC that is 0.1% of the council's children aged 0 to 17.

    NTS protocol threshold, raised from 0.07% to 0.1% on 24 August 2022 (reference.md 1.1, 1.2).
    Kept as an exact fraction: 0.1% of 54,321 children is 54.321, and 54 children is below it.
    """
    if child_population < 0:
        raise ValueError("child_population must be 0 or more")
    return child_population * NTS_THRESHOLD_SHARE


def at_or_above_nts_threshold(*, uasc_looked_after: int, child_population: int | None) -> bool:
    """Whether the council already looks after UASC at or above 0.1% of its child population.

    A council at or above the threshold is not directed to accept NTS transfers and may contest
    a referral (reference.md 1.2 [secondary quoting the protocol]). With no child population
    recorded the council cannot show it is at the threshold, so the answer is False.
    """
    if child_population is None or child_population <= 0:
        return False
    return uasc_looked_after >= nts_threshold_count(child_population)


class ClockTag(StrEnum):
    """GOV.UK tag colours for the transfer clock: the closer the deadline, the louder."""

    ON_TRACK = "blue"
    CLOSE = "yellow"
    URGENT = "orange"
    OVERDUE = "red"
    DONE = "green"


@dataclass(frozen=True)
class TransferClock:
    due: date
    working_days_left: int
    text: str
    tag_text: str
    tag: ClockTag


def transfer_clock(*, due: date, today: date, calendar: WorkingDayCalendar, arrived_on: date | None = None) -> TransferClock:
    """The transfer deadline as a person reads it: "2 working days left – due Monday 4 January 2027".

    The deadline is 5 working days from the NTS referral (reference.md 1.4); the count of working
    days left is the working days after today up to and including the due date (2.8).
    """
    when = long_date_with_day(due)
    if arrived_on is not None:
        in_time = arrived_on <= due
        return TransferClock(
            due=due, working_days_left=0,
            text=f"Arrived {long_date_with_day(arrived_on)} – due {when}",
            tag_text="Transferred in time" if in_time else "Transferred late",
            tag=ClockTag.DONE if in_time else ClockTag.OVERDUE,
        )
    left = calendar.working_days_between(today, due)
    phrase = working_days_left_phrase(due, today, calendar)
    if due < today:
        tag, tag_text = ClockTag.OVERDUE, "Overdue"
    elif due == today:
        tag, tag_text = ClockTag.URGENT, "Due today"
    elif left <= 1:
        tag, tag_text = ClockTag.URGENT, "1 working day left" if left == 1 else "No working days left"
    elif left == 2:
        tag, tag_text = ClockTag.CLOSE, "2 working days left"
    else:
        tag, tag_text = ClockTag.ON_TRACK, f"{left} working days left"
    return TransferClock(due=due, working_days_left=max(left, 0), text=f"{phrase[0].upper()}{phrase[1:]} – due {when}",
                         tag_text=tag_text, tag=tag)


@dataclass(frozen=True)
class TransferOutcome:
    working_days_taken: int
    within_deadline: bool


def transfer_outcome(*, referred_on: date, arrived_on: date, due: date, calendar: WorkingDayCalendar) -> TransferOutcome:
    """Whether the child arrived by the transfer deadline, and in how many working days.

    Within the deadline means arriving on or before the 5th working day after the referral
    (reference.md 1.4); the days taken count working days after the referral day (2.8), so a
    child who arrives the same day took 0.
    """
    if arrived_on < referred_on:
        raise ValueError("a child cannot arrive before they were referred")
    return TransferOutcome(
        working_days_taken=calendar.working_days_between(referred_on, arrived_on),
        within_deadline=arrived_on <= due,
    )
