"""The asylum pages of a child's record: the claim, its milestones and what needs attention."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access
from harbour.children.forms import apply_service_errors
from harbour.children.models import Child
from harbour.children.views import child_nav
from harbour.core.calendar import council_calendar
from harbour.domain.trafficking import reasonable_grounds_due, recovery_period_ends

from . import selectors, services
from .forms import AsylumClaimForm, MissingEpisodeForm, NrmReferralForm
from .models import AsylumClaim, MissingEpisode, NrmReferral


def _open(request: HttpRequest, child_id: Any, route: str, purpose: str = "") -> Child:
    if access.is_partner(request.user):
        raise Http404("No child found")
    return access.access_child(request.user, child_id, route=route, request_id=getattr(request, "request_id", ""),
                               purpose=purpose)


@login_required
def asylum(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "uasc:asylum")
    claim = AsylumClaim.objects.filter(child=child).select_related("updated_by").first()
    today = timezone.localdate()
    return render(request, "uasc/asylum.html", {
        "child": child, "claim": claim, "alerts": selectors.claim_alerts(claim, child, today) if claim else [],
        "child_nav": child_nav(child, "uasc:asylum"), "may_edit": access.may_edit_child(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit_claim(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "uasc:edit_claim", purpose="edit")
    if not access.may_edit_child(request.user):
        raise Http404("No child found")
    claim = AsylumClaim.objects.filter(child=child).first()
    initial = {f: getattr(claim, f) for f in AsylumClaimForm.base_fields} if claim else {}
    form = AsylumClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.asylum_claim_save(actor=request.user, child=child, values=form.cleaned_data,
                                       today=timezone.localdate(), request_id=getattr(request, "request_id", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("uasc:asylum", child.pk)
    return render(request, "uasc/edit_claim.html", {"form": form, "child": child, "claim": claim},
                  status=422 if form.errors else 200)


@login_required
def safety(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "uasc:safety")
    calendar = council_calendar()
    referrals = [
        (r, reasonable_grounds_due(r.referred_on, calendar),
         recovery_period_ends(r.reasonable_grounds_on) if r.reasonable_grounds == "positive" and r.reasonable_grounds_on else None)
        for r in NrmReferral.objects.filter(child=child).select_related("updated_by")
    ]
    return render(request, "uasc/safety.html", {
        "child": child, "referrals": referrals,
        "episodes": list(MissingEpisode.objects.filter(child=child).select_related("recorded_by")),
        "child_nav": child_nav(child, "uasc:safety"), "may_edit": access.may_edit_child(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit_nrm_referral(request: HttpRequest, child_id: Any, referral_id: int | None = None) -> HttpResponse:
    child = _open(request, child_id, "uasc:edit_nrm_referral", purpose="edit")
    if not access.may_edit_child(request.user):
        raise Http404("No child found")
    referral = None
    if referral_id is not None:
        referral = NrmReferral.objects.filter(child=child, pk=referral_id).first()
        if referral is None:
            raise Http404("No referral found")
    initial = {f: getattr(referral, f) for f in NrmReferralForm.base_fields} if referral else {}
    form = NrmReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nrm_referral_save(actor=request.user, child=child, referral=referral, **form.cleaned_data,
                                       today=timezone.localdate(), request_id=getattr(request, "request_id", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("uasc:safety", child.pk)
    return render(request, "uasc/edit_nrm_referral.html", {"form": form, "child": child, "referral": referral},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def add_missing_episode(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "uasc:add_missing_episode", purpose="edit")
    if not access.may_edit_child(request.user):
        raise Http404("No child found")
    form = MissingEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_episode_record(actor=request.user, child=child, **form.cleaned_data,
                                            today=timezone.localdate(), request_id=getattr(request, "request_id", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("uasc:safety", child.pk)
    return render(request, "uasc/add_missing_episode.html", {"form": form, "child": child},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_nrm_referral_by_id(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The referral's page carries only its own id; the child is then opened through the access
    module, so a referral of a child outside the user's scope answers 404 like a missing one."""
    child_id = NrmReferral.objects.filter(pk=referral_id).values_list("child_id", flat=True).first()
    if child_id is None:
        raise Http404("No referral found")
    return edit_nrm_referral(request, child_id, referral_id)
