"""Placement requests: sent on both tracks, answers, offers compared with reasons, the child's choice.

The same services as the pages, so the same rules, scoping, audit and emails-after-commit. A
request outside the caller's scope answers 404, as a child does. A provider's token sees only
`GET /placement-requests/provider`: the requests sent to its own providers, with the provider-safe
fields only; every other endpoint answers it 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.placements import selectors_requests as selectors
from harbour.placements import services_requests as services
from harbour.placements.models import Offer, PlacementRequest, Provider, RequestRecipient
from harbour.referrals.selectors import referrals_visible_to

from .errors import forbidden as _forbidden
from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["placement requests"])

# The services name the thing; the API names the field that carries it.
FIELD_NAMES = {"provider": "provider_id", "offer": "offer_id", "referral": "referral_id", "child": "child_id",
               "choice_reason": "reason", "decline_reason": "decline_reason"}


def _invalid(error: ValidationError) -> Any:
    body = validation_errors(error)
    for item in body["detail"]:
        item["loc"] = ["body", FIELD_NAMES.get(item["loc"][1], item["loc"][1])]
    return Status(422, body)


def _field_error(field: str, message: str) -> Any:
    return Status(422, {"detail": [{"loc": ["body", field], "msg": message}]})


def _open(request: HttpRequest, request_id: str, route: str) -> PlacementRequest:
    # A provider's users have their own endpoint; the council's views answer them as missing.
    if access.is_partner(request.auth):
        raise Http404("No placement request found")
    return selectors.open_request(request.auth, request_id, route=route, request_id_for_log=_rid(request))


# --- Shapes ----------------------------------------------------------------------------------------


class RequestIn(Schema):
    child_id: uuid.UUID
    needed_from: dt.date
    area_wanted: str = Field("", max_length=100)
    summary_for_providers: str = Field(max_length=2000, description="What providers need to know to make an "
                                       "offer. Never names, dates of birth or references.")
    referral_id: uuid.UUID | None = Field(None, description="The NTS referral the request is for, if any.")


class OfferSummaryOut(Schema):
    id: uuid.UUID
    available_from: dt.date
    cost_per_week: Decimal
    carer_or_unit: str
    details: str


class RecipientOut(Schema):
    provider_id: uuid.UUID
    provider_name: str
    track: str
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    decline_reason: str
    decline_detail: str
    offer: OfferSummaryOut | None


class NotAskedOut(Schema):
    provider_id: uuid.UUID
    provider_name: str
    reasons: list[str]


class RequestOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral_id: uuid.UUID | None
    status: str
    needed_from: dt.date
    area_wanted: str
    age_years: int | None
    sex: str
    languages: str
    faith: str
    communities: str
    needs: list[str]
    summary_for_providers: str
    sent_at: dt.datetime | None
    in_house: list[RecipientOut]
    external: list[RecipientOut]
    not_asked: list[NotAskedOut]
    chosen_offer_id: uuid.UUID | None
    chosen_by: str
    choice_reason: str
    placement_id: int | None


class AnswerIn(Schema):
    provider_id: uuid.UUID
    answer: str = Field(pattern="^(offered|declined)$")
    available_from: dt.date | None = None
    cost_per_week: Decimal | None = Field(None, description="The provider's usual cost when left out.")
    carer_or_unit: str = ""
    details: str = ""
    decline_reason: str = Field("", description="One of " + ", ".join(RequestRecipient.DeclineReason.values))
    decline_detail: str = ""


class ContributionOut(Schema):
    criterion: str
    points: Decimal
    weight: int
    words: str


class RankedOfferOut(Schema):
    id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    rank: int | None
    score: int | None
    refusals: list[str]
    contributions: list[ContributionOut]
    available_from: dt.date
    cost_per_week: Decimal
    carer_or_unit: str
    details: str
    child_view: str
    child_view_recorded_at: dt.datetime | None
    chosen: bool


class ChildViewIn(Schema):
    child_view: str


class ChoiceIn(Schema):
    offer_id: uuid.UUID
    chosen_by: str = Field(description="One of " + ", ".join(PlacementRequest.ChosenBy.values))
    reason: str


class PlacementIn(Schema):
    start: dt.date
    long_term: bool = False


class PlacementOut(Schema):
    id: int
    child_id: uuid.UUID
    start: dt.date
    placement_type: str
    carer_or_provider: str
    request: RequestOut


class ProviderOfferOut(Schema):
    available_from: dt.date
    cost_per_week: Decimal
    carer_or_unit: str
    details: str


class ProviderRequestOut(Schema):
    """All a provider is told: never names, dates of birth, references or the council's notes."""

    id: uuid.UUID = Field(description="This provider's copy of the request.")
    provider_name: str
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    status: str
    open_for_offers: bool
    age_years: int | None
    sex: str
    languages: str
    needs: list[str] = Field(description="Only needs that are not special-category data")
    area_wanted: str
    needed_from: dt.date
    summary_for_providers: str
    your_offer: ProviderOfferOut | None


