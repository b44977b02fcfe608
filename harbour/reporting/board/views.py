"""Pages under /board/: the list of reports, drafting one, commentary per section, publishing,
the PDF, and the deep dives. Thin: the work is in services, figures and deep_dives."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.core.csv_export import csv_response
from harbour.domain.board_report import last_quarter
from harbour.reporting.charts import deep_dive_panels

from . import services
from .deep_dives import care_leavers_journeys
from .forms import CommentaryForm, DraftForm, PublishForm
from .models import BoardReport, Section
from .permissions import require_board_role

app_name = "board"


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _report(report_id: Any) -> BoardReport:
    try:
        pk = uuid.UUID(str(report_id))
    except ValueError:
        raise Http404("No board report found") from None
    report = BoardReport.objects.filter(pk=pk).select_related("published_by", "created_by").first()
    if report is None:
        raise Http404("No board report found")
    return report


def _flash(request: HttpRequest) -> list[str]:
    return [str(m) for m in messages.get_messages(request)]


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    require_board_role(request.user)
    reports = BoardReport.objects.defer("html", "pdf", "figures").select_related("published_by")
    return render(request, "board/list.html", {"reports": list(reports), "flash": _flash(request)})


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest) -> HttpResponse:
    require_board_role(request.user)
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            report = services.draft_report(user=request.user, period=form.cleaned_data["period"],
                                           today=timezone.localdate(), request_id=_rid(request))
            messages.success(request, f"Draft report started for {report.period_label}")
            return redirect("board:report", report.pk)
    else:
        form = DraftForm(initial={"period": last_quarter(timezone.localdate()).key})
    return render(request, "board/draft.html", {"form": form})


@login_required
@require_GET
def report_page(request: HttpRequest, report_id: Any) -> HttpResponse:
    require_board_role(request.user)
    report = _report(report_id)
    return render(request, "board/report.html", {
        "report": report, "content": services.content(report), "commentaries": services.commentaries(report),
        "flash": _flash(request), "edit": not report.is_published, "error": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def commentary(request: HttpRequest, report_id: Any, section: str) -> HttpResponse:
    require_board_role(request.user)
    report = _report(report_id)
    if section not in Section.values:
        raise Http404("No such section")
    if report.is_published:
        messages.success(request, "This report has been published: its commentary can no longer be changed")
        return redirect("board:report", report.pk)
    current = services.commentaries(report)[section]
    if request.method == "POST":
        form = CommentaryForm(request.POST)
        if form.is_valid():
            try:
                services.save_commentary(
                    user=request.user, report=report, section=section, text=form.cleaned_data["text"],
                    nothing_to_add=form.cleaned_data["nothing_to_add"], version=form.cleaned_data["version"],
                    request_id=_rid(request))
            except services.BoardReportError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, f"Commentary saved: {Section(section).label}")
                return redirect(f"/board/{report.pk}/#section-{section}")
    else:
        form = CommentaryForm(initial={"text": current.text, "nothing_to_add": current.nothing_to_add,
                                       "version": report.version})
    return render(request, "board/commentary.html", {
        "report": report, "section": Section(section), "form": form})


@login_required
@require_POST
def publish(request: HttpRequest, report_id: Any) -> HttpResponse:
    require_board_role(request.user)
    report = _report(report_id)
    form = PublishForm(request.POST)
    error, status = "The report changed while you were reading it: check it again, then publish", 409
    if form.is_valid():
        try:
            services.publish(user=request.user, report=report, version=form.cleaned_data["version"],
                             request_id=_rid(request))
        except (services.StaleReport, services.AlreadyPublished) as failure:
            error = failure.message
        except services.BoardReportError as failure:
            error, status = failure.message, 422
        else:
            messages.success(request, f"Report published for {report.period_label}")
            return redirect("board:report", report.pk)
    report = _report(report_id)
    return render(request, "board/report.html", {
        "report": report, "content": services.content(report), "commentaries": services.commentaries(report),
        "flash": [], "edit": not report.is_published, "error": error,
    }, status=status)


@login_required
@require_POST
def recount(request: HttpRequest, report_id: Any) -> HttpResponse:
    require_board_role(request.user)
    report = _report(report_id)
    form = PublishForm(request.POST)  # the same one field: the version the page showed
    try:
        if not form.is_valid():
            raise services.StaleReport("The report changed while you were reading it: check it again")
        services.recount(user=request.user, report=report, version=form.cleaned_data["version"],
                         today=timezone.localdate(), request_id=_rid(request))
    except services.BoardReportError as failure:
        report = _report(report_id)
        return render(request, "board/report.html", {
            "report": report, "content": services.content(report), "commentaries": services.commentaries(report),
            "flash": [], "edit": not report.is_published, "error": failure.message}, status=409)
    messages.success(request, "Figures counted again from the records as they are now")
    return redirect("board:report", report.pk)


def pdf_response(report: BoardReport) -> HttpResponse:
    """The PDF exactly as stored when the report was published."""
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = re.sub(r"[^A-Za-z0-9-]+", "-", report.period_key)
    response["Content-Disposition"] = f'attachment; filename="corporate-parenting-board-report-{name}.pdf"'
    response["ETag"] = f'"{report.pdf_sha256}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, report_id: Any) -> HttpResponse:
    require_board_role(request.user)
    report = _report(report_id)
    if not report.is_published:
        raise Http404("A draft report has no PDF: publish it first")
    return pdf_response(report)


@login_required
@require_GET
def deep_dives(request: HttpRequest) -> HttpResponse:
    require_board_role(request.user)
    today = timezone.localdate()
    found = care_leavers_journeys(request.user, today)
    panels = deep_dive_panels(found.outcomes, found.homeless_by_home)
    if request.GET.get("format") == "csv":
        # The charts' numbers only (no names): what a spreadsheet needs to redraw them.
        return csv_response(filename=f"deep-dives-care-leavers-{today.isoformat()}", headers=DEEP_DIVE_CSV_HEADERS,
                            rows=[[panel.key, row.kind, row.of, row.counted,
                                   "" if row.percent is None else row.percent, row.label, panel.outcome]
                                  for panel in panels for row in panel.rows])
    shown = request.GET.get("group", "")
    group = next((row for row in found.outcomes if row.kind == shown), None)
    return render(request, "board/deep_dives.html", {"dives": found, "group": group, "panels": panels})


# Keys and numbers first, words last, as the dashboards' CSV.
DEEP_DIVE_CSV_HEADERS = ["deep_dive", "mostly_lived_in", "care_leavers", "counted", "percent", "label", "counts"]


urlpatterns: list[URLPattern] = [
    path("", report_list, name="list"),
    path("new/", draft, name="draft"),
    path("deep-dives/", deep_dives, name="deep_dives"),
    path("<str:report_id>/", report_page, name="report"),
    path("<str:report_id>/sections/<str:section>/", commentary, name="commentary"),
    path("<str:report_id>/publish/", publish, name="publish"),
    path("<str:report_id>/recount/", recount, name="recount"),
    path("<str:report_id>/pdf/", report_pdf, name="pdf"),
]
