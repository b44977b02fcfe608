"""harbour forecast: run a forecast for scripts and write it as JSON.

    harbour forecast --horizon-years 5 --scenario central --runs 1000 --out forecast.json
    harbour forecast --scenario "High arrivals" --backtest-from 2024-04-01 --out -

The scenario is low, central or high (arrivals learnt from the records, moved by the preset), or
the name of a saved scenario. Any figure can be set on the command line as well. Bad input exits
with status 2 and a message naming the option and the fix.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harbour.domain.forecasting.scenario import PRESETS, ScenarioError, make_scenario
from harbour.forecasting import services
from harbour.forecasting.models import SavedScenario

OPTIONS = {
    "horizon_years": "--horizon-years", "runs": "--runs", "seed": "--seed",
    "child_population": "--child-population", "threshold_percent": "--threshold-percent",
    "uasc_arrivals_per_year": "--uasc-arrivals-per-year", "spontaneous_uasc_per_year": "--spontaneous-uasc-per-year",
    "other_entries_per_year": "--other-entries-per-year", "percent_supported_to_25": "--percent-supported-to-25",
}


class Command(BaseCommand):
    help = ("Forecast unaccompanied arrivals, children in care, care leavers, posts, cost and Home Office funding "
            "from the council's records, and write the figures as JSON.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", default="central",
                            help=f"{', '.join(PRESETS)}, or the name of a saved scenario (default central)")
        parser.add_argument("--out", required=True, help="The JSON file to write, or - for standard output")
        parser.add_argument("--backtest-from", dest="backtest_from", default="",
                            help="Also fit on the records before this date (YYYY-MM-DD) and score the forecast "
                                 "against what happened after it")
        for name, option in OPTIONS.items():
            parser.add_argument(option, dest=name, default=None, help=f"Set {name.replace('_', ' ')}")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        loaded = services.load(None, today=today, must_check_role=False)
        values = self._base(loaded, options["scenario"])
        values.update({name: options[name] for name in OPTIONS if options.get(name) is not None})
        try:
            scenario = make_scenario(values)
        except ScenarioError as error:
            raise CommandError("; ".join(f"{OPTIONS.get(name, name)}: {message}"
                                         for name, message in error.errors.items()), returncode=2) from None
        result = services.figures_json(loaded.run(scenario))
        if options["backtest_from"]:
            result["backtest"] = self._backtest(loaded, options["backtest_from"], scenario.runs, scenario.seed)
        text = json.dumps(result, indent=2, default=str)
        if options["out"] == "-":
            sys.stdout.write(text + "\n")
            return
        try:
            with open(options["out"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise CommandError(f"--out: cannot write {options['out']}: {error.strerror}", returncode=2) from None
        year = result["years"][-1]["figures"]
        self.stdout.write(f"Wrote {options['out']}: {scenario.horizon_years}-year forecast, {scenario.runs:,} runs; "
                          f"children in care in the last year about {year['children_in_care']['p50']:,.0f}, "
                          f"care leavers {year['care_leavers']['p50']:,.0f}.")

    def _base(self, loaded: services.Loaded, name: str) -> dict[str, Any]:
        if name in PRESETS:
            return services.scenario_values(loaded.preset(name))
        saved = SavedScenario.objects.filter(name__iexact=name.strip()).first()
        if saved is None:
            raise CommandError(f"--scenario: no saved scenario is called {name!r}; use {', '.join(PRESETS)} or "
                               "the name of a saved scenario", returncode=2)
        return dict(saved.parameters)

    def _backtest(self, loaded: services.Loaded, text: str, runs: int, seed: int) -> dict[str, Any]:
        try:
            cut_off = dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--backtest-from must be a date written YYYY-MM-DD, like 2024-04-01 (you gave {text!r})", returncode=2) from None
        if cut_off >= loaded.today - dt.timedelta(days=92):
            raise CommandError("--backtest-from must be at least a quarter before today, so there is something to "
                               "check the forecast against", returncode=2)
        try:
            found = services.model.backtest(loaded.histories, cut_off=cut_off, until=loaded.today,
                                            fit_years=services.FIT_YEARS, runs=runs, seed=seed,
                                            child_population=loaded.child_population)
        except ValueError as error:
            raise CommandError(f"--backtest-from: {error}", returncode=2) from None
        return asdict(found)
