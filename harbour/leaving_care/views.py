"""Leaving-care pages: the personal adviser's caseload, a young person's leaving-care record, and the
forms for a contact, a pathway plan and a placement extension. Thin: access, form, service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access
from harbour.accounts.models import Role, Scope, User
from harbour.children.forms import apply_service_errors
from harbour.children.models import Child
from harbour.children.views import child_nav

from . import selectors, services, services_after18
from .forms import (
    AccommodationEndingForm,
    AdviserContactForm,
    DutyToReferForm,
    HumanRightsAssessmentForm,
    LivingArrangementForm,
    PathwayPlanForm,
    PlacementExtensionForm,
    SupportTo25Form,
)


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _open(request: HttpRequest, child_id: Any, route: str, purpose: str = "") -> Child:
    if access.is_partner(request.user):
        raise Http404("No child found")
    return access.access_child(request.user, child_id, route=route, request_id=_rid(request), purpose=purpose)


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """A personal adviser's own caseload; team leaders and managers choose an adviser to see theirs."""
    user = request.user
    visible = access.children_visible_to(user)
    today = timezone.localdate()
    advisers: list[tuple[User, int]] = []
    if user.role == Role.PERSONAL_ADVISER:
        adviser: User | None = user
    elif user.scope in {Scope.TEAM, Scope.SERVICE}:
        advisers = selectors.advisers_with_caseloads(visible=visible)
        chosen = request.GET.get("adviser", "")
        adviser = next((a for a, _ in advisers if str(a.pk) == chosen), None)
    else:
        raise Http404("Not found")
    rows = selectors.caseload_rows(adviser=adviser, visible=visible, today=today) if adviser else []
    return render(request, "leaving_care/caseload.html", {
        "adviser": adviser, "advisers": advisers, "rows": rows, "today": today,
        "due": [row for row in rows if row.due_a_contact(today)],
        "own": adviser is not None and adviser.pk == user.pk,
    })


@login_required
def young_person(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "leaving_care:young_person")
    today = timezone.localdate()
    return render(request, "leaving_care/young_person.html", {
        "child": child, "today": today, "summary": selectors.young_person(child=child, today=today),
        "child_nav": child_nav(child, "leaving_care:young_person"), "may_edit": access.may_edit_child(request.user),
    })


def _form_page(request: HttpRequest, child_id: Any, route: str, form_class: type[Form], template: str,
               save: Callable[[Child, Form], None], extra: dict[str, Any] | None = None) -> HttpResponse:
    child = _open(request, child_id, route, purpose="edit")
    if not access.may_edit_child(request.user):
        raise Http404("No child found")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(child, form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("leaving_care:young_person", child.pk)
    return render(request, template, {"form": form, "child": child, **(extra or {})},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def add_contact(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, form: Form) -> None:
        assert isinstance(form, AdviserContactForm)
        data = form.cleaned_data
        services.adviser_contact_record(
            actor=request.user, child=child, contacted_on=data["contacted_on"], in_touch=data["in_touch"],
            activity=data["activity"], accommodation=data["accommodation"], accommodation_suitable=form.suitable(),
            note=data.get("note", ""), today=timezone.localdate(), request_id=_rid(request),
        )
    return _form_page(request, child_id, "leaving_care:add_contact", AdviserContactForm,
                      "leaving_care/add_contact.html", save)


@login_required
@require_http_methods(["GET", "POST"])
def add_pathway_plan(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, form: Form) -> None:
        data = form.cleaned_data
        services.pathway_plan_record(
            actor=request.user, child=child, kind=data["kind"], held_on=data["held_on"],
            plan_if_leave_granted=data.get("plan_if_leave_granted", ""),
            plan_if_no_decision=data.get("plan_if_no_decision", ""), plan_if_refused=data.get("plan_if_refused", ""),
            today=timezone.localdate(), request_id=_rid(request),
        )
    return _form_page(request, child_id, "leaving_care:add_pathway_plan", PathwayPlanForm,
                      "leaving_care/add_pathway_plan.html", save)


@login_required
@require_http_methods(["GET", "POST"])
def add_extension(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, form: Form) -> None:
        data = form.cleaned_data
        services.placement_extension_record(
            actor=request.user, child=child, starts_on=data["starts_on"], review_on=data["review_on"],
            weekly_cost=data["weekly_cost"], funding_source=data["funding_source"], reason=data["reason"],
            today=timezone.localdate(), request_id=_rid(request),
        )
    return _form_page(request, child_id, "leaving_care:add_extension", PlacementExtensionForm,
                      "leaving_care/add_extension.html", save)


@dataclass(frozen=True)
class RecordPage:
    """One of the after-18 records: its form, the service that saves it and the page's words."""

    form: type[Form]
    save: Callable[..., Any]
    title: str
    button: str
    intro: str


RECORDS = {
    "support-to-25": RecordPage(
        SupportTo25Form, services_after18.support_to_25_record, "Record a request for support to 25",
        "Record the request", "A former relevant young person aged 21 to 24 who asks for help keeps a personal "
        "adviser until 25, with a needs assessment and a pathway plan (Children Act 1989 s23CZB)."),
    "living-arrangements": RecordPage(
        LivingArrangementForm, services_after18.living_arrangement_record, "Record Staying Put or Staying Close",
        "Record the arrangement", "Staying Put lets a young person stay with their former foster carers to 21; "
        "Staying Close supports a young person who lived in a children's home to live nearby, to 25."),
    "human-rights-assessments": RecordPage(
        HumanRightsAssessmentForm, services_after18.human_rights_assessment_record, "Record a human rights assessment",
        "Record the assessment", "When appeal rights are exhausted, support continues only where withdrawing it "
        "would breach the young person's human rights (Nationality, Immigration and Asylum Act 2002, Schedule 3)."),
    "duty-to-refer": RecordPage(
        DutyToReferForm, services_after18.duty_to_refer_record, "Record a referral to a housing authority",
        "Record the referral", "Refer when a young person may be homeless or threatened with homelessness within "
        "56 days, with their consent, to the housing authority they choose (Housing Act 1996 s213B)."),
    "accommodation-endings": RecordPage(
        AccommodationEndingForm, services_after18.accommodation_ending_record, "Record notice or accommodation ending",
        "Record it", "Record notice served or accommodation coming to an end. Until a next home is recorded the "
        "young person is on the at-risk list."),
}


@login_required
@require_http_methods(["GET", "POST"])
def add_record(request: HttpRequest, child_id: Any, kind: str) -> HttpResponse:
    page = RECORDS.get(kind)
    if page is None:
        raise Http404("Not found")

    def save(child: Child, form: Form) -> None:
        arguments = form.arguments() if hasattr(form, "arguments") else form.cleaned_data
        page.save(actor=request.user, child=child, **arguments, today=timezone.localdate(), request_id=_rid(request))

    return _form_page(request, child_id, "leaving_care:add_" + kind.replace("-", "_"), page.form,
                      "leaving_care/add_record.html", save,
                      {"record": page})


@login_required
def at_risk(request: HttpRequest) -> HttpResponse:
    """Care leavers at risk of homelessness: a personal adviser's own; every one for leaders."""
    user = request.user
    if user.role != Role.PERSONAL_ADVISER and user.scope not in {Scope.TEAM, Scope.SERVICE}:
        raise Http404("Not found")
    today = timezone.localdate()
    adviser = user if user.role == Role.PERSONAL_ADVISER else None
    rows = selectors.at_risk(visible=access.children_visible_to(user), adviser=adviser, today=today)
    return render(request, "leaving_care/at_risk.html", {"rows": rows, "today": today, "own": adviser is not None})
