"""The performance dashboards: which measures each role's dashboard shows, who may open it, and
the periods it shows them for. The analyst may open every dashboard.

Harbour has no leaving care manager role: the managers of personal advisers are team leaders and
team managers, so they open the leaving care dashboard as well as their team's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from harbour.accounts.models import Role
from harbour.domain.ages import add_months
from harbour.domain.review_measures import ReportingPeriod, months_between, quarters_between

MONTHS_SHOWN = 12
QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    roles: frozenset[str]
    measures: tuple[str, ...]


DASHBOARDS: dict[str, Dashboard] = {d.key: d for d in (
    Dashboard("team", "Team leader's dashboard", frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER}),
              ("nts_transfers", "reviews", "visits", "health", "peps", "placements_3_plus", "placement_2_years",
               "caseload_social_worker")),
    Dashboard("iro", "IRO manager's dashboard", frozenset({Role.IRO_MANAGER}),
              ("reviews", "participation", "visits", "health", "peps", "caseload_iro")),
    Dashboard("leaving-care", "Leaving care dashboard", frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER}),
              ("leavers_in_touch", "leavers_suitable_accommodation", "leavers_eet", "leavers_higher_education",
               "caseload_personal_adviser")),
    Dashboard("director", "Director's dashboard", frozenset({Role.DIRECTOR}),
              ("nts_transfers", "reviews", "participation", "visits", "health", "peps", "placements_3_plus",
               "placement_2_years", "leavers_in_touch", "leavers_suitable_accommodation", "leavers_eet",
               "leavers_higher_education", "caseload_social_worker", "caseload_iro", "caseload_personal_adviser",
               "home_office_funding")),
)}
PERFORMANCE_ROLES = frozenset({Role.PERFORMANCE_ANALYST, *(r for d in DASHBOARDS.values() for r in d.roles)})


def dashboards_for(user: Any) -> list[Dashboard]:
    """The dashboards this user may open: their role's, or every one for a performance analyst."""
    role = getattr(user, "role", None)
    if role == Role.PERFORMANCE_ANALYST:
        return list(DASHBOARDS.values())
    return [d for d in DASHBOARDS.values() if role in d.roles]


def periods(today: dt.date, *, by: str) -> list[ReportingPeriod]:
    """The last 12 months or the last 8 financial quarters up to the one holding today, oldest first."""
    if by == "quarter":
        return quarters_between(add_months(today, -3 * (QUARTERS_SHOWN - 1)), today)
    return months_between(add_months(today, -(MONTHS_SHOWN - 1)), today)


def period_for(key: str, today: dt.date) -> ReportingPeriod | None:
    """The month or quarter a link or an API query names, if a dashboard shows it."""
    for by in ("month", "quarter"):
        for period in periods(today, by=by):
            if period.key == key:
                return period
    return None
