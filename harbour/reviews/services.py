"""Recording looked-after reviews and the IRO's quality assurance: every write keyword-only,
checked against the rules, atomic and audited; emails go through the outbox after commit.

A review's due date and whether it was late come from the deadlines engine (through
`harbour.domain.review_rules.review_occurrence`), never typed. Bad input raises
`ValidationError` keyed by the field, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Allocation, Role, User
from harbour.audit.services import record_change, snapshot
from harbour.children.models import Child
from harbour.children.selectors import case_timelines
from harbour.core.calendar import council_calendar
from harbour.core.outbox import queue_email
from harbour.domain.deadlines import Deadline
from harbour.domain.formatting import long_date
from harbour.domain.oc2 import sdq_errors
from harbour.domain.review_rules import (
    DISPUTE_STAGES,
    escalation_error,
    is_late,
    participation_error,
    review_occurrence,
)

from .models import (
    AuditArea,
    AuditRating,
    CarePlan,
    CaseAudit,
    HealthAssessment,
    LateReviewReason,
    OutcomeEvent,
    PersonalEducationPlan,
    QualityAction,
    Review,
    ReviewAction,
    Visit,
)

REVIEWING_ROLES = frozenset({Role.IRO, Role.IRO_MANAGER})
MAX_TEXT = 10_000
MAX_ACTIONS = 10


def may_review(user: Any) -> bool:
    """Independent reviewing officers and their manager chair reviews and audit case files."""
    return getattr(user, "role", None) in REVIEWING_ROLES


def _require_reviewer(user: Any) -> None:
    if not may_review(user):
        raise PermissionDenied("Only independent reviewing officers and their manager may do this")


@dataclass(frozen=True)
class ActionInput:
    """One action as typed: an empty row (no words, no owner, no date) is left out."""

    description: str
    owner: User | None
    due_on: dt.date | None

    @property
    def empty(self) -> bool:
        return not self.description.strip() and self.owner is None and self.due_on is None


def _action_errors(actions: list[ActionInput], *, prefix: str, starts: dt.date, owner_words: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(actions) > MAX_ACTIONS:
        errors[f"{prefix}_1_description"] = f"Record {MAX_ACTIONS} actions or fewer at a time"
    for number, action in enumerate(actions, start=1):
        if action.empty:
            continue
        key = f"{prefix}_{number}"
        if not action.description.strip():
            errors[f"{key}_description"] = f"Enter what action {number} is"
        if action.owner is None:
            errors[f"{key}_owner"] = f"Select {owner_words} action {number}"
        if action.due_on is None:
            errors[f"{key}_due_on"] = f"Enter the date action {number} is due"
        elif action.due_on < starts:
            errors[f"{key}_due_on"] = f"The date action {number} is due must be on or after {long_date(starts)}"
    return errors


def _timeline(child: Child) -> Any:
    return case_timelines([child.pk], {child.pk: child.date_of_birth})[child.pk]


def _held_on_errors(child: Child, held_on: dt.date, today: dt.date) -> tuple[dict[str, str], Deadline | None]:
    """The review's date checked against today and the child's periods looked after, and the
    occurrence of the review clock it discharges."""
    timeline = _timeline(child)
    first = min((p.start for p in timeline.periods_looked_after), default=None)
    if held_on > today:
        return {"held_on": "Date the review was held must be today or in the past"}, None
    if first is None:
        return {"held_on": "The child has no period looked after: record when they became looked after first"}, None
    if held_on < first:
        return {"held_on": "Date the review was held must be on or after the day the child became looked after, "
                           f"{long_date(first)}"}, None
    occurrence = review_occurrence(timeline, held_on, today=today, calendar=council_calendar())
    if occurrence is None:
        return {"held_on": f"The child was not looked after on {long_date(held_on)}: check the date"}, None
    if Review.objects.filter(child=child, held_on=held_on).exists():
        return {"held_on": f"A review held on {long_date(held_on)} is already recorded"}, occurrence
    return {}, occurrence


def review_record(
    *,
    actor: User,
    child: Child,
    held_on: dt.date,
    participation: str,
    views_gathered: str = "",
    child_views: str = "",
    attendees: str = "",
    care_plan_view: str = "",
    late_reason: LateReviewReason | None = None,
    late_reason_detail: str = "",
    actions: list[ActionInput] | None = None,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Review:
    """Record a review held, with its actions, in one transaction.

    Refused: a date in the future or outside every period the child was looked after, a
    participation code that does not fit the child's age (PN0 only under 4), a late review
    without a reason from the council's list (and words for "Other"), an action without
    words, an owner or a due date.
    """
    _require_reviewer(actor)
    actions = [a for a in (actions or []) if not a.empty]
    errors, occurrence = _held_on_errors(child, held_on, today)
    if participation not in Review.Participation.values:
        errors["participation"] = "Select how the child took part in the review"
    elif "held_on" not in errors and (problem := participation_error(participation, child.date_of_birth, held_on)):
        errors["participation"] = problem
    if views_gathered and views_gathered not in Review.ViewsGathered.values:
        errors["views_gathered"] = "Select how the child's views were gathered"
    for field, text in (("child_views", child_views), ("attendees", attendees), ("care_plan_view", care_plan_view)):
        if len(text) > MAX_TEXT:
            errors[field] = f"Enter {MAX_TEXT:,} characters or fewer"
    late = occurrence is not None and is_late(occurrence)
    if late and occurrence is not None:
        if late_reason is None:
            errors["late_reason"] = f"The review was due by {long_date(occurrence.due)}: select why it was held late"
        elif late_reason.needs_detail and not late_reason_detail.strip():
            errors["late_reason_detail"] = "Enter why the review was held late"
    errors.update(_action_errors(actions, prefix="action", starts=held_on, owner_words="who owns"))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        review = Review.objects.create(
            child=child, held_on=held_on, chair=actor, participation=participation,
            due_on=occurrence.due if occurrence else None,
            late_reason=late_reason if late else None,
            late_reason_detail=late_reason_detail.strip() if late else "",
            attendees=attendees.strip(), child_views=child_views.strip(), views_gathered=views_gathered,
            care_plan_view=care_plan_view.strip(), recorded_by=actor, recorded_at=timezone.now(),
        )
        record_change(actor=actor, action="create", instance=review, child_id=child.pk, request_id=request_id, via=via)
        for action in actions:
            row = ReviewAction.objects.create(review=review, description=action.description.strip(),
                                              owner=action.owner, due_on=action.due_on)
            record_change(actor=actor, action="create", instance=row, child_id=child.pk, request_id=request_id,
                          via=via)
    return review


# --- Quality assurance ----------------------------------------------------------------------


def allocated_social_worker(child: Child) -> User | None:
    allocation = (Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER, end__isnull=True)
                  .select_related("worker__team").first())
    return allocation.worker if allocation else None


def team_manager_for(worker: User) -> User | None:
    """The team manager of the social worker's team, else any active team manager."""
    managers = User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).order_by("last_name", "username")
    return managers.filter(team_id=worker.team_id).first() or managers.first()


