"""Pages for the child's data-protection rights: the subject-access export (UK GDPR art. 15) and
the restriction of processing (art. 18). Both are managers' decisions (ADR 0017)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.core.forms import GovukForm

from . import services, subject_access
from .forms import RestrictionForm, apply_service_errors
from .views import _open, _require, _rid


class SubjectAccessForm(GovukForm):
    reference = forms.CharField(
        label="Subject access request reference", max_length=subject_access.REFERENCE_MAX_LENGTH,
        help_text="The reference your council gave the request, for example SAR-2026-0412",
        error_messages={"required": "Enter the subject access request reference"},
    )
    reason = forms.CharField(
        label="Who asked, and on whose behalf", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the young person, through their advocate",
        error_messages={"required": "Enter why the record is being exported"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def subject_access_export(request: HttpRequest, child_id: Any) -> HttpResponse:
    _require(subject_access.may_export(request.user))
    child = _open(request, child_id, purpose="subject access export")
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export, content = subject_access.export_record(
                actor=request.user, child=child, reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"], exported_by=request.user.display_name,  # type: ignore[union-attr]
                request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{subject_access.filename(export)}.zip"'
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "children/subject_access.html",
                  {"form": form, "child": child, "marker": subject_access.THIRD_PARTY},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: HttpRequest, child_id: Any) -> HttpResponse:
    _require(services.may_restrict_processing(request.user))
    child = _open(request, child_id, purpose="restriction of processing")
    form = RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_set_processing_restriction(
                actor=request.user, child=child, restricted=not child.processing_restricted,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"], request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("children:detail", child.pk)
    return render(request, "children/restriction.html", {"form": form, "child": child},
                  status=422 if form.errors else 200)
