"""Forecast pages: the forecast under a scenario, saved scenarios compared side by side, and the
business case (page and PDF), with every table as CSV.

Thin: check the role, read and fit through `services` (which counts children only through the
access module, and never names them), then draw or download the figures `report` lays out.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.core.csv_export import csv_response
from harbour.core.models import CouncilSettings
from harbour.domain.forecasting.money import MEASURES
from harbour.domain.forecasting.scenario import PRESETS, make_scenario

from . import report, selectors, services
from .forms import SCENARIO_FIELDS, SaveScenarioForm, ScenarioForm
from .models import SavedScenario

app_name = "forecasting"
HORIZONS = {"1": "Year one", "2": "Year two", "5": "Five years"}
COMPARED = ("uasc_arrivals", "children_in_care", "uasc_in_care", "care_leavers", "social_workers",
            "personal_advisers", "iros", "supported_lodgings_coordinators", "placement_cost", "staff_cost",
            "funding", "gap")


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _require(request: HttpRequest) -> None:
    if not selectors.may_forecast(request.user):
        raise Http404("No page found")


def _load(request: HttpRequest) -> services.Loaded:
    return services.load(request.user, today=timezone.localdate())


def _fingerprint(request: HttpRequest) -> str:
    """What the records look like now, to tell which saved scenarios ran on older records."""
    return selectors.fingerprint(selectors.histories(request.user))


def _initial(loaded: services.Loaded, name: str) -> dict[str, str]:
    return services.scenario_values(loaded.preset(name if name in PRESETS else "central"))


def _query(values: dict[str, Any], **extra: str) -> str:
    return urlencode({**{name: values[name] for name in SCENARIO_FIELDS if name in values}, **extra})


@login_required
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    _require(request)
    loaded = _load(request)
    chosen = request.GET.get("preset", "")
    submitted = "horizon_years" in request.GET
    form = ScenarioForm(request.GET if submitted else _initial(loaded, chosen))
    run = loaded.run(form.scenario) if form.is_valid() and form.scenario else None
    found = report.tables(run) if run else []
    if run and request.GET.get("format") == "csv":
        table = report.table_named(found, request.GET.get("table", ""))
        if table is None:
            raise Http404("No table of that name")
        return csv_response(filename=f"forecast-{table.key}-{loaded.today.isoformat()}", headers=table.headers,
                            rows=table.rows)
    values = {name: form.data.get(name, "") for name in SCENARIO_FIELDS}
    return render(request, "forecasting/forecast.html", {
        "form": form, "run": run, "tables": found, "loaded": loaded, "nts": services.nts_position(run) if run else None,
        "presets": PRESETS, "chosen": chosen if not submitted else "", "query": _query(values),
        "save_form": SaveScenarioForm(initial=values), "has_errors": bool(form.errors),
        "money_text": report.money_text, "horizons": HORIZONS, "notes": services.assumptions(run) if run else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest) -> HttpResponse:
    _require(request)
    if request.method == "POST":
        return _save(request)
    saved = selectors.saved_scenarios()
    return render(request, "forecasting/scenarios.html", {
        "saved": saved, "fingerprint": _fingerprint(request), "money_text": report.money_text,
        "flash": [str(m) for m in messages.get_messages(request)],
    })


def _save(request: HttpRequest) -> HttpResponse:
    form = SaveScenarioForm(request.POST)
    loaded = _load(request)
    if form.is_valid() and form.scenario:
        try:
            saved = services.save_scenario(actor=request.user, name=form.cleaned_data["name"],
                                           run=loaded.run(form.scenario), request_id=_rid(request))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name, problems)
        else:
            messages.success(request, f"Scenario saved: {saved.name}")
            return redirect("forecasting:scenarios")
    return render(request, "forecasting/save.html", {"form": form, "has_errors": True})


def _saved(scenario_id: Any) -> SavedScenario:
    try:
        pk = uuid.UUID(str(scenario_id))
    except ValueError:
        raise Http404("No scenario found") from None
    found = SavedScenario.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("No scenario found")
    return found


@login_required
@require_POST
def rerun(request: HttpRequest, scenario_id: Any) -> HttpResponse:
    _require(request)
    saved = _saved(scenario_id)
    services.rerun_scenario(actor=request.user, saved=saved, loaded=_load(request), request_id=_rid(request))
    messages.success(request, f"Scenario run again on today's records: {saved.name}")
    return redirect("forecasting:scenarios")


def _year_figure(saved: SavedScenario, year: int, name: str) -> float | None:
    years = saved.figures.get("years", [])
    if year > len(years):
        return None
    value: float = years[year - 1]["figures"][name]["p50"]
    return value


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    _require(request)
    saved = selectors.saved_scenarios()
    by_id = {str(s.pk): s for s in saved}
    first, second = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    errors = []
    if "a" in request.GET or "b" in request.GET:
        if first is None:
            errors.append(("a", "Select the first scenario to compare"))
        if second is None:
            errors.append(("b", "Select the second scenario to compare"))
        elif first is not None and first.pk == second.pk:
            errors.append(("b", "Select a different scenario to compare with the first"))
    rows = []
    years: list[int] = []
    if first and second and not errors:
        longest = max(len(first.figures.get("years", [])), len(second.figures.get("years", [])))
        years = [y for y in (1, 2, 5) if y <= longest] or [longest]
        for name in COMPARED:
            for year in years:
                a, b = _year_figure(first, year, name), _year_figure(second, year, name)
                rows.append((MEASURES[name], year, a, b, None if a is None or b is None else b - a,
                             name in {"placement_cost", "staff_cost", "funding", "gap"}))
    return render(request, "forecasting/compare.html", {
        "saved": saved, "first": first, "second": second, "rows": rows, "errors": errors,
        "has_errors": bool(errors), "fingerprint": _fingerprint(request), "money_text": report.money_text,
        "parameters": [(label, name) for name, label in services.FIELD_LABELS.items()],
    })


@login_required
@require_GET
def business_case(request: HttpRequest) -> HttpResponse:
    _require(request)
    loaded = _load(request)
    saved = _saved(request.GET["saved"]) if request.GET.get("saved") else None
    values: dict[str, Any] = dict(saved.parameters) if saved else {
        name: request.GET.get(name, "") for name in SCENARIO_FIELDS}
    horizon = request.GET.get("horizon", "5")
    if horizon not in HORIZONS:
        horizon = "5"
    if not saved and not request.GET.get("horizon_years"):
        values = _initial(loaded, "central")
    form = ScenarioForm({k: str(v) for k, v in values.items()})
    if not form.is_valid() or form.scenario is None:
        return redirect(f"/forecasting/?{_query(values)}")
    run = loaded.run(make_scenario({**services.scenario_values(form.scenario), "horizon_years": horizon}))
    context = {
        "run": run, "tables": report.tables(run), "saved": saved, "horizon": horizon, "horizons": HORIZONS,
        "nts": services.nts_position(run), "notes": services.assumptions(run), "money_text": report.money_text,
        "council": CouncilSettings.current().name, "made_at": timezone.now(),
        "query": _query(services.scenario_values(form.scenario)), "backtest": loaded.backtest(),
        "title": f"Business case: {HORIZONS[horizon].lower()}" + (f", {saved.name}" if saved else ""),
        "printing": False,
    }
    if request.GET.get("format") == "pdf":
        return _pdf(render_to_string("forecasting/business_case_print.html", {**context, "printing": True}), horizon)
    return render(request, "forecasting/business_case.html", context)


def _pdf(html: str, horizon: str) -> HttpResponse:
    # Imported here: loading Pango costs time that every other page would pay.
    from weasyprint import HTML

    content = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="business-case-{horizon}-years.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("The business case fetches nothing")


urlpatterns: list[URLPattern] = [
    path("", forecast, name="forecast"),
    path("scenarios/", scenarios, name="scenarios"),
    path("scenarios/compare/", compare, name="compare"),
    path("scenarios/<str:scenario_id>/run/", rerun, name="rerun"),
    path("business-case/", business_case, name="business_case"),
]
