"""Who appears in which SSDA903 file, and the dates and identifiers the files carry.

Pure rules used by harbour.returns.files; each cites the validator rule or the guidance it follows
(reference.md section 4, the validator csc-validator-be-903 0.1.17 being the primary source for
what the DfE's checks accept).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from harbour.domain.ages import birthday
from harbour.domain.leaving_care import OC3_AGES
from harbour.domain.ssda903 import CollectionYear
from harbour.domain.timescales import next_health_assessment_due
from harbour.domain.types import Period

__all__ = [
    "SHORT_BREAK_STATUSES",
    "UNKNOWN_SOCIAL_WORKER",
    "continuously_looked_after",
    "end_in_year",
    "health_check_for_under_fives",
    "oc3_birthday_in_year",
    "parse_social_work_england_number",
    "social_worker_id",
    "uasc_status_ceased",
]

# Legal statuses of a series of short breaks: such a child is not "continuously looked after"
# (validator utils.add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER).
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})
# SW_ID must begin "SW" (a Social Work England registration) or "XX" when it is not known, and be at
# least 4 characters long (rule SW02STG1, lac2025_26).
UNKNOWN_SOCIAL_WORKER = "XXXX"
_SWE_NUMBER = re.compile(r"SW\d{1,8}")


def uasc_status_ceased(date_of_birth: date) -> date:
    """DUC in the UASC file: a child stops being an unaccompanied asylum-seeking child at 18.

    Rule 304 (lac2022_23) requires DUC on or before DOB + 18 years as pandas counts it, which puts
    a 29 February child's 18th birthday on 28 February in a year that is not a leap year; Harbour's
    own ages put it on 1 March (:func:`harbour.domain.ages.birthday`), so the earlier of the two is
    returned: the return must pass the DfE's check, and the day's difference changes no duty.
    """
    eighteenth = birthday(date_of_birth, 18)
    if date_of_birth.month == 2 and date_of_birth.day == 29 and eighteenth.month == 3:
        return date(eighteenth.year, 2, 28)
    return eighteenth


def oc3_birthday_in_year(date_of_birth: date, year: CollectionYear) -> tuple[int, date] | None:
    """The 17th to 21st birthday (age, day) falling in the collection year, or None.

    OC3 records care leavers "around their 17th to 21st birthdays" in the year (reference.md 4.8;
    validator rule 391). Birthdays are a year apart, so at most one falls in a collection year.
    """
    for age in OC3_AGES:
        day = birthday(date_of_birth, age)
        if year.start <= day <= year.end:
            return age, day
    return None


def continuously_looked_after(periods: Sequence[Period], year: CollectionYear, *,
                              short_breaks_in_year: bool = False) -> bool:
    """Whether the child had been looked after continuously for at least 12 months at 31 March:
    the OC2 cohort (reference.md 4.7).

    As the validator decides it (utils.add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER, after the
    DfE's validation rules 2021-22): in care on 1 April at the year's start, no period starting
    later in the year, none ending before 31 March, and no short-break legal status (V3, V4) in it.
    """
    if short_breaks_in_year:
        return False
    if any(year.start < period.start <= year.end for period in periods):
        return False
    return any(period.covers(year.start) and period.end_or(year.end) >= year.end for period in periods)


def end_in_year(end: date | None, year: CollectionYear) -> date | None:
    """An end date as the return gives it: a spell still going on 31 March is returned open.

    Missing episodes (rule 571) and social worker episodes (rule SW07STG2) may not end after the
    collection year.
    """
    return end if end is not None and end <= year.end else None


def health_check_for_under_fives(date_of_birth: date, year: CollectionYear,
                                 assessments: Sequence[date]) -> str:
    """OC2 HEALTH_CHECK: whether an under-5's health surveillance and promotion checks were up to date
    on 31 March, "1" or "0"; blank for a child 5 or over then, who is not asked (rules 545 and 546,
    lac2022_23 on: under 5 means 31 March falls before the 5th birthday).

    Harbour reads it from the review health assessment, which for a child under 5 is due every
    6 months (SI 2010/959 reg 7, next_health_assessment_due) and is where a looked-after child's
    Healthy Child Programme checks are recorded: up to date when the latest assessment on or before
    31 March was not yet due again on 31 March. [unconfirmed: the DfE guide asks whether the checks
    were up to date and does not say how a council knows; this is Harbour's reading.]
    """
    if birthday(date_of_birth, 5) <= year.end:
        return ""
    held = [day for day in assessments if day <= year.end]
    if not held:
        return "0"
    return "1" if next_health_assessment_due(max(held), date_of_birth) >= year.end else "0"


def parse_social_work_england_number(text: str) -> str:
    """A Social Work England registration number, normalised as "SW" followed by its digits.

    Social workers in England are registered with Social Work England (Children and Social Work
    Act 2017 Part 2); the register gives each an identifier of SW and digits, which SSDA903 returns as
    SW_ID (rule SW02STG1). ValueError says what is wrong in GOV.UK wording.
    """
    number = re.sub(r"\s+", "", text).upper()
    if not _SWE_NUMBER.fullmatch(number):
        raise ValueError("Enter a Social Work England registration number in the correct format, like SW123456")
    return number


def social_worker_id(registration: str) -> str:
    """SW_ID for a social worker episode: the registration number, or XXXX when none is recorded (or
    what is recorded is not one)."""
    try:
        return parse_social_work_england_number(registration)
    except ValueError:
        return UNKNOWN_SOCIAL_WORKER
