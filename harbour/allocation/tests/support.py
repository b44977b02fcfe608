"""Builders shared by the allocation tests: a rota of social workers and children with nobody allocated."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Allocation, Role, Team, User
from harbour.allocation.models import Leave, PracticeLead, RotaMember
from harbour.children.models import Child
from harbour.referrals.models import Referral

TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 30))
_serial = itertools.count(1)


def new_child(**identity: Any) -> Child:
    """A child just referred: on record, nobody allocated yet (as the intake leaves them)."""
    n = next(_serial)
    identity.setdefault("given_names", f"Rotachild{n}")
    identity.setdefault("family_name", "Example")
    identity.setdefault("is_uasc", True)
    return Child.unscoped.create(**identity)


def rota_of(count: int, *, team: Team | None = None, trained: bool = True, limit: int | None = 18,
            prefix: str = "Worker") -> list[User]:
    """``count`` social workers on the rota at positions 1..count, in that order."""
    team = team or Team.objects.create(name=f"Rota team {next(_serial)}")
    start = (RotaMember.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    users = []
    for i in range(count):
        n = next(_serial)
        user = User.objects.create(username=f"rota-{n}", first_name=prefix, last_name=f"{n:03d}",
                                   role=Role.SOCIAL_WORKER, team=team, caseload_limit=limit)
        RotaMember.objects.create(user=user, position=start + i, uasc_trained=trained,
                                  uasc_trained_on=dt.date(2026, 1, 10) if trained else None)
        users.append(user)
    return users


def give_caseload(worker: User, count: int, *, start: dt.date = dt.date(2026, 1, 5)) -> None:
    children = [new_child() for _ in range(count)]
    Allocation.objects.bulk_create(
        Allocation(child=c, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=start) for c in children)


def on_leave(worker: User, start: dt.date, end: dt.date, reason: str = "Annual leave") -> Leave:
    return Leave.objects.create(user=worker, start=start, end=end, reason=reason)


def practice_lead(user: User, specialism: str = "Age assessment") -> PracticeLead:
    return PracticeLead.objects.create(user=user, specialism=specialism)


def referral_for(child: Child, *, team: Team, recorded_by: User, nts_reference: str | None = None,
                 status: str = Referral.Status.RECEIVED, due: dt.date = dt.date(2026, 11, 30)) -> Referral:
    return Referral.objects.create(
        child=child, team=team, received_at=NOW - dt.timedelta(hours=2), referring_authority="Kent County Council",
        nts_reference=nts_reference or f"NTS-{next(_serial):05d}", transfer_due=due, transfer_working_days=5,
        status=status, recorded_by=recorded_by, current_location="Home Office hotel, Dover",
    )
