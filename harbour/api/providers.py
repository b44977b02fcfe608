"""The provider directory, vacancies and the sufficiency figures through the API.

The same services and selectors as the pages, so the same rules, permissions and audit. Council
staff see the directory; the placements team adds providers and updates vacancies. A provider's
own token (a partner user of the provider's agency) sees and updates only its own providers:
any other provider answers 404, exactly as one that does not exist. The sufficiency figures are
aggregates only, counted over the children the caller may see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from harbour.accounts.models import Role
from harbour.placements import selectors_directory as directory
from harbour.placements import services_directory as services
from harbour.placements.models import Provider
from harbour.placements.selectors_sufficiency import may_see_sufficiency, sufficiency_report

from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["providers"])

# The services name the thing; the API names the field that carries it.
FIELD_NAMES = {"partner_agency": "partner_agency_id"}


def _error(status: int, message: str, field: str | None = None) -> Any:
    return Status(status, {"detail": [{"loc": ["body", field] if field else [], "msg": message}]})


def _invalid(error: ValidationError) -> Any:
    body = validation_errors(error)
    for item in body["detail"]:
        item["loc"] = ["body", FIELD_NAMES.get(item["loc"][1], item["loc"][1])]
    return Status(422, body)


# --- Shapes ----------------------------------------------------------------------------------------


class ProviderOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    kind_label: str
    track: str = Field(description="in_house (the council's own, or run by it: PR1) or external")
    partner_agency_id: uuid.UUID | None
    ofsted_urn: str
    registration: str
    postcode: str
    area: str
    out_of_area: bool
    ages_from: int
    ages_to: int
    places: int
    sexes: str = Field(description="any, M (boys only) or F (girls only)")
    languages: str
    faith: str
    communities: str
    needs_met: list[str]
    mockingbird: str
    cost_per_week: Decimal
    place_type: str = Field(description="SSDA903 PLACE")
    place_provider: str = Field(description="SSDA903 PLACE_PROVIDER")
    vacancies: int
    vacancies_updated_at: dt.datetime | None
    vacancies_updated_by: str = Field(description="Who last recorded the vacancies; blank if nobody has")
    active: bool
    version: int = Field(description="Send it back with a change: a stale version is refused (409)")


class RequestCountsOut(Schema):
    open: int
    waiting: int
    offered: int


class ProviderDetailOut(ProviderOut):
    requests: RequestCountsOut = Field(description="Open placement requests this provider has been asked on")


class ProviderListOut(Schema):
    total: int
    limit: int
    offset: int
    providers: list[ProviderOut]


class DirectoryQuery(Schema):
    track: str = Field("", description="in_house or external")
    kind: str = ""
    area: str = ""
    has_vacancy: bool = False
    name: str = Field("", max_length=200, description="Part of the provider's name, any case")
    include_inactive: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ProviderIn(Schema):
    name: str = Field(max_length=200)
    kind: str
    ofsted_urn: str = Field("", max_length=20)
    registration: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    area: str = Field("", max_length=100)
    out_of_area: bool = False
    ages_from: int = 0
    ages_to: int = 17
    places: int = 1
    vacancies: int = 0
    sexes: str = "any"
    languages: str = Field("", max_length=300)
    faith: str = Field("", max_length=100)
    communities: str = Field("", max_length=300)
    needs_met: list[str] = []
    mockingbird: str = ""
    cost_per_week: Decimal = Decimal("0")
    place_type: str = Field("", description="Blank: the usual SSDA903 type for the kind")
    place_provider: str = Field("", description="Blank for the council's own kinds (PR1); else PR1 to PR5")
    partner_agency_id: uuid.UUID | None = None
    active: bool = True


class VacanciesIn(Schema):
    vacancies: int
    version: int | None = Field(None, description="The version you last read; a newer one refuses the change (409)")


class SufficiencyTableOut(Schema):
    key: str
    heading: str
    headline: str
    headers: list[str]
    rows: list[list[Any]]
    notes: list[str]


class SufficiencyOut(Schema):
    today: dt.date
    needing_now: int
    likely_soon: int
    turning_18_within_6_months: int
    tables: list[SufficiencyTableOut]


def _out(provider: Provider) -> dict[str, Any]:
    data = {name: getattr(provider, name) for name in ProviderOut.model_fields
            if name not in {"kind_label", "track", "vacancies_updated_by", "needs_met"}}
    data["kind_label"] = provider.get_kind_display()
    data["track"] = str(provider.track)
    data["needs_met"] = list(provider.needs_met or [])
    updated_by = provider.vacancies_updated_by
    data["vacancies_updated_by"] = updated_by.display_name if updated_by else ""
    return data


def _visible(request: HttpRequest) -> QuerySet[Provider] | None:
    """The providers the caller may list: the whole directory for staff, their own for a provider."""
    user = request.auth
    if services.may_see_directory(user):
        return Provider.objects.all()
    if getattr(user, "role", None) == Role.PARTNER and getattr(user, "partner_agency_id", None):
        return Provider.objects.filter(partner_agency_id=user.partner_agency_id)
    return None


# --- Endpoints (fixed paths before /{provider_id}) -------------------------------------------------


@router.get("/sufficiency", response={200: SufficiencyOut, 403: ErrorOut}, url_name="provider_sufficiency",
            summary="The sufficiency figures: demand, needs, vacancies, gaps, out of area, cost",
            description="The same figures as the sufficiency page, as tables. Children are counted, never named.")
def get_sufficiency(request: HttpRequest) -> Any:
    if not may_see_sufficiency(request.auth):
        return _error(403, "Only commissioning officers, placements officers, team managers, the director and "
                           "performance analysts see the sufficiency figures")
    return sufficiency_report(user=request.auth, today=timezone.localdate()).as_json()


@router.get("", response={200: ProviderListOut, 403: ErrorOut}, url_name="list_providers",
            summary="The provider directory, filtered as on the page")
def list_providers(request: HttpRequest, query: Query[DirectoryQuery]) -> Any:
    visible = _visible(request)
    if visible is None:
        return _error(403, "You cannot see the provider directory")
    filters = directory.DirectoryFilters(track=query.track, kind=query.kind, area=query.area,
                                         has_vacancy=query.has_vacancy, name=query.name,
                                         include_inactive=query.include_inactive)
    providers = directory.providers_matching(filters).filter(pk__in=visible.values("pk"))
    total = providers.count()
    page = list(providers.select_related("vacancies_updated_by")[query.offset:query.offset + query.limit])
    return {"total": total, "limit": query.limit, "offset": query.offset, "providers": [_out(p) for p in page]}


@router.post("", response={201: ProviderDetailOut, 403: ErrorOut, 422: ErrorOut}, url_name="create_provider",
             summary="Add a provider to the directory")
def create_provider(request: HttpRequest, payload: ProviderIn) -> Any:
    details = services.ProviderDetails(**{**payload.model_dump(), "needs_met": tuple(payload.needs_met)})
    try:
        provider = services.provider_create(actor=request.auth, details=details, now=timezone.now(),
                                            request_id=_rid(request), via="api")
    except PermissionDenied as denied:
        return _error(403, str(denied))
    except ValidationError as error:
        return _invalid(error)
    provider = directory.provider_for(request.auth, provider.pk)
    return Status(201, {**_out(provider), "requests": directory.request_counts(provider).__dict__})


@router.get("/{provider_id}", response={200: ProviderDetailOut, 404: ErrorOut}, url_name="get_provider",
            summary="One provider, with the open requests it has been asked on")
def get_provider(request: HttpRequest, provider_id: str) -> Any:
    provider = directory.provider_for(request.auth, provider_id)
    return {**_out(provider), "requests": directory.request_counts(provider).__dict__}


@router.patch("/{provider_id}/vacancies", response={200: ProviderOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
              url_name="update_vacancies", summary="Record the provider's vacancies now",
              description="The placements team, or the provider's own staff for their own provider; any other "
                          "provider answers 404.")
def update_vacancies(request: HttpRequest, provider_id: str, payload: VacanciesIn) -> Any:
    provider = directory.provider_for(request.auth, provider_id, to_update_vacancies=True)
    try:
        provider = services.vacancies_update(actor=request.auth, provider=provider, vacancies=payload.vacancies,
                                             version=payload.version, now=timezone.now(), request_id=_rid(request),
                                             via="api")
    except ValidationError as error:
        if "version" in error.message_dict:
            return _error(409, error.message_dict["version"][0], "version")
        return _invalid(error)
    return _out(provider)
