"""Reads for forecasting: the history of every child the user may see, as plain facts, and the
council's settings and Home Office rates.

Forecasts are aggregates for the service's leaders, so only service-wide roles that plan for the
council (the director and performance analysts) may run them, and children are read only through
`access.children_visible_to`: never named, never one at a time, so no child's record is "read" in
the access-log sense. A fixed number of queries, whatever the number of children.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from harbour.accounts import access
from harbour.accounts.models import Allocation, Role, Scope
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.domain.forecasting.history import ChildHistory, PlacementGroup, Spell
from harbour.domain.forecasting.money import CostSettings
from harbour.domain.funding import DatedRate
from harbour.placements.models import Placement
from harbour.referrals.models import HomeOfficeFundingRate

from .models import ForecastSettings, SavedScenario

FORECAST_ROLES = frozenset({Role.DIRECTOR, Role.PERFORMANCE_ANALYST})


def may_forecast(user: Any) -> bool:
    """Directors and performance analysts, who see the whole service."""
    return (bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in FORECAST_ROLES
            and getattr(user, "scope", None) == Scope.SERVICE)


def _children(viewer: Any) -> QuerySet[Child]:
    """The children the forecast may count. ``viewer`` None is the `harbour forecast` command, run by
    whoever runs the server's commands, who can read the whole database anyway."""
    return Child.unscoped.all() if viewer is None else access.children_visible_to(viewer)


def histories(viewer: Any) -> list[ChildHistory]:
    """Every child ever looked after that the viewer may see, with their history. Five queries."""
    visible = _children(viewer).filter(date_of_birth__isnull=False).filter(
        Exists(PeriodLookedAfter.objects.filter(child=OuterRef("pk"))))
    ids = visible.values("id")
    spells: dict[str, dict[uuid.UUID, list[Spell]]] = {kind: defaultdict(list) for kind in
                                                       ("periods", "placements", "legal", "adviser")}
    for child_id, start, end in PeriodLookedAfter.objects.filter(child_id__in=ids).values_list("child_id", "start", "end"):
        spells["periods"][child_id].append(Spell(start, end))
    for child_id, start, end, code in Placement.objects.filter(child_id__in=ids).values_list(
            "child_id", "start", "end", "placement_type"):
        spells["placements"][child_id].append(Spell(start, end, code))
    for child_id, start, end, code in LegalStatusPeriod.objects.filter(child_id__in=ids).values_list(
            "child_id", "start", "end", "legal_status"):
        spells["legal"][child_id].append(Spell(start, end, code))
    for child_id, start, end in Allocation.objects.filter(
            child_id__in=ids, kind=Allocation.Kind.PERSONAL_ADVISER).values_list("child_id", "start", "end"):
        spells["adviser"][child_id].append(Spell(start, end))
    found = []
    for child_id, born, uasc in visible.order_by("id").values_list("id", "date_of_birth", "is_uasc"):
        found.append(ChildHistory(
            date_of_birth=born, is_uasc=uasc,
            periods=tuple(sorted(spells["periods"][child_id], key=lambda s: s.start)),
            placements=tuple(sorted(spells["placements"][child_id], key=lambda s: s.start)),
            legal_statuses=tuple(spells["legal"][child_id]), adviser=tuple(spells["adviser"][child_id])))
    return found


def fingerprint(found: list[ChildHistory]) -> str:
    """A short digest of the history, to tell when a saved scenario ran on different data."""
    digest = hashlib.sha256()
    for child in found:
        digest.update(repr((child.date_of_birth, child.is_uasc, child.periods, child.placements,
                            child.legal_statuses, child.adviser)).encode())
    return digest.hexdigest()


def funding_rates() -> list[DatedRate]:
    """The Home Office rates the administrator keeps (referrals.HomeOfficeFundingRate). One query."""
    return [DatedRate(key=rate.pk, start=rate.start, end=rate.end, min_age=rate.min_age, max_age=rate.max_age,
                      nightly_rate=rate.nightly_rate, one_off_amount=rate.one_off_amount)
            for rate in HomeOfficeFundingRate.objects.all()]


def cost_settings(row: ForecastSettings) -> CostSettings:
    return CostSettings(
        social_worker_caseload=row.social_worker_caseload, personal_adviser_caseload=row.personal_adviser_caseload,
        iro_caseload=row.iro_caseload, supported_lodgings_caseload=row.supported_lodgings_caseload,
        social_worker_cost=row.social_worker_cost, personal_adviser_cost=row.personal_adviser_cost,
        iro_cost=row.iro_cost, supported_lodgings_cost=row.supported_lodgings_cost,
        weekly_cost={PlacementGroup.FOSTER: row.foster_weekly_cost,
                     PlacementGroup.RESIDENTIAL: row.residential_weekly_cost,
                     PlacementGroup.SUPPORTED: row.supported_weekly_cost,
                     PlacementGroup.OTHER: row.other_weekly_cost},
        care_leaver_weekly_funding=row.care_leaver_weekly_funding,
    )


def saved_scenarios() -> list[SavedScenario]:
    return list(SavedScenario.objects.select_related("created_by", "ran_by").order_by("name"))
