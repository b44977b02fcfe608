"""Asylum and immigration milestones for an unaccompanied child: the statement of evidence form,
leave to remain and turning 18 with no decision. Pure functions; the council's settings and the
working-day calendar are arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from harbour.domain.ages import add_months, birthday
from harbour.domain.calendar import WorkingDayCalendar

__all__ = [
    "DEFAULT_APPROACHING_18_MONTHS",
    "DEFAULT_SEF_WARNING_DAYS",
    "DEFAULT_SEF_WORKING_DAYS",
    "LEAVE_EXPIRY_WARNING_MONTHS",
    "AsylumAlert",
    "AsylumFacts",
    "Alert",
    "asylum_alerts",
    "sef_due",
]

DEFAULT_SEF_WORKING_DAYS = 60
DEFAULT_SEF_WARNING_DAYS = 10
DEFAULT_APPROACHING_18_MONTHS = 6
LEAVE_EXPIRY_WARNING_MONTHS = 3


class AsylumAlert(StrEnum):
    SEF_NOT_SENT = "sef_not_sent"
    LEAVE_EXPIRING = "leave_expiring"
    NO_DECISION_NEAR_18 = "no_decision_near_18"


@dataclass(frozen=True)
class AsylumFacts:
    """What the claim records, as plain dates."""

    claimed_on: date
    sef_due: date | None = None
    sef_sent_on: date | None = None
    decided_on: date | None = None
    leave_expires_on: date | None = None
    appeal_rights_exhausted_on: date | None = None


@dataclass(frozen=True)
class Alert:
    kind: AsylumAlert
    on: date
    message: str


def sef_due(claimed_on: date, calendar: WorkingDayCalendar, working_days: int = DEFAULT_SEF_WORKING_DAYS) -> date:
    """The date the statement of evidence form is due back at the Home Office.

    60 working days from the claim, extendable [secondary: Young Asylum Guide]; an older
    council checklist says 28 days [secondary, outdated]. The current official deadline is
    [unconfirmed] (reference.md 5.2), so the number of working days is the council's setting.
    """
    if working_days < 1:
        raise ValueError("working_days must be 1 or more")
    return calendar.add_working_days(claimed_on, working_days)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def asylum_alerts(
    facts: AsylumFacts,
    *,
    date_of_birth: date | None,
    today: date,
    sef_warning_days: int = DEFAULT_SEF_WARNING_DAYS,
    approaching_18_months: int = DEFAULT_APPROACHING_18_MONTHS,
) -> list[Alert]:
    """What needs attention on the claim on ``today``.

    * The statement of evidence form is not sent and its due date is within
      ``sef_warning_days`` calendar days, or has passed (reference.md 5.2; the warning period
      is the council's setting [unconfirmed: local practice]).
    * Leave to remain expires within 3 months: an extension must be applied for before it
      ends (UASC leave, Immigration Rules para 352ZE onwards [secondary: Coram CCLC]).
    * No decision and the child turns 18 within ``approaching_18_months``: triple planning for
      "no decision before 18" (DfE statutory guidance on unaccompanied migrant children, 2017;
      GMIAU 2024 [secondary]; reference.md 5.4). Not raised once the child is 18.
    """
    found: list[Alert] = []
    if facts.sef_due is not None and facts.sef_sent_on is None and facts.decided_on is None:
        if facts.sef_due - timedelta(days=sef_warning_days) <= today:
            late = "was due" if today > facts.sef_due else "is due"
            found.append(Alert(AsylumAlert.SEF_NOT_SENT, facts.sef_due,
                               f"Statement of evidence form not sent: it {late} on {_long(facts.sef_due)}"))
    expires = facts.leave_expires_on
    if expires is not None and today <= expires <= add_months(today, LEAVE_EXPIRY_WARNING_MONTHS):
        found.append(Alert(AsylumAlert.LEAVE_EXPIRING, expires,
                           f"Leave to remain expires on {_long(expires)}: apply to extend it before then"))
    if date_of_birth is not None and facts.decided_on is None:
        reaches_18 = birthday(date_of_birth, 18)
        if today < reaches_18 <= add_months(today, approaching_18_months):
            found.append(Alert(AsylumAlert.NO_DECISION_NEAR_18, reaches_18,
                               f"No asylum decision and 18 on {_long(reaches_18)}: review the triple plan"))
    return sorted(found, key=lambda alert: alert.on)
