"""The age assessment pages: record one on the child's record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access

from . import services_age
from .forms import apply_service_errors
from .forms_age import AgeAssessmentForm


@login_required
@require_http_methods(["GET", "POST"])
def add_age_assessment(request: HttpRequest, child_id: Any) -> HttpResponse:
    rid = getattr(request, "request_id", "")
    child = access.access_child(request.user, child_id, route="children:add_age_assessment", request_id=rid,
                                purpose="edit")
    if not access.may_edit_child(request.user):
        raise Http404("No child found")
    form = AgeAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_age.age_assessment_record(
                actor=request.user, child=child, started_on=data["started_on"], completed_on=data["completed_on"],
                assessors=data["assessors"], interpreter=data.get("interpreter", ""), outcome=data["outcome"],
                assessed_date_of_birth=data["assessed_date_of_birth"], child_response=data.get("child_response", ""),
                naab_referred_on=data.get("naab_referred_on"), today=timezone.localdate(), request_id=rid,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("children:identity", child.pk)
    return render(request, "children/add_age_assessment.html", {"form": form, "child": child},
                  status=422 if form.errors else 200)
