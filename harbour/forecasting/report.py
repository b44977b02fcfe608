"""A forecast laid out as tables with headlines and charts: one layout for the page, the business
case (page and PDF) and the CSV downloads, so that all show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from harbour.core.charts import Series, bar_chart
from harbour.domain.forecasting.money import MEASURES, POST_MEASURES, Spread

from .charts import fan_chart
from .services import FANS, ForecastRun, quarter_bands

TEXT, COUNT, DECIMAL, MONEY, RANGE = "text", "count", "decimal", "money", "range"


def money_text(value: float) -> str:
    """"£6,289,000": forecasts of large sums to the nearest £1,000, as no forecast is closer than that."""
    rounded = round(value, -3) if abs(value) >= 10_000 else round(value)
    return f"-£{-rounded:,.0f}" if rounded < 0 else f"£{rounded:,.0f}"


def whole(value: float) -> str:
    return f"{value:,.0f}"


def _range(low: float, high: float, money: bool = False) -> str:
    show = money_text if money else whole
    return f"{show(low)} to {show(high)}"


@dataclass(frozen=True)
class Table:
    key: str
    heading: str
    headline: str
    caption: str
    columns: list[tuple[str, str]]
    rows: list[list[Any]]
    chart: Markup | None = None
    notes: list[str] = field(default_factory=list)
    table_in_details: bool = False  # a long table goes in "Show the figures as a table"

    @property
    def headers(self) -> list[str]:
        return [header for header, _ in self.columns]


def _when(years: int) -> str:
    return "in a year" if years == 1 else f"in {years} years"


def _fan_table(run: ForecastRun, key: str, now: int) -> Table:
    spread = quarter_bands(run)[key]
    ends = run.runs.quarter_ends
    years = run.scenario.horizon_years
    label = FANS[key]
    headline = (f"{label}: {now:,} now, about {spread.p50[-1]:,.0f} {_when(years)} "
                f"(between {spread.p5[-1]:,.0f} and {spread.p95[-1]:,.0f} in 9 runs out of 10)")
    rows = [[f"{day.day} {day:%B %Y}", spread.p50[i], _range(spread.p25[i], spread.p75[i]),
             _range(spread.p5[i], spread.p95[i])] for i, day in enumerate(ends)]
    return Table(
        key=key, heading=label, headline=headline, caption=f"{label} at the end of each quarter, across the runs",
        columns=[("Quarter ending", TEXT), ("Median", COUNT), ("Middle half of runs", RANGE),
                 ("9 in 10 runs", RANGE)],
        rows=rows,
        chart=fan_chart(chart_id=f"fan-{key}", title=f"{label}, forecast by quarter", quarter_ends=ends, band=spread,
                        description=f"{headline}. The same figures are in the table that follows.",
                        start=run.runs.start, now=now),
        table_in_details=True,
    )


def _yearly(run: ForecastRun, key: str, heading: str, headline: str, measures: list[str], *,
            money: bool = False, chart: Markup | None = None, notes: list[str] | None = None) -> Table:
    columns: list[tuple[str, str]] = [("Year", TEXT)]
    for name in measures:
        columns.append((MEASURES[name] + ", median", MONEY if money else DECIMAL))
        columns.append((MEASURES[name] + ", 9 in 10 runs", RANGE))
    rows = []
    for year in run.money.years:
        row: list[Any] = [f"Year {year.number}: {year.start:%b %Y} to {year.end:%b %Y}"]
        for name in measures:
            value: Spread = year.figures[name]
            row += [value.p50, _range(value.p5, value.p95, money)]
        rows.append(row)
    return Table(key=key, heading=heading, headline=headline, caption=heading + ", by forecast year",
                 columns=columns, rows=rows, chart=chart, notes=notes or [])


def _final(run: ForecastRun, name: str) -> Spread:
    return run.money.years[-1].figures[name]


def tables(run: ForecastRun) -> list[Table]:
    """Every table of a forecast, in the order the page and the business case show them."""
    start = run.loaded.start
    years = run.scenario.horizon_years
    first = run.money.years[0].figures
    arrivals = first["uasc_arrivals"]
    demand = _yearly(run, "demand", "Arrivals and demand",
                     f"About {arrivals.p50:,.0f} unaccompanied children arrive in the first year "
                     f"({arrivals.p5:,.0f} to {arrivals.p95:,.0f} in 9 runs out of 10)",
                     ["uasc_arrivals", "other_entries", "children_in_care", "uasc_in_care", "care_leavers"])
    now = run.money.posts_now
    extra = {name: _final(run, name).p50 - now[name] for name in POST_MEASURES}
    posts = _yearly(run, "posts", "Posts needed",
                    f"{_final(run, 'social_workers').p50:,.1f} social workers, {_final(run, 'personal_advisers').p50:,.1f} "
                    f"personal advisers and {_final(run, 'iros').p50:,.1f} IROs {_when(years)}; "
                    f"{extra['social_workers']:+,.1f}, {extra['personal_advisers']:+,.1f} and {extra['iros']:+,.1f} "
                    "against what today's caseload needs",
                    list(POST_MEASURES),
                    notes=["Posts needed today, from today's caseload: "
                           + ", ".join(f"{MEASURES[name].split(' (')[0].lower()} {now[name]:,.1f}"
                                       for name in POST_MEASURES) + ".",
                           "Full-time posts at the council's caseloads (forecast settings): children in care per "
                           "social worker and per IRO, supported care leavers per personal adviser, young people in "
                           "supported accommodation per supported lodgings coordinator."])
    gap = _final(run, "gap")
    costs = [year.figures for year in run.money.years]
    cost_chart = bar_chart(
        chart_id="chart-money", title="Cost and Home Office funding by forecast year (medians)",
        categories=[f"Year {year.number}" for year in run.money.years],
        series=[Series("Cost", [round(f["staff_cost"].p50 + f["placement_cost"].p50) for f in costs]),
                Series("Funding", [round(f["funding"].p50) for f in costs])],
        value_format=lambda v: money_text(float(v)),
        description="Cost of placements and posts against Home Office funding, by year. The same figures are in "
                    "the table that follows.")
    money = _yearly(run, "money", "Cost and funding",
                    f"In year {years} the cost not covered by Home Office funding is about {money_text(gap.p50)} "
                    f"({money_text(gap.p5)} to {money_text(gap.p95)} in 9 runs out of 10)",
                    ["placement_cost", "staff_cost", "funding", "gap"], money=True, chart=cost_chart,
                    notes=["Placement cost: the council's weekly cost for each kind of placement. Staff cost: the "
                           "posts above at the council's yearly cost of each. Funding: the Home Office nightly rate "
                           "for each unaccompanied child under 18, by age on the day, and the weekly rate for "
                           "former unaccompanied care leavers under 21.", *run.money.notes])
    return [
        _fan_table(run, "children_in_care", start.children_in_care),
        _fan_table(run, "uasc_in_care", start.uasc_in_care),
        _fan_table(run, "care_leavers", start.care_leavers),
        demand, posts, money,
    ]


def table_named(found: list[Table], key: str) -> Table | None:
    return next((t for t in found if t.key == key), None)


def csv_cells(table: Table) -> list[list[Any]]:
    return table.rows
