"""The performance measures through the API: their definitions, and the same figures as the
dashboards (harbour.reporting), counted from the children the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.reporting.dashboards import PERFORMANCE_ROLES, dashboards_for, period_for, periods
from harbour.reporting.measures import (
    MEASURES,
    collector_paused,
    figures,
    load,
    national,
    not_published,
)

from .schemas import ErrorOut

router = Router(tags=["performance"])


class NationalFigureOut(Schema):
    value: int
    year: str
    source: str
    url: str


class PerformanceMeasureOut(Schema):
    key: str
    title: str
    definition: str
    source: str
    unit: str = Field(description="percent, count, pounds or per worker")
    higher_is_better: bool
    national: NationalFigureOut | None
    national_note: str = Field(description="Why there is no national figure, when there is none")


class PerformanceFigureOut(Schema):
    measure: str
    period: str
    label: str
    start: dt.date
    end: dt.date
    numerator: int
    denominator: int
    percent: int | None
    value: float | None = Field(description="The figure the dashboard shows, in the measure's unit")
    unit: str
    child_count: int = Field(description="Children behind the figure (within your access)")


def _refused() -> Any:
    return Status(403, {"detail": [{"loc": [], "msg": "You cannot see the performance measures"}]})


def _invalid(field: str, message: str) -> Any:
    return Status(422, {"detail": [{"loc": ["query", field], "msg": message}]})


@router.get("/measures/", response={200: list[PerformanceMeasureOut], 403: ErrorOut},
            summary="Every performance measure: what it counts, its unit and the national figure")
def list_measures(request: HttpRequest) -> Any:
    if request.auth.role not in PERFORMANCE_ROLES:
        return _refused()
    found = []
    for key, measure in MEASURES.items():
        figure = national(measure.national_key)
        found.append({"key": key, "title": measure.title, "definition": measure.definition,
                      "source": measure.source, "unit": measure.unit, "higher_is_better": measure.higher_is_better,
                      "national": figure.__dict__ if figure else None,
                      "national_note": "" if figure else not_published(key)})
    return found


@router.get("/figures/", response={200: list[PerformanceFigureOut], 403: ErrorOut, 422: ErrorOut},
            summary="The figures of the dashboards, for one period or the last 12 months",
            description="`period` is a month like 2026-11 or a financial quarter like 2026-27-Q3, one the dashboards "
                        "show (the last 12 months, the last 8 quarters); left out, the last 12 months. `measure` "
                        "is a key from /performance/measures/; left out, every measure on your dashboards.")
def list_figures(request: HttpRequest, period: str = "", measure: str = "") -> Any:
    user = request.auth
    if user.role not in PERFORMANCE_ROLES:
        return _refused()
    today = timezone.localdate()
    mine = [key for key in MEASURES if any(key in d.measures for d in dashboards_for(user))]
    if measure and measure not in mine:
        return _invalid("measure", "Enter a measure key from /api/v1/performance/measures/ that your dashboards show")
    chosen = period_for(period, today) if period else None
    if period and chosen is None:
        return _invalid("period", "Enter a month like 2026-11 or a financial quarter like 2026-27-Q3, "
                                  "within the last 12 months or 8 quarters")
    shown = [chosen] if chosen else periods(today, by="month")
    keys = [measure] if measure else mine
    with collector_paused():
        found = figures(load(user, shown[0].start, shown[-1].end, today=today, measures=keys), shown, today, keys=keys)
    return [{"measure": key, "period": f.period.key, "label": f.period.label, "start": f.period.start,
             "end": f.period.end, "numerator": f.numerator, "denominator": f.denominator, "percent": f.percent,
             "value": MEASURES[key].value(f), "unit": MEASURES[key].unit, "child_count": len(f.child_ids)}
            for key, row in found.items() for f in row]
