"""Forecasts through the API: the same model, scenarios and figures as the pages and `harbour forecast`.

Only the director and performance analysts may run forecasts or save scenarios; anyone else gets
403 in the shared error shape. Children are counted through the access module, never named. Bad
scenario input answers 422 naming the field, in the same words as the page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.domain.forecasting.scenario import PRESETS, ScenarioError, make_scenario
from harbour.forecasting import selectors, services
from harbour.forecasting.models import SavedScenario

from .errors import request_id as _rid
from .schemas import ErrorOut

router = Router(tags=["forecasts"])
FORBIDDEN = "Only the director and performance analysts run forecasts"


def _error(status: int, message: str, field: str | None = None) -> Any:
    return Status(status, {"detail": [{"loc": ["body", field] if field else [], "msg": message}]})


class ScenarioIn(Schema):
    scenario: str = Field("central", description=f"{', '.join(PRESETS)}, or the name of a saved scenario to start from")
    horizon_years: int | None = None
    runs: int | None = None
    seed: int | None = None
    child_population: int | None = None
    threshold_percent: Decimal | None = Field(None, description="Percentage of the child population, 0.1 since 2022")
    uasc_arrivals_per_year: Decimal | None = None
    spontaneous_uasc_per_year: Decimal | None = None
    other_entries_per_year: Decimal | None = None
    percent_supported_to_25: Decimal | None = None


class ForecastIn(ScenarioIn):
    backtest_from: dt.date | None = Field(None, description="Also score a forecast made from the records before this date")


class SaveIn(ScenarioIn):
    name: str


class ForecastOut(Schema):
    made_on: dt.date
    scenario: dict[str, Any]
    nts: dict[str, Any]
    history: dict[str, Any]
    posts_now: dict[str, float]
    years: list[dict[str, Any]]
    quarters: list[dict[str, Any]]
    notes: list[str]
    backtest: dict[str, Any] | None = None


class SavedOut(Schema):
    id: uuid.UUID
    name: str
    parameters: dict[str, Any]
    ran_at: dt.datetime
    ran_by: str
    records_changed_since: bool = Field(description="Whether the records have changed since it was last run")
    figures: dict[str, Any] | None = None


def _scenario(loaded: services.Loaded, payload: ScenarioIn) -> Any:
    """The scenario asked for, or the 422 answer naming what is wrong."""
    if payload.scenario in PRESETS:
        values: dict[str, Any] = services.scenario_values(loaded.preset(payload.scenario))
    else:
        saved = SavedScenario.objects.filter(name__iexact=payload.scenario.strip()).first()
        if saved is None:
            return _error(422, f"Scenario must be {', '.join(PRESETS)} or the name of a saved scenario", "scenario")
        values = dict(saved.parameters)
    values.update({name: value for name, value in payload.model_dump(exclude={"scenario", "backtest_from", "name"}).items()
                   if value is not None})
    try:
        return make_scenario(values)
    except ScenarioError as error:
        return Status(422, {"detail": [{"loc": ["body", name], "msg": message} for name, message in error.errors.items()]})


def _saved_out(saved: SavedScenario, fingerprint: str, *, figures: bool = False) -> dict[str, Any]:
    return {"id": saved.pk, "name": saved.name, "parameters": saved.parameters, "ran_at": saved.ran_at,
            "ran_by": saved.ran_by.display_name, "records_changed_since": saved.history_fingerprint != fingerprint,
            "figures": saved.figures if figures else None}


@router.post("", response={200: ForecastOut, 403: ErrorOut, 422: ErrorOut}, url_name="run_forecast",
             summary="Run a forecast", description="The same figures as the forecast page and `harbour forecast`.")
def run_forecast(request: HttpRequest, payload: ForecastIn) -> Any:
    if not selectors.may_forecast(request.auth):
        return _error(403, FORBIDDEN)
    loaded = services.load(request.auth, today=timezone.localdate())
    scenario = _scenario(loaded, payload)
    if isinstance(scenario, Status):
        return scenario
    result = services.figures_json(loaded.run(scenario))
    if payload.backtest_from is not None:
        try:
            result["backtest"] = asdict(services.model.backtest(
                loaded.histories, cut_off=payload.backtest_from, until=loaded.today, fit_years=services.FIT_YEARS,
                runs=scenario.runs, seed=scenario.seed, child_population=loaded.child_population))
        except ValueError:
            return _error(422, "Backtest date must be at least a quarter before today", "backtest_from")
    return result


@router.get("/scenarios", response={200: list[SavedOut], 403: ErrorOut}, url_name="list_saved_scenarios",
            summary="Saved scenarios")
def list_scenarios(request: HttpRequest) -> Any:
    if not selectors.may_forecast(request.auth):
        return _error(403, FORBIDDEN)
    fingerprint = selectors.fingerprint(selectors.histories(request.auth))
    return [_saved_out(saved, fingerprint) for saved in selectors.saved_scenarios()]


@router.post("/scenarios", response={201: SavedOut, 403: ErrorOut, 422: ErrorOut}, url_name="save_scenario",
             summary="Save a named scenario, with the figures it gives now")
def save_scenario(request: HttpRequest, payload: SaveIn) -> Any:
    if not selectors.may_forecast(request.auth):
        return _error(403, FORBIDDEN)
    loaded = services.load(request.auth, today=timezone.localdate())
    scenario = _scenario(loaded, payload)
    if isinstance(scenario, Status):
        return scenario
    try:
        saved = services.save_scenario(actor=request.auth, name=payload.name, run=loaded.run(scenario),
                                       request_id=_rid(request))
    except ValidationError as error:
        return Status(422, {"detail": [{"loc": ["body", field], "msg": message}
                                       for field, messages in error.message_dict.items() for message in messages]})
    return Status(201, _saved_out(saved, loaded.fingerprint, figures=True))


def _find(scenario_id: str) -> SavedScenario | None:
    try:
        return SavedScenario.objects.select_related("ran_by").filter(pk=uuid.UUID(scenario_id)).first()
    except ValueError:
        return None


@router.get("/scenarios/{scenario_id}", response={200: SavedOut, 403: ErrorOut, 404: ErrorOut},
            url_name="get_saved_scenario", summary="A saved scenario and the figures of its last run")
def get_scenario(request: HttpRequest, scenario_id: str) -> Any:
    if not selectors.may_forecast(request.auth):
        return _error(403, FORBIDDEN)
    saved = _find(scenario_id)
    if saved is None:
        return _error(404, "Not found")
    return _saved_out(saved, selectors.fingerprint(selectors.histories(request.auth)), figures=True)


@router.post("/scenarios/{scenario_id}/run", response={200: SavedOut, 403: ErrorOut, 404: ErrorOut},
             url_name="rerun_saved_scenario", summary="Run a saved scenario again on today's records")
def rerun(request: HttpRequest, scenario_id: str) -> Any:
    if not selectors.may_forecast(request.auth):
        return _error(403, FORBIDDEN)
    saved = _find(scenario_id)
    if saved is None:
        return _error(404, "Not found")
    loaded = services.load(request.auth, today=timezone.localdate())
    saved = services.rerun_scenario(actor=request.auth, saved=saved, loaded=loaded, request_id=_rid(request))
    return _saved_out(saved, loaded.fingerprint, figures=True)
