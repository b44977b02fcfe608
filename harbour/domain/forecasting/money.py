"""From the forecast to posts, cost and Home Office funding, year by year.

Posts are the caseload each post carries: social workers at the council's caseload target, IROs at
50 to 70 children each (IRO Handbook 2010, reference.md 2.6 [secondary]), personal advisers for
supported care leavers, and supported lodgings coordinators for young people in supported
accommodation. Placement cost is the council's weekly cost for each placement group. Funding is
the Home Office nightly rate for each unaccompanied child under 18, by age on the day
(harbour.domain.funding; reference.md 1.6), and the weekly rate for former unaccompanied care
leavers under 21 (reference.md 1.6: £270 a week in 2023-24 [primary]). Every figure is worked out
for each run, so each has its own band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from ..funding import DatedRate
from .history import ADULT_AGE, GROUPS, PlacementGroup
from .model import QUANTILES, FloatArray, Runs

WEEKS_PER_QUARTER = 365.25 / 7 / 4
IRO_CASELOAD_RANGE = (50, 70)


@dataclass(frozen=True)
class CostSettings:
    """The council's own figures: caseloads, what a post costs a year, what a placement costs a week."""

    social_worker_caseload: int
    personal_adviser_caseload: int
    iro_caseload: int
    supported_lodgings_caseload: int
    social_worker_cost: Decimal
    personal_adviser_cost: Decimal
    iro_cost: Decimal
    supported_lodgings_cost: Decimal
    weekly_cost: dict[PlacementGroup, Decimal]
    care_leaver_weekly_funding: Decimal

    def problems(self) -> dict[str, str]:
        """What is wrong with these settings, by field; empty when they can be used."""
        found = {}
        for name in ("social_worker_caseload", "personal_adviser_caseload", "supported_lodgings_caseload"):
            if getattr(self, name) < 1:
                found[name] = "Caseload must be 1 or more"
        low, high = IRO_CASELOAD_RANGE
        if not low <= self.iro_caseload <= high:
            found["iro_caseload"] = f"IRO caseload must be between {low} and {high} children (IRO Handbook)"
        for name in ("social_worker_cost", "personal_adviser_cost", "iro_cost", "supported_lodgings_cost",
                     "care_leaver_weekly_funding"):
            if getattr(self, name) < 0:
                found[name] = "Amount must be 0 or more"
        if any(cost < 0 for cost in self.weekly_cost.values()):
            found["weekly_cost"] = "Weekly cost must be 0 or more"
        return found


@dataclass(frozen=True)
class Spread:
    """One figure across runs: the median and the 50% and 90% bands."""

    p5: float
    p25: float
    p50: float
    p75: float
    p95: float


def spread(values: FloatArray) -> Spread:
    found = np.percentile(values, QUANTILES)
    return Spread(*[round(float(v), 2) for v in found])


@dataclass(frozen=True)
class RateUsed:
    age_from: int
    age_to: int
    nightly_rate: Decimal
    from_date: date
    carried_forward: bool


def nightly_rate(rates: Sequence[DatedRate], *, age: int, on: date) -> tuple[Decimal, bool]:
    """The Home Office nightly rate for a child of ``age`` on ``on``, and whether it is carried forward.

    The rate in force that day for that age, the later-starting one where two overlap (as
    harbour.domain.funding.rate_in_force). When none is in force, because no rate has yet been
    recorded for the future, the latest rate for that age that had started is assumed to go on:
    the business case says so. No rate at all gives 0.
    """
    if age >= ADULT_AGE:
        return Decimal(0), False
    covering = [rate for rate in rates if rate.covers_age(age) and rate.start <= on]
    in_force = [rate for rate in covering if rate.in_force_on(on)]
    if in_force:
        return max(in_force, key=lambda rate: rate.start).nightly_rate, False
    if covering:
        return max(covering, key=lambda rate: rate.start).nightly_rate, True
    return Decimal(0), False


@dataclass(frozen=True)
class Year:
    """One forecast year: each figure's spread across runs."""

    number: int
    start: date
    end: date
    figures: dict[str, Spread]


MEASURES = {
    "uasc_arrivals": "Unaccompanied children arriving",
    "other_entries": "Other children entering care",
    "children_in_care": "Children in care (average)",
    "uasc_in_care": "Unaccompanied children in care (average)",
    "care_leavers": "Care leavers supported (average)",
    "social_workers": "Social workers (full-time posts)",
    "personal_advisers": "Personal advisers (full-time posts)",
    "iros": "IROs (full-time posts)",
    "supported_lodgings_coordinators": "Supported lodgings coordinators (full-time posts)",
    "staff_cost": "Staff cost (£)",
    "placement_cost": "Placement cost (£)",
    "funding": "Home Office funding (£)",
    "gap": "Cost not covered by funding (£)",
}
MONEY_MEASURES = frozenset({"staff_cost", "placement_cost", "funding", "gap"})
POST_MEASURES = ("social_workers", "personal_advisers", "iros", "supported_lodgings_coordinators")


