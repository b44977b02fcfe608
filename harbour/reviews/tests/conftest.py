"""A looked-after child with a social worker, an IRO and a team manager, for the reviews tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from harbour.accounts.models import Allocation, Role
from harbour.children import services as child_services

LOOKED_AFTER_FROM = dt.date(2026, 9, 1)  # a Tuesday; first review due 29 September (20 working days)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def default_lists(db: Any) -> None:
    """The late-review reasons and audit areas a migration adds: a test that empties the database
    (transaction=True, the browser tests) takes them away for the tests after it."""
    from harbour.reviews.defaults import seed_default_lists
    from harbour.reviews.models import AuditArea, LateReviewReason

    seed_default_lists(LateReviewReason, AuditArea)


@pytest.fixture
def team(make_team: Any) -> Any:
    return make_team("Children in care team A")


@pytest.fixture
def worker(make_user: Any, team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=team, email="worker@harbourside.example")


@pytest.fixture
def manager(make_user: Any, team: Any) -> Any:
    return make_user(Role.TEAM_MANAGER, team=team, email="manager@harbourside.example")


@pytest.fixture
def iro(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.IRO, team=make_team("Reviewing"), email="iro@harbourside.example")


def looked_after(make_child: Any, worker: Any, iro: Any, *, start: dt.date, today: dt.date,
                 date_of_birth: dt.date = dt.date(2016, 2, 10), **identity: Any) -> Any:
    child = make_child(social_worker=worker, date_of_birth=date_of_birth, **identity)
    child_services.period_looked_after_add(actor=worker, child=child, start=start, end=None, today=today)
    Allocation.objects.create(child=child, worker=iro, kind=Allocation.Kind.IRO, start=start)
    return child


@pytest.fixture
def child(make_child: Any, worker: Any, iro: Any) -> Any:
    """Ten years old, looked after from 1 September 2026."""
    return looked_after(make_child, worker, iro, start=LOOKED_AFTER_FROM, today=TODAY)
