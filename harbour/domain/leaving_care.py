"""Leaving-care clocks: the personal adviser's contact, the pathway plan review and the SSDA903 OC3
birthdays, and who counts as a care leaver for them.

Pure functions taking ``today`` as an argument. The categories themselves are
:func:`harbour.domain.timescales.leaving_care_status`; this module builds on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from harbour.domain.ages import add_months, birthday
from harbour.domain.timescales import LeavingCareStatus, leaving_care_status
from harbour.domain.types import Period

__all__ = [
    "FIRST_CONTACT_DAYS",
    "OC3_AGES",
    "PA_CONTACT_MONTHS",
    "PATHWAY_REVIEW_MONTHS",
    "Clock",
    "ClockState",
    "care_leaver_status",
    "OC3_WINDOW_DAYS",
    "oc3_birthdays",
    "oc3_contact_for",
    "pa_contact_clock",
    "pathway_review_clock",
]

PA_CONTACT_MONTHS = 2
FIRST_CONTACT_DAYS = 7
PATHWAY_REVIEW_MONTHS = 6
OC3_AGES = (17, 18, 19, 20, 21)
OC3_WINDOW_DAYS = 60
SUPPORT_TO_25_AGE = 25


class ClockState(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Clock:
    """When the next occurrence of a duty is due and how it stands on ``today``."""

    due: date
    state: ClockState
    basis: str

    @property
    def overdue(self) -> bool:
        return self.state == ClockState.OVERDUE


def _clock(due: date, today: date, basis: str) -> Clock:
    return Clock(due, ClockState.OVERDUE if today > due else ClockState.DUE, basis)


def care_leaver_status(
    date_of_birth: date,
    periods_looked_after: Sequence[Period],
    today: date,
    *,
    support_to_25: bool = False,
) -> LeavingCareStatus | None:
    """The young person's care-leaver category on ``today``, or ``None`` when they are not one.

    Children Act 1989 ss23A, 23C, 24 and Sch 2 para 19B; SI 2010/959 reg 40 [primary];
    qualifying [secondary] (reference.md 3.1). ``support_to_25`` is a former relevant young
    person aged 21 to 24 who has asked for a personal adviser (s23CZB, CSWA 2017 s3 [primary]):
    they stay former relevant until 25. A young person who arrives within 13 weeks of turning
    18 never meets the 13-week rule, so they are qualifying, not former relevant (reference.md
    3.4 [secondary: Newcastle]).
    """
    if today < date_of_birth:
        return None
    until = SUPPORT_TO_25_AGE if support_to_25 else 21
    return leaving_care_status(date_of_birth, periods_looked_after, today, former_relevant_until_age=until)


def pa_contact_clock(*, last_contact: date | None, counted_from: date, today: date) -> Clock:
    """When the personal adviser must next be in contact with the young person.

    Care Leavers (England) Regulations 2010 (SI 2010/2571) reg 8 [primary] (reference.md 3.2):
    within 7 days of the accommodation first being provided, then at intervals of no more
    than 2 calendar months. Harbour applies the 2-month interval to every care leaver with a
    personal adviser, not only those the council accommodates: keeping in touch (s23B/s23C)
    is the wider duty [unconfirmed from primary text], and the stricter clock is the safer one.
    ``counted_from`` is the day the clock starts with no contact yet: the day the personal
    adviser was allocated, or the day the accommodation was first provided if later.
    """
    if last_contact is None:
        return _clock(
            counted_from + timedelta(days=FIRST_CONTACT_DAYS),
            today,
            f"{FIRST_CONTACT_DAYS} days after the personal adviser's work began (SI 2010/2571 reg 8)",
        )
    return _clock(
        add_months(last_contact, PA_CONTACT_MONTHS),
        today,
        f"{PA_CONTACT_MONTHS} months after the last contact (SI 2010/2571 reg 8)",
    )


def pathway_review_clock(
    *, last_plan_or_review: date | None, needs_assessment_due: date | None, today: date
) -> Clock | None:
    """When the pathway plan must next be reviewed, or first made.

    Reviews at least every 6 months (SI 2010/2571 reg 7 [secondary: Norfolk; the English
    wording is unconfirmed], reference.md 3.2). The first pathway plan follows the needs
    assessment (SI 2010/959 reg 43 [primary]), so with no plan yet it is due by the needs
    assessment's due date; with neither known there is no clock (``None``).
    """
    if last_plan_or_review is not None:
        return _clock(
            add_months(last_plan_or_review, PATHWAY_REVIEW_MONTHS),
            today,
            f"{PATHWAY_REVIEW_MONTHS} months after the last pathway plan or review (SI 2010/2571 reg 7)",
        )
    if needs_assessment_due is None:
        return None
    return _clock(
        needs_assessment_due,
        today,
        "with the needs assessment, 3 months after the 16th birthday or becoming eligible (SI 2010/959 regs 42-43)",
    )


def oc3_birthdays(date_of_birth: date) -> list[tuple[int, date]]:
    """The birthdays around which SSDA903 OC3 records contact, activity and accommodation.

    OC3 covers care leavers aged 17 to 21, recorded around each birthday (reference.md 4.8,
    from the DfE return's wording in public validator repositories [secondary]). A 29 February
    birthday falls on 1 March in other years (:func:`harbour.domain.ages.birthday`).
    """
    return [(age, birthday(date_of_birth, age)) for age in OC3_AGES]


def oc3_contact_for(birthday_on: date, contact_dates: Sequence[date], window_days: int = OC3_WINDOW_DAYS) -> date | None:
    """The contact that answers the OC3 record for one birthday: the one nearest the birthday within
    ``window_days`` either side (the earlier on a tie), or ``None``.

    The DfE window "around the birthday" is [unconfirmed] (reference.md 4.8), so the window is a
    parameter; 60 days either side is Harbour's default.
    """
    near = [day for day in contact_dates if abs((day - birthday_on).days) <= window_days]
    return min(near, key=lambda day: (abs((day - birthday_on).days), day), default=None)
