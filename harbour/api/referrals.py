"""NTS referrals through the API: the whole intake journey, from the referral to the arrival.

The same services as the pages, so the same rules, scoping, audit and emails-after-commit. A
referral outside the caller's scope answers 404, as a child does; partners never see referrals.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.accounts.models import Role, Team, User
from harbour.allocation import services as allocation_services
from harbour.allocation.selectors import propose_worker
from harbour.core.calendar import council_calendar
from harbour.referrals import (
    selectors,
    services_arrival,
    services_distribution,
    services_intake,
    services_signoff,
)
from harbour.referrals.models import Arrival, FundingClaim, Referral, Section20Approval

from .errors import forbidden as _forbidden
from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["NTS referrals"])


def _open(request: HttpRequest, referral_id: str, route: str) -> Referral:
    if access.is_partner(request.auth):
        raise Http404("No referral found")
    return selectors.open_referral(request.auth, referral_id, route=route, request_id=_rid(request))


# --- Shapes ----------------------------------------------------------------------------------------


class IdentityIn(Schema):
    given_names: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    names_in_original_script: str = Field("", max_length=300)
    claimed_date_of_birth: dt.date | None = None
    home_office_date_of_birth: dt.date | None = None
    sex: str = Field("U", pattern="^[MFU]$")
    nationality: str = Field("", max_length=100)
    first_language: str = Field("", max_length=100)
    other_languages: str = Field("", max_length=300)
    interpreter_needed: bool | None = None
    religion: str = Field("", max_length=100)
    home_office_reference: str = Field("", max_length=40)
    port_reference: str = Field("", max_length=40)


class ReferralIn(IdentityIn):
    received_at: dt.datetime
    referring_authority: str = Field(max_length=200)
    referrer_contact: str = Field("", max_length=300)
    nts_reference: str = Field(max_length=40)
    current_location: str = Field("", max_length=300)
    current_location_kind: str = "unknown"
    age_assessment_status: str = "unknown"
    health_information: str = ""
    safety_information: str = ""
    trafficking_indicators: str = ""
    family_links: str = ""
    legal_representative: str = Field("", max_length=300)
    documents_received: list[str] = []
    team_id: uuid.UUID | None = Field(None, description="The receiving team; a team leader's own team if left out.")
    link_to_child_id: uuid.UUID | None = Field(
        None, description="A child already on record (see /referrals/possible-duplicates) to link instead of "
                          "opening a new record.")


class CandidateOut(Schema):
    child_id: uuid.UUID
    name: str
    dates_of_birth: list[dt.date]
    nationality: str
    score: int
    strong: bool
    reasons: list[str]


class DuplicatesOut(Schema):
    candidates: list[CandidateOut]
    hidden_count: int
    hidden_message: str


class TaskOut(Schema):
    key: str
    name: str
    state: str
    hint: str


class ClockOut(Schema):
    due: dt.date
    working_days_left: int
    text: str
    tag: str


class ArrivalOut(Schema):
    arrived_at: dt.datetime
    within_deadline: bool
    working_days_taken: int
    first_placement: str


class FundingOut(Schema):
    claim_from: dt.date
    age_on_arrival: int | None
    nightly_rate: str | None
    one_off_amount: str
    basis: str


class ReferralOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    nts_reference: str
    status: str
    received_at: dt.datetime
    referring_authority: str
    transfer_due: dt.date
    clock: ClockOut
    tasks: list[TaskOut]
    contest_reason: str
    section20_approved_at: dt.datetime | None
    placement_confirmed: str
    arrival: ArrivalOut | None
    funding: FundingOut | None


class DecisionIn(Schema):
    decision: str = Field(pattern="^(accept|contest)$")
    reason: str = ""
    version: int | None = None


class SendFormIn(Schema):
    entry_ids: list[uuid.UUID] | None = Field(None, description="Only these agencies; every agency due one if left out.")


class FormCopyOut(Schema):
    agency: str
    kind: str
    email: str
    sections: list[str]
    sent_at: dt.datetime
    delivered_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    chased_at: dt.datetime | None


class SignOffIn(Schema):
    note: str = ""


class ProposalOut(Schema):
    worker_id: uuid.UUID | None
    worker_name: str
    skipped: list[str]
    practice_leads: list[str]


class AllocateIn(Schema):
    override_worker_id: uuid.UUID | None = None
    override_reason: str = ""


class AllocationOut(Schema):
    worker_id: uuid.UUID
    worker_name: str
    overridden: bool


class PlacementIn(Schema):
    description: str


class ArrivalIn(Schema):
    arrived_at: dt.datetime
    placement_type: str
    carer_or_provider: str
    postcode: str = ""


def _referral_out(referral: Referral) -> dict[str, Any]:
    today = timezone.localdate()
    arrival = Arrival.objects.select_related("first_placement").filter(referral=referral).first()
    clock = selectors.referral_clock(referral, today=today, calendar=council_calendar(),
                                     arrived_on=timezone.localtime(arrival.arrived_at).date() if arrival else None)
    approval = Section20Approval.objects.filter(referral=referral).first()
    claim = FundingClaim.objects.filter(referral=referral).first()
    return {
        "id": referral.pk, "child_id": referral.child_id, "child_name": referral.child.full_name,
        "nts_reference": referral.nts_reference, "status": referral.status, "received_at": referral.received_at,
        "referring_authority": referral.referring_authority, "transfer_due": referral.transfer_due,
        "clock": {"due": clock.due, "working_days_left": clock.working_days_left, "text": clock.text,
                  "tag": clock.tag_text},
        "tasks": [{"key": t.key, "name": t.name, "state": t.state, "hint": t.hint}
                  for t in selectors.workspace_tasks(referral, today=today)],
        "contest_reason": referral.contest_reason,
        "section20_approved_at": approval.approved_at if approval else None,
        "placement_confirmed": referral.placement_confirmed_description,
        "arrival": {"arrived_at": arrival.arrived_at, "within_deadline": arrival.within_deadline,
                    "working_days_taken": arrival.working_days_taken,
                    "first_placement": arrival.first_placement.carer_or_provider} if arrival else None,
        "funding": {"claim_from": claim.claim_from, "age_on_arrival": claim.age_on_arrival,
                    "nightly_rate": str(claim.nightly_rate) if claim.nightly_rate is not None else None,
                    "one_off_amount": str(claim.one_off_amount), "basis": claim.basis} if claim else None,
    }


# --- Endpoints -------------------------------------------------------------------------------------


@router.get("", response={200: list[ReferralOut], 403: ErrorOut}, summary="Open referrals, least time left first")
def referral_queue(request: HttpRequest) -> Any:
    if not selectors.may_see_queue(request.auth):
        return Status(403, {"detail": [{"loc": [], "msg": "Only team leaders, managers and the director see the referral queue"}]})
    rows = selectors.referral_queue(user=request.auth, today=timezone.localdate(), calendar=council_calendar())
    return [_referral_out(row.referral) for row in rows]


@router.post("/possible-duplicates", response={200: DuplicatesOut, 403: ErrorOut},
             summary="Children already on record who may be the child referred")
def possible_duplicates(request: HttpRequest, payload: IdentityIn) -> Any:
    if not selectors.may_record_referral(request.auth):
        return Status(403, {"detail": [{"loc": [], "msg": "Only team leaders and team managers record NTS referrals"}]})
    identity = payload.model_dump()
    facts = services_intake.person_facts(identity, [payload.claimed_date_of_birth, payload.home_office_date_of_birth])
    check = services_intake.possible_duplicates(user=request.auth, facts=facts)
    return {
        "candidates": [{"child_id": c.child.pk, "name": c.child.full_name, "dates_of_birth": list(c.dates_of_birth),
                        "nationality": c.child.nationality, "score": c.score, "strong": c.match.strong,
                        "reasons": list(c.reasons)} for c in check.visible],
        "hidden_count": check.hidden_count, "hidden_message": check.hidden_message,
    }


@router.post("", response={201: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="Record an NTS referral")
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    actor: User = request.auth
    team = actor.team if payload.team_id is None else Team.objects.filter(pk=payload.team_id).first()
    if payload.team_id is not None and team is None:
        return Status(422, {"detail": [{"loc": ["body", "team_id"], "msg": "Select a team that is on the system"}]})
    link = None
    if payload.link_to_child_id is not None:
        link = access.children_visible_to(actor).filter(pk=payload.link_to_child_id).first()
        if link is None:
            return Status(422, {"detail": [{"loc": ["body", "link_to_child_id"],
                                            "msg": "Select a child you can see, or leave it out to record a new child"}]})
    data = payload.model_dump()
    details = {f: data[f] for f in services_intake.REFERRAL_FIELDS if f in data}
    details["documents_received"] = "\n".join(d.strip() for d in payload.documents_received if d.strip())
    identity = {f: data[f] for f in services_intake.REFERRAL_IDENTITY_FIELDS if f in data}
    try:
        referral = services_intake.referral_create(
            actor=actor, team=team, referral_details=details, identity=identity,
            claimed_date_of_birth=payload.claimed_date_of_birth, home_office_date_of_birth=payload.home_office_date_of_birth,
            link_to_child=link, now=timezone.now(), today=timezone.localdate(), calendar=council_calendar(),
            request_id=_rid(request), via="api",
        )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, _referral_out(referral))


@router.get("/{referral_id}", response={200: ReferralOut, 404: ErrorOut}, summary="A referral, its clock and its tasks")
def get_referral(request: HttpRequest, referral_id: str) -> Any:
    return _referral_out(_open(request, referral_id, "api:get_referral"))


@router.post("/{referral_id}/decision", response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Accept the referral, or contest it when at or above the NTS threshold")
def decide(request: HttpRequest, referral_id: str, payload: DecisionIn) -> Any:
    referral = _open(request, referral_id, "api:decide_referral")
    try:
        referral = services_intake.referral_decide(
            actor=request.auth, referral=referral, decision=payload.decision, reason=payload.reason,
            now=timezone.now(), version=payload.version, request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _referral_out(referral)


def _copies(referral: Referral) -> list[dict[str, Any]]:
    return [{"agency": c.entry.name, "kind": c.entry.kind, "email": c.email, "sections": c.sections,
             "sent_at": c.sent_at, "delivered_at": c.delivered_at, "acknowledged_at": c.acknowledged_at,
             "chased_at": c.chased_at} for c in referral.form_copies.select_related("entry")]


@router.post("/{referral_id}/form", response={200: list[FormCopyOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Send the single referral form to every agency in one action")
def send_form(request: HttpRequest, referral_id: str, payload: SendFormIn) -> Any:
    referral = _open(request, referral_id, "api:send_form")
    try:
        services_distribution.send_referral_form(
            actor=request.auth, referral=referral, now=timezone.now(), request_id=_rid(request), via="api",
            entry_ids=payload.entry_ids)
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _copies(referral)


@router.get("/{referral_id}/form", response={200: list[FormCopyOut], 404: ErrorOut},
            summary="Each agency's copy of the form: sent, delivered, acknowledged, chased")
def form_copies(request: HttpRequest, referral_id: str) -> Any:
    return _copies(_open(request, referral_id, "api:form_copies"))


@router.post("/{referral_id}/section20-approval", response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="The director's (or delegate's) approval of section 20 accommodation")
def sign_off(request: HttpRequest, referral_id: str, payload: SignOffIn) -> Any:
    referral = _open(request, referral_id, "api:sign_off")
    try:
        services_signoff.approve_section20(actor=request.auth, referral=referral, now=timezone.now(), note=payload.note,
                                           request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    referral.refresh_from_db()
    return _referral_out(referral)


@router.get("/{referral_id}/allocation-proposal", response={200: ProposalOut, 404: ErrorOut},
            summary="Who the rota proposes for this child, and who it passed over")
def allocation_proposal(request: HttpRequest, referral_id: str) -> Any:
    referral = _open(request, referral_id, "api:allocation_proposal")
    proposal = propose_worker(today=timezone.localdate(), child=referral.child)
    return {"worker_id": proposal.worker.pk if proposal.worker else None,
            "worker_name": proposal.worker.display_name if proposal.worker else "",
            "skipped": [f"{user.display_name}: {reason}" for user, reason in proposal.skipped],
            "practice_leads": [lead.user.display_name for lead in proposal.practice_leads]}


@router.post("/{referral_id}/allocation", response={201: AllocationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Allocate the next social worker on the rota, or someone else with a reason")
def allocate(request: HttpRequest, referral_id: str, payload: AllocateIn) -> Any:
    referral = _open(request, referral_id, "api:allocate")
    override = None
    if payload.override_worker_id is not None:
        override = User.objects.filter(pk=payload.override_worker_id, role=Role.SOCIAL_WORKER, is_active=True).first()
        if override is None:
            return Status(422, {"detail": [{"loc": ["body", "override_worker_id"],
                                            "msg": "Select a social worker who is on the system"}]})
    try:
        turn = allocation_services.allocate_from_rota(
            actor=request.auth, child=referral.child, referral=referral, today=timezone.localdate(), now=timezone.now(),
            override_worker=override, override_reason=payload.override_reason, request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, {"worker_id": turn.allocated.pk, "worker_name": turn.allocated.display_name,
                        "overridden": turn.overridden})


@router.post("/{referral_id}/placement", response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Confirm where the child will live on arrival")
def confirm_placement(request: HttpRequest, referral_id: str, payload: PlacementIn) -> Any:
    referral = _open(request, referral_id, "api:confirm_placement")
    try:
        referral = services_arrival.placement_confirm(actor=request.auth, referral=referral, description=payload.description,
                                                      now=timezone.now(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _referral_out(referral)


@router.post("/{referral_id}/arrival", response={201: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record the child's arrival: the transfer ends and the statutory clocks start")
def record_arrival(request: HttpRequest, referral_id: str, payload: ArrivalIn) -> Any:
    referral = _open(request, referral_id, "api:record_arrival")
    try:
        services_arrival.record_arrival(
            actor=request.auth, referral=referral, arrived_at=payload.arrived_at, placement_type=payload.placement_type,
            carer_or_provider=payload.carer_or_provider, postcode=payload.postcode, now=timezone.now(),
            today=timezone.localdate(), calendar=council_calendar(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    referral.refresh_from_db()
    return Status(201, _referral_out(referral))
