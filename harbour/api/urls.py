"""The API under /api/v1/: the same scoping and rules as the pages, for other systems."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Body, Query, Schema, Status

from harbour.accounts import access
from harbour.accounts.models import Role, User
from harbour.children import selectors, services
from harbour.children.codes import Ethnicity
from harbour.children.models import ChildName, DateOfBirthRecord
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.deadlines import (
    TimelineInputError,
    compute_deadlines,
    deadlines_as_json,
    parse_case_timeline,
)

from .auth import SignedInSession, TokenAuth
from .contract import HarbourAPI
from .errors import validation_errors
from .leaving_care import router as leaving_care_router
from .placement_requests import router as placement_requests_router
from .placements import router as placements_router
from .providers import router as providers_router
from .referrals import router as referrals_router
from .return_facts import router as return_facts_router
from .schemas import (
    ChildIn,
    ChildOut,
    ChildPartnerOut,
    ChildSummaryOut,
    DeadlinesOut,
    ErrorOut,
    TimelineItemOut,
)
from .uasc import router as uasc_router

api = HarbourAPI(
    title="Harbour API",
    version="1",
    description="Children's records, deadlines and the statutory calendar. Every answer is scoped to the "
                "user the token or session belongs to; a child outside that scope answers 404.",
    auth=[TokenAuth(), SignedInSession()],
    urls_namespace="api",
)
api.add_router("/referrals", referrals_router)
api.add_router("/providers", providers_router)
api.add_router("/placement-requests", placement_requests_router)
api.add_router("/placements", placements_router)
api.add_router("/reviews", "harbour.api.reviews.router")
api.add_router("/uasc", uasc_router)
api.add_router("/leaving-care", leaving_care_router)
api.add_router("/merges", "harbour.api.merges.router")
api.add_router("/forecasts", "harbour.api.forecasts.router")
api.add_router("/documents", "harbour.api.documents.router")
api.add_router("/returns", return_facts_router)
api.add_router("/returns", "harbour.api.returns.router")
api.add_router("/performance", "harbour.api.performance.router")
api.add_router("/board", "harbour.api.board.router")


class SearchQuery(Schema):
    q: str = ""


@api.get("/children", response=list[ChildSummaryOut], summary="Children you may see, or a search")
def list_children(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    visible = access.children_visible_to(request.auth)
    if query.q.strip():
        return selectors.search_children(visible=visible, query=query.q)
    return list(visible.order_by("family_name", "given_names")[:200])


def _child_out(child: Any) -> dict[str, Any]:
    data = {f: getattr(child, f) for f in ChildOut.model_fields if hasattr(child, f) and f not in {"id"}}
    data["id"] = child.pk
    data["other_names"] = list(ChildName.objects.filter(child=child, kind__in=["alias", "spelling"]).values_list("name", flat=True))
    records = list(DateOfBirthRecord.objects.filter(child=child))
    in_use = max((r for r in records if r.in_use_from), key=lambda r: r.in_use_from, default=None)
    data["dates_of_birth"] = [
        {"date_of_birth": r.date_of_birth, "source": r.source, "recorded_at": r.recorded_at, "in_use": r is in_use}
        for r in records
    ]
    return data


@api.get("/children/{child_id}", response={200: ChildOut | ChildPartnerOut, 404: ErrorOut}, summary="A child's record")
def get_child(request: HttpRequest, child_id: str) -> Any:
    child = access.access_child(request.auth, child_id, route="api:get_child", request_id=getattr(request, "request_id", ""))
    if access.is_partner(request.auth):
        return ChildPartnerOut.model_validate(child, from_attributes=True)
    return ChildOut.model_validate(_child_out(child))


@api.post("/children", response={201: ChildOut, 422: ErrorOut, 403: ErrorOut}, summary="Open a child's record")
def create_child(request: HttpRequest, payload: ChildIn) -> Any:
    actor: User = request.auth
    if not access.may_create_child(actor):
        return Status(403, {"detail": [{"loc": [], "msg": "You cannot open a child's record"}]})
    if payload.ethnicity not in Ethnicity.values:
        return Status(422, {"detail": [{"loc": ["body", "ethnicity"], "msg": "Ethnicity must be an SSDA903 code, like WBRI or BAFR"}]})
    worker = User.objects.filter(pk=payload.social_worker_id, role=Role.SOCIAL_WORKER, is_active=True).first()
    if worker is None:
        return Status(422, {"detail": [{"loc": ["body", "social_worker_id"], "msg": "Select a social worker who is on the system"}]})
    identity = payload.model_dump(exclude={"date_of_birth", "date_of_birth_source", "social_worker_id"})
    try:
        child = services.child_create(
            actor=actor, identity=identity, date_of_birth=payload.date_of_birth,
            date_of_birth_source=payload.date_of_birth_source, social_worker=worker,
            today=timezone.localdate(), request_id=getattr(request, "request_id", ""), via="api",
        )
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, ChildOut.model_validate(_child_out(child)))


@api.get("/children/{child_id}/deadlines", response={200: DeadlinesOut, 404: ErrorOut}, summary="A child's statutory deadlines")
def child_deadlines(request: HttpRequest, child_id: str) -> Any:
    child = access.access_child(request.auth, child_id, route="api:child_deadlines", request_id=getattr(request, "request_id", ""))
    if access.is_partner(request.auth):
        return Status(404, {"detail": [{"loc": [], "msg": "Not found"}]})
    deadlines = selectors.child_deadlines(child=child, today=timezone.localdate(), calendar=council_calendar(),
                                          nts_working_days=CouncilSettings.current().nts_transfer_working_days)
    return deadlines_as_json(deadlines)


@api.get("/children/{child_id}/timeline", response={200: list[TimelineItemOut], 404: ErrorOut}, summary="A child's timeline, newest first")
def child_timeline(request: HttpRequest, child_id: str, kind: str = "") -> Any:
    child = access.access_child(request.auth, child_id, route="api:child_timeline", request_id=getattr(request, "request_id", ""))
    if access.is_partner(request.auth):
        return Status(404, {"detail": [{"loc": [], "msg": "Not found"}]})
    kinds = [k for k in kind.split(",") if k in selectors.TIMELINE_KINDS] or None
    return [{"kind": i.kind, "title": i.title, "at": i.at.isoformat(), "byline": i.byline, "description": i.description}
            for i in selectors.child_timeline(child=child, kinds=kinds)]


@api.post("/deadlines", response={200: DeadlinesOut, 422: ErrorOut}, summary="The statutory calendar for a case timeline",
          description="The same input and output as `harbour deadlines`: {today, child: {date_of_birth}, events: [...]}.")
def calculate_deadlines(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
    try:
        today, timeline = parse_case_timeline(payload)
    except TimelineInputError as error:
        return Status(422, {"detail": [{"loc": ["body", *getattr(error, "location", [])], "msg": str(error)}]})
    deadlines = compute_deadlines(timeline, today=today, calendar=council_calendar(),
                                  nts_working_days=CouncilSettings.current().nts_transfer_working_days)
    return deadlines_as_json(deadlines)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": [{"loc": [], "msg": "Not found"}]}, status=404)
