"""Pages for placement requests: the list, a new request for a child, the request with every answer
by track, the answers, the comparison of offers, the child's view, the choice and the placement.

Thin, like every page: open the request (or the child) through the access module, check the role,
hand the form to `services_requests`, then redirect or render (422 with the error summary when
something is wrong). A request a user may not see, one that does not exist and a malformed id all
answer the same 404; so does a page the user's role may not use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts import access
from harbour.children.models import Child
from harbour.referrals.models import Referral
from harbour.referrals.selectors import referrals_visible_to
from harbour.referrals.services_arrival import money

from . import selectors_requests as selectors
from . import services_requests as services
from .forms_requests import (
    ChildViewForm,
    ChoiceForm,
    DeclineForm,
    OfferForm,
    PlacementForm,
    RequestForm,
)
from .models import PlacementRequest, Provider, RequestRecipient

ANSWER_TAGS = {
    RequestRecipient.Answer.WAITING: "blue",
    RequestRecipient.Answer.OFFERED: "green",
    RequestRecipient.Answer.DECLINED: "grey",
    RequestRecipient.Answer.NO_ANSWER: "yellow",
}
STATUS_TAGS = {
    PlacementRequest.Status.DRAFT: "grey",
    PlacementRequest.Status.SEARCHING: "blue",
    PlacementRequest.Status.CHOSEN: "turquoise",
    PlacementRequest.Status.PLACED: "green",
    PlacementRequest.Status.CANCELLED: "grey",
}


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _require(allowed: bool) -> None:
    # Pages a role may not use answer like a page that does not exist (security checklist 1).
    if not allowed:
        raise Http404("No placement request found")


def _staff(request: HttpRequest) -> None:
    # Providers have their own view of what was sent to them (views_provider); never these pages.
    _require(not access.is_partner(request.user))


def _open(request: HttpRequest, request_id: Any, purpose: str = "placement request") -> PlacementRequest:
    _staff(request)
    return selectors.open_request(request.user, request_id, route=_route(request), request_id_for_log=_rid(request),
                                  purpose=purpose)


def needs_link(child: Child) -> str | None:
    """The child's needs profile page, when the placements pages that hold it are installed."""
    try:
        return reverse("placements:needs", kwargs={"child_id": child.pk})
    except NoReverseMatch:
        return None


def points(value: Decimal) -> str:
    """"2.5", "3", "0": a criterion's points without trailing zeros."""
    text = f"{value.quantize(Decimal('0.1')):f}"
    return text.removesuffix(".0")


def _common(request: HttpRequest, placement_request: PlacementRequest) -> dict[str, Any]:
    return {
        "placement_request": placement_request,
        "child": placement_request.child,
        "status_tag": STATUS_TAGS.get(placement_request.status, "grey"),
        "answer_tags": ANSWER_TAGS,
        "money": money,
        "points": points,
        "flash": [str(m) for m in messages.get_messages(request)],
    }


# --- The list -------------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    _require(selectors.may_see_list(request.user))
    return render(request, "placements/request_list.html", {
        "rows": selectors.request_list(request.user), "status_tags": STATUS_TAGS,
    })


# --- A new request, and changing a draft ------------------------------------------------------------


