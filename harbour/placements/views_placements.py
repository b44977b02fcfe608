"""The child's placements, with their SSDA903 coding, and the child's needs profile (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access
from harbour.children.forms import apply_service_errors
from harbour.children.models import Child
from harbour.children.views import child_nav

from . import selectors_placements as selectors
from . import services_placements as services
from .forms_placements import NeedsProfileForm, PlacementChangeForm, PlacementEndForm, PlacementForm
from .models import NeedsProfile, Placement


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _open(request: HttpRequest, child_id: Any, purpose: str = "") -> Child:
    if access.is_partner(request.user):
        raise Http404("No child found")
    route = request.resolver_match.view_name if request.resolver_match else request.path
    return access.access_child(request.user, child_id, route=route, request_id=_rid(request), purpose=purpose)


def _require_manager(request: HttpRequest) -> None:
    if not services.may_manage_placements(request.user):
        raise PermissionDenied


@login_required
def child_placements(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id)
    rows = selectors.child_placements(child)
    placements = [row.placement for row in rows]
    profile = NeedsProfile.objects.filter(child=child).first()
    return render(request, "placements/child_placements.html", {
        "child": child,
        "rows": rows,
        "current": next((p for p in placements if p.end is None), None),
        "episodes": list(reversed(selectors.child_episodes(child, placements))),
        "needs_profile": profile,
        "may_manage": services.may_manage_placements(request.user),
        "child_nav": child_nav(child, "placements:child"),
    })


def _placement_form_page(request: HttpRequest, child_id: Any, *, change: bool) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    _require_manager(request)
    form_class = PlacementChangeForm if change else PlacementForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.placement_change if change else services.placement_start
        try:
            service(actor=request.user, child=child, today=timezone.localdate(), request_id=_rid(request),
                    **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("placements:child", child.pk)
    current = Placement.objects.filter(child=child, end__isnull=True).first()
    return render(request, "placements/child_placement_form.html", {
        "child": child, "form": form, "change": change, "current": current,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def placement_start(request: HttpRequest, child_id: Any) -> HttpResponse:
    return _placement_form_page(request, child_id, change=False)


@login_required
@require_http_methods(["GET", "POST"])
def placement_change(request: HttpRequest, child_id: Any) -> HttpResponse:
    return _placement_form_page(request, child_id, change=True)


@login_required
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, child_id: Any) -> HttpResponse:
    """End the child's current placement: only an open placement can end."""
    child = _open(request, child_id, purpose="edit")
    _require_manager(request)
    placement = Placement.objects.filter(child=child, end__isnull=True).first()
    form = PlacementEndForm(request.POST or None)
    if placement is None:
        return render(request, "placements/child_placement_end.html", {"child": child, "form": None,
                                                                        "placement": None})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(actor=request.user, placement=placement, end=form.cleaned_data["end"],
                                   reason_for_change=form.cleaned_data.get("reason_for_change") or "",
                                   end_note=form.cleaned_data.get("end_note") or "", today=timezone.localdate(),
                                   request_id=_rid(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("placements:child", child.pk)
    return render(request, "placements/child_placement_end.html", {
        "child": child, "form": form, "placement": placement,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def needs(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, purpose="edit" if request.method == "POST" else "")
    may_manage = services.may_manage_placements(request.user)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    profile = NeedsProfile.objects.filter(child=child).first()
    initial = {"needs": profile.needs, "needs_detail": profile.needs_detail} if profile else {}
    form = NeedsProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.needs_profile_save(actor=request.user, child=child, needs=form.cleaned_data["needs"],
                                        needs_detail=form.cleaned_data.get("needs_detail") or "",
                                        request_id=_rid(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if _safe_next(request):
                return redirect(request.GET["next"])
            return redirect("placements:child", child.pk)
    return render(request, "placements/needs_profile.html", {
        "child": child, "form": form, "profile": profile, "may_manage": may_manage,
    }, status=422 if form.errors else 200)


def _safe_next(request: HttpRequest) -> bool:
    """Only back to one of Harbour's own placement request pages."""
    target = request.GET.get("next", "")
    return target.startswith("/placements/requests/") and "//" not in target


urlpatterns = [
    path("child/<uuid:child_id>/", child_placements, name="child"),
    path("child/<uuid:child_id>/start/", placement_start, name="child_start"),
    path("child/<uuid:child_id>/change/", placement_change, name="child_change"),
    path("child/<uuid:child_id>/end/", placement_end, name="child_end"),
    path("child/<uuid:child_id>/needs/", needs, name="needs"),
]
