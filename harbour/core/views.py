"""The home page for each role, the timescale calculator and the service's information pages."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.accounts import access
from harbour.accounts.models import Role, Scope
from harbour.domain.deadlines import TimelineInputError, compute_deadlines, parse_case_timeline
from harbour.returns import selectors as return_selectors
from harbour.snapshot import services as snapshot

from .calendar import council_calendar
from .collector import collector_paused
from .forms_timescales import TimescaleForm
from .models import CouncilSettings

HOME_LIST_LIMIT = 25

ROLE_INTRO = {
    Role.SOCIAL_WORKER: "Deadlines for the children you are allocated.",
    Role.PERSONAL_ADVISER: "Deadlines for the young people you are allocated.",
    Role.IRO: "Deadlines for the children whose reviews you chair.",
    Role.TEAM_LEADER: "Deadlines for every child allocated to your team.",
    Role.TEAM_MANAGER: "Deadlines across the whole service.",
    Role.IRO_MANAGER: "Deadlines across the whole service.",
    Role.DIRECTOR: "Deadlines across the whole service.",
    Role.PERFORMANCE_ANALYST: "Deadlines across the whole service.",
    Role.PLACEMENTS_OFFICER: "Deadlines across the whole service.",
    Role.COMMISSIONING_OFFICER: "Deadlines across the whole service.",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"nav_active": "home", "role_intro": ROLE_INTRO.get(user.role, "")}
    if user.scope in {Scope.NONE}:
        return render(request, "core/home_admin.html", context)
    visible = access.children_visible_to(user)
    if user.scope == Scope.SHARED:
        context["children"] = list(visible.order_by("family_name")[:200])
        return render(request, "core/home_partner.html", context)
    today, now = snapshot.today_and_now()
    council = CouncilSettings.current()
    # From the deadline snapshot, exact: children changed since are worked out again (ADR 0016).
    with collector_paused():  # thousands of small objects for a whole service, none in cycles
        next_steps = snapshot.what_to_do_next(
            visible=visible, today=today, now=now, calendar=council_calendar(),
            nts_working_days=council.nts_transfer_working_days, limit=HOME_LIST_LIMIT,
        )
    context.update({
        "today": today,
        "calendar": council_calendar(),
        "overdue": next_steps.overdue,
        "overdue_count": next_steps.overdue_count,
        "due_soon": next_steps.due_soon,
        "due_soon_count": next_steps.due_soon_count,
        "children_count": visible.count(),
        "list_limit": HOME_LIST_LIMIT,
    })
    context["return_run"], context["return_errors"], context["return_error_children"] = (
        return_selectors.errors_by_child(visible)
    )
    return render(request, "core/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def timescales(request: HttpRequest) -> HttpResponse:
    """The statutory calendar on a page: key dates in, every deadline out."""
    council = CouncilSettings.current()
    form = TimescaleForm(request.POST or None, initial_today=timezone.localdate())
    deadlines = None
    if request.method == "POST" and form.is_valid():
        try:
            today, timeline = parse_case_timeline(form.as_case_json())
        except TimelineInputError as error:
            form.add_error(None, str(error))
        else:
            deadlines = compute_deadlines(timeline, today=today, calendar=council_calendar(),
                                          nts_working_days=council.nts_transfer_working_days)
    return render(request, "core/timescales.html", {
        "form": form, "deadlines": deadlines, "nav_active": "timescales",
        "as_json": json.dumps(form.as_case_json(), indent=2) if deadlines is not None else "",
    }, status=422 if form.errors else 200)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {})


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {})
