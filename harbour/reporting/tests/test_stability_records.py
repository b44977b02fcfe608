"""The stability measures from records in the database: the loader gives the domain each placement's
type and carer (the provider in the directory, else the carer's name) and the legal statuses, so the
DfE's rules (harbour/domain/tests/test_stability_measures.py) apply to what social workers record.

Counted for March 2026 (the day is 31 March 2026), by hand:

* Holly: Ash, a fortnight's holiday (T2), Ash again, then Birch: 2 placements, not counted.
* Perry: three placements with one foster carer in the directory, her name typed three ways: one
  placement, not counted.
* Tariq: Ash, Birch, Cedar: 3 placements, counted.
* Sana: three carers, but on an agreed series of short breaks (V3): left out.
* Ada, 11: looked after since 2022, fostered by Ash from June 2023, placed for adoption with new
  carers in November 2025: with the placement before, 2 years and more: stable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from harbour.accounts.models import Role
from harbour.children.models import LegalStatusPeriod, PeriodLookedAfter
from harbour.placements.models import Placement, Provider
from harbour.reporting.measures import figures, load, months_between

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
MARCH = months_between(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _placements(child: Any, *rows: tuple[str, str | None, str, str], provider: Provider | None = None) -> None:
    for start, end, place, carer in rows:
        Placement.objects.create(child=child, start=dt.date.fromisoformat(start),
                                 end=dt.date.fromisoformat(end) if end else None, placement_type=place,
                                 carer_or_provider=carer, provider=provider)


@pytest.fixture
def council(make_user: Any, make_child: Any) -> dict[str, Any]:
    worker = make_user(Role.SOCIAL_WORKER)
    children = {name: make_child(social_worker=worker, given_names=name) for name in ("Holly", "Perry", "Tariq", "Sana")}
    children["Ada"] = make_child(social_worker=worker, given_names="Ada", date_of_birth=dt.date(2015, 1, 1))
    for name, child in children.items():
        PeriodLookedAfter.objects.create(child=child, start=dt.date(2022, 1, 1) if name == "Ada" else dt.date(2025, 1, 1))
    _placements(children["Holly"], ("2025-01-01", "2025-08-01", "U6", "Ash"), ("2025-08-01", "2025-08-14", "T2", "Camp"),
                ("2025-08-14", "2025-12-01", "U6", "Ash"), ("2025-12-01", None, "U6", "Birch"))
    carer = Provider.objects.create(name="Mrs Ash", kind=Provider.Kind.FOSTER_CARER, place_type="U6",
                                    place_provider="PR1", postcode="HB5 2XY", places=1, vacancies=0,
                                    ages_from=0, cost_per_week=Decimal("400"))
    _placements(children["Perry"], ("2025-01-01", "2025-06-01", "U6", "Mrs Ash"),
                ("2025-06-01", "2025-09-01", "U4", "Ash family"), ("2025-09-01", None, "U4", "A. Ash"), provider=carer)
    for name in ("Tariq", "Sana"):
        _placements(children[name], ("2025-01-01", "2025-06-01", "U6", "Ash"), ("2025-06-01", "2025-11-01", "U6", "Birch"),
                    ("2025-11-01", None, "K2", "Cedar House"))
    LegalStatusPeriod.objects.create(child=children["Sana"], legal_status="V3", start=dt.date(2025, 1, 1))
    _placements(children["Ada"], ("2022-01-01", "2023-06-01", "U6", "Birch"), ("2023-06-01", "2025-11-01", "U4", "Ash"),
                ("2025-11-01", None, "A6", "The Adopters"))
    return {"director": make_user(Role.DIRECTOR), **{name: str(child.pk) for name, child in children.items()}}


def test_the_dfe_rules_apply_to_the_records(council: dict[str, Any]) -> None:
    keys = ["placements_3_plus", "placement_2_years"]
    data = load(council["director"], MARCH[0].start, MARCH[0].end, today=TODAY, measures=keys)
    found = figures(data, MARCH, TODAY, keys=keys)
    three, stable = found["placements_3_plus"][0], found["placement_2_years"][0]
    assert set(three.child_ids) == {council[name] for name in ("Holly", "Perry", "Tariq", "Ada")}
    assert three.counted_ids == (council["Tariq"],)
    assert (stable.child_ids, stable.counted_ids) == ((council["Ada"],), (council["Ada"],))