def _tell(user: User | None, subject: str, path: str) -> None:
    # No personal details in the email: the link leads to the record, behind sign-in.
    if user is not None and user.email:
        queue_email(to=user.email, subject=subject,
                    body=f"{subject}.\n\nSign in to Harbour to see it: {path}\n")


def case_audit_record(
    *,
    actor: User,
    child: Child,
    audited_on: dt.date,
    ratings: dict[int, tuple[str, str]],
    summary: str = "",
    actions: list[ActionInput] | None = None,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> CaseAudit:
    """Record a case-file audit: every area the council sets rated, with a comment, and the
    actions raised from it to the child's social worker (and their team manager), each
    with a due date. One transaction; the social worker and manager are emailed after commit.

    ``ratings`` maps each area's id to (rating, comment). Each action's ``owner`` is the social
    worker it is raised to; None takes the child's allocated social worker.
    """
    _require_reviewer(actor)
    actions = [a for a in (actions or []) if not a.empty]
    errors: dict[str, str] = {}
    if audited_on > today:
        errors["audited_on"] = "Date of the audit must be today or in the past"
    areas = list(AuditArea.objects.filter(active=True))
    for area in areas:
        rating, comment = ratings.get(area.pk, ("", ""))
        if rating not in AuditRating.Rating.values:
            errors[f"area_{area.pk}_rating"] = f"Select a rating for {area.name.lower()}"
        if len(comment) > MAX_TEXT:
            errors[f"area_{area.pk}_comment"] = f"Enter {MAX_TEXT:,} characters or fewer"
    unknown = set(ratings) - {area.pk for area in areas}
    if unknown:
        errors["ratings"] = "Rate only the areas the council's audit tool sets"
    allocated = allocated_social_worker(child)
    resolved = [ActionInput(a.description, a.owner or allocated, a.due_on) for a in actions]
    for number, action in enumerate(resolved, start=1):
        if action.owner is not None and action.owner.role not in {Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER,
                                                                   Role.TEAM_LEADER}:
            errors[f"qa_action_{number}_owner"] = f"Select a social worker for action {number}"
    errors.update(_action_errors(resolved, prefix="qa_action", starts=audited_on,
                                 owner_words="the social worker for"))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        audit = CaseAudit.objects.create(child=child, auditor=actor, audited_on=audited_on, summary=summary.strip())
        record_change(actor=actor, action="create", instance=audit, child_id=child.pk, request_id=request_id, via=via)
        AuditRating.objects.bulk_create([
            AuditRating(audit=audit, area=area, rating=ratings[area.pk][0], comment=ratings[area.pk][1].strip())
            for area in areas
        ])
        for action in resolved:
            assert action.owner is not None and action.due_on is not None  # checked above
            manager = team_manager_for(action.owner)
            row = QualityAction.objects.create(
                child=child, audit=audit, raised_by=actor, raised_on=audited_on, description=action.description.strip(),
                social_worker=action.owner, team_manager=manager, team_id=action.owner.team_id, due_on=action.due_on,
            )
            record_change(actor=actor, action="create", instance=row, child_id=child.pk, request_id=request_id,
                          via=via)
            path = reverse("reviews:action", args=[row.pk])
            _tell(action.owner, "An IRO has raised an action with you", path)
            _tell(manager, "An IRO has raised an action with your team", path)
    return audit


def may_answer(user: Any, action: QualityAction) -> bool:
    return getattr(user, "pk", None) in {action.social_worker_id, action.team_manager_id}


def quality_action_respond(
    *, actor: User, action: QualityAction, response: str, today: dt.date, request_id: str = "", via: str = "web",
) -> QualityAction:
    """The social worker's (or team manager's) answer to an IRO's action."""
    if not may_answer(actor, action):
        raise PermissionDenied("Only the social worker or team manager the action was raised with may answer it")
    if action.answered:
        raise ValidationError({"response": "The action has already been answered"})
    if not response.strip():
        raise ValidationError({"response": "Enter your response to the action"})
    if len(response) > MAX_TEXT:
        raise ValidationError({"response": f"Enter {MAX_TEXT:,} characters or fewer"})
    with transaction.atomic():
        locked = QualityAction.objects.select_for_update().get(pk=action.pk)
        if locked.answered:
            raise ValidationError({"response": "The action has already been answered"})
        before = snapshot(locked)
        locked.response, locked.responded_on, locked.responded_by = response.strip(), today, actor
        locked.save(update_fields=["response", "responded_on", "responded_by"])
        record_change(actor=actor, action="update", instance=locked, child_id=locked.child_id, before=before,
                      request_id=request_id, via=via)
        _tell(locked.raised_by, "A social worker has answered your action", reverse("reviews:action", args=[locked.pk]))
    return locked


def quality_action_escalate(
    *, actor: User, action: QualityAction, today: dt.date, request_id: str = "", via: str = "web",
) -> QualityAction:
    """Move an unanswered, overdue action to the next dispute resolution stage."""
    _require_reviewer(actor)
    with transaction.atomic():
        locked = QualityAction.objects.select_for_update().get(pk=action.pk)
        problem = escalation_error(stage=locked.stage, due_on=locked.due_on, answered=locked.answered, today=today)
        if problem:
            raise ValidationError({"stage": problem})
        before = snapshot(locked)
        locked.stage += 1
        locked.escalated_on = today
        locked.save(update_fields=["stage", "escalated_on"])
        record_change(actor=actor, action="update", instance=locked, child_id=locked.child_id, before=before,
                      request_id=request_id, via=via)
        subject = f"An IRO's action has been escalated to {DISPUTE_STAGES[locked.stage].raised_with}"
        path = reverse("reviews:action", args=[locked.pk])
        _tell(locked.social_worker, subject, path)
        _tell(locked.team_manager, subject, path)
    return locked


# --- Visits, health assessments, PEPs and care plans ---------------------------------------

CHECK_MODELS = {"visit": (Visit, "visited_on"), "health_assessment": (HealthAssessment, "assessed_on"),
                "pep": (PersonalEducationPlan, "reviewed_on"), "care_plan": (CarePlan, "agreed_on")}
CHECK_WORDS = {"visit": "visit", "health_assessment": "health assessment", "pep": "PEP review",
               "care_plan": "care plan"}


def may_record_checks(user: Any) -> bool:
    """Those who keep the child's record (social workers, team leaders and managers, personal
    advisers) record visits, health assessments, PEPs and care plans."""
    return getattr(user, "role", None) in {Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER,
                                           Role.PERSONAL_ADVISER}


def check_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    on: dt.date,
    seen_alone: bool | None = None,
    dental_check_on: dt.date | None = None,
    immunisations_up_to_date: bool | None = None,
    sdq_score: int | None = None,
    sdq_reason: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Any:
    """Record a statutory visit, a health assessment (with the dental check, immunisations and the
    Strengths and Difficulties Questionnaire), a PEP review or an agreed care plan. The clocks follow
    from it through the deadlines engine; the SSDA903 OC2 file reads the SDQ from it.

    Refused: a date in the future, or outside every period the child was looked after (a health
    assessment may be up to 3 months before: SI 2010/959 reg 7, reference.md 2.4), the same check
    twice on one day, a dental check after today, an SDQ that is not a score from 0 to 40 or a
    reason (harbour.domain.oc2.sdq_errors), an SDQ with anything but a health assessment."""
    if not may_record_checks(actor):
        raise PermissionDenied("Only the child's social worker, their team leader or manager may record checks")
    if kind not in CHECK_MODELS:
        raise ValidationError({"kind": "Select what you are recording"})
    model, field = CHECK_MODELS[kind]
    words = CHECK_WORDS[kind]
    errors: dict[str, str] = {}
    periods = _timeline(child).periods_looked_after
    grace = dt.timedelta(days=92) if kind == "health_assessment" else dt.timedelta(0)
    if on > today:
        errors["on"] = f"Date of the {words} must be today or in the past"
    elif not any(p.start - grace <= on and (p.end is None or on <= p.end) for p in periods):
        errors["on"] = (f"The child was not looked after on {long_date(on)}: a {words} must be in a period of care"
                        if periods else "The child has no period looked after: record when they became looked after "
                                        "first")
    elif model.objects.filter(child=child, **{field: on}).exists():
        errors["on"] = f"A {words} on {long_date(on)} is already recorded"
    if dental_check_on is not None and dental_check_on > today:
        errors["dental_check_on"] = "Date of the dental check must be today or in the past"
    sdq_reason = sdq_reason.strip().upper()
    if kind == "health_assessment":
        errors |= sdq_errors(score=sdq_score, reason=sdq_reason, date_of_birth=child.date_of_birth, on=on)
    elif sdq_score is not None or sdq_reason:
        errors["sdq_score"] = "Record an SDQ with a health assessment"
    if errors:
        raise ValidationError(errors)
    extra: dict[str, Any] = {}
    if kind == "visit":
        extra = {"visitor": actor, "seen_alone": seen_alone}
    elif kind == "health_assessment":
        extra = {"dental_check_on": dental_check_on, "immunisations_up_to_date": immunisations_up_to_date,
                 "sdq_score": sdq_score, "sdq_reason": sdq_reason}
    with transaction.atomic():
        row = model.objects.create(child=child, **{field: on}, **extra)
        record_change(actor=actor, action="create", instance=row, child_id=child.pk, request_id=request_id, via=via)
    return row


def health_assessment_sdq_record(
    *,
    actor: User,
    assessment: HealthAssessment,
    sdq_score: int | None,
    sdq_reason: str,
    request_id: str = "",
    via: str = "web",
) -> HealthAssessment:
    """Add the Strengths and Difficulties Questionnaire to a health assessment recorded without it:
    the carer's questionnaire often comes back after the assessment, and OC2 reads the SDQ from the
    latest assessment in the year that has one (harbour.domain.oc2.oc2_sdq).

    Refused: neither a score nor a reason, or an SDQ the rules refuse (harbour.domain.oc2.sdq_errors,
    judged on the day of the assessment), or one already recorded (kept as it is: the row is locked
    while it is checked, so two people adding one at once cannot both succeed)."""
    if not may_record_checks(actor):
        raise PermissionDenied("Only the child's social worker, their team leader or manager may record checks")
    sdq_reason = sdq_reason.strip().upper()
    if sdq_score is None and not sdq_reason:
        raise ValidationError({"sdq_score": "Enter the SDQ score, or select why there is no score"})
    with transaction.atomic():
        locked = HealthAssessment.objects.select_for_update().select_related("child").get(pk=assessment.pk)
        if locked.sdq_score is not None or locked.sdq_reason:
            raise ValidationError({"sdq_score": f"An SDQ is already recorded for the health assessment on "
                                                f"{long_date(locked.assessed_on)}"})
        errors = sdq_errors(score=sdq_score, reason=sdq_reason, date_of_birth=locked.child.date_of_birth,
                            on=locked.assessed_on)
        if errors:
            raise ValidationError(errors)
        before = snapshot(locked)
        locked.sdq_score, locked.sdq_reason = sdq_score, sdq_reason
        locked.save(update_fields=["sdq_score", "sdq_reason"])
        record_change(actor=actor, action="update", instance=locked, child_id=locked.child_id, before=before,
                      request_id=request_id, via=via)
    return locked


# --- Substance misuse and convictions (SSDA903 OC2) ------------------------------------------

OUTCOME_WORDS = {
    OutcomeEvent.Kind.SUBSTANCE_MISUSE: "the substance misuse problem was identified",
    OutcomeEvent.Kind.CONVICTION: "the conviction",
    OutcomeEvent.Kind.FINAL_WARNING: "the final warning",
    OutcomeEvent.Kind.REPRIMAND: "the reprimand",
}


def outcome_event_errors(*, kind: str, happened_on: dt.date | None, intervention_offered: bool | None,
                         intervention_received: bool | None, today: dt.date) -> dict[str, str]:
    """What is wrong with a substance misuse problem or a conviction as typed, by field.

    A substance misuse problem says whether an intervention was received and, when not, whether one
    was offered (OC2 asks for both: rules 159 and 192); a conviction, final warning or reprimand has
    neither."""
    if kind not in OutcomeEvent.Kind.values:
        return {"kind": "Select what happened"}
    words = OUTCOME_WORDS[OutcomeEvent.Kind(kind)]
    errors: dict[str, str] = {}
    if happened_on is None:
        errors["happened_on"] = f"Enter the date {words}"
    elif happened_on > today:
        errors["happened_on"] = f"Date {words} must be today or in the past"
    if kind == OutcomeEvent.Kind.SUBSTANCE_MISUSE:
        if intervention_received is None:
            errors["intervention_received"] = "Select yes if the child received an intervention"
        elif not intervention_received and intervention_offered is None:
            errors["intervention_offered"] = "Select yes if the child was offered an intervention"
    elif intervention_offered is not None or intervention_received is not None:
        errors["intervention_received"] = "Interventions are recorded only for a substance misuse problem"
    return errors


def outcome_event_record(*, actor: User, child: Child, kind: str, happened_on: dt.date | None,
                         intervention_offered: bool | None = None, intervention_received: bool | None = None,
                         today: dt.date, request_id: str = "", via: str = "web") -> OutcomeEvent:
    """Record a substance misuse problem identified, or a conviction, final warning or reprimand, as
    it happens; OC2 derives SUBSTANCE_MISUSE, the interventions and CONVICTED for the year from them."""
    if not may_record_checks(actor):
        raise PermissionDenied("Only the child's social worker, their team leader or manager may record this")
    errors = outcome_event_errors(kind=kind, happened_on=happened_on, intervention_offered=intervention_offered,
                                  intervention_received=intervention_received, today=today)
    if errors:
        raise ValidationError(errors)
    misuse = kind == OutcomeEvent.Kind.SUBSTANCE_MISUSE
    with transaction.atomic():
        event = OutcomeEvent.objects.create(
            child=child, kind=kind, happened_on=happened_on, recorded_by=actor,
            intervention_received=intervention_received if misuse else None,
            # Offered is implied by received; OC2 leaves it blank then (rule 158).
            intervention_offered=(True if intervention_received else intervention_offered) if misuse else None,
        )
        record_change(actor=actor, action="create", instance=event, child_id=child.pk, request_id=request_id, via=via)
    return event
