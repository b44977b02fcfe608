"""Rules for recording a looked-after review and for the IRO's quality assurance.

Pure functions: no Django, no clock. ``today`` and the working-day calendar are arguments.
The review clocks themselves (first within 20 working days, second within 3 months, then
every 6 months) are in :mod:`harbour.domain.timescales` and run by
:func:`harbour.domain.deadlines.compute_deadlines`; this module reads them, it does not
count them again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from harbour.domain.ages import age_on
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.deadlines import CaseTimeline, Deadline, DeadlineStatus, Duty, compute_deadlines

__all__ = [
    "DISPUTE_STAGES",
    "IRO_CASELOAD_HIGH",
    "IRO_CASELOAD_LOW",
    "PN0_AGE_LIMIT",
    "REVIEW_DUTIES",
    "CaseloadBand",
    "DisputeStage",
    "caseload_band",
    "escalation_error",
    "next_review",
    "participation_error",
    "review_occurrence",
]

REVIEW_DUTIES = frozenset({Duty.FIRST_REVIEW, Duty.SECOND_REVIEW, Duty.REVIEW})
PN0_AGE_LIMIT = 4
IRO_CASELOAD_LOW = 50
IRO_CASELOAD_HIGH = 70


def participation_error(code: str, date_of_birth: date | None, held_on: date) -> str | None:
    """Why this participation code cannot stand for a review held on ``held_on``, or None.

    PN0 means "child under 4 at the time of the review" and the SSDA903 validator checks
    it against the date of birth: a child under 4 is PN0, and PN0 is refused for anyone
    4 or over (SSDA903 REVIEW_CODE code list, reference.md 4.4 [primary: code lists]).
    Without a date of birth the age cannot be checked, so PN0 is refused.
    """
    if date_of_birth is None:
        if code == "PN0":
            return "PN0 is only for a child under 4: record the child's date of birth first"
        return None
    age = age_on(date_of_birth, held_on)
    if age < PN0_AGE_LIMIT and code != "PN0":
        return f"The child was {age} at the review: a child under 4 is recorded as PN0"
    if age >= PN0_AGE_LIMIT and code == "PN0":
        return f"PN0 is only for a child under 4: the child was {age} at the review. Select PN1 to PN7"
    return None


def review_occurrence(
    timeline: CaseTimeline, held_on: date, *, today: date, calendar: WorkingDayCalendar
) -> Deadline | None:
    """The review occurrence a review held on ``held_on`` discharges, with its due date and
    whether it was held in time, as the deadlines engine counts it (SI 2010/959 reg 33
    [primary]; reference.md 2.1). None when the day is outside every period looked after.

    The timeline passed in should not already hold this review; it is added here.
    """
    if not any(period.covers(held_on) for period in timeline.periods_looked_after):
        return None
    with_it = replace(timeline, reviews=tuple(sorted((*timeline.reviews, held_on))))
    for deadline in compute_deadlines(with_it, today=max(today, held_on), calendar=calendar):
        if deadline.duty in REVIEW_DUTIES and deadline.met_on == held_on:
            return deadline
    return None


def next_review(deadlines: list[Deadline]) -> Deadline | None:
    """The review still to hold (due or overdue), from the engine's occurrences; None when the
    child is not looked after any more. SI 2010/959 reg 33 [primary]."""
    open_reviews = [d for d in deadlines if d.duty in REVIEW_DUTIES and d.met_on is None]
    return min(open_reviews, key=lambda d: d.due, default=None)


class CaseloadBand(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


def caseload_band(children: int) -> CaseloadBand:
    """Where an IRO's caseload stands against the IRO Handbook's 50 to 70 looked-after
    children per full-time IRO (IRO Handbook 2010, DCSF-00184-2010; reference.md 2.6
    [secondary: BASW 2013; Wolverhampton IRO annual report 2015])."""
    if children < IRO_CASELOAD_LOW:
        return CaseloadBand.BELOW
    if children > IRO_CASELOAD_HIGH:
        return CaseloadBand.ABOVE
    return CaseloadBand.WITHIN


@dataclass(frozen=True)
class DisputeStage:
    number: int
    raised_with: str


# The local dispute resolution process the IRO follows when an action is not answered: the
# IRO Handbook (2010, chapter 6) requires each council to have one, with the stages set
# locally [unconfirmed: local practice; the stages below are the common shape].
DISPUTE_STAGES: tuple[DisputeStage, ...] = (
    DisputeStage(0, "the social worker and team manager"),
    DisputeStage(1, "the team manager, formally"),
    DisputeStage(2, "the service manager"),
    DisputeStage(3, "the head of service"),
    DisputeStage(4, "the director of children's services"),
    DisputeStage(5, "Cafcass, for independent advice"),
)


def escalation_error(*, stage: int, due_on: date, answered: bool, today: date) -> str | None:
    """Why an IRO's action cannot move to the next dispute resolution stage, or None.

    An action escalates only when it has not been answered by its due date, one stage at a
    time, up to the last stage (IRO Handbook 2010 ch. 6 [unconfirmed: local practice]).
    """
    if answered:
        return "The action has been answered: it cannot be escalated"
    if today <= due_on:
        return "The action is not overdue yet: it can be escalated after its due date"
    if stage >= DISPUTE_STAGES[-1].number:
        return "The action is already at the last stage of dispute resolution"
    return None


def is_late(deadline: Deadline) -> bool:
    """Held after its due date (the engine marks a late discharge overdue with a met date)."""
    return deadline.status == DeadlineStatus.OVERDUE and deadline.met_on is not None
