"""Reviews, checks and the IRO's quality assurance through the API: the reviews due, a child's
checks and reviews, recording a review, auditing a case file, answering and escalating an IRO's
action, the compliance list and the measures.

The same services as the pages, so the same rules, audit and emails after commit. A child outside
the caller's scope answers 404; partner tokens see nothing here. Field errors answer 422 with the
field in ``loc``; an action's fields are named like ``action_1_owner`` (the first action).
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
from harbour.accounts.models import Team, User
from harbour.children.models import Child
from harbour.children.selectors import child_deadlines
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.review_measures import MEASURES
from harbour.reviews import selectors, services, services_invitations
from harbour.reviews.models import AuditArea, LateReviewReason, QualityAction, Review
from harbour.reviews.navigation import MEASURE_ROLES

from .errors import forbidden as _forbidden
from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["reviews"])


def _staff(request: HttpRequest) -> User:
    if access.is_partner(request.auth):
        raise Http404("Not found")
    return request.auth


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    _staff(request)
    return access.access_child(request.auth, child_id, route=route, request_id=_rid(request))


class ReviewDueOut(Schema):
    child_id: uuid.UUID
    name: str
    next_review_due: dt.date | None
    state: str = Field(description="overdue, soon (in 4 weeks), later, or none (not looked after)")
    social_worker: str | None


@router.get("/due", response={200: list[ReviewDueOut], 404: ErrorOut}, summary="Children in view and their next review, soonest first")
def reviews_due(request: HttpRequest) -> Any:
    user = _staff(request)
    today = timezone.localdate()
    rows = selectors.reviews_due(access.children_visible_to(user), today=today, calendar=council_calendar())
    return [{"child_id": r.child.pk, "name": r.child.known_as, "next_review_due": r.next_review.due if r.next_review
             else None, "state": r.state(today), "social_worker": r.social_worker.display_name if r.social_worker
             else None} for r in rows]


class CheckOut(Schema):
    kind: str
    due: dt.date
    status: str
    basis: str


class ActionOut(Schema):
    description: str
    owner_id: uuid.UUID
    due_on: dt.date


class ReviewOut(Schema):
    id: int
    held_on: dt.date
    due_on: dt.date | None
    held_late: bool
    late_reason: str | None
    late_reason_detail: str
    participation: str
    child_views: str
    views_gathered: str
    attendees: str
    care_plan_view: str
    chair_id: uuid.UUID | None
    actions: list[ActionOut]


class ChildReviewsOut(Schema):
    child_id: uuid.UUID
    checks: list[CheckOut]
    reviews: list[ReviewOut]


def _review_out(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk, "held_on": review.held_on, "due_on": review.due_on,
        "held_late": review.due_on is not None and review.held_on > review.due_on,
        "late_reason": review.late_reason.label if review.late_reason else None,
        "late_reason_detail": review.late_reason_detail, "participation": review.participation,
        "child_views": review.child_views, "views_gathered": review.views_gathered, "attendees": review.attendees,
        "care_plan_view": review.care_plan_view, "chair_id": review.chair_id,
        "actions": [{"description": a.description, "owner_id": a.owner_id, "due_on": a.due_on}
                    for a in review.actions.all()],
    }


@router.get("/children/{child_id}", response={200: ChildReviewsOut, 404: ErrorOut},
            summary="A child's checks still to do (reviews, visits, health, PEP, care plan) and reviews held")
def child_reviews(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:child_reviews")
    return {"child_id": child.pk, "checks": _checks(child),
            "reviews": [_review_out(r) for r in selectors.child_reviews(child)]}


def _checks(child: Child) -> list[dict[str, Any]]:
    deadlines = child_deadlines(child=child, today=timezone.localdate(), calendar=council_calendar(),
                                nts_working_days=CouncilSettings.current().nts_transfer_working_days)
    return [{"kind": selectors.DUTY_KINDS[d.duty], "due": d.due, "status": str(d.status), "basis": d.basis}
            for d in deadlines if d.duty in selectors.DUTY_KINDS and d.met_on is None]


class ActionIn(Schema):
    description: str = Field("", max_length=2000)
    owner_id: uuid.UUID | None = Field(None, description="Who owns the action (a member of staff)")
    due_on: dt.date | None = None


class ReviewIn(Schema):
    held_on: dt.date
    participation: str = Field(description="PN0 to PN7; PN0 only for a child under 4")
    child_views: str = Field("", max_length=10_000)
    views_gathered: str = Field("", description="in_person, advocate, consultation_tool or not_gathered")
    attendees: str = Field("", max_length=10_000)
    care_plan_view: str = Field("", max_length=10_000)
    late_reason_id: int | None = Field(None, description="From /reviews/late-reasons; needed when held late")
    late_reason_detail: str = Field("", max_length=500)
    actions: list[ActionIn] = Field(default_factory=list, max_length=10)


def _people(ids: list[uuid.UUID | None], field: str) -> dict[uuid.UUID, User]:
    wanted = {i for i in ids if i is not None}
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True).exclude(role__in=["partner",
                                                                                                 "administrator"])}
    for number, owner_id in enumerate(ids, start=1):
        if owner_id is not None and owner_id not in found:
            raise ValidationError({field.format(number): f"Select a member of staff who is on the system for action "
                                                         f"{number}"})
    return found


def _actions(given: list[ActionIn], field: str) -> list[services.ActionInput]:
    people = _people([a.owner_id for a in given], field)
    return [services.ActionInput(a.description, people.get(a.owner_id) if a.owner_id else None, a.due_on)
            for a in given]


@router.get("/children/{child_id}/reviews", response={200: list[ReviewOut], 404: ErrorOut},
            summary="The reviews held for a child, newest first")
def list_reviews(request: HttpRequest, child_id: str) -> Any:
    return [_review_out(r) for r in selectors.child_reviews(_child(request, child_id, "api:list_reviews"))]


@router.post("/children/{child_id}/reviews", response={201: ReviewOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a review held, with participation, the child's views and actions")
def record_review(request: HttpRequest, child_id: str, payload: ReviewIn) -> Any:
    child = _child(request, child_id, "api:record_review")
    try:
        late_reason = None
        if payload.late_reason_id is not None:
            late_reason = LateReviewReason.objects.filter(pk=payload.late_reason_id, active=True).first()
            if late_reason is None:
                raise ValidationError({"late_reason_id": "Select a reason from the council's list"})
        review = services.review_record(
            actor=request.auth, child=child, held_on=payload.held_on, participation=payload.participation,
            child_views=payload.child_views, views_gathered=payload.views_gathered, attendees=payload.attendees,
            care_plan_view=payload.care_plan_view, late_reason=late_reason,
            late_reason_detail=payload.late_reason_detail, actions=_actions(payload.actions, "action_{}_owner"),
            today=timezone.localdate(), request_id=_rid(request), via="api",
        )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        body = validation_errors(error)
        for item in body["detail"]:
            if item["loc"][-1] == "late_reason":
                item["loc"][-1] = "late_reason_id"
        return Status(422, body)
    return Status(201, _review_out(review))


class ListItemOut(Schema):
    id: int
    label: str
    needs_detail: bool = False


@router.get("/late-reasons", response={200: list[ListItemOut], 404: ErrorOut}, summary="The council's reasons a review was held late")
def late_reasons(request: HttpRequest) -> Any:
    _staff(request)
    return [{"id": r.pk, "label": r.label, "needs_detail": r.needs_detail}
            for r in LateReviewReason.objects.filter(active=True)]


@router.get("/audit-areas", response={200: list[ListItemOut], 404: ErrorOut}, summary="The areas the council's case-file audit rates")
def audit_areas(request: HttpRequest) -> Any:
    _staff(request)
    return [{"id": a.pk, "label": a.name} for a in AuditArea.objects.filter(active=True)]


class RatingIn(Schema):
    area_id: int
    rating: str = Field(description="outstanding, good, requires_improvement or inadequate")
    comment: str = Field("", max_length=10_000)


class QualityActionIn(Schema):
    description: str = Field("", max_length=2000)
    social_worker_id: uuid.UUID | None = Field(None, description="Left out: the child's allocated social worker")
    due_on: dt.date | None = None


class AuditIn(Schema):
    audited_on: dt.date
    ratings: list[RatingIn]
    summary: str = Field("", max_length=10_000)
    actions: list[QualityActionIn] = Field(default_factory=list, max_length=10)


class QualityActionOut(Schema):
    id: int
    child_id: uuid.UUID
    description: str
    raised_on: dt.date
    raised_by_id: uuid.UUID
    social_worker_id: uuid.UUID
    team_manager_id: uuid.UUID | None
    due_on: dt.date
    response: str
    responded_on: dt.date | None
    stage: int = Field(description="Dispute resolution stage: 0 not escalated")


class AuditOut(Schema):
    id: int
    child_id: uuid.UUID
    audited_on: dt.date
    actions: list[QualityActionOut]


@router.get("/children/{child_id}/audits", response={200: list[AuditOut], 404: ErrorOut},
            summary="The case-file audits of a child, newest first, with the actions raised")
def list_audits(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_audits")
    return [{"id": a.pk, "child_id": child.pk, "audited_on": a.audited_on, "actions": list(a.actions.all())}
            for a in child.case_audits.prefetch_related("actions")]


@router.post("/children/{child_id}/audits", response={201: AuditOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a case-file audit and raise actions with the social worker")
def record_audit(request: HttpRequest, child_id: str, payload: AuditIn) -> Any:
    child = _child(request, child_id, "api:record_audit")
    try:
        ratings = {r.area_id: (r.rating, r.comment) for r in payload.ratings}
        given = [ActionIn(description=a.description, owner_id=a.social_worker_id, due_on=a.due_on)
                 for a in payload.actions]
        audit = services.case_audit_record(
            actor=request.auth, child=child, audited_on=payload.audited_on, ratings=ratings, summary=payload.summary,
            actions=_actions(given, "qa_action_{}_owner"), today=timezone.localdate(), request_id=_rid(request),
            via="api",
        )
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, {"id": audit.pk, "child_id": child.pk, "audited_on": audit.audited_on,
                        "actions": list(audit.actions.all())})


@router.get("/actions", response={200: list[QualityActionOut], 404: ErrorOut},
            summary="IRO actions raised with you (as social worker or team manager) or by you")
def quality_actions(request: HttpRequest) -> Any:
    return list(selectors.quality_actions_for(_staff(request)))


def _action(request: HttpRequest, action_id: int, route: str) -> QualityAction:
    action = QualityAction.objects.filter(pk=action_id).first()
    if action is None:
        raise Http404("Not found")
    _child(request, str(action.child_id), route)
    return action


class ResponseIn(Schema):
    response: str = Field(max_length=10_000)


@router.post("/actions/{action_id}/response", response={200: QualityActionOut, 403: ErrorOut, 404: ErrorOut,
                                                        422: ErrorOut},
             summary="Answer an IRO's action (the social worker or team manager it was raised with)")
def respond(request: HttpRequest, action_id: int, payload: ResponseIn) -> Any:
    action = _action(request, action_id, "api:respond_to_action")
    try:
        return services.quality_action_respond(actor=request.auth, action=action, response=payload.response,
                                               today=timezone.localdate(), request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))


@router.post("/actions/{action_id}/escalation", response={200: QualityActionOut, 403: ErrorOut, 404: ErrorOut,
                                                          422: ErrorOut},
             summary="Escalate an unanswered, overdue action to the next dispute resolution stage")
def escalate(request: HttpRequest, action_id: int) -> Any:
    action = _action(request, action_id, "api:escalate_action")
    try:
        return services.quality_action_escalate(actor=request.auth, action=action, today=timezone.localdate(),
                                                request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))


class ComplianceOut(Schema):
    child_id: uuid.UUID
    name: str
    kind: str
    due: dt.date
    overdue: bool
    basis: str
    social_worker: str | None
    team: str | None


@router.get("/compliance", response={200: list[ComplianceOut], 404: ErrorOut, 422: ErrorOut},
            summary="Checks overdue or due in 7 days, most urgent first; narrow by team, by kind, or worker=me")
def compliance(request: HttpRequest, team: uuid.UUID | None = None, kind: str = "", worker: str = "") -> Any:
    user = _staff(request)
    chosen = None
    if team is not None:
        chosen = Team.objects.filter(pk=team).first()
        if chosen is None:
            return Status(422, {"detail": [{"loc": ["query", "team"], "msg": "Select a team that exists"}]})
    if kind and kind not in selectors.CHECK_KINDS:
        return Status(422, {"detail": [{"loc": ["query", "kind"],
                                        "msg": f"Kind must be one of {', '.join(selectors.CHECK_KINDS)}"}]})
    visible = selectors.scoped(access.children_visible_to(user), team=chosen, worker=user if worker == "me" else None)
    rows = selectors.compliance_list(visible, today=timezone.localdate(), calendar=council_calendar(),
                                     kinds=[kind] if kind else None)
    return [{"child_id": r.child.pk, "name": r.child.known_as, "kind": r.kind, "due": r.due, "overdue": r.overdue,
             "basis": r.basis, "social_worker": r.social_worker.display_name if r.social_worker else None,
             "team": r.social_worker.team.name if r.social_worker and r.social_worker.team else None} for r in rows]


class FigureOut(Schema):
    in_time: int
    of: int
    percent: int | None


class MeasuresOut(Schema):
    period: str
    label: str
    start: dt.date
    end: dt.date
    figures: dict[str, FigureOut]
    participation: dict[str, int]
    took_part: int
    took_part_of: int
    late_reasons: dict[str, int]


@router.get("/measures", response={200: list[MeasuresOut], 403: ErrorOut, 404: ErrorOut},
            summary="Reviews, visits, health assessments and PEPs in time, participation and late reasons, by "
                    "month (by=month) or financial quarter (by=quarter)")
def measures(request: HttpRequest, by: str = "month") -> Any:
    user = _staff(request)
    if user.role not in MEASURE_ROLES:
        return Status(403, {"detail": [{"loc": [], "msg": "You cannot see the review measures"}]})
    today = timezone.localdate()
    data = selectors.measure_data(access.children_visible_to(user), today=today, calendar=council_calendar())
    rows = selectors.measures(data, selectors.reporting_periods(today, by="quarter" if by == "quarter" else "month"),
                              today=today)
    return [{
        "period": r.period.key, "label": r.period.label, "start": r.period.start, "end": r.period.end,
        "figures": {key: {"in_time": f.count, "of": f.of, "percent": f.percent} for key, f in r.figures.items()
                    if key in MEASURES},
        "participation": r.participation.by_code, "took_part": r.participation.took_part,
        "took_part_of": r.participation.of, "late_reasons": dict(r.late_reasons),
    } for r in rows]


class CheckIn(Schema):
    kind: str = Field(description="visit, health_assessment, pep or care_plan")
    on: dt.date
    seen_alone: bool | None = Field(None, description="Visits only")
    dental_check_on: dt.date | None = Field(None, description="Health assessments only")
    immunisations_up_to_date: bool | None = Field(None, description="Health assessments only")
    sdq_score: int | None = Field(None, description="Health assessments only: the SDQ total difficulties score, 0 to 40")
    sdq_reason: str = Field("", description="Health assessments only: why there is no SDQ score, SDQ1 to SDQ5")


class CheckRecordedOut(Schema):
    kind: str
    on: dt.date
    checks: list[CheckOut] = Field(description="The child's checks still to do, after this one")


@router.get("/children/{child_id}/checks", response={200: list[CheckOut], 404: ErrorOut},
            summary="A child's checks still to do: reviews, visits, health assessments, PEPs and the care plan")
def list_checks(request: HttpRequest, child_id: str) -> Any:
    return _checks(_child(request, child_id, "api:list_checks"))


@router.post("/children/{child_id}/checks", response={201: CheckRecordedOut, 403: ErrorOut, 404: ErrorOut,
                                                      422: ErrorOut},
             summary="Record a visit, a health assessment, a PEP review or an agreed care plan")
def record_check(request: HttpRequest, child_id: str, payload: CheckIn) -> Any:
    child = _child(request, child_id, "api:record_check")
    try:
        services.check_record(actor=request.auth, child=child, today=timezone.localdate(), request_id=_rid(request),
                              via="api", **payload.dict())
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, {"kind": payload.kind, "on": payload.on, "checks": _checks(child)})


class HealthAssessmentOut(Schema):
    id: int
    assessed_on: dt.date
    dental_check_on: dt.date | None
    immunisations_up_to_date: bool | None
    sdq_score: int | None = Field(description="The SDQ total difficulties score, 0 to 40; empty when not recorded")
    sdq_reason: str = Field(description="Why there is no SDQ score, SDQ1 to SDQ5; empty when there is a score or "
                                        "none is recorded yet")


class SdqIn(Schema):
    assessment_id: int = Field(description="A health assessment of the child recorded without its SDQ")
    sdq_score: int | None = Field(None, description="The SDQ total difficulties score, 0 to 40")
    sdq_reason: str = Field("", max_length=10, description="Why there is no SDQ score, SDQ1 to SDQ5")


@router.get("/children/{child_id}/health-assessments", response={200: list[HealthAssessmentOut], 404: ErrorOut},
            summary="A child's health assessments, newest first, with the dental check, immunisations and SDQ")
def list_health_assessments(request: HttpRequest, child_id: str) -> Any:
    return list(_child(request, child_id, "api:list_health_assessments").health_assessments.all())


@router.get("/children/{child_id}/health-assessments/sdq", response={200: list[HealthAssessmentOut], 404: ErrorOut},
            summary="A child's health assessments still without their SDQ, newest first")
def list_health_assessments_without_sdq(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_health_assessments_without_sdq")
    return list(child.health_assessments.filter(sdq_score__isnull=True, sdq_reason=""))


@router.post("/children/{child_id}/health-assessments/sdq",
             response={200: HealthAssessmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Add the SDQ to a health assessment recorded without one")
def add_sdq(request: HttpRequest, child_id: str, payload: SdqIn) -> Any:
    child = _child(request, child_id, "api:add_sdq")
    assessment = child.health_assessments.filter(pk=payload.assessment_id).first()
    if assessment is None:
        return Status(422, validation_errors(ValidationError(
            {"assessment_id": "Select one of the child's health assessments"})))
    try:
        return services.health_assessment_sdq_record(actor=request.auth, assessment=assessment,
                                                     sdq_score=payload.sdq_score, sdq_reason=payload.sdq_reason,
                                                     request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))


class OutcomeEventIn(Schema):
    kind: str = Field(description="substance_misuse, conviction, final_warning or reprimand")
    happened_on: dt.date
    intervention_received: bool | None = Field(None, description="Substance misuse only: required")
    intervention_offered: bool | None = Field(None, description="Substance misuse only: required when not received")


class OutcomeEventOut(Schema):
    id: int
    kind: str
    happened_on: dt.date
    intervention_received: bool | None
    intervention_offered: bool | None


@router.get("/children/{child_id}/outcome-events", response={200: list[OutcomeEventOut], 404: ErrorOut},
            summary="A child's substance misuse problems, convictions, final warnings and reprimands, newest first")
def list_outcome_events(request: HttpRequest, child_id: str) -> Any:
    return list(_child(request, child_id, "api:list_outcome_events").outcome_events.all())


@router.post("/children/{child_id}/outcome-events", response={201: OutcomeEventOut, 403: ErrorOut, 404: ErrorOut,
                                                              422: ErrorOut},
             summary="Record a substance misuse problem identified, or a conviction, final warning or reprimand")
def record_outcome_event(request: HttpRequest, child_id: str, payload: OutcomeEventIn) -> Any:
    child = _child(request, child_id, "api:record_outcome_event")
    try:
        event = services.outcome_event_record(actor=request.auth, child=child, today=timezone.localdate(),
                                              request_id=_rid(request), via="api", **payload.dict())
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, event)


class ParentIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=254)


class InvitationsIn(Schema):
    review_on: dt.date
    parents: list[ParentIn] = Field(default_factory=list, max_length=2)


class InvitationOut(Schema):
    id: int
    review_on: dt.date
    invitee: str = Field(description="child, carer, parent or professional")
    name: str
    email: str = Field(description="Empty: a letter to print")
    language: str


@router.get("/children/{child_id}/invitations", response={200: list[InvitationOut], 404: ErrorOut},
            summary="Invitations sent to the child's reviews")
def list_invitations(request: HttpRequest, child_id: str) -> Any:
    return list(_child(request, child_id, "api:list_invitations").review_invitations.all())


@router.post("/children/{child_id}/invitations", response={201: list[InvitationOut], 403: ErrorOut, 404: ErrorOut,
                                                           422: ErrorOut},
             summary="Invite the child, carer, parents and professionals to the review, in one action")
def send_invitations(request: HttpRequest, child_id: str, payload: InvitationsIn) -> Any:
    child = _child(request, child_id, "api:send_invitations")
    try:
        rows = services_invitations.invitations_send(
            actor=request.auth, child=child, review_on=payload.review_on, today=timezone.localdate(),
            parents=[(p.name, p.email) for p in payload.parents], request_id=_rid(request), via="api")
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(201, rows)
