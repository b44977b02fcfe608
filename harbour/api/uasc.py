"""Age assessments, the asylum claim, NRM referrals and missing episodes through the API: the same services as the pages, so the
same rules, audit and all-or-nothing writes. A child outside the caller's scope answers 404;
partner tokens never see these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.children import services_age
from harbour.children.models import AgeAssessment, Child
from harbour.core.calendar import council_calendar
from harbour.domain.trafficking import reasonable_grounds_due, recovery_period_ends
from harbour.uasc import selectors, services
from harbour.uasc.models import AsylumClaim, MissingEpisode, NrmReferral

from .errors import forbidden, request_id, validation_errors
from .schemas import ErrorOut

router = Router(tags=["unaccompanied children"])


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    if access.is_partner(request.auth):
        raise Http404("No child found")
    return access.access_child(request.auth, child_id, route=route, request_id=request_id(request))


class AgeAssessmentIn(Schema):
    started_on: dt.date
    completed_on: dt.date
    assessors: str = Field(max_length=300, description="Names and roles of the assessors")
    interpreter: str = Field("", max_length=200)
    outcome: str = Field(description="as_claimed, different_age or adult")
    assessed_date_of_birth: dt.date
    child_response: str = ""
    naab_referred_on: dt.date | None = None


class AgeAssessmentOut(AgeAssessmentIn):
    id: int


class AgeAssessmentResult(Schema):
    assessment: AgeAssessmentOut
    date_of_birth_in_use: dt.date | None
    looked_after: bool


@router.get("/children/{child_id}/age-assessments", response={200: list[AgeAssessmentOut], 404: ErrorOut},
            summary="A child's age assessments, newest first")
def list_age_assessments(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_age_assessments")
    return [services_age.age_assessment_fields(a) for a in AgeAssessment.objects.filter(child=child)]


@router.post("/children/{child_id}/age-assessments", response={201: AgeAssessmentResult, 403: ErrorOut,
                                                               404: ErrorOut, 422: ErrorOut},
             summary="Record an age assessment: its date of birth is used from now on")
def record_age_assessment(request: HttpRequest, child_id: str, payload: AgeAssessmentIn) -> Any:
    child = _child(request, child_id, "api:record_age_assessment")
    try:
        assessment = services_age.age_assessment_record(
            actor=request.auth, child=child, **payload.model_dump(), today=timezone.localdate(),
            request_id=request_id(request), via="api",
        )
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    refreshed = Child.unscoped.get(pk=child.pk)
    return Status(201, {
        "assessment": services_age.age_assessment_fields(assessment),
        "date_of_birth_in_use": refreshed.date_of_birth,
        "looked_after": refreshed.periods_looked_after.filter(end__isnull=True).exists(),
    })


class AsylumClaimIn(Schema):
    claimed_on: dt.date
    legal_representative: str = Field("", max_length=300)
    sef_due: dt.date | None = Field(None, description="Left out: worked out from the claim with the council's setting")
    sef_sent_on: dt.date | None = None
    interview_on: dt.date | None = None
    decision: str = Field("", description="refugee, humanitarian, uasc_leave, other_leave or refused; empty while awaited")
    decided_on: dt.date | None = None
    leave_granted_on: dt.date | None = None
    leave_expires_on: dt.date | None = None
    appeal_lodged_on: dt.date | None = None
    appeal_rights_exhausted_on: dt.date | None = None


class AlertOut(Schema):
    kind: str
    on: dt.date
    message: str


class AsylumClaimOut(AsylumClaimIn):
    sef_due: dt.date | None  # type: ignore[assignment]
    awaiting_decision: bool
    alerts: list[AlertOut]


def _claim_out(claim: AsylumClaim, child: Child) -> dict[str, Any]:
    data = {field: getattr(claim, field) for field in AsylumClaimIn.model_fields}
    data["awaiting_decision"] = claim.awaiting_decision
    data["alerts"] = [{"kind": str(a.kind), "on": a.on, "message": a.message}
                      for a in selectors.claim_alerts(claim, child, timezone.localdate())]
    return data


@router.get("/children/{child_id}/asylum-claim", response={200: AsylumClaimOut | None, 404: ErrorOut},
            summary="A child's asylum claim, its milestones and alerts; null when no claim is recorded")
def get_asylum_claim(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:get_asylum_claim")
    claim = AsylumClaim.objects.filter(child=child).first()
    return None if claim is None else _claim_out(claim, child)


@router.put("/children/{child_id}/asylum-claim", response={200: AsylumClaimOut, 403: ErrorOut, 404: ErrorOut,
                                                           422: ErrorOut},
            summary="Record the asylum claim or bring its milestones up to date")
def put_asylum_claim(request: HttpRequest, child_id: str, payload: AsylumClaimIn) -> Any:
    child = _child(request, child_id, "api:put_asylum_claim")
    try:
        claim = services.asylum_claim_save(actor=request.auth, child=child, values=payload.model_dump(),
                                           today=timezone.localdate(), request_id=request_id(request), via="api")
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _claim_out(claim, child)


class NrmReferralIn(Schema):
    referred_on: dt.date
    reasonable_grounds: str = Field("", description="positive, negative or empty while awaited")
    reasonable_grounds_on: dt.date | None = None
    conclusive_grounds: str = Field("", description="positive, negative or empty while awaited")
    conclusive_grounds_on: dt.date | None = None
    safety_plan: str = ""


class NrmReferralOut(NrmReferralIn):
    id: int
    reasonable_grounds_due: dt.date = Field(description="5 working days from the referral (target)")
    recovery_period_ends: dt.date | None


def _nrm_out(referral: NrmReferral) -> dict[str, Any]:
    data = {field: getattr(referral, field) for field in NrmReferralIn.model_fields}
    data["id"] = referral.pk
    data["reasonable_grounds_due"] = reasonable_grounds_due(referral.referred_on, council_calendar())
    positive = referral.reasonable_grounds == "positive" and referral.reasonable_grounds_on
    data["recovery_period_ends"] = recovery_period_ends(referral.reasonable_grounds_on) if positive else None  # type: ignore[arg-type]
    return data


@router.get("/children/{child_id}/nrm-referrals", response={200: list[NrmReferralOut], 404: ErrorOut},
            summary="A child's National Referral Mechanism referrals")
def list_nrm_referrals(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_nrm_referrals")
    return [_nrm_out(r) for r in NrmReferral.objects.filter(child=child)]


def _save_nrm(request: HttpRequest, child: Child, referral: NrmReferral | None, payload: NrmReferralIn,
              created: int) -> Any:
    try:
        saved = services.nrm_referral_save(actor=request.auth, child=child, referral=referral, **payload.model_dump(),
                                           today=timezone.localdate(), request_id=request_id(request), via="api")
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(created, _nrm_out(saved))


@router.post("/children/{child_id}/nrm-referrals",
             response={201: NrmReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a National Referral Mechanism referral")
def record_nrm_referral(request: HttpRequest, child_id: str, payload: NrmReferralIn) -> Any:
    return _save_nrm(request, _child(request, child_id, "api:record_nrm_referral"), None, payload, 201)


@router.put("/nrm-referrals/{referral_id}",
            response={200: NrmReferralOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Update a referral's decisions and safety plan",
            description="The route carries only the referral's id; a child outside your scope answers 404.")
def update_nrm_referral(request: HttpRequest, referral_id: int, payload: NrmReferralIn) -> Any:
    child_id = NrmReferral.objects.filter(pk=referral_id).values_list("child_id", flat=True).first()
    if child_id is None:
        raise Http404("No referral found")
    child = _child(request, str(child_id), "api:update_nrm_referral")
    referral = NrmReferral.objects.get(pk=referral_id)
    return _save_nrm(request, child, referral, payload, 200)


class MissingEpisodeIn(Schema):
    kind: str = Field(description="SSDA903 MISSING: M (missing) or A (away)")
    started_on: dt.date
    ended_on: dt.date | None = None
    return_interview_on: dt.date | None = None
    note: str = ""


class MissingEpisodeOut(MissingEpisodeIn):
    id: int


def _episode_out(e: MissingEpisode) -> dict[str, Any]:
    return {"id": e.pk, "kind": e.kind, "started_on": e.started_on, "ended_on": e.ended_on,
            "return_interview_on": e.return_interview_on, "note": e.note}


@router.get("/children/{child_id}/missing-episodes", response={200: list[MissingEpisodeOut], 404: ErrorOut},
            summary="A child's missing and away episodes, newest first")
def list_missing_episodes(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_missing_episodes")
    return [_episode_out(e) for e in MissingEpisode.objects.filter(child=child)]


@router.post("/children/{child_id}/missing-episodes",
             response={201: MissingEpisodeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a missing or away episode")
def record_missing_episode(request: HttpRequest, child_id: str, payload: MissingEpisodeIn) -> Any:
    child = _child(request, child_id, "api:record_missing_episode")
    try:
        episode = services.missing_episode_record(actor=request.auth, child=child, **payload.model_dump(),
                                                  today=timezone.localdate(), request_id=request_id(request), via="api")
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, _episode_out(episode))