def _referral_for(request: HttpRequest, child: Child) -> Referral | None:
    referral_id = request.GET.get("referral") or request.POST.get("referral")
    if not referral_id:
        return None
    try:
        referral = referrals_visible_to(request.user).filter(pk=referral_id, child_id=child.pk).first()
    except (ValueError, ValidationError):
        referral = None
    if referral is None:
        raise Http404("No referral found")
    return referral


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, child_id: Any) -> HttpResponse:
    _staff(request)
    _require(services.may_manage_requests(request.user))
    child = access.access_child(request.user, child_id, route=_route(request), request_id=_rid(request),
                                purpose="placement request")
    referral = _referral_for(request, child)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.user, child=child, needed_from=form.cleaned_data["needed_from"],
                area_wanted=form.cleaned_data["area_wanted"],
                summary_for_providers=form.cleaned_data["summary_for_providers"], referral=referral,
                now=timezone.now(), today=timezone.localdate(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Request saved. Check what providers will see, then send it")
            return redirect("placements:request", created.pk)
    open_requests = list(PlacementRequest.objects.filter(child=child, status__in=services.OPEN_STATUSES)
                         .order_by("needed_from"))
    return render(request, "placements/request_form.html", {
        "child": child, "form": form, "referral": referral, "editing": None,
        "profile": selectors.record_profile(child, on=timezone.localdate()), "needs_href": needs_link(child),
        "open_requests": open_requests,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id)
    _require(services.may_manage_requests(request.user)
             and placement_request.status == PlacementRequest.Status.DRAFT)
    form = RequestForm(request.POST if request.method == "POST" else None, initial={
        "needed_from": placement_request.needed_from, "area_wanted": placement_request.area_wanted,
        "summary_for_providers": placement_request.summary_for_providers,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.request_change(
                actor=request.user, request=placement_request, needed_from=form.cleaned_data["needed_from"],
                area_wanted=form.cleaned_data["area_wanted"],
                summary_for_providers=form.cleaned_data["summary_for_providers"], today=timezone.localdate(),
                request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Request changed")
            return redirect("placements:request", placement_request.pk)
    return render(request, "placements/request_form.html", {
        "child": placement_request.child, "form": form, "referral": placement_request.referral,
        "editing": placement_request, "needs_href": needs_link(placement_request.child),
        "profile": selectors.record_profile(placement_request.child, on=timezone.localdate()),
        "open_requests": [],
    }, status=422 if form.errors else 200)


# --- The request page: both tracks, every answer ------------------------------------------------------


def _request_page(request: HttpRequest, placement_request: PlacementRequest, errors: list[str] | None = None,
                  ) -> HttpResponse:
    child = placement_request.child
    page = selectors.request_page(placement_request, child, now=timezone.now())
    shown = (selectors.preview_request(placement_request, child)
             if placement_request.status == PlacementRequest.Status.DRAFT else placement_request)
    return render(request, "placements/request_detail.html", {
        **_common(request, placement_request),
        "page": page,
        "profile": selectors.safe_profile(shown),
        "may_manage": services.may_manage_requests(request.user),
        "may_choose": services.may_choose(request.user),
        "needs_href": needs_link(child),
        "errors": errors or [],
        "has_errors": bool(errors),
        "waits_for_arrival": services.waits_for_arrival(placement_request),
    }, status=422 if errors else 200)


@login_required
@require_GET
def request_detail(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _request_page(request, _open(request, request_id))


@login_required
@require_POST
def request_send(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id)
    _require(services.may_manage_requests(request.user))
    try:
        result = services.request_send(actor=request.user, request=placement_request, now=timezone.now(),
                                       today=timezone.localdate(), request_id=_rid(request))
    except ValidationError as error:
        return _request_page(request, placement_request, [m for ms in error.message_dict.values() for m in ms])
    in_house = sum(1 for r in result.asked if r.provider.track == "in_house")
    external = len(result.asked) - in_house
    messages.success(request, f"Request sent to {len(result.asked)} provider{'' if len(result.asked) == 1 else 's'}: "
                              f"{in_house} in-house and {external} external")
    return redirect("placements:request", placement_request.pk)


@login_required
@require_POST
def request_no_answer(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id)
    _require(services.may_manage_requests(request.user))
    marked = services.mark_no_answers(now=timezone.now(), actor=request.user, request=placement_request,
                                      request_id=_rid(request))
    messages.success(request, f"{marked} provider{' was' if marked == 1 else 's were'} marked as no answer")
    return redirect("placements:request", placement_request.pk)


def _answer_page(request: HttpRequest, request_id: Any, provider_id: Any) -> tuple[
        PlacementRequest, Provider, RequestRecipient | None]:
    placement_request = _open(request, request_id)
    _require(services.may_manage_requests(request.user))
    provider, recipient = selectors.provider_in_request(placement_request, provider_id)
    return placement_request, provider, recipient


@login_required
@require_http_methods(["GET", "POST"])
def request_offer(request: HttpRequest, request_id: Any, provider_id: Any) -> HttpResponse:
    placement_request, provider, recipient = _answer_page(request, request_id, provider_id)
    form = OfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_record(
                actor=request.user, request=placement_request, provider=provider,
                available_from=form.cleaned_data["available_from"], cost_per_week=form.cleaned_data["cost_per_week"],
                carer_or_unit=form.cleaned_data["carer_or_unit"], details=form.cleaned_data["details"],
                now=timezone.now(), today=timezone.localdate(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"Offer from {provider.name} recorded")
            return redirect("placements:request", placement_request.pk)
    return render(request, "placements/request_offer.html", {
        **_common(request, placement_request), "form": form, "provider": provider, "recipient": recipient,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def request_decline(request: HttpRequest, request_id: Any, provider_id: Any) -> HttpResponse:
    placement_request, provider, recipient = _answer_page(request, request_id, provider_id)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_record(
                actor=request.user, request=placement_request, provider=provider,
                reason=form.cleaned_data["decline_reason"], detail=form.cleaned_data["decline_detail"],
                now=timezone.now(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"{provider.name} recorded as declined")
            return redirect("placements:request", placement_request.pk)
    return render(request, "placements/request_decline.html", {
        **_common(request, placement_request), "form": form, "provider": provider, "recipient": recipient,
    }, status=422 if form.errors else 200)


# --- Comparing offers, the child's view and the choice ------------------------------------------------


@login_required
@require_GET
def request_offers(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id, purpose="offers compared")
    return render(request, "placements/request_offers.html", {
        **_common(request, placement_request),
        "comparison": selectors.compare_offers(placement_request, placement_request.child),
        "may_record_view": services.may_record_child_view(request.user),
        "may_choose": services.may_choose(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def offer_child_view(request: HttpRequest, request_id: Any, offer_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id, purpose="child's view of an offer")
    _require(services.may_record_child_view(request.user))
    offer = selectors.offer_in_request(placement_request, offer_id)
    form = ChildViewForm(request.POST if request.method == "POST" else None, initial={"child_view": offer.child_view})
    if request.method == "POST" and form.is_valid():
        try:
            services.child_view_record(actor=request.user, offer=offer, child_view=form.cleaned_data["child_view"],
                                       now=timezone.now(), request_id=_rid(request))
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"{placement_request.child.known_as}'s view of the offer from "
                                      f"{offer.provider.name} recorded")
            return redirect("placements:request_offers", placement_request.pk)
    return render(request, "placements/request_child_view.html", {
        **_common(request, placement_request), "form": form, "offer": offer,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def request_choice(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id, purpose="choice of placement")
    _require(services.may_choose(request.user))
    comparison = selectors.compare_offers(placement_request, placement_request.child)
    offers = [card.offer for card in comparison.cards if not card.refused]
    form = ChoiceForm(request.POST if request.method == "POST" else None, offers=offers, initial={
        "offer": str(placement_request.chosen_offer_id or ""), "chosen_by": placement_request.chosen_by,
        "choice_reason": placement_request.choice_reason,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.choice_record(
                actor=request.user, request=placement_request, offer=form.chosen_offer(),
                chosen_by=form.cleaned_data["chosen_by"], reason=form.cleaned_data["choice_reason"],
                now=timezone.now(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        except PermissionDenied as denied:
            raise Http404("No placement request found") from denied
        else:
            messages.success(request, "Choice recorded")
            return redirect("placements:request", placement_request.pk)
    return render(request, "placements/request_choice.html", {
        **_common(request, placement_request), "form": form, "comparison": comparison,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def request_place(request: HttpRequest, request_id: Any) -> HttpResponse:
    placement_request = _open(request, request_id, purpose="placement started")
    _require(services.may_choose(request.user))
    waits = services.waits_for_arrival(placement_request)
    offer = placement_request.chosen_offer
    # A placement is recorded on the day it starts, never ahead: the offer's date until then.
    form = PlacementForm(request.POST if request.method == "POST" and not waits else None, initial={
        "start": min(offer.available_from, timezone.localdate()) if offer else None,
    })
    if form.is_bound and form.is_valid():
        try:
            services.placement_from_request(
                actor=request.user, request=placement_request, start=form.cleaned_data["start"],
                long_term=form.is_long_term(), today=timezone.localdate(), request_id=_rid(request),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "Placement started")
            return redirect("placements:request", placement_request.pk)
    return render(request, "placements/request_place.html", {
        **_common(request, placement_request), "form": form, "waits_for_arrival": waits,
    }, status=422 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("requests/", request_list, name="requests"),
    path("requests/new/<str:child_id>/", request_new, name="request_new"),
    path("requests/<str:request_id>/", request_detail, name="request"),
    path("requests/<str:request_id>/change/", request_edit, name="request_edit"),
    path("requests/<str:request_id>/send/", request_send, name="request_send"),
    path("requests/<str:request_id>/no-answer/", request_no_answer, name="request_no_answer"),
    path("requests/<str:request_id>/providers/<str:provider_id>/offer/", request_offer, name="request_offer"),
    path("requests/<str:request_id>/providers/<str:provider_id>/decline/", request_decline,
         name="request_decline"),
    path("requests/<str:request_id>/offers/", request_offers, name="request_offers"),
    path("requests/<str:request_id>/offers/<str:offer_id>/child-view/", offer_child_view, name="offer_child_view"),
    path("requests/<str:request_id>/choice/", request_choice, name="request_choice"),
    path("requests/<str:request_id>/place/", request_place, name="request_place"),
]
