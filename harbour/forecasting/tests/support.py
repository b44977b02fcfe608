"""A small made-up history, written straight to the tables the forecast reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Allocation
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.domain.ages import add_months, birthday
from harbour.placements.models import Placement

DAY = dt.timedelta(days=1)


def grow_history(count: int, *, adviser: Any, start: int = 0) -> None:
    """``count`` children: in care now (every third unaccompanied), gone home, or left at 18 with a
    personal adviser; in foster care, then some in supported accommodation."""
    today = timezone.localdate()
    children, periods, legal, placements, advisers = [], [], [], [], []
    for i in range(start, start + count):
        kind = i % 3
        age = 5 + (i * 7) % 12
        born = add_months(today, -12 * age - (i % 11)) if kind != 2 else add_months(today, -12 * 19 - (i % 11))
        uasc = i % 3 == 0
        child = Child(given_names=f"Test{i}", family_name="Zzforecast", date_of_birth=born, is_uasc=uasc)
        children.append(child)
        entered = add_months(today, -(6 + i % 30))
        if kind == 2:  # a care leaver now 19: in care from 15 to 18
            entered, left = birthday(born, 15), birthday(born, 18)
            advisers.append(Allocation(child=child, worker=adviser, kind="personal_adviser", start=left, end=None))
        else:
            left = None if kind == 0 or i % 2 else add_months(entered, 3)
            if left is not None and left >= today:
                left = None
        periods.append(PeriodLookedAfter(child=child, start=entered, end=left))
        legal.append(LegalStatusPeriod(child=child, legal_status="V2" if uasc else "C2", start=entered, end=left))
        middle = entered + (((left or today) - entered) // 2)
        placements.append(Placement(child=child, start=entered, end=middle, placement_type="U6",
                                    carer_or_provider="Foster carer"))
        placements.append(Placement(child=child, start=middle + DAY, end=left,
                                    placement_type="K3" if age >= 16 else "U4", carer_or_provider="Second"))
    Child.unscoped.bulk_create(children)
    for model, rows in ((PeriodLookedAfter, periods), (LegalStatusPeriod, legal), (Placement, placements),
                        (Allocation, advisers)):
        model.objects.bulk_create(rows)