def _recipient_out(recipient: RequestRecipient) -> dict[str, Any]:
    offer = getattr(recipient, "offer", None) if recipient.answer == RequestRecipient.Answer.OFFERED else None
    return {
        "provider_id": recipient.provider_id, "provider_name": recipient.provider.name, "track": recipient.track,
        "asked_at": recipient.asked_at, "answer": recipient.answer, "answered_at": recipient.answered_at,
        "decline_reason": recipient.decline_reason, "decline_detail": recipient.decline_detail,
        "offer": {"id": offer.pk, "available_from": offer.available_from, "cost_per_week": offer.cost_per_week,
                  "carer_or_unit": offer.carer_or_unit, "details": offer.details} if offer else None,
    }


def _request_out(placement_request: PlacementRequest) -> dict[str, Any]:
    page = selectors.request_page(placement_request, placement_request.child, now=timezone.now())
    return {
        "id": placement_request.pk, "child_id": placement_request.child_id,
        "referral_id": placement_request.referral_id, "status": placement_request.status,
        "needed_from": placement_request.needed_from, "area_wanted": placement_request.area_wanted,
        "age_years": placement_request.age_years, "sex": placement_request.sex,
        "languages": placement_request.languages, "faith": placement_request.faith,
        "communities": placement_request.communities, "needs": list(placement_request.needs or []),
        "summary_for_providers": placement_request.summary_for_providers, "sent_at": placement_request.sent_at,
        "in_house": [_recipient_out(r) for r in page.in_house],
        "external": [_recipient_out(r) for r in page.external],
        "not_asked": [{"provider_id": n.provider.pk, "provider_name": n.provider.name, "reasons": list(n.reasons)}
                      for n in page.not_asked],
        "chosen_offer_id": placement_request.chosen_offer_id, "chosen_by": placement_request.chosen_by,
        "choice_reason": placement_request.choice_reason, "placement_id": placement_request.placement_id,
    }


def _reread(placement_request: PlacementRequest) -> PlacementRequest:
    """The request as saved after a change (its child was opened, and the read logged, already)."""
    fresh = PlacementRequest.objects.select_related("referral", "chosen_offer__provider").get(pk=placement_request.pk)
    fresh.child = placement_request.child
    return fresh


# --- The provider's own endpoint (first: "/provider" is not a request's id) -------------------------


@router.get("/provider", response={200: list[ProviderRequestOut], 404: ErrorOut},
            summary="For a provider's token: the requests sent to your providers, safe fields only")
def provider_requests(request: HttpRequest) -> Any:
    if not services.is_provider_user(request.auth):
        raise Http404("No placement request found")
    rows = selectors.provider_requests(request.auth, route="api:provider_placement_requests",
                                       request_id=_rid(request))
    return [{
        "id": row.recipient_id, "provider_name": row.provider_name, "asked_at": row.asked_at, "answer": row.answer,
        "answered_at": row.answered_at, "status": row.status_text, "open_for_offers": row.open_for_offers,
        "age_years": row.profile.age_years, "sex": row.profile.sex, "languages": row.profile.languages,
        "needs": row.profile.needs,
        "area_wanted": row.profile.area_wanted, "needed_from": row.profile.needed_from,
        "summary_for_providers": row.profile.summary_for_providers,
        "your_offer": asdict(row.own_offer) if row.own_offer else None,
    } for row in rows]


# --- The council's endpoints -----------------------------------------------------------------------


