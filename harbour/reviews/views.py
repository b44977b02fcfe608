"""Reviews, checks and the IRO's quality assurance (thin views: the rules are in `services`, the
reads in `selectors`, every child's record opened through the access module)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from harbour.accounts import access
from harbour.accounts.models import Role, Team, User
from harbour.children.forms import apply_service_errors
from harbour.children.models import Child
from harbour.children.selectors import child_deadlines
from harbour.children.views import child_nav
from harbour.core.calendar import council_calendar
from harbour.core.charts import Series, bar_chart
from harbour.core.csv_export import csv_response
from harbour.core.models import CouncilSettings
from harbour.domain.review_measures import MEASURES, PARTICIPATION_CODES
from harbour.domain.review_rules import (
    DISPUTE_STAGES,
    IRO_CASELOAD_HIGH,
    IRO_CASELOAD_LOW,
    escalation_error,
)

from . import selectors, services
from . import services_invitations as invitations
from .forms import (
    CaseAuditForm,
    CheckForm,
    InvitationForm,
    OutcomeEventForm,
    ResponseForm,
    ReviewForm,
    SdqForm,
)
from .models import QualityAction, ReviewInvitation
from .navigation import MEASURE_ROLES


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _open(request: HttpRequest, child_id: Any, purpose: str = "") -> Child:
    if access.is_partner(request.user):
        raise Http404("No child found")
    route = request.resolver_match.view_name if request.resolver_match else request.path
    return access.access_child(request.user, child_id, route=route, request_id=_rid(request), purpose=purpose)


def _staff_only(request: HttpRequest) -> None:
    if access.is_partner(request.user) or request.user.scope == "none":
        raise PermissionDenied


def _not_yours(request: HttpRequest, child: Child, title: str) -> HttpResponse:
    """Someone who may see the child but not chair reviews: the page says who can (a write is refused)."""
    if request.method == "POST":
        raise PermissionDenied
    return render(request, "reviews/not_yours.html", {"child": child, "title": title})


@login_required
def reviews_due(request: HttpRequest) -> HttpResponse:
    """The IRO's children and the reviews due (an IRO manager sees the service, with every IRO's
    caseload against the 50 to 70 guidance)."""
    _staff_only(request)
    today = timezone.localdate()
    user: User = request.user
    rows = selectors.reviews_due(access.children_visible_to(user), today=today, calendar=council_calendar())
    states = [row.state(today) for row in rows]
    return render(request, "reviews/reviews_due.html", {
        "rows": list(zip(rows, states, strict=True)), "today": today,
        "overdue": states.count("overdue"), "soon": states.count("soon"),
        "caseload": selectors.caseload_of(user) if user.role == Role.IRO else None,
        "caseloads": selectors.iro_caseloads() if user.role == Role.IRO_MANAGER else [],
        "low": IRO_CASELOAD_LOW, "high": IRO_CASELOAD_HIGH,
        "may_review": services.may_review(user),
    })


@login_required
def iro_calendar(request: HttpRequest) -> HttpResponse:
    """An IRO's reviews due, month by month: overdue first, then the next three months. The IRO
    manager chooses whose calendar to see."""
    _staff_only(request)
    user: User = request.user
    iros = selectors.iro_caseloads() if user.role == Role.IRO_MANAGER else []
    chosen = user if user.role == Role.IRO else next(
        (c.iro for c in iros if str(c.iro.pk) == request.GET.get("iro")), iros[0].iro if iros else None)
    if chosen is None:
        raise PermissionDenied
    today = timezone.localdate()
    visible = selectors.scoped(access.children_visible_to(user), iro=chosen)
    rows = selectors.reviews_due(visible, today=today, calendar=council_calendar())
    return render(request, "reviews/calendar.html", {
        "iro": chosen, "iros": iros, "today": today,
        "overdue": [r for r in rows if r.next_review and r.next_review.due < today],
        "months": selectors.by_month(rows, today=today, months=3),
    })


@login_required
def child_reviews(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id)
    today = timezone.localdate()
    deadlines = child_deadlines(child=child, today=today, calendar=council_calendar(),
                                nts_working_days=CouncilSettings.current().nts_transfer_working_days)
    checks = [(selectors.CHECK_KINDS[selectors.DUTY_KINDS[d.duty]], d) for d in deadlines
              if d.duty in selectors.DUTY_KINDS and d.met_on is None]
    return render(request, "reviews/child.html", {
        "child": child, "today": today, "checks": checks,
        "reviews": selectors.child_reviews(child),
        "health_assessments": list(child.health_assessments.all()),
        "audits": list(child.case_audits.select_related("auditor").prefetch_related("ratings__area")),
        "actions": selectors.child_quality_actions(child),
        "invitations": list(child.review_invitations.all()[:30]),
        "may_review": services.may_review(request.user),
        "may_record_checks": services.may_record_checks(request.user),
        "child_nav": child_nav(child, "reviews:child"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def record_review(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    if not services.may_review(request.user):
        return _not_yours(request, child, "Record a review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(actor=request.user, child=child, today=timezone.localdate(),
                                   request_id=_rid(request), **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("reviews:child", child.pk)
    return render(request, "reviews/record_review.html", {"child": child, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def audit_case_file(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    if not services.may_review(request.user):
        return _not_yours(request, child, "Audit the case file")
    form = CaseAuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_audit_record(actor=request.user, child=child, today=timezone.localdate(),
                                       request_id=_rid(request), **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("reviews:child", child.pk)
    return render(request, "reviews/audit.html", {
        "child": child, "form": form, "social_worker": services.allocated_social_worker(child),
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_check(request: HttpRequest, child_id: Any) -> HttpResponse:
    """A visit, a health assessment (with the dental check and immunisations), a PEP or a care plan."""
    child = _open(request, child_id, purpose="edit")
    if not services.may_record_checks(request.user):
        raise PermissionDenied
    form = CheckForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.check_record(actor=request.user, child=child, today=timezone.localdate(),
                                  request_id=_rid(request), **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("reviews:child", child.pk)
    return render(request, "reviews/record_check.html", {"child": child, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_sdq(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Add the SDQ to a health assessment recorded without one (``?assessment=`` chooses it)."""
    child = _open(request, child_id, purpose="edit")
    if not services.may_record_checks(request.user):
        raise PermissionDenied
    without = list(child.health_assessments.filter(sdq_score__isnull=True, sdq_reason=""))
    form = SdqForm(request.POST or None, assessments=without,
                   initial={"assessment": request.GET.get("assessment", "")})
    if request.method == "POST" and form.is_valid():
        assessment = next(a for a in without if str(a.pk) == form.cleaned_data["assessment"])
        try:
            services.health_assessment_sdq_record(actor=request.user, assessment=assessment, request_id=_rid(request),
                                                  **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("reviews:child", child.pk)
    return render(request, "reviews/record_sdq.html", {"child": child, "form": form, "without": without},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Invite the child, carer, parents and professionals to the review, in one action."""
    child = _open(request, child_id, purpose="edit")
    if not services.may_review(request.user):
        return _not_yours(request, child, "Invite people to the review")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitations_send(actor=request.user, child=child, today=timezone.localdate(),
                                         request_id=_rid(request), **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("reviews:child", child.pk)
    wording = invitations.wording_for(child.first_language)
    return render(request, "reviews/invite.html", {
        "child": child, "form": form, "invitees": invitations.invitees_for(child), "wording": wording,
    }, status=422 if form.errors else 200)


@login_required
def invitation_letter(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(ReviewInvitation, pk=invitation_id)
    child = _open(request, invitation.child_id)
    return render(request, "reviews/letter.html", {"invitation": invitation, "child": child,
                                                   "letter": invitations.letter(invitation)})


@login_required
def actions(request: HttpRequest) -> HttpResponse:
    """The IRO's actions raised with me (social worker, team manager), or raised by me (IRO)."""
    _staff_only(request)
    today = timezone.localdate()
    mine = list(selectors.quality_actions_for(request.user))
    return render(request, "reviews/actions.html", {
        "open": [a for a in mine if not a.answered], "answered": [a for a in mine if a.answered], "today": today,
        "stages": DISPUTE_STAGES,
    })


def _action(request: HttpRequest, action_id: int) -> QualityAction:
    action = get_object_or_404(QualityAction.objects.select_related("raised_by", "social_worker", "team_manager",
                                                                    "responded_by", "audit"), pk=action_id)
    _open(request, action.child_id)  # 404 outside the user's scope; the read is logged
    return action


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action(request, action_id)
    today = timezone.localdate()
    may_answer = services.may_answer(request.user, action) and not action.answered
    form = ResponseForm(request.POST or None)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.quality_action_respond(actor=request.user, action=action, today=today,
                                                response=form.cleaned_data["response"], request_id=_rid(request))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("reviews:action", action.pk)
    may_escalate = services.may_review(request.user) and escalation_error(
        stage=action.stage, due_on=action.due_on, answered=action.answered, today=today) is None
    return render(request, "reviews/action.html", {
        "action": action, "child": action.child, "form": form, "may_answer": may_answer, "today": today,
        "may_escalate": may_escalate, "stage": DISPUTE_STAGES[action.stage],
        "next_stage": DISPUTE_STAGES[action.stage + 1] if action.stage + 1 < len(DISPUTE_STAGES) else None,
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def escalate(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action(request, action_id)
    try:
        services.quality_action_escalate(actor=request.user, action=action, today=timezone.localdate(),
                                         request_id=_rid(request))
    except ValidationError:
        pass  # the page shows why it cannot be escalated: the button is not offered
    return redirect("reviews:action", action.pk)


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """Checks overdue or due in 7 days, for a worker, a team or the service, most urgent first."""
    _staff_only(request)
    user: User = request.user
    visible = access.children_visible_to(user)
    teams = list(Team.objects.filter(members__role=Role.SOCIAL_WORKER).distinct().order_by("name"))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None)
    worker = None
    if request.GET.get("worker") == "me" or (user.role == Role.SOCIAL_WORKER and "team" not in request.GET):
        worker = user
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in selectors.CHECK_KINDS else None
    rows = selectors.compliance_list(selectors.scoped(visible, worker=worker, team=team), today=timezone.localdate(),
                                     calendar=council_calendar(), kinds=kinds)
    return render(request, "reviews/compliance.html", {
        "rows": rows, "teams": teams, "team": team, "worker": worker, "kind": kind,
        "kinds": selectors.CHECK_KINDS, "overdue": sum(r.overdue for r in rows), "today": timezone.localdate(),
    })


def _measure_scope(request: HttpRequest) -> Any:
    if request.user.role not in MEASURE_ROLES:
        raise PermissionDenied
    return access.children_visible_to(request.user)


def _measures_chart(rows: list[Any]) -> Any:
    ordered = list(reversed(rows))  # oldest first, as the figures are read
    return bar_chart(
        chart_id="chart-in-time", title="Share held in time (%)", categories=[r.period.label for r in ordered],
        series=[Series(label, [r.figures[key].percent or 0 for r in ordered]) for key, (_, label) in MEASURES.items()],
        value_format=lambda v: f"{v}%",
        description="The share of each check held in time, by the period it was due. A period with none due shows "
                    "0%. The same figures, with counts, are in the table that follows.",
    )


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    visible = _measure_scope(request)
    today = timezone.localdate()
    by = "quarter" if request.GET.get("by") == "quarter" else "month"
    data = selectors.measure_data(visible, today=today, calendar=council_calendar())
    rows = selectors.measures(data, selectors.reporting_periods(today, by=by), today=today)
    if request.GET.get("format") == "csv":
        headers = ["period", *(f"{key}_{part}" for key in MEASURES for part in ("in_time", "due")),
                   *PARTICIPATION_CODES, "took_part", "took_part_of"]
        return csv_response(filename=f"review-measures-{by}-{today.isoformat()}", headers=headers, rows=[
            [r.period.key, *(n for key in MEASURES for n in (r.figures[key].count, r.figures[key].of)),
             *r.participation.by_code.values(), r.participation.took_part, r.participation.of] for r in rows])
    return render(request, "reviews/measures.html", {
        "rows": rows, "by": by, "measures": MEASURES, "today": today, "chart": _measures_chart(rows),
    })


@login_required
def measure_records(request: HttpRequest, measure: str, period_key: str) -> HttpResponse:
    """The records behind one figure: every occurrence it considered, in time or not."""
    visible = _measure_scope(request)
    today = timezone.localdate()
    period = selectors.period_for(period_key, today)
    if measure not in {*MEASURES, "participation"} or period is None:
        raise Http404
    data = selectors.measure_data(visible, today=today, calendar=council_calendar())
    row = selectors.measures(data, [period], today=today)[0]
    return render(request, "reviews/measure_records.html", {
        "measure": measure, "label": MEASURES[measure][1] if measure in MEASURES else "Participation in reviews",
        "period": period, "figure": row.figures.get(measure), "participation": row.participation,
        "children": selectors.child_names(data.view),
    })


@login_required
def quality_report(request: HttpRequest) -> HttpResponse:
    if request.user.role not in MEASURE_ROLES:
        raise PermissionDenied
    visible = access.children_visible_to(request.user)
    actions = QualityAction.objects.filter(child_id__in=visible.values("id"))
    return render(request, "reviews/quality_report.html", {
        "rows": selectors.quality_report(actions, today=timezone.localdate()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def outcome_events(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Substance misuse problems and convictions, final warnings or reprimands, as they happen:
    the facts OC2 counts for the year (harbour.domain.oc2)."""
    child = _open(request, child_id, purpose="edit" if request.method == "POST" else "")
    may_record = services.may_record_checks(request.user)
    form = OutcomeEventForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.outcome_event_record(actor=request.user, child=child, today=timezone.localdate(),
                                              request_id=_rid(request), **form.service_arguments())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("reviews:outcomes", child.pk)
    return render(request, "reviews/outcome_events.html", {
        "child": child, "form": form, "may_record": may_record,
        "events": list(child.outcome_events.select_related("recorded_by")),
        "child_nav": child_nav(child, "reviews:child"),
    }, status=422 if form.errors else 200)


urlpatterns = [
    path("", reviews_due, name="due"),
    path("calendar/", iro_calendar, name="calendar"),
    path("child/<uuid:child_id>/", child_reviews, name="child"),
    path("child/<uuid:child_id>/record/", record_review, name="record"),
    path("child/<uuid:child_id>/audit/", audit_case_file, name="audit"),
    path("child/<uuid:child_id>/check/", record_check, name="check"),
    path("child/<uuid:child_id>/sdq/", record_sdq, name="sdq"),
    path("child/<uuid:child_id>/substance-misuse-and-offending/", outcome_events, name="outcomes"),
    path("child/<uuid:child_id>/invite/", invite, name="invite"),
    path("invitations/<int:invitation_id>/letter/", invitation_letter, name="letter"),
    path("actions/", actions, name="actions"),
    path("actions/<int:action_id>/", action_detail, name="action"),
    path("actions/<int:action_id>/escalate/", escalate, name="escalate"),
    path("compliance/", compliance, name="compliance"),
    path("measures/", measures, name="measures"),
    path("measures/<slug:measure>/<str:period_key>/", measure_records, name="measure_records"),
    path("quality/", quality_report, name="quality_report"),
]
