"""The provider view: what a placement provider's own users see of the requests sent to them.

A partner user of a provider agency sees the requests sent to the providers linked to their agency,
and of each only the provider-safe profile (`selectors_requests.ProviderRequest`): the templates
are never given the request, the child or the council's records. They answer for their own
providers only: anyone else's request, a malformed id and one that does not exist all answer 404.
Every read is written to the child's access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.referrals.services_arrival import money

from . import selectors_requests as selectors
from . import services_requests as services
from .forms_requests import OfferForm, ProviderDeclineForm
from .models import PlacementRequest, Provider, RequestRecipient


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _provider_user(request: HttpRequest) -> None:
    if not services.is_provider_user(request.user):
        raise Http404("No placement request found")


def _open(request: HttpRequest, recipient_id: Any) -> tuple[selectors.ProviderRequest, RequestRecipient]:
    _provider_user(request)
    return selectors.provider_request(request.user, recipient_id, route=_route(request), request_id=_rid(request))


def _context(request: HttpRequest, safe: selectors.ProviderRequest, **extra: Any) -> dict[str, Any]:
    return {"safe": safe, "profile": safe.profile, "money": money,
            "flash": [str(m) for m in messages.get_messages(request)], **extra}


@login_required
@require_GET
def provider_requests(request: HttpRequest) -> HttpResponse:
    _provider_user(request)
    rows = selectors.provider_requests(request.user, route=_route(request), request_id=_rid(request))
    return render(request, "placements/portal_list.html", {
        "rows": rows, "agency": request.user.partner_agency.name,  # type: ignore[union-attr]
        "flash": [str(m) for m in messages.get_messages(request)],
    })


@login_required
@require_GET
def provider_request(request: HttpRequest, recipient_id: Any) -> HttpResponse:
    safe, _recipient = _open(request, recipient_id)
    return render(request, "placements/portal_detail.html", _context(request, safe))


def _answering(request: HttpRequest, recipient_id: Any) -> tuple[selectors.ProviderRequest, PlacementRequest,
                                                                  Provider]:
    safe, recipient = _open(request, recipient_id)
    # The services lock and read the request again; the provider row is read whole for the hard rules.
    return safe, recipient.request, Provider.objects.get(pk=recipient.provider_id)


@login_required
@require_http_methods(["GET", "POST"])
def provider_offer(request: HttpRequest, recipient_id: Any) -> HttpResponse:
    safe, placement_request, provider = _answering(request, recipient_id)
    if not safe.may_offer:
        return redirect("placements:provider_request", safe.recipient_id)
    form = OfferForm(request.POST if request.method == "POST" else None)
    form.fields["cost_per_week"].help_text = f"Leave it empty for your usual cost, {money(provider.cost_per_week)}."
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_record(
                actor=request.user, request=placement_request, provider=provider,
                available_from=form.cleaned_data["available_from"], cost_per_week=form.cleaned_data["cost_per_week"],
                carer_or_unit=form.cleaned_data["carer_or_unit"], details=form.cleaned_data["details"],
                now=timezone.now(), today=timezone.localdate(), request_id=_rid(request),
            )
        except PermissionDenied as denied:
            raise Http404("No placement request found") from denied
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Offer sent to the council")
            return redirect("placements:provider_request", safe.recipient_id)
    return render(request, "placements/portal_offer.html", _context(request, safe, form=form),
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_decline(request: HttpRequest, recipient_id: Any) -> HttpResponse:
    safe, placement_request, provider = _answering(request, recipient_id)
    if not safe.may_decline:
        return redirect("placements:provider_request", safe.recipient_id)
    form = ProviderDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_record(
                actor=request.user, request=placement_request, provider=provider,
                reason=form.cleaned_data["decline_reason"], detail=form.cleaned_data["decline_detail"],
                now=timezone.now(), request_id=_rid(request),
            )
        except PermissionDenied as denied:
            raise Http404("No placement request found") from denied
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Your answer has been sent to the council")
            return redirect("placements:provider_request", safe.recipient_id)
    return render(request, "placements/portal_decline.html", _context(request, safe, form=form),
                  status=422 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("provider/", provider_requests, name="provider_requests"),
    path("provider/<str:recipient_id>/", provider_request, name="provider_request"),
    path("provider/<str:recipient_id>/offer/", provider_offer, name="provider_offer"),
    path("provider/<str:recipient_id>/decline/", provider_decline, name="provider_decline"),
]
