"""Placements through the API: the child's placements with their SSDA903 coding and episodes,
starting, changing and ending them, and the child's needs profile.

The same services as the pages, so the same rules, audit and emails after commit. A child outside
the caller's scope answers 404; partner tokens never see placements here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.children.models import Child
from harbour.domain.episodes import postcode_sector
from harbour.placements import selectors_placements as selectors
from harbour.placements import services_placements as services
from harbour.placements.models import NeedsProfile, Placement, Provider

from .errors import forbidden as _forbidden
from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["placements"])


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    if access.is_partner(request.auth):
        raise Http404("No child found")
    return access.access_child(request.auth, child_id, route=route, request_id=_rid(request))


class PlacementOut(Schema):
    id: int
    start: dt.date
    end: dt.date | None
    carer_or_provider: str
    provider_id: uuid.UUID | None
    place: str = Field(description="SSDA903 PLACE")
    place_provider: str = Field(description="SSDA903 PLACE_PROVIDER")
    urn: str
    pl_post: str = Field(description="SSDA903 PL_POST: the placement's postcode sector")
    home_post: str = Field(description="SSDA903 HOME_POST: the child's home postcode sector")
    reason_place_change: str = Field(description="SSDA903 REASON_PLACE_CHANGE")
    out_of_area: bool
    long_term: bool
    cost_per_week: Decimal | None


class EpisodeOut(Schema):
    decom: dt.date
    dec: dt.date | None
    rne: str
    legal_status: str
    place: str
    place_provider: str
    urn: str
    home_post: str
    pl_post: str
    rec: str
    reason_place_change: str


class ChildPlacementsOut(Schema):
    child_id: uuid.UUID
    placements: list[PlacementOut]
    episodes: list[EpisodeOut]


def _placement_out(placement: Placement) -> dict[str, Any]:
    return {
        "id": placement.pk, "start": placement.start, "end": placement.end,
        "carer_or_provider": placement.carer_or_provider, "provider_id": placement.provider_id,
        "place": placement.placement_type, "place_provider": placement.place_provider, "urn": placement.urn,
        "pl_post": postcode_sector(placement.postcode), "home_post": postcode_sector(placement.home_postcode),
        "reason_place_change": placement.reason_for_change, "out_of_area": placement.out_of_area,
        "long_term": placement.long_term, "cost_per_week": placement.cost_per_week,
    }


def _child_out(child: Child) -> dict[str, Any]:
    placements = list(Placement.objects.filter(child=child).order_by("start"))
    return {
        "child_id": child.pk,
        "placements": [_placement_out(p) for p in placements],
        "episodes": [vars(e) for e in selectors.child_episodes(child, placements)],
    }


class PlacementIn(Schema):
    start: dt.date
    provider_id: uuid.UUID | None = Field(None, description="From the directory: fills type, codes, URN, postcode, cost")
    placement_type: str = Field("", max_length=3, description="SSDA903 PLACE; needed without a provider")
    carer_or_provider: str = Field("", max_length=200)
    place_provider: str = Field("", max_length=3)
    urn: str = Field("", max_length=8)
    postcode: str = Field("", max_length=10)
    home_postcode: str | None = Field(None, max_length=10, description="Left out: kept from the last placement")
    long_term: bool = False
    cost_per_week: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)


class PlacementChangeIn(PlacementIn):
    reason_for_change: str = Field("", max_length=6, description="SSDA903 REASON_PLACE_CHANGE of the placement ending")
    end_note: str = Field("", max_length=500)


class PlacementEndIn(Schema):
    end: dt.date
    reason_for_change: str = Field("", max_length=6)
    end_note: str = Field("", max_length=500)


def _provider(provider_id: uuid.UUID | None) -> Provider | None:
    if provider_id is None:
        return None
    provider = Provider.objects.filter(pk=provider_id, active=True).first()
    if provider is None:
        raise ValidationError({"provider_id": "Choose a provider from the directory"})
    return provider


def _arguments(payload: PlacementIn) -> dict[str, Any]:
    return {
        "start": payload.start, "provider": _provider(payload.provider_id), "placement_type": payload.placement_type,
        "carer_or_provider": payload.carer_or_provider, "place_provider": payload.place_provider,
        "urn": payload.urn, "postcode": payload.postcode, "home_postcode": payload.home_postcode,
        "long_term": payload.long_term, "cost_per_week": payload.cost_per_week,
    }


@router.get("/children/{child_id}", response={200: ChildPlacementsOut, 404: ErrorOut},
            summary="The child's placements with their SSDA903 coding, and the episodes derived from them")
def child_placements(request: HttpRequest, child_id: str) -> Any:
    return _child_out(_child(request, child_id, "api:child_placements"))


@router.post("/children/{child_id}", response={201: PlacementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Start a placement for a looked-after child with none on that day")
def start_placement(request: HttpRequest, child_id: str, payload: PlacementIn) -> Any:
    child = _child(request, child_id, "api:start_placement")
    try:
        placement = services.placement_start(actor=request.auth, child=child, today=timezone.localdate(),
                                             request_id=_rid(request), via="api", **_arguments(payload))
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, _placement_out(placement))


class CurrentOut(Schema):
    child_id: uuid.UUID
    current: PlacementOut | None


@router.get("/children/{child_id}/current", response={200: CurrentOut, 404: ErrorOut},
            summary="The child's current placement, if any")
def current_placement(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:current_placement")
    current = Placement.objects.filter(child=child, end__isnull=True).first()
    return {"child_id": child.pk, "current": _placement_out(current) if current else None}


@router.put("/children/{child_id}/current",
            response={201: PlacementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="A change of placement: the current placement ends on the day the new one starts")
def change_placement(request: HttpRequest, child_id: str, payload: PlacementChangeIn) -> Any:
    child = _child(request, child_id, "api:change_placement")
    try:
        placement = services.placement_change(
            actor=request.auth, child=child, today=timezone.localdate(), request_id=_rid(request), via="api",
            reason_for_change=payload.reason_for_change, end_note=payload.end_note, **_arguments(payload))
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, _placement_out(placement))


@router.patch("/children/{child_id}/current",
              response={200: PlacementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="End the child's current placement: its end date, and the reason when the child stays "
                      "looked after")
def end_placement(request: HttpRequest, child_id: str, payload: PlacementEndIn) -> Any:
    child = _child(request, child_id, "api:end_placement")
    placement = Placement.objects.filter(child=child, end__isnull=True).first()
    if placement is None:
        return Status(422, {"detail": [{"loc": ["path", "child_id"],
                                        "msg": "The child has no current placement to end"}]})
    try:
        ended = services.placement_end(actor=request.auth, placement=placement, end=payload.end,
                                       reason_for_change=payload.reason_for_change, end_note=payload.end_note,
                                       today=timezone.localdate(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _placement_out(ended)


class NeedsOut(Schema):
    child_id: uuid.UUID
    needs: list[str]
    needs_detail: str


class NeedsIn(Schema):
    needs: list[str]
    needs_detail: str = Field("", max_length=4000)


@router.get("/children/{child_id}/needs", response={200: NeedsOut, 404: ErrorOut},
            summary="The child's needs from a placement, copied into every request")
def child_needs(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:child_needs")
    profile = NeedsProfile.objects.filter(child=child).first()
    return {"child_id": child.pk, "needs": profile.needs if profile else [],
            "needs_detail": profile.needs_detail if profile else ""}


@router.put("/children/{child_id}/needs", response={200: NeedsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Record the child's needs from a placement")
def save_needs(request: HttpRequest, child_id: str, payload: NeedsIn) -> Any:
    child = _child(request, child_id, "api:save_needs")
    try:
        profile = services.needs_profile_save(actor=request.auth, child=child, needs=payload.needs,
                                              needs_detail=payload.needs_detail, request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return {"child_id": child.pk, "needs": profile.needs, "needs_detail": profile.needs_detail}
