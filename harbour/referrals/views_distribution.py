"""Staff pages for the single referral form: the form (page and PDF), and the agencies it went to.

Thin: open the referral through the access module (which logs the read), call the service, then
redirect or render. Partners never reach these pages; they use their copy's link (views_shared).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from harbour.accounts import access
from harbour.core.models import CouncilSettings, OutboxMessage

from . import services_distribution as service
from .disclosure import ALL_SECTIONS, form_sections, section_titles
from .models import FormCopy, Referral

PDF_TEMPLATE = "referrals/form_print.html"


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _open_referral(request: HttpRequest, referral_id: Any, *, purpose: str = "") -> Referral:
    """The referral, if this member of staff may see its child (the read is logged); else 404.

    A partner's account never opens the staff form: partners see only their agency's copy,
    through its link. A malformed id, a missing referral and a child out of scope look the same.
    """
    if access.is_partner(request.user):
        raise Http404("No referral found")
    try:
        pk = uuid.UUID(str(referral_id))
    except ValueError:
        raise Http404("No referral found") from None
    referral = Referral.objects.select_related("child", "team").filter(pk=pk).first()
    if referral is None:
        raise Http404("No referral found")
    referral.child = access.access_child(request.user, referral.child_id, route=_route(request),
                                         request_id=_rid(request), purpose=purpose)
    return referral


def render_form_pdf(*, referral: Referral, sections: list[str], recipient: str = "") -> bytes:
    """The form as a PDF, from the print template, with only these sections.

    WeasyPrint is given no base URL and a fetcher that refuses everything: the document is built
    from the template alone, and nothing in a child's record can make the server fetch a URL.
    """
    # Imported here: loading Pango costs time that every other page would pay.
    from weasyprint import HTML

    html = print_html(referral=referral, sections=sections, recipient=recipient)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()  # type: ignore[no-any-return]


def print_html(*, referral: Referral, sections: list[str], recipient: str = "") -> str:
    """The HTML the PDF is made from (kept separate so tests can read exactly what feeds it)."""
    return render_to_string(PDF_TEMPLATE, {
        "referral": referral,
        "sections": form_sections(referral, sections),
        "recipient": recipient,
        "council": CouncilSettings.current().name,
        "printed_at": timezone.now(),
    })


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("The referral form fetches nothing")


def pdf_response(content: bytes, referral: Referral) -> HttpResponse:
    reference = re.sub(r"[^A-Za-z0-9_-]+", "-", referral.nts_reference).strip("-") or "referral"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="single-referral-form-{reference}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def form_page(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="single referral form")
    return render(request, "referrals/form.html", {
        "referral": referral,
        "child": referral.child,
        "sections": form_sections(referral, ALL_SECTIONS),
    })


@login_required
@require_GET
def form_pdf(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="single referral form (PDF)")
    return pdf_response(render_form_pdf(referral=referral, sections=list(ALL_SECTIONS)), referral)


def _latest_email_states(lines: list[service.AgencyLine]) -> dict[uuid.UUID, str]:
    ids = [line.copy.pk for line in lines if line.copy is not None]
    states: dict[uuid.UUID, str] = {}
    for about_id, state in (
        OutboxMessage.objects.filter(about_type=FormCopy._meta.label, about_id__in=ids)
        .order_by("created_at").values_list("about_id", "state")
    ):
        states[about_id] = state  # the latest message about the copy wins
    return states


def _agencies(request: HttpRequest, referral: Referral, *, errors: list[str] | None = None) -> HttpResponse:
    today = timezone.localdate()
    lines = service.distribution(referral, today=today)
    email_states = _latest_email_states(lines)
    cards = [{
        "line": line,
        "state": "email_failed" if (line.copy and not line.copy.acknowledged_at
                                    and email_states.get(line.copy.pk) == OutboxMessage.State.FAILED) else line.state,
        "sections": section_titles(line.copy.sections if line.copy else []),
    } for line in lines if line.due]
    not_needed = [line for line in lines if not line.due]
    may_send = service.may_send_form(request.user) and referral.status != Referral.Status.WITHDRAWN
    unsent = sum(1 for c in cards if c["line"].copy is None)
    return render(request, "referrals/agencies.html", {
        "referral": referral,
        "child": referral.child,
        "cards": cards,
        "not_needed": not_needed,
        "task": {
            "total": len(cards), "unsent": unsent,
            "acknowledged": sum(1 for c in cards if c["state"] == "acknowledged"),
        },
        "may_send": may_send,
        "show_send": may_send and (unsent > 0 or not cards),
        "errors": errors or [],
        "has_errors": bool(errors),
        "flash": [str(m) for m in messages.get_messages(request)],
    }, status=422 if errors else 200)


@login_required
@require_GET
def agencies(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="agencies sent the referral form")
    return _agencies(request, referral)


def _messages_of(error: ValidationError) -> list[str]:
    return [message for messages_ in error.message_dict.values() for message in messages_]


@login_required
@require_POST
def send_form(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="send the referral form")
    if not service.may_send_form(request.user):
        raise PermissionDenied("Only team leaders and team managers may send the referral form")
    try:
        copies = service.send_referral_form(actor=request.user, referral=referral, now=timezone.now(),
                                            request_id=_rid(request), via="web")
    except ValidationError as error:
        return _agencies(request, referral, errors=_messages_of(error))
    if copies:
        count = len(copies)
        messages.success(request, f"Referral form sent to {count} {'agency' if count == 1 else 'agencies'}")
    else:
        messages.info(request, "Every agency on the list already has the form")
    return redirect("referrals:agencies", referral.pk)


@login_required
@require_POST
def chase(request: HttpRequest, referral_id: Any, copy_id: Any) -> HttpResponse:
    referral = _open_referral(request, referral_id, purpose="chase an agency")
    if not service.may_send_form(request.user):
        raise PermissionDenied("Only team leaders and team managers may chase agencies")
    try:
        copy = FormCopy.objects.get(pk=uuid.UUID(str(copy_id)), referral=referral)
    except (ValueError, FormCopy.DoesNotExist):
        raise Http404("No copy found") from None
    try:
        copy = service.chase_copy(actor=request.user, copy=copy, now=timezone.now(), request_id=_rid(request))
    except ValidationError as error:
        return _agencies(request, referral, errors=_messages_of(error))
    messages.success(request, f"Reminder sent to {copy.entry.name}")
    return redirect("referrals:agencies", referral.pk)


urlpatterns: list[URLPattern] = [
    path("<str:referral_id>/form/", form_page, name="form"),
    path("<str:referral_id>/form.pdf", form_pdf, name="form_pdf"),
    path("<str:referral_id>/agencies/", agencies, name="agencies"),
    path("<str:referral_id>/agencies/send/", send_form, name="send_form"),
    path("<str:referral_id>/agencies/<str:copy_id>/chase/", chase, name="chase"),
]