@router.post("", response={201: RequestOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="A draft request for a child, its profile copied from the child's record")
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    if access.is_partner(request.auth):
        raise Http404("No child found")
    child = access.access_child(request.auth, payload.child_id, route="api:create_placement_request",
                                request_id=_rid(request), purpose="placement request")
    referral = None
    if payload.referral_id is not None:
        referral = referrals_visible_to(request.auth).filter(pk=payload.referral_id, child_id=child.pk).first()
        if referral is None:
            return _field_error("referral_id", "Select an NTS referral for this child, or leave it out")
    try:
        created = services.request_create(
            actor=request.auth, child=child, needed_from=payload.needed_from, area_wanted=payload.area_wanted,
            summary_for_providers=payload.summary_for_providers, referral=referral, now=timezone.now(),
            today=timezone.localdate(), request_id=_rid(request), via="api",
        )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return Status(201, _request_out(_reread(created)))


@router.get("/{request_id}", response={200: RequestOut, 404: ErrorOut},
            summary="A request: every provider asked on each track, its answer and when, and those not asked")
def get_request(request: HttpRequest, request_id: str) -> Any:
    return _request_out(_open(request, request_id, "api:get_placement_request"))


@router.post("/{request_id}/send", response={200: RequestOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Send to every provider that passes the hard rules, in-house and external at once")
def send_request(request: HttpRequest, request_id: str) -> Any:
    placement_request = _open(request, request_id, "api:send_placement_request")
    try:
        services.request_send(actor=request.auth, request=placement_request, now=timezone.now(),
                              today=timezone.localdate(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return _request_out(_reread(placement_request))


@router.post("/{request_id}/answers", response={201: RequestOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a provider's answer: an offer, or a decline with its reason")
def record_answer(request: HttpRequest, request_id: str, payload: AnswerIn) -> Any:
    placement_request = _open(request, request_id, "api:placement_request_answer")
    provider = Provider.objects.filter(pk=payload.provider_id).first()
    if provider is None:
        return _field_error("provider_id", "Select a provider that is in the directory")
    try:
        if payload.answer == RequestRecipient.Answer.OFFERED:
            services.offer_record(
                actor=request.auth, request=placement_request, provider=provider,
                available_from=payload.available_from, cost_per_week=payload.cost_per_week,
                carer_or_unit=payload.carer_or_unit, details=payload.details, now=timezone.now(),
                today=timezone.localdate(), request_id=_rid(request), via="api",
            )
        else:
            services.decline_record(
                actor=request.auth, request=placement_request, provider=provider, reason=payload.decline_reason,
                detail=payload.decline_detail, now=timezone.now(), request_id=_rid(request), via="api",
            )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return Status(201, _request_out(_reread(placement_request)))


def _ranked(placement_request: PlacementRequest) -> list[dict[str, Any]]:
    comparison = selectors.compare_offers(placement_request, placement_request.child)
    return [{
        "id": card.offer.pk, "provider_id": card.offer.provider_id, "provider_name": card.offer.provider.name,
        "rank": card.scored.rank, "score": card.scored.score, "refusals": list(card.scored.refusals),
        "contributions": [{"criterion": c.criterion, "points": c.points, "weight": c.weight, "words": c.words}
                          for c in card.scored.contributions],
        "available_from": card.offer.available_from, "cost_per_week": card.offer.cost_per_week,
        "carer_or_unit": card.offer.carer_or_unit, "details": card.offer.details,
        "child_view": card.offer.child_view, "child_view_recorded_at": card.offer.child_view_recorded_at,
        "chosen": card.chosen,
    } for card in comparison.cards]


@router.get("/{request_id}/offers", response={200: list[RankedOfferOut], 404: ErrorOut},
            summary="The offers, best match first, with each criterion's points and the words that explain them")
def ranked_offers(request: HttpRequest, request_id: str) -> Any:
    return _ranked(_open(request, request_id, "api:placement_request_offers"))


@router.post("/offers/{offer_id}/child-view", response={200: list[RankedOfferOut], 403: ErrorOut, 404: ErrorOut,
                                                        422: ErrorOut},
             summary="Record the child's view of an offer, in their words")
def record_child_view(request: HttpRequest, offer_id: str, payload: ChildViewIn) -> Any:
    if access.is_partner(request.auth):
        raise Http404("No offer found")
    try:
        pk = uuid.UUID(offer_id)
    except ValueError as error:
        raise Http404("No offer found") from error
    request_pk = Offer.objects.filter(pk=pk).values_list("request_id", flat=True).first()
    if request_pk is None:
        raise Http404("No offer found")
    placement_request = _open(request, str(request_pk), "api:offer_child_view")
    offer = selectors.offer_in_request(placement_request, pk)
    try:
        services.child_view_record(actor=request.auth, offer=offer, child_view=payload.child_view,
                                   now=timezone.now(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return _ranked(placement_request)


@router.post("/{request_id}/choice", response={200: RequestOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record which offer was chosen, who chose and why")
def record_choice(request: HttpRequest, request_id: str, payload: ChoiceIn) -> Any:
    placement_request = _open(request, request_id, "api:placement_request_choice")
    offer = Offer.objects.filter(pk=payload.offer_id, request=placement_request).first()
    if offer is None:
        return _field_error("offer_id", "Select one of the offers made for this child")
    try:
        services.choice_record(actor=request.auth, request=placement_request, offer=offer,
                               chosen_by=payload.chosen_by, reason=payload.reason, now=timezone.now(),
                               request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return _request_out(_reread(placement_request))


@router.post("/{request_id}/placement", response={201: PlacementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Start the placement from the chosen offer")
def start_placement(request: HttpRequest, request_id: str, payload: PlacementIn) -> Any:
    placement_request = _open(request, request_id, "api:placement_request_placement")
    try:
        placement = services.placement_from_request(
            actor=request.auth, request=placement_request, start=payload.start, long_term=payload.long_term,
            today=timezone.localdate(), request_id=_rid(request), via="api",
        )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return _invalid(error)
    return Status(201, {
        "id": placement.pk, "child_id": placement.child_id, "start": placement.start,
        "placement_type": placement.placement_type, "carer_or_provider": placement.carer_or_provider,
        "request": _request_out(_reread(placement_request)),
    })
