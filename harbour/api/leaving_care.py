"""Leaving care through the API: the personal adviser's caseload and who is due a contact, a young
person's leaving-care record, and recording contacts (SSDA903 OC3 codes), pathway plans and
placement extensions. The same services as the pages."""

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
from harbour.accounts.models import Role, Scope, User
from harbour.children.models import Child
from harbour.leaving_care import selectors, services, services_after18
from harbour.leaving_care.models import (
    AccommodationEnding,
    AdviserContact,
    DutyToRefer,
    HumanRightsAssessment,
    LivingArrangement,
    PathwayPlan,
    PlacementExtension,
    SupportTo25,
)

from .errors import forbidden, request_id, validation_errors
from .schemas import ErrorOut

router = Router(tags=["leaving care"])


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    if access.is_partner(request.auth):
        raise Http404("No child found")
    return access.access_child(request.auth, child_id, route=route, request_id=request_id(request))


class CaseloadRowOut(Schema):
    child_id: uuid.UUID
    name: str
    age: int | None
    status: str | None = Field(description="eligible, relevant, former_relevant, qualifying or null")
    allocated_on: dt.date
    last_contact: dt.date | None
    contact_due: dt.date | None = Field(description="Null when they are not a care leaver")
    contact_overdue: bool
    due_a_contact: bool = Field(description="Overdue, or due within 14 days")
    pathway_review_due: dt.date | None
    pathway_review_overdue: bool
    awaiting_asylum_decision: bool
    placement_extended: bool


@router.get("/caseload", response={200: list[CaseloadRowOut], 403: ErrorOut, 404: ErrorOut},
            summary="A personal adviser's caseload, soonest contact first",
            description="A personal adviser gets their own; team leaders and managers pass adviser_id.")
def caseload(request: HttpRequest, adviser_id: uuid.UUID | None = None) -> Any:
    user: User = request.auth
    if user.role == Role.PERSONAL_ADVISER and adviser_id in (None, user.pk):
        adviser: User | None = user
    elif user.scope in {Scope.TEAM, Scope.SERVICE} and adviser_id is not None:
        adviser = User.objects.filter(pk=adviser_id, role=Role.PERSONAL_ADVISER).first()
        if adviser is None:
            return Status(404, {"detail": [{"loc": ["query", "adviser_id"], "msg": "No personal adviser found"}]})
    else:
        return Status(403, {"detail": [{"loc": [], "msg": "Only personal advisers, or leaders naming an adviser, "
                                                          "may read a caseload"}]})
    today = timezone.localdate()
    rows = selectors.caseload_rows(adviser=adviser, visible=access.children_visible_to(user), today=today)
    return [{
        "child_id": r.child.pk, "name": r.child.known_as, "age": r.age, "status": r.status.value if r.status else None,
        "allocated_on": r.allocated_on, "last_contact": r.last_contact,
        "contact_due": r.contact.due if r.contact else None, "contact_overdue": bool(r.contact and r.contact.overdue), "due_a_contact": r.due_a_contact(today),
        "pathway_review_due": r.pathway.due if r.pathway else None,
        "pathway_review_overdue": bool(r.pathway and r.pathway.overdue),
        "awaiting_asylum_decision": r.awaiting_decision, "placement_extended": r.extension is not None,
    } for r in rows]


class ContactIn(Schema):
    contacted_on: dt.date
    in_touch: str = Field(description="SSDA903 OC3 IN_TOUCH: YES, NO, DIED, REFU, NREQ, RHOM")
    activity: str = Field(description="SSDA903 OC3 ACTIV: F1, P1, F2, P2, F4, P4, F5, P5, G4, G5, G6 or 0")
    accommodation: str = Field(description="SSDA903 OC3 ACCOM letter: B, C, D, E, G, H, K, R, S, T, U, V, W, X, Y, Z or 0")
    accommodation_suitable: bool | None = None
    note: str = ""


class ContactOut(ContactIn):
    id: int
    oc3_accom: str = Field(description="The OC3 ACCOM value: letter and 1 (suitable) or 2 (not)")
    adviser: str


