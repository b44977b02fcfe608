"""The forecast through the API and `harbour forecast`: the same figures as the services, bad
input refused naming the field (422 in the API, exit status 2 on the command line), and saved
scenarios made, listed and run again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.core.models import CouncilSettings
from harbour.forecasting import services
from harbour.forecasting.models import SavedScenario

from .support import grow_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user: Any) -> Any:
    CouncilSettings.objects.update_or_create(pk=1, defaults={"child_population": 30_000})
    grow_history(30, adviser=make_user(Role.PERSONAL_ADVISER))
    return make_user(Role.DIRECTOR)


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_the_api_runs_the_same_forecast_as_the_services(director: Any, signed_in: Any) -> None:
    response = _post(signed_in(director), "/api/v1/forecasts", {"scenario": "high", "horizon_years": 2, "seed": 5})
    assert response.status_code == 200
    body = response.json()
    loaded = services.load(director, today=timezone.localdate())
    expected = services.figures_json(loaded.run(services.scenario_from_values(
        {**services.scenario_values(loaded.preset("high")), "horizon_years": 2, "seed": 5})))
    assert body["years"] == json.loads(json.dumps(expected["years"]))
    assert body["scenario"]["uasc_arrivals_per_year"] == expected["scenario"]["uasc_arrivals_per_year"]


def test_the_api_refuses_bad_input_naming_each_field(director: Any, signed_in: Any) -> None:
    response = _post(signed_in(director), "/api/v1/forecasts",
                     {"horizon_years": 0, "threshold_percent": 101, "other_entries_per_year": -2})
    assert response.status_code == 422
    assert {tuple(item["loc"]) for item in response.json()["detail"]} == {
        ("body", "horizon_years"), ("body", "threshold_percent"), ("body", "other_entries_per_year")}
    unknown = _post(signed_in(director), "/api/v1/forecasts", {"scenario": "extreme"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "scenario"]


def test_the_api_is_only_for_the_director_and_analysts(make_user: Any, signed_in: Any) -> None:
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PARTNER):
        assert _post(signed_in(make_user(role)), "/api/v1/forecasts", {}).status_code == 403
        assert signed_in(make_user(role)).get("/api/v1/forecasts/scenarios").status_code == 403


def test_scenarios_through_the_api(director: Any, signed_in: Any) -> None:
    client = signed_in(director)
    made = _post(client, "/api/v1/forecasts/scenarios", {"name": "Low", "scenario": "low", "horizon_years": 1})
    assert made.status_code == 201 and made.json()["parameters"]["horizon_years"] == 1
    again = _post(client, "/api/v1/forecasts/scenarios", {"name": "low", "scenario": "low"})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "name"]
    listed = client.get("/api/v1/forecasts/scenarios").json()
    assert [s["name"] for s in listed] == ["Low"] and not listed[0]["records_changed_since"]
    saved_id = made.json()["id"]
    rerun = _post(client, f"/api/v1/forecasts/scenarios/{saved_id}/run", {})
    assert rerun.status_code == 200 and rerun.json()["ran_at"] > made.json()["ran_at"]
    assert client.get("/api/v1/forecasts/scenarios/not-an-id").status_code == 404


def test_the_command_writes_the_forecast_as_json(director: Any, tmp_path: Path) -> None:
    out = tmp_path / "forecast.json"
    call_command("forecast", horizon_years="2", scenario="central", runs="1000", out=str(out),
                 backtest_from=(timezone.localdate() - dt.timedelta(days=400)).isoformat())
    written = json.loads(out.read_text())
    loaded = services.load(None, today=timezone.localdate(), must_check_role=False)
    expected = services.figures_json(loaded.run(services.scenario_from_values(
        {**services.scenario_values(loaded.preset("central")), "horizon_years": 2})))
    assert written["years"] == json.loads(json.dumps(expected["years"]))
    assert [m["name"] for m in written["backtest"]["measures"]] == [
        "Children in care", "Unaccompanied children in care", "Care leavers supported"]


def test_the_command_runs_a_saved_scenario_by_name(director: Any, tmp_path: Path) -> None:
    loaded = services.load(director, today=timezone.localdate())
    services.save_scenario(actor=director, name="Threshold at 0.07%",
                           run=loaded.run(services.scenario_from_values(
                               {**services.scenario_values(loaded.learnt(horizon_years=1)),
                                "threshold_percent": "0.07"})))
    out = tmp_path / "saved.json"
    call_command("forecast", scenario="threshold at 0.07%", out=str(out))
    assert json.loads(out.read_text())["scenario"]["threshold_percent"] == "0.07"
    assert SavedScenario.objects.count() == 1


@pytest.mark.parametrize(("options", "message"), [
    ({"horizon_years": "0"}, "--horizon-years: Years to forecast must be between 1 and 10"),
    ({"threshold_percent": "150"}, "--threshold-percent: NTS threshold must be 100% or less"),
    ({"uasc_arrivals_per_year": "-1"}, "--uasc-arrivals-per-year: Unaccompanied children transferred a year must be 0 or more"),
    ({"runs": "5"}, "--runs: Number of runs must be between 1,000 and 20,000"),
    ({"scenario": "nobody"}, "--scenario: no saved scenario is called 'nobody'"),
    ({"backtest_from": "01/04/2024"}, "--backtest-from must be a date written YYYY-MM-DD"),
], ids=["horizon-0", "threshold-over-100", "negative-rate", "too-few-runs", "unknown-scenario", "bad-date"])
def test_the_command_refuses_bad_input_with_status_2(director: Any, tmp_path: Path, options: dict[str, str],
                                                     message: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("forecast", out=str(tmp_path / "x.json"), **options)
    assert message in str(refused.value) and refused.value.returncode == 2
    assert not (tmp_path / "x.json").exists()
