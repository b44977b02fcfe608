"""Pages of the child's record. Thin: access, form, service, then redirect or render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access
from harbour.allocation.selectors import may_keep_rota
from harbour.audit.selectors import access_log_for_child
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.timescales import leaving_care_status
from harbour.domain.types import Period
from harbour.merging import selectors as merging_selectors
from harbour.merging import services as merging_services
from harbour.referrals.services_arrival import open_arrival_tasks
from harbour.returns import selectors as return_selectors
from harbour.returns.models import PreviousPermanence

from . import rectification, selectors, services
from .forms import (
    AddNameForm,
    ChildCreateForm,
    ChronologyEntryForm,
    DateOfBirthForm,
    EditIdentityForm,
    LegalStatusForm,
    PeriodForm,
    ReturnFactsForm,
    apply_service_errors,
)
from .models import Child, ChildName, DateOfBirthRecord, LegalStatusPeriod, PeriodLookedAfter


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _open(request: HttpRequest, child_id: Any, purpose: str = "") -> Child:
    route = request.resolver_match.view_name if request.resolver_match else request.path
    return access.access_child(request.user, child_id, route=route, request_id=_rid(request), purpose=purpose)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("No child found")


def child_nav(child: Child, active: str) -> list[dict[str, Any]]:
    items = [
        ("Overview", "children:detail"),
        ("Identity and age", "children:identity"),
        ("Legal status and care", "children:legal"),
        ("Placements", "placements:child"),
        ("Reviews and checks", "reviews:child"),
    ]
    items += [("Asylum claim", "uasc:asylum")] if child.is_uasc else []
    items += [("Trafficking and missing", "uasc:safety")]
    items += [("Leaving care", "leaving_care:young_person")]
    items += [("Documents", "documents:child")]
    return [{"text": text, "href": reverse(name, args=[child.pk]), "active": name == active} for text, name in items]


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    children = list(access.children_visible_to(request.user).order_by("family_name", "given_names")[:500])
    return render(request, "children/list.html", {"children": children, "nav_active": "children"})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = selectors.search_children(visible=access.children_visible_to(request.user), query=query)
    return render(request, "children/search.html", {"query": query, "results": results, "searched": bool(query.strip())})


@login_required
def child_detail(request: HttpRequest, child_id: Any) -> HttpResponse:
    try:
        child = _open(request, child_id)
    except Http404:
        # A record merged into another (ADR 0019) leads to its merge, for those who see the kept one.
        from harbour.merging.selectors import page_of_merged_record

        if merged_into := page_of_merged_record(request.user, child_id):
            return redirect(merged_into)
        raise
    if access.is_partner(request.user):
        return render(request, "children/partner_view.html", {"child": child})
    today = timezone.localdate()
    council = CouncilSettings.current()
    calendar = council_calendar()
    kinds = [k for k in request.GET.getlist("kind") if k in selectors.TIMELINE_KINDS]
    deadlines = selectors.child_deadlines(child=child, today=today, calendar=calendar,
                                          nts_working_days=council.nts_transfer_working_days)
    open_deadlines = [d for d in deadlines if d.status != "met"]
    periods = list(PeriodLookedAfter.objects.filter(child=child))
    status = None
    if child.date_of_birth:
        status = leaving_care_status(child.date_of_birth, [Period(p.start, p.end) for p in periods], today)
    allocations = list(child.allocations.select_related("worker").filter(end__isnull=True))
    return_run, return_findings = return_selectors.child_findings(child)
    context = {
        "return_run": return_run,
        "return_findings": return_findings,
        "child": child,
        "today": today,
        "calendar": calendar,
        "deadlines": deadlines,
        "open_deadlines": open_deadlines,
        "timeline_entries": selectors.child_timeline(child=child, kinds=kinds or None),
        "timeline_kinds": selectors.TIMELINE_KINDS,
        "selected_kinds": kinds,
        "leaving_care_status": status,
        "allocations": allocations,
        "looked_after_now": any(p.end is None for p in periods),
        "child_nav": child_nav(child, "children:detail"),
        "may_edit": access.may_edit_child(request.user),
        "may_read_access_log": access.may_read_access_log(request.user),
        "may_restrict": services.may_restrict_processing(request.user),
        "may_merge": merging_services.may_propose(request.user),
        "merged_into_this": merging_selectors.merged_into(child) if merging_services.may_propose(request.user) else [],
        "nts_referrals": list(child.nts_referrals.order_by("-received_at")),
        "arrival_tasks": open_arrival_tasks(child),
        "may_allocate": may_keep_rota(request.user),
    }
    return render(request, "children/detail.html", context)


@login_required
def child_identity(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id)
    _require(not access.is_partner(request.user))
    return render(request, "children/identity.html", {
        "child": child,
        "names": list(ChildName.objects.filter(child=child).order_by("kind", "name")),
        "dates_of_birth": list(DateOfBirthRecord.objects.filter(child=child).select_related("recorded_by")),
        "age_assessments": list(child.age_assessments.select_related("recorded_by")),
        "corrections": rectification.corrections(child),
        "child_nav": child_nav(child, "children:identity"),
        "may_edit": access.may_edit_child(request.user),
    })


@login_required
def child_legal(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id)
    _require(not access.is_partner(request.user))
    return render(request, "children/legal.html", {
        "child": child,
        "legal_statuses": list(LegalStatusPeriod.objects.filter(child=child)),
        "periods": list(PeriodLookedAfter.objects.filter(child=child)),
        # Asked when the child comes into care, for the SSDA903 PrevPerm file.
        "previous_permanence": PreviousPermanence.objects.filter(child=child).first(),
        "child_nav": child_nav(child, "children:legal"),
        "may_edit": access.may_edit_child(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest) -> HttpResponse:
    _require(access.may_create_child(request.user))
    form = ChildCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(
                actor=request.user, identity=form.identity(),
                date_of_birth=form.cleaned_data.get("date_of_birth"),
                date_of_birth_source=form.cleaned_data["date_of_birth_source"],
                social_worker=form.cleaned_data["social_worker"], today=timezone.localdate(),
                request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("children:detail", child.pk)
    return render(request, "children/create.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_identity(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    _require(access.may_edit_child(request.user))
    initial = {f: getattr(child, f) for f in services.IDENTITY_FIELDS}
    initial["interpreter_needed"] = {True: "yes", False: "no"}.get(child.interpreter_needed, "unknown")  # type: ignore[arg-type]
    initial["version"] = child.version
    form = EditIdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update_identity(actor=request.user, child=child, changes=form.identity(),
                                           version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
                                           request_id=_rid(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("children:identity", child.pk)
    return render(request, "children/edit_identity.html", {"form": form, "child": child}, status=422 if form.errors else 200)


def _simple_form_view(request: HttpRequest, child_id: Any, form_class: type, template: str, save: Any, done: str) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    _require(access.may_edit_child(request.user))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(child, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(done, child.pk)
    return render(request, template, {"form": form, "child": child}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def add_name(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, data: dict[str, Any]) -> None:
        services.child_add_name(actor=request.user, child=child, name=data["name"], kind=data["kind"], request_id=_rid(request))
    return _simple_form_view(request, child_id, AddNameForm, "children/add_name.html", save, "children:identity")


@login_required
@require_http_methods(["GET", "POST"])
def add_date_of_birth(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, data: dict[str, Any]) -> None:
        services.date_of_birth_record(
            actor=request.user, child=child, date_of_birth=data["date_of_birth"], source=data["source"],
            use_it=data["use_it"] == "yes", note=data.get("note", ""), today=timezone.localdate(), request_id=_rid(request),
        )
    return _simple_form_view(request, child_id, DateOfBirthForm, "children/add_date_of_birth.html", save, "children:identity")


@login_required
@require_http_methods(["GET", "POST"])
def add_legal_status(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, data: dict[str, Any]) -> None:
        services.legal_status_add(actor=request.user, child=child, legal_status=data["legal_status"], start=data["start"],
                                  end=data.get("end"), today=timezone.localdate(), request_id=_rid(request))
    return _simple_form_view(request, child_id, LegalStatusForm, "children/add_legal_status.html", save, "children:legal")


@login_required
@require_http_methods(["GET", "POST"])
def add_period(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, data: dict[str, Any]) -> None:
        services.period_looked_after_add(actor=request.user, child=child, start=data["start"], end=data.get("end"),
                                         today=timezone.localdate(), request_id=_rid(request))
    return _simple_form_view(request, child_id, PeriodForm, "children/add_period.html", save, "children:legal")


@login_required
@require_http_methods(["GET", "POST"])
def add_chronology_entry(request: HttpRequest, child_id: Any) -> HttpResponse:
    def save(child: Child, data: dict[str, Any]) -> None:
        occurred_at = timezone.make_aware(dt.datetime.combine(data["occurred_on"], dt.time(12, 0)))
        services.chronology_add(actor=request.user, child=child, kind=data["kind"], occurred_at=min(occurred_at, timezone.now()),
                                title=data["title"], description=data.get("description", ""), request_id=_rid(request))
    return _simple_form_view(request, child_id, ChronologyEntryForm, "children/add_chronology_entry.html", save, "children:detail")


@login_required
def access_log(request: HttpRequest, child_id: Any) -> HttpResponse:
    _require(access.may_read_access_log(request.user))
    child = _open(request, child_id, purpose="access log")
    entries = list(access_log_for_child(child_id=child.pk)[:500])
    return render(request, "children/access_log.html", {"child": child, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def edit_return_facts(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, purpose="edit")
    _require(access.may_edit_child(request.user))
    initial = {"category_of_need": child.category_of_need,
               "is_mother": {True: "yes", False: "no"}.get(child.is_mother, ""),
               "mother_child_date_of_birth": child.mother_child_date_of_birth}
    form = ReturnFactsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_record_return_facts(actor=request.user, child=child, today=timezone.localdate(),
                                               request_id=_rid(request), **form.facts())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("children:legal", child.pk)
    return render(request, "children/edit_return_facts.html", {"form": form, "child": child},
                  status=422 if form.errors else 200)
