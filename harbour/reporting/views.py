"""Pages under /performance/: each role's dashboard (every figure by month or quarter, its chart,
headline, table, national figure and CSV) and the children behind one figure.

Every figure is counted from the children the access module lets the user see, so a team leader's
dashboard is their team's and the director's the whole service's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from harbour.accounts import access
from harbour.core.csv_export import csv_response

from .charts import figure_panel
from .dashboards import DASHBOARDS, PERFORMANCE_ROLES, dashboards_for, period_for, periods
from .measures import MEASURES, collector_paused, figures, load

app_name = "reporting"
# Keys and numbers first, words last: a spreadsheet or script reads the figures without the titles.
CSV_HEADERS = ["measure", "period", "start", "end", "numerator", "denominator", "value", "unit", "title",
               "period_label"]


def _performance_user(request: HttpRequest) -> Any:
    if request.user.role not in PERFORMANCE_ROLES:
        raise PermissionDenied
    return request.user


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """A role with one dashboard goes straight to it; the others choose."""
    mine = dashboards_for(_performance_user(request))
    if len(mine) == 1:
        return redirect("reporting:dashboard", mine[0].key)
    return render(request, "reporting/index.html", {"dashboards": mine})


def csv_rows_for(found: dict[str, list[Any]]) -> list[list[Any]]:
    rows = []
    for key, row in found.items():
        measure = MEASURES[key]
        for f in row:
            rows.append([key, f.period.key, f.period.start, f.period.end, f.numerator, f.denominator,
                         measure.value(f), measure.unit, measure.title, f.period.label])
    return rows


@login_required
@require_GET
@collector_paused()
def dashboard(request: HttpRequest, key: str) -> HttpResponse:
    user = _performance_user(request)
    board = DASHBOARDS.get(key)
    if board is None or board not in dashboards_for(user):
        raise Http404
    today = timezone.localdate()
    by = "quarter" if request.GET.get("by") == "quarter" else "month"
    shown = periods(today, by=by)
    wanted = [k for k in board.measures if k == request.GET.get("measure")] or list(board.measures)
    data = load(user, shown[0].start, shown[-1].end, today=today, measures=wanted)
    found = figures(data, shown, today, keys=wanted)
    if request.GET.get("format") == "csv":
        name = f"performance-{board.key}-{'-'.join(wanted) if len(wanted) == 1 else 'all'}-{by}-{today.isoformat()}"
        return csv_response(filename=name, headers=CSV_HEADERS, rows=csv_rows_for(found))
    reviews = MEASURES["reviews"]
    late = (reviews.reasons(data, shown[-1], today)  # type: ignore[attr-defined]
            if "reviews" in found else [])
    return render(request, "reporting/dashboard.html", {
        "board": board, "by": by, "panels": [figure_panel(k, found[k]) for k in board.measures if k in found],
        "late_reasons": late, "latest": shown[-1], "others": [d for d in dashboards_for(user) if d != board],
    })


@login_required
@require_GET
@collector_paused()
def records(request: HttpRequest, measure: str, period_key: str) -> HttpResponse:
    """The children behind one figure, within the user's access, each linking to their record."""
    user = _performance_user(request)
    today = timezone.localdate()
    period = period_for(period_key, today)
    if measure not in MEASURES or period is None or not any(measure in d.measures for d in dashboards_for(user)):
        raise Http404
    data = load(user, period.start, period.end, today=today, measures=[measure])
    figure = figures(data, [period], today, keys=[measure])[measure][0]
    counted = set(figure.counted_ids)
    children = {str(c.pk): c for c in access.children_visible_to(user).filter(pk__in=figure.child_ids)
                .only("id", "given_names", "family_name", "preferred_name", "date_of_birth")}
    rows = sorted(((children[i], i in counted) for i in figure.child_ids if i in children),
                  key=lambda row: (row[0].family_name, row[0].given_names))
    return render(request, "reporting/records.html", {
        "measure": MEASURES[measure], "period": period, "figure": figure, "rows": rows,
        "back": next(d for d in dashboards_for(user) if measure in d.measures),
    })


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("<slug:key>/", dashboard, name="dashboard"),
    path("<slug:measure>/<str:period_key>/", records, name="records"),
]
