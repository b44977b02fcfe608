"""The sufficiency page: demand for placements against capacity, the gaps, children placed out of area
and cost per week, each as a chart with its message, the same numbers as a table, and a CSV.

Thin: check the role, get the figures (`selectors_sufficiency`, which counts only the children the
user may see, and never names them), then draw or download them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET
from markupsafe import Markup

from harbour.core.charts import Series, bar_chart
from harbour.core.csv_export import csv_response

from . import selectors_sufficiency as selectors


def money_text(value: Any) -> str:
    """"£4,500", "£650.50"."""
    amount = Decimal(str(value))
    return f"£{int(amount):,}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _chart(table: selectors.Table) -> Markup:
    spec = table.chart
    return bar_chart(chart_id=f"chart-{table.key}", title=spec.title, categories=spec.categories,
                     series=[Series(name, values) for name, values in spec.series],
                     value_format=money_text if spec.money else lambda v: f"{v:,}",
                     description=f"{table.headline}. The same figures are in the table that follows.")


@login_required
@require_GET
def sufficiency(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_sufficiency(request.user):
        raise Http404("No page found")
    today = timezone.localdate()
    report = selectors.sufficiency_report(user=request.user, today=today)
    if request.GET.get("format") == "csv":
        table = report.table(request.GET.get("table", ""))
        if table is None:
            raise Http404("No table of that name")
        return csv_response(filename=f"sufficiency-{table.key}-{today.isoformat()}", headers=table.headers,
                            rows=table.rows)
    return render(request, "placements/sufficiency.html", {
        "report": report,
        "blocks": [(table, _chart(table) if table.chart.categories else None) for table in report.tables],
        "money_text": money_text,
    })


urlpatterns: list[URLPattern] = [
    path("sufficiency/", sufficiency, name="sufficiency"),
]
