"""NTS intake pages: the referral queue, recording a referral (with the duplicate check), the
referral workspace and the decision. Thin: access, form, service, then redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.children.models import DateOfBirthRecord
from harbour.children.selectors import child_timeline
from harbour.core.calendar import council_calendar

from . import selectors, services_intake
from .forms_intake import SERVICE_FIELD_MAP, DecisionForm, LinkChoiceForm, ReferralForm
from .models import Referral


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _require(allowed: bool) -> None:
    # Pages a role may not use answer like a page that does not exist (security checklist 1).
    if not allowed:
        raise Http404("No referral found")


def _open(request: HttpRequest, referral_id: Any, purpose: str = "") -> Referral:
    return selectors.open_referral(request.user, referral_id, route=_route(request), request_id=_rid(request),
                                   purpose=purpose)


def apply_service_errors(forms: list[Any], error: ValidationError) -> None:
    """Put each of a service's errors on the form that has the field, the rest at the top of the first."""
    for key, messages in error.message_dict.items():
        field = SERVICE_FIELD_MAP.get(key, key)
        target = next((f for f in forms if f is not None and field in f.fields), None)
        for message in messages:
            (target or forms[0]).add_error(field if target else None, message)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require(selectors.may_see_queue(request.user))
    today = timezone.localdate()
    rows = selectors.referral_queue(user=request.user, today=today, calendar=council_calendar())
    return render(request, "referrals/queue.html", {
        "rows": rows, "today": today, "may_record": selectors.may_record_referral(request.user),
    })


def _save_referral(request: HttpRequest, form: ReferralForm, choice: LinkChoiceForm | None) -> Referral | None:
    try:
        return services_intake.referral_create(
            actor=request.user, team=form.chosen_team(), referral_details=form.referral_details(),
            identity=form.identity(), claimed_date_of_birth=form.cleaned_data.get("claimed_date_of_birth"),
            home_office_date_of_birth=form.cleaned_data.get("home_office_date_of_birth"),
            link_to_child=choice.chosen_child() if choice else None, now=timezone.now(),
            today=timezone.localdate(), calendar=council_calendar(), request_id=_rid(request),
        )
    except PermissionDenied as denied:
        raise Http404("No referral found") from denied
    except ValidationError as error:
        apply_service_errors([form, choice], error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Record a referral. The first submit that finds children who may be the same child shows
    them (200, values kept); the next submit carries the user's choice: link to one, or a new child."""
    _require(selectors.may_record_referral(request.user))
    form = ReferralForm(request.POST or None, actor=request.user)
    choice: LinkChoiceForm | None = None
    if request.method == "POST" and form.is_valid():
        check = services_intake.possible_duplicates(user=request.user, facts=form.person_facts())
        if check.found:
            # "checked" says the user has seen this panel: only then is an empty choice an error.
            choice = LinkChoiceForm(request.POST if request.POST.get("checked") else None, check=check)
        if choice is None or choice.is_valid():
            referral = _save_referral(request, form, choice)
            if referral is not None:
                return redirect("referrals:workspace", referral.pk)
    has_errors = bool(form.errors or (choice is not None and choice.errors))
    errors = form.error_list() + (choice.error_list() if choice is not None else [])
    return render(request, "referrals/intake_new.html", {
        "form": form, "choice": choice, "has_errors": has_errors, "errors": errors,
    }, status=422 if has_errors else 200)


@login_required
def workspace(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open(request, referral_id)
    child = referral.child
    today = timezone.localdate()
    arrival = selectors.arrival_of(referral)
    arrived_on = timezone.localtime(arrival.arrived_at).date() if arrival else None
    return render(request, "referrals/workspace.html", {
        "referral": referral,
        "child": child,
        "clock": selectors.referral_clock(referral, today=today, calendar=council_calendar(), arrived_on=arrived_on),
        "tasks": selectors.workspace_tasks(referral, today=today),
        "dates_of_birth": list(DateOfBirthRecord.objects.filter(child=child).order_by("recorded_at")),
        "timeline_entries": child_timeline(child=child, kinds=["referral"]),
        "may_decide": selectors.may_record_referral(request.user) and referral.status == Referral.Status.RECEIVED,
        "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, referral_id: Any) -> HttpResponse:
    _require(selectors.may_record_referral(request.user))
    referral = _open(request, referral_id, purpose="decision")
    form = DecisionForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            services_intake.referral_decide(
                actor=request.user, referral=referral, decision=form.cleaned_data["decision"],
                reason=form.cleaned_data.get("reason", ""), now=timezone.now(), version=form.cleaned_data["version"],
                request_id=_rid(request),
            )
        except PermissionDenied as denied:
            raise Http404("No referral found") from denied
        except ValidationError as error:
            apply_service_errors([form], error)
        else:
            return redirect("referrals:workspace", referral.pk)
    return render(request, "referrals/decision.html", {
        "referral": referral, "child": referral.child, "form": form,
        "figures": selectors.threshold_figures(today=timezone.localdate()),
        "decided": referral.status != Referral.Status.RECEIVED,
    }, status=422 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("", queue, name="queue"),
    path("new/", new, name="new"),
    # uuid, so that these never swallow other intake pages' paths such as "sign-off/" (this list
    # comes first in referrals.urls). A malformed id still gets the same 404 page: nothing matches.
    path("<uuid:referral_id>/", workspace, name="workspace"),
    path("<uuid:referral_id>/decision/", decide, name="decide"),
]
