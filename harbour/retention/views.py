"""The Retention page: the records manager's (an administrator's) list of records past their
retention review date, legal holds, and destruction by two people. No child's name or case content
is shown: identifiers, classes and dates are enough to decide, and administrators see no records."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from harbour.children.forms import apply_service_errors

from . import services
from .forms import HoldForm
from .models import DestructionProposal, LegalHold, Tombstone
from .selectors import due_records


def _records_manager(request: HttpRequest) -> Any:
    if not services.may_manage_retention(request.user):
        raise PermissionDenied("Only administrators manage retention")
    return request.user


def _request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _page(request: HttpRequest, *, hold_form: HoldForm | None = None, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "retention/index.html", {
        "page_title": "Retention", "records": due_records(timezone.localdate()),
        "holds": LegalHold.objects.filter(released_at__isnull=True).select_related("placed_by")[:200],
        "tombstones": Tombstone.objects.select_related("proposed_by", "approved_by")[:20],
        "hold_form": hold_form or HoldForm(), "error": error, "user": request.user,
        "flash": [str(message) for message in get_messages(request)],
    }, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _records_manager(request)
    return _page(request)


@login_required
@require_POST
def place_hold(request: HttpRequest) -> HttpResponse:
    actor = _records_manager(request)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.place_hold(actor=actor, child_id=form.cleaned_data["hold_child_id"],
                                reason=form.cleaned_data["reason"], request_id=_request_id(request))
        except ValidationError as error:
            apply_service_errors(form, _renamed(error))
        else:
            messages.success(request, "Legal hold placed. The record cannot be destroyed until the hold is released.")
            return redirect("retention:index")
    return _page(request, hold_form=form, status=400)


def _renamed(error: ValidationError) -> ValidationError:
    return ValidationError({("hold_child_id" if k == "child_id" else k): v for k, v in error.message_dict.items()})


@login_required
@require_POST
def release_hold(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    actor = _records_manager(request)
    hold = get_object_or_404(LegalHold, pk=hold_id, released_at__isnull=True)
    services.release_hold(actor=actor, hold=hold, request_id=_request_id(request))
    messages.success(request, "Legal hold released.")
    return redirect("retention:index")


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    text = "; ".join(message for messages_ in error.message_dict.values() for message in messages_)
    return _page(request, error=text, status=400)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    actor = _records_manager(request)
    try:
        child_id = uuid.UUID(request.POST.get("child_id", ""))
    except ValueError:
        return _page(request, error="Choose a record from the list", status=400)
    try:
        services.propose_destruction(actor=actor, child_id=child_id, today=timezone.localdate(),
                                     request_id=_request_id(request))
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, "Destruction proposed. Another administrator must approve it.")
    return redirect("retention:index")


@login_required
@require_POST
def approve(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    actor = _records_manager(request)
    proposal = get_object_or_404(DestructionProposal, pk=proposal_id, approved_at__isnull=True)
    try:
        services.approve_and_destroy(actor=actor, proposal=proposal, today=timezone.localdate(),
                                     request_id=_request_id(request))
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, "The record has been destroyed. Its tombstone is listed below.")
    return redirect("retention:index")


@login_required
@require_POST
def withdraw(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    actor = _records_manager(request)
    proposal = get_object_or_404(DestructionProposal, pk=proposal_id, approved_at__isnull=True)
    services.withdraw_proposal(actor=actor, proposal=proposal, request_id=_request_id(request))
    messages.success(request, "Proposal withdrawn.")
    return redirect("retention:index")
