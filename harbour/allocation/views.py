"""Pages of the allocation rota. Thin: permission, form, service, then redirect or render.

Only team leaders and team managers reach them; anyone else gets the same 404 as a page that does
not exist. A child is opened only through harbour.accounts.access.access_child, which logs the read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from harbour.accounts import access
from harbour.children.models import Child
from harbour.referrals.models import Referral

from . import selectors, services
from .forms import (
    OVERRIDE_FIELDS,
    AddMemberForm,
    AllocateForm,
    ChangeSocialWorkerForm,
    LeaveForm,
    OverrideForm,
    PracticeLeadForm,
    TrainingForm,
    apply_service_errors,
)
from .models import PracticeLead, RotaMember

FAIRNESS_MONTHS = 12


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _posted(request: HttpRequest) -> Any:
    # Not `request.POST or None`: an empty POST must still bind the form, so it says what is missing.
    return request.POST if request.method == "POST" else None


def _require_keeper(request: HttpRequest) -> None:
    if not selectors.may_keep_rota(request.user):
        raise Http404("No page here")


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: Any = None) -> HttpResponse:
    return render(request, template, {"nav_active": "rota", **context},
                  status=422 if form is not None and form.errors else 200)


# --- The rota -------------------------------------------------------------------------------------


@login_required
def rota(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    today = timezone.localdate()
    rows, proposal = selectors.rota_rows(today=today)
    return _render(request, "allocation/rota.html", {
        "rows": rows, "proposal": proposal, "today": today,
        "state": selectors.current_state(),
    })


def _member_form_page(request: HttpRequest, form: Any, template: str, save: Any, **context: Any) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("allocation:rota")
    return _render(request, template, {"form": form, **context}, form)


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)

    def save(data: dict[str, Any]) -> None:
        services.rota_add_member(actor=request.user, user=data["user"], uasc_trained_on=data.get("uasc_trained_on"),
                                 today=timezone.localdate(), request_id=_rid(request))
    return _member_form_page(request, AddMemberForm(_posted(request)), "allocation/add_member.html", save)


@login_required
@require_http_methods(["GET", "POST"])
def add_leave(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    initial = {"user": request.GET.get("user")} if request.method == "GET" else None

    def save(data: dict[str, Any]) -> None:
        services.leave_record(actor=request.user, user=data["user"], start=data["start"], end=data["end"],
                              reason=data.get("reason", ""), request_id=_rid(request))
    form = LeaveForm(_posted(request), initial=initial)
    return _member_form_page(request, form, "allocation/add_leave.html", save)


@login_required
@require_http_methods(["GET", "POST"])
def record_training(request: HttpRequest, member_id: int) -> HttpResponse:
    _require_keeper(request)
    member = get_object_or_404(RotaMember.objects.select_related("user"), pk=member_id)

    def save(data: dict[str, Any]) -> None:
        services.rota_record_training(actor=request.user, member=member, trained_on=data["trained_on"],
                                      today=timezone.localdate(), request_id=_rid(request))
    return _member_form_page(request, TrainingForm(_posted(request)), "allocation/training.html", save,
                             member=member)


@login_required
@require_POST
def move(request: HttpRequest, member_id: int) -> HttpResponse:
    _require_keeper(request)
    member = get_object_or_404(RotaMember, pk=member_id)
    try:
        services.rota_move(actor=request.user, member=member, direction=request.POST.get("direction", ""),
                           request_id=_rid(request))
    except ValidationError:
        pass  # only a hand-made request can send another direction; the rota is unchanged
    return redirect(reverse("allocation:rota") + f"#member-{member.pk}")


@login_required
@require_POST
def set_active(request: HttpRequest, member_id: int) -> HttpResponse:
    _require_keeper(request)
    member = get_object_or_404(RotaMember, pk=member_id)
    services.rota_set_active(actor=request.user, member=member, active=request.POST.get("active") == "yes",
                             request_id=_rid(request))
    return redirect(reverse("allocation:rota") + f"#member-{member.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def add_practice_lead(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)

    def save(data: dict[str, Any]) -> None:
        services.practice_lead_add(actor=request.user, user=data["user"], specialism=data.get("specialism", ""),
                                   request_id=_rid(request))
    return _member_form_page(request, PracticeLeadForm(_posted(request)), "allocation/add_practice_lead.html",
                             save)


@login_required
@require_POST
def stand_down_practice_lead(request: HttpRequest, lead_id: int) -> HttpResponse:
    _require_keeper(request)
    lead = get_object_or_404(PracticeLead, pk=lead_id)
    services.practice_lead_stand_down(actor=request.user, lead=lead, request_id=_rid(request))
    return redirect("allocation:rota")


# --- Fairness -------------------------------------------------------------------------------------


def _months_back(today: dt.date, months: int) -> dt.date:
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


@login_required
def fairness(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    today = timezone.localdate()
    since = _months_back(today, FAIRNESS_MONTHS)
    rows = selectors.rota_fairness(since=since, until=today)
    months = selectors.months_between(since, today)
    totals = [sum(row.by_month[i] for row in rows) for i in range(len(months))]
    return _render(request, "allocation/fairness.html", {
        "rows": rows, "months": months, "totals": totals, "since": since, "today": today,
    })


# --- Allocating a child ---------------------------------------------------------------------------


def _open_child(request: HttpRequest, child_id: Any) -> Child:
    route = request.resolver_match.view_name if request.resolver_match else request.path
    return access.access_child(request.user, child_id, route=route, request_id=_rid(request), purpose="allocation")


def _referral(request: HttpRequest, child: Child) -> Referral | None:
    raw = request.GET.get("referral")
    if not raw:
        return None
    try:
        pk = uuid.UUID(raw)
    except ValueError:
        raise Http404("No referral found") from None
    referral = Referral.objects.filter(pk=pk, child=child).first()
    if referral is None:
        raise Http404("No referral found")
    return referral


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return None


def _done(request: HttpRequest, child: Child, next_url: str | None) -> HttpResponse:
    return redirect(_safe_next(request, next_url) or reverse("children:detail", args=[child.pk]))


def _allocation_context(request: HttpRequest, child: Child, today: dt.date) -> dict[str, Any]:
    referral = _referral(request, child)
    current = selectors.open_social_worker(child, today)
    return {
        "child": child, "referral": referral, "current": current, "today": today,
        "proposal": None if current else selectors.propose_worker(today=today, child=child),
        "query": request.GET.urlencode(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def allocate_child(request: HttpRequest, child_id: Any) -> HttpResponse:
    _require_keeper(request)
    child = _open_child(request, child_id)
    today = timezone.localdate()
    context = _allocation_context(request, child, today)
    form = AllocateForm(_posted(request), initial={
        "worker": getattr(context["proposal"] and context["proposal"].worker, "pk", None),
        "next": _safe_next(request, request.GET.get("next")) or "",
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_from_rota(
                actor=request.user, child=child, referral=context["referral"], today=today, now=timezone.now(),
                expected_worker_id=form.cleaned_data.get("worker"), request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            # Show the rota as it is now, not as it was when the page was opened.
            context = _allocation_context(request, child, today)
        else:
            return _done(request, child, form.cleaned_data.get("next"))
    return _render(request, "allocation/child.html", {"form": form, **context}, form)


@login_required
@require_http_methods(["GET", "POST"])
def allocate_someone_else(request: HttpRequest, child_id: Any) -> HttpResponse:
    _require_keeper(request)
    child = _open_child(request, child_id)
    today = timezone.localdate()
    context = _allocation_context(request, child, today)
    form = OverrideForm(_posted(request), initial={"next": _safe_next(request, request.GET.get("next")) or ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_from_rota(
                actor=request.user, child=child, referral=context["referral"], today=today, now=timezone.now(),
                override_worker=form.cleaned_data["worker"], override_reason=form.cleaned_data["reason"],
                request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error, OVERRIDE_FIELDS)
            context = _allocation_context(request, child, today)
        else:
            return _done(request, child, form.cleaned_data.get("next"))
    return _render(request, "allocation/override.html", {"form": form, **context}, form)


@login_required
@require_http_methods(["GET", "POST"])
def change_social_worker(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Hand the child to another social worker, with the reason the SSDA903 return asks for."""
    _require_keeper(request)
    child = _open_child(request, child_id)
    today = timezone.localdate()
    form = ChangeSocialWorkerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_social_worker(actor=request.user, child=child, worker=form.cleaned_data["worker"],
                                          reason=form.cleaned_data["reason"], today=today, request_id=_rid(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(reverse("children:detail", args=[child.pk]))
    return _render(request, "allocation/change.html", {
        "form": form, "child": child, "referral": None, "current": selectors.open_social_worker(child, today),
    }, form)
