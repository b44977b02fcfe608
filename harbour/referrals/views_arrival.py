"""Pages for the end of the transfer: the placement, the child's arrival and what follows it.

Thin, like every page: open the referral through the access module, check the role, hand the form
to `services_arrival`, then redirect or render (422 with the error summary when something is wrong).
A referral a user may not see, one that does not exist and a malformed id all answer the same 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from harbour.core.calendar import council_calendar
from harbour.domain.nts import transfer_clock
from harbour.returns.models import PreviousPermanence

from . import services_arrival as services
from .forms_arrival import ArrivalForm, PlacementConfirmForm
from .models import Arrival, ArrivalTask, FundingClaim, Referral
from .selectors import open_referral


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _open_referral(request: HttpRequest, referral_id: Any, purpose: str) -> Referral:
    return open_referral(request.user, referral_id, route=_route(request), request_id=_rid(request),
                         purpose=purpose)


def _require(allowed: bool) -> None:
    # As on the child's pages: a page the role may not use answers as a missing one.
    if not allowed:
        raise Http404("No child found")


def _clock(referral: Referral, arrival: Arrival | None = None) -> Any:
    arrived_on = timezone.localtime(arrival.arrived_at).date() if arrival else None
    return transfer_clock(due=referral.transfer_due, today=timezone.localdate(), calendar=council_calendar(),
                          arrived_on=arrived_on)


@login_required
@require_http_methods(["GET", "POST"])
def placement(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="placement")
    may_manage = services.may_manage_placement(request.user)
    # Anyone working on the referral may see where the placement stands; only some roles change it.
    _require(may_manage or request.method == "GET")
    action = request.POST.get("action") if request.method == "POST" else None
    form = PlacementConfirmForm(request.POST if action == "confirm" else None,
                                initial={"description": referral.placement_confirmed_description})
    errors: list[str] = []
    if action in {"start", "confirm"}:
        try:
            if action == "start":
                services.placement_search_start(actor=request.user, referral=referral, now=timezone.now(),
                                                request_id=_rid(request))
                return redirect("referrals:placement", referral.pk)
            if form.is_valid():
                services.placement_confirm(actor=request.user, referral=referral,
                                           description=form.cleaned_data["description"], now=timezone.now(),
                                           request_id=_rid(request))
                return redirect("referrals:placement", referral.pk)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field in form.fields and form.is_bound:
                        form.add_error(field, message)
                    else:
                        errors.append(message)
    social_worker = services.allocated_social_worker(referral.child, timezone.localdate())
    context = {
        "referral": referral,
        "child": referral.child,
        "form": form,
        "errors": errors,
        "clock": _clock(referral),
        "may_manage": may_manage,
        # The twin-track search itself lives in harbour.placements; the referral shows where it stands.
        "placement_requests": list(referral.placement_requests.order_by("-created_at")),
        "may_record_arrival": (referral.status == Referral.Status.ACCEPTED
                               and services.may_record_arrival(request.user, social_worker)),
    }
    failed = bool(errors) or bool(form.is_bound and form.errors)
    return render(request, "referrals/placement.html", context, status=422 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def arrival(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="arrival")
    today = timezone.localdate()
    social_worker = services.allocated_social_worker(referral.child, today)
    may_record = services.may_record_arrival(request.user, social_worker)
    _require(may_record or request.method == "GET")
    if referral.status == Referral.Status.ARRIVED:
        return redirect("referrals:arrival_done", referral.pk)
    form = ArrivalForm(request.POST or None,
                       initial={"carer_or_provider": referral.placement_confirmed_description[:200]})
    chosen = services.chosen_placement_request(referral)
    if chosen is not None:
        # The placement is the offer the child chose: the form asks only when they arrived.
        for name in ("placement_type", "carer_or_provider", "postcode"):
            form.fields[name].required = False
    if request.method == "POST" and form.is_valid():
        try:
            services.record_arrival(
                actor=request.user, referral=referral, arrived_at=form.arrived_at(),
                placement_type=form.cleaned_data["placement_type"],
                carer_or_provider=form.cleaned_data["carer_or_provider"], postcode=form.cleaned_data["postcode"],
                now=timezone.now(), today=today, calendar=council_calendar(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return redirect("referrals:arrival_done", referral.pk)
    context = {
        "referral": referral,
        "child": referral.child,
        "form": form,
        "clock": _clock(referral),
        "social_worker": social_worker,
        "may_record": may_record,
        "chosen_request": chosen,
        "blockers": services.arrival_blockers(referral, social_worker=social_worker) if may_record else {},
    }
    return render(request, "referrals/arrival.html", context, status=422 if form.errors else 200)


@login_required
def arrival_done(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="arrival")
    arrival = (Arrival.objects.filter(referral=referral).select_related("first_placement", "recorded_by").first())
    if arrival is None:
        raise Http404("No child found")
    tasks = list(ArrivalTask.objects.filter(referral=referral).select_related("assigned_to").order_by("due", "kind"))
    funding = FundingClaim.objects.filter(referral=referral).select_related("rate").first()
    context = {
        "referral": referral,
        "child": referral.child,
        "arrival": arrival,
        "outcome": services.outcome_text(arrival, referral),
        "clock": _clock(referral, arrival),
        "tasks": tasks,
        "may_complete": {task.pk for task in tasks if services.may_complete_task(request.user, task)},
        "funding": funding,
        "money": services.money,
        # The child has come into care: the SSDA903 PrevPerm file asks whether they had an order before.
        "previous_permanence": PreviousPermanence.objects.filter(child=referral.child).first(),
    }
    return render(request, "referrals/arrival_done.html", context)


@login_required
@require_POST
def task_complete(request: HttpRequest, referral_id: Any, task_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="arrival task")
    try:
        task = ArrivalTask.objects.filter(referral=referral, pk=uuid.UUID(str(task_id))).first()
    except ValueError:
        task = None
    if task is None:
        raise Http404("No child found")
    _require(services.may_complete_task(request.user, task))
    services.complete_task(actor=request.user, task=task, now=timezone.now(), request_id=_rid(request))
    return redirect("referrals:arrival_done", referral.pk)


urlpatterns = [
    path("<str:referral_id>/placement/", placement, name="placement"),
    path("<str:referral_id>/arrival/", arrival, name="arrival"),
    path("<str:referral_id>/arrival/done/", arrival_done, name="arrival_done"),
    path("<str:referral_id>/arrival/tasks/<str:task_id>/done/", task_complete, name="arrival_task_complete"),
]
