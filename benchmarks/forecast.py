"""How long a forecast takes for a large council, and whether the same seed gives the same answer.

    .venv/bin/python benchmarks/forecast.py                 # 2,000 children in care, 5 years, 1,000 runs
    .venv/bin/python benchmarks/forecast.py --in-care 4000 --runs 5000 --years 10

It makes up a council's ten-year history with the demo's generator (harbour.forecasting.demo_history,
keeping the children still in care), sized so that about --in-care children are in care today, then
times each step of the model in harbour.domain.forecasting: fitting the rates to the history, the
state today, the runs, and posts and money. It runs the same scenario twice and reports whether the
two answers are identical. Pure Python and numpy: no database, no Django settings. It measures; it
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harbour.domain.forecasting import model  # noqa: E402
from harbour.domain.forecasting.history import ChildHistory, PlacementGroup, Spell  # noqa: E402
from harbour.domain.forecasting.money import CostSettings, money_forecast  # noqa: E402
from harbour.domain.funding import DatedRate  # noqa: E402

TODAY = dt.date(2026, 12, 1)
# Children in care today for each child the demo generator is asked for (measured: about 0.75).
IN_CARE_PER_CHILD = 0.75


def _history(in_care: int, seed: int) -> list[ChildHistory]:
    from harbour.forecasting.demo_history import plan_history

    past = plan_history(children=round(in_care / IN_CARE_PER_CHILD), seed=seed, today=TODAY, keep_open=True)
    return [ChildHistory(date_of_birth=p.date_of_birth, is_uasc=p.uasc,
                         periods=(Spell(p.start, p.end if p.end < TODAY else None),),
                         placements=tuple(Spell(a, b if b < TODAY else None, code) for a, b, code in p.placements),
                         legal_statuses=(Spell(p.start, p.end if p.end < TODAY else None, p.legal),),
                         adviser=(Spell(p.adviser[0], p.adviser[1]),) if p.adviser else ())
            for p in past]


def _timed(step: str, timings: dict[str, float], function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    timings[step] = round(time.perf_counter() - started, 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-care", type=int, default=2000, help="Children in care today, roughly (default 2000)")
    parser.add_argument("--runs", type=int, default=1000, help="Runs of the model (default 1000)")
    parser.add_argument("--years", type=int, default=5, help="Years to forecast (default 5)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON")
    options = parser.parse_args()

    timings: dict[str, float] = {}
    histories = _timed("make the history", timings, _history, options.in_care, options.seed)
    fit_start = dt.date(TODAY.year - 5, TODAY.month, TODAY.day)
    rates = _timed("fit the rates", timings, model.fit, histories, fit_start=fit_start, fit_end=TODAY)
    start = _timed("state today", timings, model.state_on, histories, TODAY)
    scenario = model.learnt_scenario(rates, horizon_years=options.years, runs=options.runs, seed=options.seed,
                                     child_population=400_000)
    runs = _timed("runs", timings, model.simulate, rates, start, scenario)
    again = _timed("runs again, same seed", timings, model.simulate, rates, start, scenario)
    costs = CostSettings(social_worker_caseload=15, personal_adviser_caseload=22, iro_caseload=60,
                         supported_lodgings_caseload=20, social_worker_cost=Decimal(55_000),
                         personal_adviser_cost=Decimal(40_000), iro_cost=Decimal(62_000),
                         supported_lodgings_cost=Decimal(38_000),
                         weekly_cost={g: Decimal(1000) for g in PlacementGroup}, care_leaver_weekly_funding=Decimal(270))
    rates_in_force = [DatedRate("flat", dt.date(2020, 6, 1), None, 0, 17, Decimal(143))]
    _timed("posts and money", timings, money_forecast, runs, settings=costs, rates=rates_in_force,
           in_care_now=start.children_in_care, care_leavers_now=start.care_leavers, supported_now=0)
    same = all(np.array_equal(getattr(runs, name), getattr(again, name)) for name in (
        "in_care_by_group", "uasc_in_care", "uasc_by_age", "care_leavers", "uasc_arrivals", "other_entries"))
    result = {
        "children_in_history": len(histories), "children_in_care_today": start.children_in_care,
        "uasc_in_care_today": start.uasc_in_care, "care_leavers_today": start.care_leavers,
        "years": options.years, "runs": options.runs, "seconds": timings,
        "forecast_seconds": round(timings["fit the rates"] + timings["state today"] + timings["runs"]
                                  + timings["posts and money"], 3),
        "same_seed_same_answer": same,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                   f"numpy {np.__version__}",
    }
    if options.json:
        print(json.dumps(result, indent=2))
        return
    print(f"A council of {start.children_in_care:,} children in care ({start.uasc_in_care:,} unaccompanied) and "
          f"{start.care_leavers:,} care leavers; {len(histories):,} children in ten years of history.")
    for step, seconds in timings.items():
        print(f"  {step:<24} {seconds:>7.3f} s")
    print(f"A {options.years}-year forecast with {options.runs:,} runs took {result['forecast_seconds']:.2f} s "
          f"(fit, state, runs, money). Same seed, same answer: {'yes' if same else 'NO'}.")
    print(f"Machine: {result['machine']}.")


if __name__ == "__main__":
    main()
