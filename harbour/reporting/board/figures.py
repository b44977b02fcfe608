"""The figures a board report prints, built from the measure library (harbour.reporting.measures).

Everything a report shows is gathered here into one plain, JSON-ready dictionary: the draft page
renders it live, and publishing stores it in the report as it was (ADR 0013), so the published
page, the PDF and the API all read the same numbers. Children are counted, never named: the
report keeps how many children each figure counts, not who they are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from harbour.children.models import Child
from harbour.domain.board_report import Comparison, previous_period, sentence
from harbour.domain.formatting import long_date
from harbour.domain.review_measures import ReportingPeriod, quarters_between
from harbour.reporting import charts, measures

from .models import Section

# Which measures each section of the report reports on, in the order printed.
SECTION_MEASURES: dict[str, tuple[str, ...]] = {
    Section.NTS_UASC: ("nts_transfers", "home_office_funding"),
    Section.IRO: ("reviews", "visits"),
    Section.CARE_LEAVERS_EDUCATION: ("leavers_higher_education",),
    Section.ACCOMMODATION: ("leavers_suitable_accommodation", "leavers_in_touch"),
    Section.EET: ("leavers_eet",),
    Section.VOICE: ("participation",),
}
TREND_QUARTERS = 8  # the quarters a section's chart and table show, ending with the report's period


def _period(period: ReportingPeriod) -> dict[str, str]:
    return {"key": period.key, "label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()}


def _number(measure: Any, figure: Any) -> dict[str, Any]:
    return {"numerator": figure.numerator, "denominator": figure.denominator,
            "value": measure.value(figure), "display": measure.display(figure), "children": len(figure.child_ids)}


def _trend_periods(period: ReportingPeriod) -> list[ReportingPeriod]:
    """The quarters ending with the last quarter of ``period``, oldest first."""
    quarters = [quarters_between(period.end, period.end)[0]]
    while len(quarters) < TREND_QUARTERS:
        quarters.insert(0, previous_period(quarters[0]))
    return quarters


def build(children: QuerySet[Child], period: ReportingPeriod, today: date) -> dict[str, Any]:
    """Every section's figures for ``period``: now, the period before, the national figure, the
    sentence written from them, and a trend by quarter for the chart and its table. ``children`` comes
    from the access module (the command line uses every child, as `harbour export-903` does)."""
    with measures.collector_paused():  # as the dashboards count (ADR 0012, "Speed")
        return _build(children, period, today)


def _build(children: QuerySet[Child], period: ReportingPeriod, today: date) -> dict[str, Any]:
    before = previous_period(period)
    trend = _trend_periods(period)
    first = min(before.start, trend[0].start)
    keys = [key for keys in SECTION_MEASURES.values() for key in keys]
    data = measures.load_children(children, first, period.end, today=today, measures=keys)
    now = measures.figures(data, [period, before], today, keys=keys)
    by_quarter = measures.figures(data, trend, today, keys=keys)
    sections = []
    for section, section_keys in SECTION_MEASURES.items():
        rows = []
        for key in section_keys:
            measure = measures.MEASURES[key]
            current, previous = now[key]
            national = measures.national(measure.national_key)
            values = (measure.value(current), measure.value(previous))
            comparison = Comparison(
                title=measure.title, unit=_unit(measure), current=values[0], previous=values[1],
                national=None if national is None else national.value,
                national_year="" if national is None else str(national.year), period_label=period.label)
            rows.append({
                "key": key, "title": measure.title, "definition": measure.definition, "source": measure.source,
                "unit": measure.unit, "higher_is_better": measure.higher_is_better,
                "current": _number(measure, current), "previous": _number(measure, previous),
                "national": None if national is None else {
                    "value": national.value, "year": str(national.year), "source": national.source,
                    "url": national.url},
                "sentence": sentence(comparison),
                # The chart is drawn now and kept as SVG text, so a published report keeps its chart too.
                "headline": charts.headline(by_quarter[key], national),
                "chart": str(charts.line_chart(by_quarter[key], measure.title, chart_id=f"board-{key}",
                                               national_value=None if national is None else float(national.value))),
                "trend": [{"period": figure.period.key, "label": figure.period.label, **_number(measure, figure)}
                          for figure in by_quarter[key]],
            })
        sections.append({"key": str(section), "title": Section(section).label, "figures": rows})
    return {"period": _period(period), "previous": _period(before), "made_on": today.isoformat(), "made_on_label": long_date(today),
            "sections": sections}


def _unit(measure: Any) -> str:
    return {"percent": "percent", "pounds": "pounds", "per worker": "children per worker"}.get(measure.unit, "")
