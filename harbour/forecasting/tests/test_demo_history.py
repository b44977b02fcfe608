"""The demo council's history: closed cases that hang together, long enough to fit the model, and a
backtest on it whose error is small: a forecast made two years ago from the records before then
is compared, quarter by quarter, with what the records say happened."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.accounts.models import User
from harbour.domain.ages import birthday
from harbour.forecasting import services
from harbour.forecasting.demo_history import history_children, plan_history

TODAY = dt.date(2026, 3, 18)


def test_the_history_holds_only_closed_cases_that_hang_together() -> None:
    past = plan_history(children=120, seed=4, today=TODAY)
    assert len(past) > 200
    assert plan_history(children=120, seed=4, today=TODAY) == past  # the same seed, the same history
    for child in past:
        assert child.date_of_birth <= child.start <= child.end < TODAY
        assert child.end <= birthday(child.date_of_birth, 18)
        assert child.placements[0][0] == child.start and child.placements[-1][1] == child.end
        for (_, end, _), (start, _, _) in zip(child.placements, child.placements[1:], strict=False):
            assert start == end + dt.timedelta(days=1)
        if child.adviser:
            assert child.end >= birthday(child.date_of_birth, 18) - dt.timedelta(days=1)
            assert child.adviser[0] == birthday(child.date_of_birth, 18)
    assert sum(c.uasc for c in past) > 50
    assert any(c.adviser and (c.adviser[1] is None or c.adviser[1] >= birthday(c.date_of_birth, 21)) for c in past)


@pytest.fixture
def demo(settings: Any) -> None:
    settings.HARBOUR_DEMO = True
    call_command("demo", children=120, seed=3, stdout=StringIO())


@pytest.mark.django_db
def test_a_backtest_on_the_demo_history_forecasts_the_last_two_years_closely(demo: None) -> None:
    director = User.objects.get(username="director")
    loaded = services.load(director, today=timezone.localdate())
    assert history_children().count() > 200
    assert loaded.rates.counts["entries"] > 100 and loaded.rates.counts["care_leavers_reaching_21"] > 20
    backtest = loaded.backtest()
    assert backtest is not None and len(backtest.quarter_ends) == 8
    checks = {m.name: m for m in backtest.measures}
    for name in ("Children in care", "Unaccompanied children in care", "Care leavers supported"):
        assert checks[name].mean_absolute_percentage_error is not None
        assert checks[name].mean_absolute_percentage_error < 20, (name, checks[name])
    # Children in care turn over quickly, and the runs' spread covers what happened. The care leaver
    # band is narrower than the truth (the runs do not vary the rates themselves: docs/adr/0009), so
    # only its error is held to a bound.
    for name in ("Children in care", "Unaccompanied children in care"):
        assert checks[name].share_within_90_band >= 0.5, (name, checks[name])
