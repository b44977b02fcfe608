"""The pages a partner agency reaches through the link in its copy of the single referral form.

There is no account: the link's token is the key. A wrong, expired or withdrawn link gives the
ordinary 404 page, the same in every case. Each page shows only the sections on that agency's
copy (referrals.disclosure), and every request writes an access-log row naming the recipient the
link was sent to. Pages are kept out of search engines and never pass their address (with its
token) on as a referrer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from harbour.audit.services import log_access
from harbour.core.forms import GovukForm
from harbour.core.models import CouncilSettings

from . import services_distribution as service
from .disclosure import form_sections, section_titles, shared_sections
from .models import FormCopy
from .views_distribution import pdf_response, render_form_pdf

NOT_FOUND = "No form found"
REFERRER_POLICY = "strict-origin"


class AcknowledgeForm(GovukForm):
    name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"},
                           help_text="So the council knows who in your agency has read the form")


class ContributionForm(GovukForm):
    kind = forms.ChoiceField(label="What kind of information is it?", widget=forms.RadioSelect,
                             error_messages={"required": "Select what kind of information you are adding",
                                             "invalid_choice": "Select what kind of information you are adding"})
    text = forms.CharField(label="What does your agency know about the child?", widget=forms.Textarea,
                           max_length=service.MAX_CONTRIBUTION_LENGTH,
                           error_messages={"required": "Enter what your agency knows about the child"},
                           help_text="It is added to the child's record with your name and agency")
    given_by = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            # One possible answer is no question: it goes with the form, unseen.
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0][0]


def _apply(form: forms.Form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _open(request: HttpRequest, token: str) -> FormCopy:
    copy = service.copy_for_token(token, now=timezone.now())
    if copy is None:
        raise Http404(NOT_FOUND)
    route = request.resolver_match.view_name if request.resolver_match else "shared"
    log_access(user=None, child_id=copy.referral.child_id, route=route, request_id=getattr(request, "request_id", ""),
               purpose="NTS referral form (shared link)", accessed_by=service.accessed_by(copy))
    return copy


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address, so no request from this page may carry the path on. Not
    # "no-referrer": under it browsers send "Origin: null" with the page's own form posts, which
    # Django's CSRF check rightly refuses. "strict-origin" sends at most the site's origin, to
    # anyone, so the path and its token never leave the page, not even into our own logs.
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def _page(request: HttpRequest, copy: FormCopy, token: str, *, acknowledge: AcknowledgeForm | None = None,
          contribute: ContributionForm | None = None) -> HttpResponse:
    referral = copy.referral
    sections = shared_sections(copy.sections, copy.entry.kind)
    acknowledge = acknowledge or AcknowledgeForm(prefix="ack")
    contribute = contribute or ContributionForm(prefix="add", kinds=service.contribution_kinds(copy.entry.kind))
    # Only one of the two forms is ever sent at once; its errors lead the page.
    failed = acknowledge if acknowledge.errors else contribute if contribute.errors else None
    response = render(request, "referrals/shared.html", {
        "copy": copy,
        "referral": referral,
        "token": token,
        "sections": form_sections(referral, sections),
        "section_titles": section_titles(sections),
        "council": CouncilSettings.current().name,
        "acknowledge_form": acknowledge,
        "contribute_form": contribute,
        "failed_form": failed,
        "has_errors": failed is not None,
        "done": request.GET.get("done", ""),
    }, status=422 if failed is not None else 200)
    return _private(response)


@require_GET
def shared_form(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _open(request, token), token)


@require_GET
def shared_form_pdf(request: HttpRequest, token: str) -> HttpResponse:
    copy = _open(request, token)
    sections = shared_sections(copy.sections, copy.entry.kind)
    content = render_form_pdf(referral=copy.referral, sections=sections, recipient=copy.entry.name)
    return _private(pdf_response(content, copy.referral))


@require_POST
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    copy = _open(request, token)
    form = AcknowledgeForm(request.POST, prefix="ack")
    if form.is_valid():
        try:
            service.acknowledge_copy(copy=copy, name=form.cleaned_data["name"], now=timezone.now(),
                                     request_id=getattr(request, "request_id", ""))
        except ValidationError as error:
            _apply(form, error)
        else:
            return _private(redirect(f"{reverse('shared:form', args=[token])}?done=acknowledged"))
    return _page(request, copy, token, acknowledge=form)


@require_POST
def contribute(request: HttpRequest, token: str) -> HttpResponse:
    copy = _open(request, token)
    form = ContributionForm(request.POST, prefix="add", kinds=service.contribution_kinds(copy.entry.kind))
    if form.is_valid():
        try:
            service.add_contribution(copy=copy, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
                                     given_by=form.cleaned_data["given_by"], now=timezone.now(),
                                     request_id=getattr(request, "request_id", ""))
        except ValidationError as error:
            _apply(form, error)
        else:
            return _private(redirect(f"{reverse('shared:form', args=[token])}?done=added"))
    return _page(request, copy, token, contribute=form)
