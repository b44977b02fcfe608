"""Pages for the SSDA903 return: run it to date (as a task with progress), read what the DfE's rules
found with each error linked to the record that causes it, and download the files.

Thin: check the role, call the service or selector, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts import access
from harbour.accounts.access import children_visible_to
from harbour.audit.services import record_event
from harbour.children.forms import apply_service_errors
from harbour.children.views import child_nav
from harbour.domain.ssda903 import CollectionYear

from . import permanence, selectors, services
from .forms import PreviousPermanenceForm, RunReturnForm
from .models import PreviousPermanence, ReturnRun


def _require_role(request: HttpRequest) -> None:
    if not services.may_run_returns(request.user):
        raise Http404("No page found")


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    form = RunReturnForm(request.POST if request.method == "POST" else None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            run = services.request_run(year=CollectionYear(int(form.cleaned_data["year"])), user=request.user)
        return redirect("returns:run", run.id)
    return render(request, "returns/overview.html", {"form": form, "runs": selectors.recent_runs()})


def _run(request: HttpRequest, run_id: Any) -> ReturnRun:
    _require_role(request)
    return get_object_or_404(ReturnRun.objects.defer("files").select_related("requested_by"), id=run_id)


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = _run(request, run_id)
    groups, false_positives = selectors.run_findings(run, children_visible_to(request.user)) if run.finished \
        else ([], [])
    return render(request, "returns/run.html", {
        "run": run, "year": CollectionYear(run.year), "groups": groups, "false_positives": false_positives,
    })


@login_required
@require_GET
def run_download(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = _run(request, run_id)
    files = ReturnRun.objects.filter(id=run.id).values_list("files", flat=True).first()
    if run.state != ReturnRun.State.DONE or not files:
        raise Http404("The files are not ready")
    record_event(actor=request.user, action="disclose", record_type="ssda903_download", record_id=str(run.id),
                 details={"year": CollectionYear(run.year).label, "children": run.children})
    response = HttpResponse(bytes(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ssda903-{run.year}-{run.created_at:%Y%m%d-%H%M}.zip"'
    return response


app_name = "returns"
@login_required
@require_http_methods(["GET", "POST"])
def previous_permanence(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Whether the child had a previous permanence order: asked when they come into care (PrevPerm)."""
    if access.is_partner(request.user):
        raise Http404("No child found")
    route = request.resolver_match.view_name if request.resolver_match else request.path
    child = access.access_child(request.user, child_id, route=route, request_id=getattr(request, "request_id", ""),
                                purpose="edit" if request.method == "POST" else "")
    may_edit = access.may_edit_child(request.user)
    recorded = PreviousPermanence.objects.filter(child=child).first()
    initial = {"order": recorded.order, "local_authority": recorded.local_authority,
               "made_on": recorded.made_on} if recorded else {}
    form = PreviousPermanenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise Http404("No page found")
        if form.is_valid():
            try:
                permanence.previous_permanence_record(
                    actor=request.user, child=child, order=form.cleaned_data["order"],
                    local_authority=form.cleaned_data.get("local_authority") or "",
                    made_on=form.cleaned_data.get("made_on"), today=timezone.localdate(),
                    request_id=getattr(request, "request_id", ""))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("children:legal", child.pk)
    return render(request, "returns/previous_permanence.html", {
        "child": child, "form": form, "recorded": recorded, "may_edit": may_edit,
        "came_into_care_on": permanence.came_into_care_on(child), "child_nav": child_nav(child, "children:legal"),
    }, status=422 if form.errors else 200)


urlpatterns = [
    path("", overview, name="overview"),
    path("runs/<uuid:run_id>/", run_detail, name="run"),
    path("runs/<uuid:run_id>/download/", run_download, name="download"),
    path("children/<uuid:child_id>/previous-permanence/", previous_permanence, name="previous_permanence"),
]
