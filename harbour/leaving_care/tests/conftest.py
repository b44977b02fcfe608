"""People and young people for the leaving-care and UASC tests, dated from today so that the pages
(which read today's date) and the tests agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Allocation, Role
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import add_months, birthday
from harbour.placements.models import Placement
from harbour.uasc.models import AsylumClaim


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def adviser(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.PERSONAL_ADVISER, team=make_team())


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def young_person(adviser: Any, worker: Any, today: dt.date) -> Callable[..., Child]:
    """A former unaccompanied child who left care at 18: in care from 16 and a half, placed, with a
    personal adviser from 16 and three quarters. ``age_days`` sets how old they are today."""

    def make(*, age_days: int = 18 * 365 + 100, name: str = "Amanuel", awaiting: bool = False,
             to: Any = None) -> Child:
        dob = today - dt.timedelta(days=age_days)
        child = Child.unscoped.create(given_names=name, family_name="Tesfay", date_of_birth=dob,
                                      date_of_birth_source="claimed", is_uasc=True)
        # In care from 16 and a half, or for the last 60 days if they are younger than that.
        start, eighteen = min(add_months(dob, 16 * 12 + 6), today - dt.timedelta(days=60)), birthday(dob, 18)
        end = eighteen - dt.timedelta(days=1) if eighteen <= today else None
        PeriodLookedAfter.objects.create(child=child, start=start, end=end, reason_ceased="E5" if end else "")
        Placement.objects.create(child=child, start=start, end=None, placement_type="K2",
                                 carer_or_provider="Harbour House", postcode="HB2 1AA")
        Allocation.objects.create(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=start)
        Allocation.objects.create(child=child, worker=to or adviser, kind=Allocation.Kind.PERSONAL_ADVISER,
                                  start=min(add_months(dob, 16 * 12 + 9), today - dt.timedelta(days=30)))
        if awaiting:
            AsylumClaim.objects.create(child=child, claimed_on=start, sef_due=start + dt.timedelta(days=84),
                                       sef_sent_on=start + dt.timedelta(days=60), updated_by=worker)
        return child
    return make


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}
