"""The director's sign-off pages: one referral's sign-off, the sign-offs waiting, and the director's
delegates. Thin: access, form, service, then redirect or render.

A referral is read through its child (referrals.selectors.open_referral, which goes through
harbour.accounts.access and logs the read); the director has whole-service scope. Pages a role
may not use answer 404, like a page that does not exist.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from harbour.accounts.models import Role, User
from harbour.core.forms import GovukDateField, GovukForm

from . import selectors, services_signoff
from .models import Referral, SignOffDelegate


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _posted(request: HttpRequest) -> Any:
    # Not `request.POST or None`: an empty POST still binds the form.
    return request.POST if request.method == "POST" else None


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("No page here")


def _is_director(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) == Role.DIRECTOR


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return None


def _top_errors(form: forms.Form, error: ValidationError) -> None:
    for key, messages in error.message_dict.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)


# --- Forms ----------------------------------------------------------------------------------------


class ApproveForm(GovukForm):
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example, a condition or something the team should know")
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class DelegateForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Delegate", queryset=User.objects.none(), empty_label="Select a manager",
        error_messages={"required": "Select the manager who can approve in your place",
                        "invalid_choice": "Select a manager whose account is active"},
    )
    start = GovukDateField(label="Start date", help_text="The first day they can approve. For example, 21 12 2026")
    end = GovukDateField(label="End date (optional)", required=False,
                         help_text="The last day they can approve. Leave empty until you end it yourself")

    def __init__(self, *args: Any, director: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = (User.objects.filter(is_active=True, role__in=services_signoff.DELEGATE_ROLES)  # type: ignore[attr-defined]
                          .exclude(pk=director.pk).select_related("team").order_by("first_name", "last_name"))
        field.label_from_instance = lambda u: f"{u.display_name}, {u.get_role_display()}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        return data


# --- One referral's sign-off ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.open_referral(request.user, referral_id, route=_route(request), request_id=_rid(request),
                                       purpose="section 20 sign-off")
    today = timezone.localdate()
    may = services_signoff.may_sign_off(request.user, today)
    form = ApproveForm(_posted(request), initial={"next": _safe_next(request, request.GET.get("next")) or ""})
    if request.method == "POST":
        _require(may)
        if form.is_valid():
            try:
                services_signoff.approve_section20(actor=request.user, referral=referral, now=timezone.now(),
                                                   note=form.cleaned_data["note"], request_id=_rid(request))
            except ValidationError as error:
                _top_errors(form, error)
            else:
                return redirect(_safe_next(request, form.cleaned_data.get("next"))
                                or reverse("referrals:sign_off", args=[referral.pk]))
    approval = services_signoff.approval_for(referral)
    return render(request, "referrals/signoff.html", {
        "referral": referral, "child": referral.child, "approval": approval, "may_sign_off": may,
        "form": form, "today": today, "stopped": referral.status in {Referral.Status.CONTESTED,
                                                                     Referral.Status.WITHDRAWN},
        "is_director": _is_director(request.user),
    }, status=422 if form.errors else 200)


# --- Sign-offs waiting ----------------------------------------------------------------------------


@login_required
def sign_off_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    _require(services_signoff.may_sign_off(request.user, today))
    waiting = list(
        selectors.referrals_visible_to(request.user)
        .filter(status__in=Referral.OPEN, section20_approval__isnull=True)
        .select_related("child", "team").order_by("transfer_due", "received_at")
    )
    return render(request, "referrals/signoff_list.html", {
        "waiting": waiting, "today": today, "is_director": _is_director(request.user),
    })


# --- The director's delegates ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def delegates(request: HttpRequest) -> HttpResponse:
    _require(_is_director(request.user))
    today = timezone.localdate()
    form = DelegateForm(_posted(request), director=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services_signoff.name_delegate(actor=request.user, user=form.cleaned_data["user"],
                                           start=form.cleaned_data["start"], end=form.cleaned_data.get("end"),
                                           request_id=_rid(request))
        except ValidationError as error:
            _top_errors(form, error)
        else:
            return redirect("referrals:sign_off_delegates")
    return render(request, "referrals/signoff_delegates.html", {
        "form": form, "today": today, "delegations": list(services_signoff.current_delegations(today)),
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def end_delegate(request: HttpRequest, delegation_id: int) -> HttpResponse:
    _require(_is_director(request.user))
    delegation = get_object_or_404(SignOffDelegate, pk=delegation_id)
    services_signoff.end_delegation(actor=request.user, delegation=delegation, today=timezone.localdate(),
                                    request_id=_rid(request))
    return redirect("referrals:sign_off_delegates")


urlpatterns: list[URLPattern] = [
    path("sign-off/", sign_off_list, name="sign_off_list"),
    path("sign-off/delegates/", delegates, name="sign_off_delegates"),
    path("sign-off/delegates/<int:delegation_id>/end/", end_delegate, name="sign_off_delegate_end"),
    # str, not uuid: a malformed id reaches open_referral and gets the same 404 as any other.
    path("<str:referral_id>/sign-off/", sign_off, name="sign_off"),
]
