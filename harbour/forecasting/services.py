"""Running forecasts, and saving and re-running named scenarios.

`load` reads the history once and fits the model; `Loaded.run` runs a checked scenario and works
out posts and money; `report` lays the result out as the tables, charts and JSON that the pages,
the PDF, the CSV downloads, the API and the `harbour forecast` command all share, so they always
show the same numbers. Saving is atomic and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change
from harbour.core.models import CouncilSettings
from harbour.domain.ages import anniversary
from harbour.domain.forecasting import model
from harbour.domain.forecasting.history import ChildHistory
from harbour.domain.forecasting.money import (
    MEASURES,
    CostSettings,
    MoneyForecast,
    money_forecast,
)
from harbour.domain.forecasting.scenario import (
    LABELS,
    Scenario,
    make_scenario,
    preset,
    scenario_as_dict,
)
from harbour.domain.funding import DatedRate

from . import selectors
from .models import ForecastSettings, SavedScenario

FIT_YEARS = 5  # the model learns from at most the last five years
BACKTEST_YEARS = 2  # the backtest forecasts the last two years from the years before them
DEFAULT_RUNS = 1_000
DEFAULT_HORIZON = 5
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Loaded:
    """The history read once and the model fitted to it, ready to run scenarios."""

    today: dt.date
    histories: list[ChildHistory]
    fingerprint: str
    rates: model.Rates
    start: model.State
    costs: CostSettings
    funding: list[DatedRate]
    child_population: int

    def learnt(self, *, horizon_years: int = DEFAULT_HORIZON, runs: int = DEFAULT_RUNS,
               seed: int = DEFAULT_SEED) -> Scenario:
        return model.learnt_scenario(self.rates, horizon_years=horizon_years, runs=runs, seed=seed,
                                     child_population=self.child_population)

    def preset(self, name: str, **kwargs: Any) -> Scenario:
        return preset(name, learnt=self.learnt(**kwargs))

    def run(self, scenario: Scenario) -> ForecastRun:
        runs = model.simulate(self.rates, self.start, scenario)
        money = money_forecast(runs, settings=self.costs, rates=self.funding,
                               in_care_now=self.start.children_in_care, care_leavers_now=self.start.care_leavers,
                               supported_now=int(self.start.care[:, :, 2].sum()))
        return ForecastRun(loaded=self, scenario=scenario, runs=runs, money=money)

    def backtest(self, *, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED) -> model.Backtest | None:
        """The forecast the model would have made two years ago, against what happened; None without
        enough history before that."""
        cut_off = anniversary(self.today, -BACKTEST_YEARS)
        if self.rates.fit_start > anniversary(cut_off, -1):
            return None
        return model.backtest(self.histories, cut_off=cut_off, until=self.today,
                              fit_years=min(FIT_YEARS, max(1, cut_off.year - self.rates.fit_start.year)),
                              runs=runs, seed=seed, child_population=self.child_population)


def _fit_start(histories: list[ChildHistory], today: dt.date) -> dt.date:
    """Five years back, or from the first period looked after recorded if that is later, so that
    years before the records began do not count as years with nobody entering care."""
    earliest = min((p.start for c in histories for p in c.counted_periods()), default=today)
    return max(anniversary(today, -FIT_YEARS), earliest)


def load(viewer: Any, *, today: dt.date, must_check_role: bool = True) -> Loaded:
    """Read the history this viewer may see and fit the model. The command passes viewer None."""
    if must_check_role and not selectors.may_forecast(viewer):
        raise PermissionDenied("Only the director and performance analysts run forecasts")
    found = selectors.histories(viewer)
    fit_start = _fit_start(found, today)
    if fit_start >= today:
        fit_start = today - dt.timedelta(days=365)
    return Loaded(
        today=today, histories=found, fingerprint=selectors.fingerprint(found),
        rates=model.fit(found, fit_start=fit_start, fit_end=today), start=model.state_on(found, today),
        costs=selectors.cost_settings(ForecastSettings.current()), funding=selectors.funding_rates(),
        child_population=CouncilSettings.current().child_population or 0,
    )


@dataclass(frozen=True)
class ForecastRun:
    loaded: Loaded
    scenario: Scenario
    runs: model.Runs
    money: MoneyForecast

    def with_horizon(self, years: int) -> ForecastRun:
        return self.loaded.run(replace(self.scenario, horizon_years=years))


# --- The figures, laid out once for every way of showing them ------------------------------------

# Measures shown as fan charts, quarter by quarter.
FANS = {
    "children_in_care": "Children in care",
    "uasc_in_care": "Unaccompanied children in care",
    "care_leavers": "Care leavers supported",
}


def quarter_bands(run: ForecastRun) -> dict[str, model.Band]:
    runs = run.runs
    return {"children_in_care": model.band(runs.children_in_care), "uasc_in_care": model.band(runs.uasc_in_care),
            "care_leavers": model.band(runs.care_leavers)}


def figures_json(run: ForecastRun) -> dict[str, Any]:
    """Everything a forecast says, as JSON: what the command writes and the API answers."""
    loaded, rates = run.loaded, run.loaded.rates
    bands = quarter_bands(run)
    return {
        "made_on": loaded.today.isoformat(),
        "scenario": scenario_as_dict(run.scenario),
        "nts": nts_position(run),
        "history": {
            "learnt_from": rates.fit_start.isoformat(), "learnt_to": rates.fit_end.isoformat(),
            **rates.counts,
            "children_in_care_now": loaded.start.children_in_care,
            "uasc_in_care_now": loaded.start.uasc_in_care,
            "care_leavers_now": loaded.start.care_leavers,
            "uasc_arrivals_per_year": round(rates.entries_per_year[1], 2),
            "other_entries_per_year": round(rates.entries_per_year[0], 2),
            "percent_supported_to_25": (None if rates.share_supported_to_25 is None
                                        else round(100 * rates.share_supported_to_25, 1)),
        },
        "posts_now": run.money.posts_now,
        "years": [{"year": year.number, "start": year.start.isoformat(), "end": year.end.isoformat(),
                   "figures": {name: vars(value) for name, value in year.figures.items()}}
                  for year in run.money.years],
        "quarters": [{"end": end.isoformat(),
                      **{name: {q: getattr(band, q)[index] for q in ("p5", "p25", "p50", "p75", "p95")}
                         for name, band in bands.items()}}
                     for index, end in enumerate(run.runs.quarter_ends)],
        "notes": assumptions(run),
    }


def nts_position(run: ForecastRun) -> dict[str, Any]:
    """The council's NTS allocation: its threshold, its UASC today, and the room left below it."""
    threshold = run.scenario.threshold_count
    now = run.loaded.start.uasc_in_care
    return {"child_population": run.scenario.child_population, "threshold_percent": str(run.scenario.threshold_percent),
            "threshold_count": float(threshold), "uasc_in_care_now": now,
            "room_below_threshold": max(0, int(-(-threshold // 1)) - now), "at_or_above": now >= threshold}


def assumptions(run: ForecastRun) -> list[str]:
    """What the forecast takes as given, in words for the business case."""
    rates, scenario = run.loaded.rates, run.scenario
    found = [
        f"Learnt from the council's records from {_day(rates.fit_start)} to {_day(rates.fit_end)}: "
        f"{rates.counts['entries']:,} entries into care, {rates.counts['exits']:,} children leaving care before 18 "
        f"and {rates.counts['moves']:,} moves between kinds of placement, over {rates.counts['child_years']:,} "
        "child-years in care.",
        f"Unaccompanied children are transferred at {scenario.uasc_arrivals_per_year} a year while the council "
        f"looks after fewer than {scenario.threshold_percent}% of its child population "
        f"({scenario.child_population:,} children, so {float(scenario.threshold_count):,.1f}); transfers stop at the "
        "threshold (National Transfer Scheme protocol). "
        f"{scenario.spontaneous_uasc_per_year} a year arrive in the council's own area whatever the threshold.",
        f"{scenario.other_entries_per_year} other children enter care a year, at the ages and into the placements "
        "the records show.",
        "Every child turns 18 on the date of birth in use and becomes a care leaver, supported to 21; "
        f"{scenario.percent_supported_to_25}% of those reaching 21 ask for support to 25"
        + (" (as the records show)." if rates.share_supported_to_25 is not None else
           " (the records show nobody reaching 21 yet, so this is the scenario's figure)."),
        f"{scenario.runs:,} runs with seed {scenario.seed}: the bands hold the middle half and 9 in 10 of the runs.",
        "Short breaks (legal statuses V3 and V4) are not counted as care. Children who leave care before 18 are "
        "not counted as care leavers.",
    ]
    return found + run.money.notes


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def measure_label(name: str) -> str:
    return MEASURES[name]


# --- Saved scenarios -----------------------------------------------------------------------------


def scenario_from_values(values: dict[str, Any]) -> Scenario:
    return make_scenario(values)


def _name(name: str, *, keep: SavedScenario | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError({"name": "Enter a name for the scenario"})
    if len(cleaned) > 100:
        raise ValidationError({"name": "Name must be 100 characters or fewer"})
    clash = SavedScenario.objects.filter(name__iexact=cleaned)
    if keep is not None:
        clash = clash.exclude(pk=keep.pk)
    if clash.exists():
        raise ValidationError({"name": "A scenario with this name already exists: choose another name"})
    return cleaned


@transaction.atomic
def save_scenario(*, actor: Any, name: str, run: ForecastRun, request_id: str = "") -> SavedScenario:
    """Save the scenario under a name, with the figures it gave, for comparing and running again."""
    if not selectors.may_forecast(actor):
        raise PermissionDenied("Only the director and performance analysts save scenarios")
    try:
        with transaction.atomic():  # two people saving the same name at once: one wins, the other is told
            saved = SavedScenario.objects.create(
                name=_name(name), parameters=scenario_as_dict(run.scenario), figures=figures_json(run),
                history_fingerprint=run.loaded.fingerprint, ran_at=timezone.now(), created_by=actor, ran_by=actor)
    except IntegrityError:
        raise ValidationError({"name": "A scenario with this name already exists: choose another name"}) from None
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=saved, child_id=None, request_id=request_id,
                  after={"name": saved.name, "parameters": saved.parameters})
    return saved


@transaction.atomic
def rerun_scenario(*, actor: Any, saved: SavedScenario, loaded: Loaded, request_id: str = "") -> SavedScenario:
    """Run a saved scenario again on the records as they are now, and keep the new figures."""
    if not selectors.may_forecast(actor):
        raise PermissionDenied("Only the director and performance analysts run scenarios")
    run = loaded.run(make_scenario(saved.parameters))
    locked = SavedScenario.objects.select_for_update().get(pk=saved.pk)
    locked.figures, locked.history_fingerprint = figures_json(run), loaded.fingerprint
    locked.ran_at, locked.ran_by = timezone.now(), actor
    locked.save(update_fields=["figures", "history_fingerprint", "ran_at", "ran_by", "updated_at"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=None,
                  request_id=request_id, before={"ran_at": saved.ran_at.isoformat()},
                  after={"ran_at": locked.ran_at.isoformat()})
    return locked


def scenario_values(scenario: Scenario) -> dict[str, str]:
    """The scenario as form values."""
    return {name: str(value) for name, value in scenario_as_dict(scenario).items()}


FIELD_LABELS = LABELS
MONEY = Decimal("0.01")