@dataclass(frozen=True)
class MoneyForecast:
    years: list[Year]
    posts_now: dict[str, float]
    carried_forward_rates: bool
    notes: list[str]


def _funding_by_quarter(runs: Runs, rates: Sequence[DatedRate], settings: CostSettings) -> tuple[FloatArray, bool]:
    """Funding for each run and quarter: nightly rates by age on the middle day of each quarter."""
    quarters = len(runs.quarter_ends)
    carried = False
    nightly = np.zeros((quarters, ADULT_AGE))
    days = np.zeros(quarters)
    previous = runs.start
    for index, end in enumerate(runs.quarter_ends):
        middle = previous + (end - previous) / 2
        days[index] = (end - previous).days
        for age in range(ADULT_AGE):
            rate, carried_forward = nightly_rate(rates, age=age, on=middle)
            nightly[index, age] = float(rate)
            carried = carried or carried_forward
        previous = end
    children = (runs.uasc_by_age * nightly[None]).sum(axis=2) * days[None]
    leavers = runs.uasc_care_leavers_under_21 * float(settings.care_leaver_weekly_funding) * WEEKS_PER_QUARTER
    total: FloatArray = children + leavers
    return total, carried


def money_forecast(runs: Runs, *, settings: CostSettings, rates: Sequence[DatedRate],
                   in_care_now: int, care_leavers_now: int, supported_now: int) -> MoneyForecast:
    """Posts, cost, funding and the gap for each forecast year, across runs."""
    problems = settings.problems()
    if problems:
        raise ValueError("; ".join(problems.values()))
    in_care = runs.children_in_care.astype(float)
    leavers = runs.care_leavers.astype(float)
    supported = runs.in_care_by_group[:, :, PlacementGroup.SUPPORTED].astype(float)
    weekly = np.array([float(settings.weekly_cost[group]) for group in GROUPS])
    placement_cost = (runs.in_care_by_group * weekly[None, None]).sum(axis=2) * WEEKS_PER_QUARTER
    funding, carried = _funding_by_quarter(runs, rates, settings)
    posts_now = {
        "social_workers": in_care_now / settings.social_worker_caseload,
        "personal_advisers": care_leavers_now / settings.personal_adviser_caseload,
        "iros": in_care_now / settings.iro_caseload,
        "supported_lodgings_coordinators": supported_now / settings.supported_lodgings_caseload,
    }
    years = []
    for number in range(runs.scenario.horizon_years):
        span = slice(4 * number, 4 * number + 4)
        average_in_care = in_care[:, span].mean(axis=1)
        average_leavers = leavers[:, span].mean(axis=1)
        posts = {
            "social_workers": average_in_care / settings.social_worker_caseload,
            "personal_advisers": average_leavers / settings.personal_adviser_caseload,
            "iros": average_in_care / settings.iro_caseload,
            "supported_lodgings_coordinators": supported[:, span].mean(axis=1) / settings.supported_lodgings_caseload,
        }
        staff_cost = (posts["social_workers"] * float(settings.social_worker_cost)
                      + posts["personal_advisers"] * float(settings.personal_adviser_cost)
                      + posts["iros"] * float(settings.iro_cost)
                      + posts["supported_lodgings_coordinators"] * float(settings.supported_lodgings_cost))
        cost = placement_cost[:, span].sum(axis=1)
        money = funding[:, span].sum(axis=1)
        values = {
            "uasc_arrivals": runs.uasc_arrivals[:, span].sum(axis=1).astype(float),
            "other_entries": runs.other_entries[:, span].sum(axis=1).astype(float),
            "children_in_care": average_in_care,
            "uasc_in_care": runs.uasc_in_care[:, span].mean(axis=1).astype(float),
            "care_leavers": average_leavers,
            **posts,
            "staff_cost": staff_cost,
            "placement_cost": cost,
            "funding": money,
            "gap": staff_cost + cost - money,
        }
        start = runs.start if number == 0 else runs.quarter_ends[4 * number - 1]
        years.append(Year(number=number + 1, start=start, end=runs.quarter_ends[4 * number + 3] - timedelta(days=1),
                          figures={name: spread(value) for name, value in values.items()}))
    notes = []
    if carried:
        last = max((rate.end for rate in rates if rate.end is not None), default=None)
        notes.append("No Home Office rate is recorded for part of the forecast"
                     + (f" (the last recorded rate ends on {last.day} {last:%B %Y})" if last else "")
                     + ": the latest recorded rate for each age is assumed to continue. Record the rates in force "
                       "to replace this assumption.")
    if not rates:
        notes.append("No Home Office rate is recorded, so funding for children under 18 is counted as £0.")
    return MoneyForecast(years=years, posts_now={k: round(v, 2) for k, v in posts_now.items()},
                         carried_forward_rates=carried, notes=notes)