def _contact_out(c: AdviserContact) -> dict[str, Any]:
    return {"id": c.pk, "contacted_on": c.contacted_on, "in_touch": c.in_touch, "activity": c.activity,
            "accommodation": c.accommodation, "accommodation_suitable": c.accommodation_suitable, "note": c.note,
            "oc3_accom": c.oc3_accom, "adviser": c.adviser.display_name}


class PathwayPlanIn(Schema):
    kind: str = Field(description="plan or review")
    held_on: dt.date
    plan_if_leave_granted: str = ""
    plan_if_no_decision: str = ""
    plan_if_refused: str = ""


class PathwayPlanOut(PathwayPlanIn):
    id: int


class ExtensionIn(Schema):
    starts_on: dt.date
    review_on: dt.date
    weekly_cost: Decimal = Field(max_digits=8, decimal_places=2)
    funding_source: str = Field(description="council, home_office, both or other")
    reason: str


class ExtensionOut(ExtensionIn):
    id: int
    placement_id: int | None


def _extension_out(e: PlacementExtension) -> dict[str, Any]:
    return {"id": e.pk, "starts_on": e.starts_on, "review_on": e.review_on, "weekly_cost": e.weekly_cost,
            "funding_source": e.funding_source, "reason": e.reason, "placement_id": e.placement_id}


class YoungPersonOut(Schema):
    child_id: uuid.UUID
    status: str | None
    personal_adviser: str | None
    contact_due: dt.date | None
    pathway_review_due: dt.date | None
    awaiting_asylum_decision: bool
    contacts: list[ContactOut]
    pathway_plans: list[PathwayPlanOut]
    extensions: list[ExtensionOut]


@router.get("/children/{child_id}", response={200: YoungPersonOut, 404: ErrorOut},
            summary="A young person's leaving-care record")
def young_person(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:leaving_care_young_person")
    s = selectors.young_person(child=child, today=timezone.localdate())
    return {
        "child_id": child.pk, "status": s.status.value if s.status else None,
        "personal_adviser": s.adviser.worker.display_name if s.adviser else None,
        "contact_due": s.contact.due if s.contact else None, "pathway_review_due": s.pathway.due if s.pathway else None,
        "awaiting_asylum_decision": s.awaiting_decision, "contacts": [_contact_out(c) for c in s.contacts],
        "pathway_plans": [{"id": p.pk, "kind": p.kind, "held_on": p.held_on,
                           "plan_if_leave_granted": p.plan_if_leave_granted,
                           "plan_if_no_decision": p.plan_if_no_decision, "plan_if_refused": p.plan_if_refused}
                          for p in s.plans],
        "extensions": [_extension_out(e) for e in s.extensions],
    }


def _write(request: HttpRequest, write: Any) -> Any:
    try:
        return write()
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))


