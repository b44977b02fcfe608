"""The measure library as the dashboards, the board report and the API use it: the measures
(counted in :mod:`harbour.domain.measures`), the loading of the records they count for one user,
and the national figures shipped with Harbour.

``load`` reads only children the access module lets the user see, in a fixed number of queries
(one per kind of record, never one per child). See docs/adr/0012.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Allocation
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.domain.measures import (
    MEASURES,
    AllocationSpell,
    CareSpell,
    ChildFacts,
    Figure,
    FundingClaimFacts,
    LeaverContact,
    Measure,
    MeasureData,
    PlacementSpell,
    Transfer,
    figures,
)
from harbour.domain.review_measures import ReportingPeriod, months_between, quarters_between
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement
from harbour.referrals.models import FundingClaim, Referral
from harbour.reviews.selectors import measure_data as review_measure_data

__all__ = [
    "MEASURES",
    "Figure",
    "Measure",
    "MeasureData",
    "NationalFigure",
    "ReportingPeriod",
    "figures",
    "load",
    "load_children",
    "months_between",
    "national",
    "not_published",
    "quarters_between",
]

NATIONAL_FILE = Path(__file__).with_name("national.json")
# An OC3 contact up to 60 days either side of a birthday answers it (harbour.domain.leaving_care).
CONTACT_MARGIN = dt.timedelta(days=60)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def load(user: Any, first: dt.date, last: dt.date, *, today: dt.date) -> MeasureData:
    """Every record the measures count for periods from ``first`` to ``last``, for the children
    ``user`` may see (the access module decides). A fixed number of queries."""
    return load_children(access.children_visible_to(user), first, last, today=today)


def load_children(visible: QuerySet[Child], first: dt.date, last: dt.date, *, today: dt.date) -> MeasureData:
    """As :func:`load`, for a queryset of children already narrowed by the access module."""
    ids = visible.values("id")
    reviews = review_measure_data(visible, today=today, calendar=council_calendar())
    children = {str(pk): ChildFacts(str(pk), child.date_of_birth)
                for pk, child in reviews.view.children.items() if child.date_of_birth is not None}
    transfers = tuple(
        Transfer(str(child_id), _day(received_at) or due, due, _day(arrived_at),
                 withdrawn=status in {Referral.Status.WITHDRAWN, Referral.Status.CONTESTED})
        for child_id, received_at, due, status, arrived_at in (
            Referral.objects.filter(child_id__in=ids, transfer_due__range=(first, last))
            .values_list("child_id", "received_at", "transfer_due", "status", "arrival__arrived_at"))
    )
    care = tuple(CareSpell(str(child_id), start, end) for child_id, start, end in
                 PeriodLookedAfter.objects.filter(child_id__in=ids).values_list("child_id", "start", "end"))
    placements = tuple(
        PlacementSpell(str(child_id), start, end, cost) for child_id, start, end, cost in
        Placement.objects.filter(child_id__in=ids).values_list("child_id", "start", "end", "cost_per_week"))
    contacts = tuple(
        LeaverContact(str(row[0]), *row[1:]) for row in
        AdviserContact.objects.filter(child_id__in=ids,
                                      contacted_on__range=(first - CONTACT_MARGIN, last + CONTACT_MARGIN))
        .values_list("child_id", "contacted_on", "in_touch", "activity", "accommodation_suitable"))
    allocations = tuple(
        AllocationSpell(str(child_id), str(worker_id), kind, start, end) for child_id, worker_id, kind, start, end in
        Allocation.objects.filter(child_id__in=ids).values_list("child_id", "worker_id", "kind", "start", "end"))
    funding = tuple(
        FundingClaimFacts(str(child_id), claim_from, rate, one_off) for child_id, claim_from, rate, one_off in
        FundingClaim.objects.filter(child_id__in=ids)
        .values_list("child_id", "claim_from", "nightly_rate", "one_off_amount"))
    return MeasureData(children=children, occurrences=tuple(reviews.occurrences), reviews=tuple(reviews.reviews),
                       transfers=transfers, care=care, placements=placements, contacts=contacts,
                       allocations=allocations, funding=funding)


# --- National figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class NationalFigure:
    """A figure for England that the DfE publishes, with its year and where it comes from."""

    value: int
    year: str
    source: str
    url: str


@lru_cache(maxsize=1)
def _national_file() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))
    return loaded


def national(key: str | None) -> NationalFigure | None:
    """The national figure for a measure's ``national_key``, or ``None`` when none is published
    (or none the design reference vouches for)."""
    row = _national_file()["figures"].get(key or "")
    return None if row is None else NationalFigure(row["value"], row["year"], row["source"], row["url"])


def not_published(key: str) -> str:
    """Why a measure has no national figure, in words."""
    reason: str = _national_file()["not_published"].get(key, "No national figure is published.")
    return reason
