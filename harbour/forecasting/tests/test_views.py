"""The forecast pages: who may see them, the figures they show (the same as the services give),
bad input refused with the GOV.UK error summary, saving, comparing and re-running scenarios,
the business case page, PDF and CSV, and a fixed number of queries whatever the history."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.core.models import CouncilSettings
from harbour.forecasting import report, services
from harbour.forecasting.models import SavedScenario

from .support import grow_history

pytestmark = pytest.mark.django_db

GOOD = {"horizon_years": "2", "runs": "1000", "seed": "11", "child_population": "30000", "threshold_percent": "0.1",
        "uasc_arrivals_per_year": "12", "spontaneous_uasc_per_year": "0", "other_entries_per_year": "20",
        "percent_supported_to_25": "30"}


@pytest.fixture
def director(make_user: Any) -> Any:
    CouncilSettings.objects.update_or_create(pk=1, defaults={"child_population": 30_000})
    grow_history(30, adviser=make_user(Role.PERSONAL_ADVISER))
    return make_user(Role.DIRECTOR)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.PARTNER, Role.ADMINISTRATOR,
                                  Role.COMMISSIONING_OFFICER])
@pytest.mark.parametrize("path", ["/forecasting/", "/forecasting/scenarios/", "/forecasting/business-case/",
                                  "/forecasting/scenarios/compare/"])
def test_only_the_director_and_analysts_see_forecasts(role: str, path: str, make_user: Any, signed_in: Any) -> None:
    assert signed_in(make_user(role)).get(path).status_code == 404


def test_the_page_shows_the_forecast_the_services_make(director: Any, signed_in: Any, make_user: Any) -> None:
    client = signed_in(make_user(Role.PERFORMANCE_ANALYST))
    response = client.get("/forecasting/", GOOD)
    assert response.status_code == 200
    html = response.content.decode()
    loaded = services.load(director, today=timezone.localdate())
    run = loaded.run(services.scenario_from_values(GOOD))
    for table in report.tables(run):
        assert table.headline.replace("'", "&#39;") in html
    assert html.count("<svg") == 4  # three fan charts and the cost and funding chart
    assert "Zzforecast" not in html  # children are counted, never named
    assert 'href="/forecasting/"' in html  # in the navigation


def test_changing_the_nts_scenario_moves_the_figures(director: Any, signed_in: Any) -> None:
    client = signed_in(director)
    low = client.get("/forecasting/", {**GOOD, "uasc_arrivals_per_year": "0"}).content.decode()
    high = client.get("/forecasting/", {**GOOD, "uasc_arrivals_per_year": "60"}).content.decode()
    loaded = services.load(director, today=timezone.localdate())
    few = loaded.run(services.scenario_from_values({**GOOD, "uasc_arrivals_per_year": "0"}))
    many = loaded.run(services.scenario_from_values({**GOOD, "uasc_arrivals_per_year": "60"}))
    assert many.money.years[-1].figures["uasc_in_care"].p50 > few.money.years[-1].figures["uasc_in_care"].p50
    assert many.money.years[-1].figures["gap"].p50 != few.money.years[-1].figures["gap"].p50
    assert report.tables(few)[1].headline in low and report.tables(many)[1].headline in high


@pytest.mark.parametrize(("field", "value", "message"), [
    ("uasc_arrivals_per_year", "-4", "Unaccompanied children transferred a year must be 0 or more"),
    ("horizon_years", "0", "Years to forecast must be between 1 and 10"),
    ("threshold_percent", "120", "NTS threshold must be 100% or less"),
])
def test_bad_input_is_refused_with_the_error_summary(director: Any, signed_in: Any, field: str, value: str,
                                                     message: str) -> None:
    html = signed_in(director).get("/forecasting/", {**GOOD, field: value}).content.decode()
    assert "<title>Error: Forecast" in html
    assert f'href="#id_{field}"' in html and message in html
    assert 'id="results"' not in html


def test_save_two_scenarios_compare_them_and_run_one_again(director: Any, signed_in: Any, make_user: Any) -> None:
    client = signed_in(director)
    response = client.post("/forecasting/scenarios/", {**GOOD, "name": "Central"})
    assert response.status_code == 302
    client.post("/forecasting/scenarios/", {**GOOD, "name": "More transfers", "uasc_arrivals_per_year": "40"})
    first, second = SavedScenario.objects.get(name="Central"), SavedScenario.objects.get(name="More transfers")
    assert second.parameters["uasc_arrivals_per_year"] == "40"
    assert AuditEvent.objects.filter(record_type="forecasting.SavedScenario", action="create").count() == 2
    listing = client.get("/forecasting/scenarios/").content.decode()
    assert "Scenario saved: More transfers" in listing and "Records changed since" not in listing

    html = client.get("/forecasting/scenarios/compare/", {"a": first.pk, "b": second.pk}).content.decode()
    a = first.figures["years"][1]["figures"]["uasc_in_care"]["p50"]
    b = second.figures["years"][1]["figures"]["uasc_in_care"]["p50"]
    assert b > a
    assert f"{a:,.1f}" in html and f"{b:,.1f}" in html and f"{b - a:,.1f}" in html

    duplicate = client.post("/forecasting/scenarios/", {**GOOD, "name": "central"}).content.decode()
    assert "A scenario with this name already exists" in duplicate and "<title>Error:" in duplicate
    assert SavedScenario.objects.count() == 2

    grow_history(6, adviser=make_user(Role.PERSONAL_ADVISER), start=100)  # the records change
    assert "Records changed since" in client.get("/forecasting/scenarios/").content.decode()
    before = first.ran_at
    assert client.post(f"/forecasting/scenarios/{first.pk}/run/").status_code == 302
    first.refresh_from_db()
    assert first.ran_at > before
    assert "Records changed since" in client.get("/forecasting/scenarios/").content.decode()  # the other one


def test_comparing_needs_two_different_scenarios(director: Any, signed_in: Any) -> None:
    html = signed_in(director).get("/forecasting/scenarios/compare/", {"a": "", "b": ""}).content.decode()
    assert "<title>Error:" in html and "Select the first scenario to compare" in html


def test_the_business_case_page_pdf_and_csv(director: Any, signed_in: Any) -> None:
    client = signed_in(director)
    page = client.get("/forecasting/business-case/", {**GOOD, "horizon": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "Business case: year one" in html
    assert "Posts needed" in html and "Assumptions" in html and "Home Office" in html
    pdf = client.get("/forecasting/business-case/", {**GOOD, "horizon": "2", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    download = client.get("/forecasting/", {**GOOD, "format": "csv", "table": "money"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    run = services.load(director, today=timezone.localdate()).run(services.scenario_from_values(GOOD))
    money = report.table_named(report.tables(run), "money")
    assert rows[0] == money.headers and len(rows) == 1 + len(money.rows)
    assert float(rows[1][1]) == money.rows[0][1]


def _count(client: Any, path: str) -> tuple[int, int]:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


@pytest.mark.parametrize("path", ["/forecasting/", "/forecasting/scenarios/", "/forecasting/business-case/?horizon=1",
                                  "/forecasting/scenarios/compare/"])
def test_the_pages_keep_the_same_number_of_queries_whatever_the_history(path: str, director: Any, signed_in: Any,
                                                                        make_user: Any) -> None:
    client = signed_in(director)
    small = _count(client, path)
    grow_history(300, adviser=make_user(Role.PERSONAL_ADVISER), start=1000)
    large = _count(client, path)
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 30 children, {large[1]} for 330"
