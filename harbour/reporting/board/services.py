"""Writes to board reports: draft, commentary, publish. Each is atomic and audited.

Two people may edit one draft at once: every change names the version of the report it was made
from, and a change made from an older version is refused (:class:`StaleReport`) rather than
silently overwriting the other person's words. Publishing freezes the report (ADR 0013).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from harbour.accounts import access
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, record_event
from harbour.children.models import Child
from harbour.core.models import CouncilSettings
from harbour.domain.review_measures import ReportingPeriod

from . import figures as board_figures
from .models import BoardReport, Section, SectionCommentary

PRINT_TEMPLATE = "board/report_print.html"


class BoardReportError(Exception):
    """A change that cannot be made; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleReport(BoardReportError):
    pass


class AlreadyPublished(BoardReportError):
    pass


def draft_report(*, user: Any, period: ReportingPeriod, today: date, request_id: str = "",
                 children: QuerySet[Child] | None = None) -> BoardReport:
    """A new draft for ``period``, its figures counted now, with an empty commentary for every section.

    The figures are kept with the draft, so that the commentary is written against figures that do
    not move under it; :func:`recount` counts them again on purpose.
    """
    report = BoardReport(period_key=period.key, period_label=period.label, period_start=period.start,
                         period_end=period.end, created_by=user)
    report.figures = build_figures(report, children=_children(user, children), today=today)
    with transaction.atomic():
        report.save()
        SectionCommentary.objects.bulk_create(
            SectionCommentary(report=report, section=section, updated_by=user) for section in Section.values)
        # The snapshot names the period only: a report holds no child's data and, later, a PDF.
        record_change(actor=user, action=AuditEvent.Action.CREATE, instance=report, child_id=None,
                      after={"period_key": period.key, "status": report.status}, request_id=request_id)
    return report


def recount(*, user: Any, report: BoardReport, version: int, today: date, request_id: str = "") -> BoardReport:
    """Count a draft's figures again from the records as they are now."""
    figures = build_figures(report, children=_children(user, None), today=today)
    with transaction.atomic():
        _claim_version(report, version)
        BoardReport.objects.filter(pk=report.pk).update(figures=figures)
        record_event(actor=user, action=AuditEvent.Action.UPDATE, record_type=BoardReport._meta.label,
                     record_id=str(report.pk), request_id=request_id,
                     details={"figures counted on": [report.figures.get("made_on"), figures["made_on"]]})
        report.figures = figures
    return report


def _children(user: Any, children: QuerySet[Child] | None) -> QuerySet[Child]:
    return access.children_visible_to(user) if children is None else children


def _claim_version(report: BoardReport, version: int) -> None:
    """Move the report on one version, or refuse if someone else already has (or it is published)."""
    moved = BoardReport.objects.filter(pk=report.pk, version=version, status=BoardReport.Status.DRAFT).update(
        version=F("version") + 1)
    if moved:
        report.version = version + 1
        return
    current = BoardReport.objects.get(pk=report.pk)
    if current.is_published:
        raise AlreadyPublished("This report has been published and can no longer be changed")
    raise StaleReport("Someone else changed this report while you were editing it. Your changes have not been "
                      "saved: check the report as it is now and make them again")


def save_commentary(*, user: Any, report: BoardReport, section: str, text: str, nothing_to_add: bool,
                    version: int, request_id: str = "") -> SectionCommentary:
    text = text.strip()
    if not text and not nothing_to_add:
        raise BoardReportError("Enter the commentary, or select that there is nothing to add", field="text")
    if text and nothing_to_add:
        raise BoardReportError("Either enter the commentary or select that there is nothing to add, not both",
                               field="nothing_to_add")
    with transaction.atomic():
        _claim_version(report, version)
        commentary = SectionCommentary.objects.select_for_update().get(report=report, section=section)
        before = {"text": commentary.text, "nothing_to_add": commentary.nothing_to_add}
        commentary.text, commentary.nothing_to_add, commentary.updated_by = text, nothing_to_add, user
        commentary.save(update_fields=["text", "nothing_to_add", "updated_by", "updated_at"])
        record_change(actor=user, action=AuditEvent.Action.UPDATE, instance=commentary, child_id=None,
                      before=before, after={"text": text, "nothing_to_add": nothing_to_add}, request_id=request_id)
    return commentary


def content(report: BoardReport) -> dict[str, Any]:
    """What the report shows: the figures counted for the draft, frozen once it is published."""
    return dict(report.figures)


def build_figures(report: BoardReport, *, children: QuerySet[Child], today: date) -> dict[str, Any]:
    return board_figures.build(children, _period(report), today)


def _period(report: BoardReport) -> ReportingPeriod:
    return ReportingPeriod(report.period_key, report.period_label, report.period_start, report.period_end)


def commentaries(report: BoardReport) -> dict[str, SectionCommentary]:
    return {c.section: c for c in SectionCommentary.objects.filter(report=report)}


def print_html(report: BoardReport, *, figures: dict[str, Any], published_at: Any, published_by: Any,
               commentary: dict[str, SectionCommentary] | None = None) -> str:
    """The HTML the PDF is made from: the figures, the commentary and who published it, nothing live."""
    return render_to_string(PRINT_TEMPLATE, {
        "report": report, "content": figures,
        "commentaries": commentaries(report) if commentary is None else commentary,
        "council": CouncilSettings.current().name, "published_at": published_at, "published_by": published_by,
    })


def render_pdf(html: str) -> bytes:
    # Imported here: loading Pango costs time that every other page would pay.
    from weasyprint import HTML

    # No base URL and a fetcher that refuses everything: the PDF is made from the template alone.
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()  # type: ignore[no-any-return]


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("The board report fetches nothing")


def publish(*, user: Any, report: BoardReport, version: int, request_id: str = "") -> BoardReport:
    """Freeze the report: its figures, the HTML and the PDF made from them, with their SHA-256.

    Every section must have commentary or say on purpose that there is nothing to add, so that a
    board never reads a section nobody looked at. The figures are the draft's, as the commentary
    was written against them (the version check makes sure nobody counted them again meanwhile).
    """
    written = commentaries(report)
    missing = [str(Section(key).label) for key in Section.values if key not in written or not written[key].is_done]
    if missing:
        raise BoardReportError("Add commentary, or say there is nothing to add, for: " + "; ".join(missing))
    figures = dict(report.figures)
    published_at = timezone.now()
    html = print_html(report, figures=figures, published_at=published_at, published_by=user)
    pdf = render_pdf(html)
    with transaction.atomic():
        _claim_version(report, version)
        if BoardReport.objects.filter(period_key=report.period_key, status=BoardReport.Status.PUBLISHED).exists():
            raise AlreadyPublished(f"A report for {report.period_label} has already been published")
        BoardReport.objects.filter(pk=report.pk).update(
            status=BoardReport.Status.PUBLISHED, published_at=published_at, published_by=user, figures=figures,
            html=html, html_sha256=hashlib.sha256(html.encode()).hexdigest(), pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest())
        report.refresh_from_db()
        record_event(actor=user, action=AuditEvent.Action.UPDATE, record_type=BoardReport._meta.label,
                     record_id=str(report.pk), request_id=request_id,
                     details={"status": ["draft", "published"], "pdf_sha256": [None, report.pdf_sha256]})
    return report