@router.post("/children/{child_id}/contacts", response={201: ContactOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a personal adviser's contact with OC3 codes")
def record_contact(request: HttpRequest, child_id: str, payload: ContactIn) -> Any:
    child = _child(request, child_id, "api:record_contact")

    def write() -> Any:
        contact = services.adviser_contact_record(actor=request.auth, child=child, **payload.model_dump(),
                                                  today=timezone.localdate(), request_id=request_id(request), via="api")
        return Status(201, _contact_out(contact))
    return _write(request, write)


@router.post("/children/{child_id}/pathway-plans",
             response={201: PathwayPlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record the pathway plan or a review, with the triple plan")
def record_pathway_plan(request: HttpRequest, child_id: str, payload: PathwayPlanIn) -> Any:
    child = _child(request, child_id, "api:record_pathway_plan")

    def write() -> Any:
        plan: PathwayPlan = services.pathway_plan_record(actor=request.auth, child=child, **payload.model_dump(),
                                                         today=timezone.localdate(), request_id=request_id(request),
                                                         via="api")
        return Status(201, {"id": plan.pk, **payload.model_dump()})
    return _write(request, write)


@router.post("/children/{child_id}/extensions",
             response={201: ExtensionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Extend a placement past 18 while an asylum decision is awaited")
def record_extension(request: HttpRequest, child_id: str, payload: ExtensionIn) -> Any:
    child = _child(request, child_id, "api:record_extension")

    def write() -> Any:
        extension = services.placement_extension_record(actor=request.auth, child=child, **payload.model_dump(),
                                                        today=timezone.localdate(), request_id=request_id(request),
                                                        via="api")
        return Status(201, _extension_out(extension))
    return _write(request, write)


# --- After 18: support to 25, Staying Put and Staying Close, human rights, housing ---------------


class RecordedOut(Schema):
    id: int
    kind: str


class SupportTo25In(Schema):
    requested_on: dt.date


class LivingArrangementIn(Schema):
    kind: str = Field(description="staying_put or staying_close")
    starts_on: dt.date
    ends_on: dt.date | None = None
    carer_or_provider: str = Field(max_length=200)


class HumanRightsAssessmentIn(Schema):
    completed_on: dt.date
    outcome: str = Field(description="continues or ends")
    reasons: str


class DutyToReferIn(Schema):
    referred_on: dt.date
    housing_authority: str = Field(max_length=200, description="The authority the young person chose")
    consent_to_refer: bool
    consent_to_share_contact_details: bool
    outcome: str = Field("awaited", description="awaited, prevention, relief, accommodated or no_duty")
    outcome_on: dt.date | None = None


class AccommodationEndingIn(Schema):
    kind: str = Field(description="notice or placement_ending")
    known_on: dt.date
    ends_on: dt.date
    next_home: str = Field("", max_length=300, description="Empty while there is none: on the at-risk list")


def _record(request: HttpRequest, child_id: str, kind: str, save: Any, payload: Schema) -> Any:
    child = _child(request, child_id, f"api:record_{kind}")

    def write() -> Any:
        saved = save(actor=request.auth, child=child, **payload.model_dump(), today=timezone.localdate(),
                     request_id=request_id(request), via="api")
        return Status(201, {"id": saved.pk, "kind": kind})
    return _write(request, write)


RECORD_RESPONSES = {201: RecordedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post("/children/{child_id}/support-to-25", response=RECORD_RESPONSES,
             summary="Record a former relevant young person's request for a personal adviser to 25")
def record_support_to_25(request: HttpRequest, child_id: str, payload: SupportTo25In) -> Any:
    return _record(request, child_id, "support_to_25", services_after18.support_to_25_record, payload)


@router.post("/children/{child_id}/living-arrangements", response=RECORD_RESPONSES,
             summary="Record Staying Put or Staying Close")
def record_living_arrangement(request: HttpRequest, child_id: str, payload: LivingArrangementIn) -> Any:
    return _record(request, child_id, "living_arrangement", services_after18.living_arrangement_record, payload)


@router.post("/children/{child_id}/human-rights-assessments", response=RECORD_RESPONSES,
             summary="Record a human rights assessment (appeal rights exhausted)")
def record_human_rights_assessment(request: HttpRequest, child_id: str, payload: HumanRightsAssessmentIn) -> Any:
    return _record(request, child_id, "human_rights_assessment", services_after18.human_rights_assessment_record,
                   payload)


@router.post("/children/{child_id}/duty-to-refer", response=RECORD_RESPONSES,
             summary="Record a referral to a housing authority under the duty to refer")
def record_duty_to_refer(request: HttpRequest, child_id: str, payload: DutyToReferIn) -> Any:
    return _record(request, child_id, "duty_to_refer", services_after18.duty_to_refer_record, payload)


@router.post("/children/{child_id}/accommodation-endings", response=RECORD_RESPONSES,
             summary="Record notice served or accommodation ending")
def record_accommodation_ending(request: HttpRequest, child_id: str, payload: AccommodationEndingIn) -> Any:
    return _record(request, child_id, "accommodation_ending", services_after18.accommodation_ending_record, payload)


class AtRiskOut(Schema):
    child_id: uuid.UUID
    name: str
    reasons: list[str]
    must_leave_by: dt.date | None
    referred_to_housing: bool
    refer_now: bool


@router.get("/at-risk", response={200: list[AtRiskOut], 403: ErrorOut},
            summary="Care leavers at risk of homelessness: notice served or accommodation ending with no next home")
def at_risk(request: HttpRequest) -> Any:
    user: User = request.auth
    if user.role != Role.PERSONAL_ADVISER and user.scope not in {Scope.TEAM, Scope.SERVICE}:
        return Status(403, {"detail": [{"loc": [], "msg": "Only personal advisers and leaders may read this list"}]})
    today = timezone.localdate()
    rows = selectors.at_risk(visible=access.children_visible_to(user),
                             adviser=user if user.role == Role.PERSONAL_ADVISER else None, today=today)
    return [{"child_id": r.child.pk, "name": r.child.known_as, "reasons": r.reasons, "must_leave_by": r.ends_on,
             "referred_to_housing": r.referred, "refer_now": r.refer_now(today)} for r in rows]


# --- Reading back what was recorded: every child route answers GET, so scoping is checked the same way.


def _listed(request: HttpRequest, child_id: str, route: str, model: type, schema: type[Schema]) -> list[dict[str, Any]]:
    child = _child(request, child_id, route)
    fields = [f for f in schema.model_fields if f != "id"]
    return [{"id": row.pk, **{f: getattr(row, f) for f in fields}} for row in model.objects.filter(child=child)]


class SupportTo25Out(SupportTo25In):
    id: int
    declined_on: dt.date | None


class LivingArrangementOut(LivingArrangementIn):
    id: int


class HumanRightsAssessmentOut(HumanRightsAssessmentIn):
    id: int


class DutyToReferOut(DutyToReferIn):
    id: int


class AccommodationEndingOut(AccommodationEndingIn):
    id: int


@router.get("/children/{child_id}/contacts", response={200: list[ContactOut], 404: ErrorOut},
            summary="A young person's contacts with OC3 codes, newest first")
def list_contacts(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_contacts")
    return [_contact_out(c) for c in AdviserContact.objects.filter(child=child).select_related("adviser")]


@router.get("/children/{child_id}/pathway-plans", response={200: list[PathwayPlanOut], 404: ErrorOut},
            summary="A young person's pathway plan and reviews, newest first")
def list_pathway_plans(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_pathway_plans", PathwayPlan, PathwayPlanOut)


@router.get("/children/{child_id}/extensions", response={200: list[ExtensionOut], 404: ErrorOut},
            summary="Placement extensions past 18")
def list_extensions(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:list_extensions")
    return [_extension_out(e) for e in PlacementExtension.objects.filter(child=child)]


@router.get("/children/{child_id}/support-to-25", response={200: list[SupportTo25Out], 404: ErrorOut},
            summary="Requests for a personal adviser to 25")
def list_support_to_25(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_support_to_25", SupportTo25, SupportTo25Out)


@router.get("/children/{child_id}/living-arrangements", response={200: list[LivingArrangementOut], 404: ErrorOut},
            summary="Staying Put and Staying Close arrangements")
def list_living_arrangements(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_living_arrangements", LivingArrangement, LivingArrangementOut)


@router.get("/children/{child_id}/human-rights-assessments",
            response={200: list[HumanRightsAssessmentOut], 404: ErrorOut}, summary="Human rights assessments")
def list_human_rights_assessments(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_human_rights_assessments", HumanRightsAssessment,
                   HumanRightsAssessmentOut)


@router.get("/children/{child_id}/duty-to-refer", response={200: list[DutyToReferOut], 404: ErrorOut},
            summary="Referrals to housing authorities")
def list_duty_to_refer(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_duty_to_refer", DutyToRefer, DutyToReferOut)


@router.get("/children/{child_id}/accommodation-endings", response={200: list[AccommodationEndingOut], 404: ErrorOut},
            summary="Notice served and accommodation ending")
def list_accommodation_endings(request: HttpRequest, child_id: str) -> Any:
    return _listed(request, child_id, "api:list_accommodation_endings", AccommodationEnding, AccommodationEndingOut)
