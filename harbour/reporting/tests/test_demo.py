"""The demo council gives every dashboard something to show: each measure has a figure with
records behind it in the periods the dashboards show (the last 12 months or 8 quarters)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.accounts.models import Role, User
from harbour.reporting.dashboards import periods
from harbour.reporting.measures import MEASURES, figures, load


@pytest.fixture
def council(settings, db):
    settings.HARBOUR_DEMO = True
    call_command("demo", children=120, seed=2026, stdout=StringIO())


def test_every_measure_has_records_behind_it_in_the_demo(council) -> None:
    analyst = User.objects.filter(role=Role.PERFORMANCE_ANALYST).first()
    today = timezone.localdate()
    shown = periods(today, by="quarter")
    found = figures(load(analyst, shown[0].start, shown[-1].end, today=today), shown, today)
    empty = [key for key, row in found.items() if not any(f.denominator for f in row)]
    assert empty == [], f"no figure to show in the demo for: {', '.join(empty)}"
    assert set(found) == set(MEASURES)
