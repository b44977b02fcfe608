"""Reads of the provider directory: the filtered list, one provider, the areas, the requests asked.

Every read keeps a fixed number of queries whatever the number of providers: the list is one
page of rows (with who last updated the vacancies joined in) and one count, and a provider's
requests are counted by the database.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from . import services_directory as rules
from .codes import PlacementProviderCode
from .models import PlacementRequest, Provider, RequestRecipient, Track

PER_PAGE = 50
# Requests still being worked on: a provider asked on one of these may yet be chosen.
OPEN_REQUEST_STATUSES = (PlacementRequest.Status.SEARCHING, PlacementRequest.Status.CHOSEN)


@dataclass(frozen=True)
class DirectoryFilters:
    track: str = ""  # "", "in_house" or "external"
    kind: str = ""
    area: str = ""
    has_vacancy: bool = False
    name: str = ""
    include_inactive: bool = False

    @property
    def any(self) -> bool:
        return bool(self.track or self.kind or self.area or self.has_vacancy or self.name or self.include_inactive)


def providers_matching(filters: DirectoryFilters) -> QuerySet[Provider]:
    """The directory as filtered, by name; unknown filter values are ignored, not errors."""
    providers = Provider.objects.all()
    if not filters.include_inactive:
        providers = providers.filter(active=True)
    # In-house: the council's own kinds, and any provider it runs itself (Provider.track).
    in_house = Q(kind__in=Provider.IN_HOUSE_KINDS) | Q(place_provider=PlacementProviderCode.PR1)
    if filters.track == Track.IN_HOUSE:
        providers = providers.filter(in_house)
    elif filters.track == Track.EXTERNAL:
        providers = providers.exclude(in_house)
    if filters.kind in Provider.Kind.values:
        providers = providers.filter(kind=filters.kind)
    if filters.area:
        providers = providers.filter(area=filters.area)
    if filters.has_vacancy:
        providers = providers.filter(vacancies__gt=0)
    name = " ".join(filters.name.split())
    if name:
        providers = providers.filter(name__icontains=name)
    return providers.order_by("name", "id")


@dataclass(frozen=True)
class DirectoryPage:
    providers: list[Provider]
    total: int
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * PER_PAGE, self.total)


def directory_page(filters: DirectoryFilters, page: int = 1) -> DirectoryPage:
    """One page of the filtered directory. Two queries: the count and the page."""
    providers = providers_matching(filters)
    total = providers.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    rows = list(providers.select_related("vacancies_updated_by")[start:start + PER_PAGE]) if total else []
    return DirectoryPage(providers=rows, total=total, page=page, pages=pages)


def area_choices() -> list[str]:
    """Every area a provider in the directory is in, alphabetically. One query."""
    return sorted({a for a in Provider.objects.exclude(area="").values_list("area", flat=True).distinct()},
                  key=str.casefold)


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def provider_for(user: Any, provider_id: Any, *, to_update_vacancies: bool = False) -> Provider:
    """The provider, if this user may see it (or, with ``to_update_vacancies``, update its vacancies);
    else 404. A malformed id, a provider that does not exist and one the user may not see all give
    the same 404, so a provider's staff cannot learn which other providers are in the directory."""
    pk = _as_uuid(provider_id)
    provider = (Provider.objects.select_related("partner_agency", "vacancies_updated_by").filter(pk=pk).first()
                if pk else None)
    if provider is None:
        raise Http404("No provider found")
    allowed = (rules.may_update_vacancies(user, provider) if to_update_vacancies
               else rules.may_see_provider(user, provider))
    if not allowed:
        raise Http404("No provider found")
    return provider


@dataclass(frozen=True)
class RequestCounts:
    open: int  # open requests this provider has been asked on
    waiting: int  # of those, how many it has not answered yet
    offered: int  # of those, how many it has made an offer on


def request_counts(provider: Provider) -> RequestCounts:
    """The provider's current requests, counted by the database. One query."""
    counts = RequestRecipient.objects.filter(provider=provider, request__status__in=OPEN_REQUEST_STATUSES).aggregate(
        open=Count("id"),
        waiting=Count("id", filter=Q(answer=RequestRecipient.Answer.WAITING)),
        offered=Count("id", filter=Q(answer=RequestRecipient.Answer.OFFERED)),
    )
    return RequestCounts(open=counts["open"], waiting=counts["waiting"], offered=counts["offered"])
