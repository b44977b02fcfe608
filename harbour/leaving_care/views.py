"""Leaving-care pages: the personal adviser's caseload, a young person's leaving-care record, and the
forms for a contact, a pathway plan and a placement extension. Thin: access, form, service."""

from __future__ import annotations

from collections.abc import Callable
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

from . import selectors, services
from .forms import AdviserContactForm, PathwayPlanForm, PlacementExtensionForm


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
               save: Callable[[Child, Form], None]) -> HttpResponse:
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
    return render(request, template, {"form": form, "child": child}, status=422 if form.errors else 200)


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
