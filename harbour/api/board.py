"""Corporate Parenting Board reports through the API: the list, one report with its figures, and
the PDF exactly as published (harbour.reporting.board, ADR 0013).

Only performance analysts, team managers and the director see board reports; anyone else gets 403
in the shared error shape. A published report answers with the figures frozen when it was
published; a draft with the figures as the records give them today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from harbour.reporting.board import services
from harbour.reporting.board.models import BoardReport
from harbour.reporting.board.permissions import may_work_on_board_reports
from harbour.reporting.board.views import pdf_response

from .schemas import ErrorOut

router = Router(tags=["board reports"])
FORBIDDEN = "Board reports are for performance analysts, team managers and the director"


def _error(status: int, message: str) -> Any:
    return Status(status, {"detail": [{"loc": [], "msg": message}]})


class ReportSummaryOut(Schema):
    id: uuid.UUID
    period: str = Field(description="The financial quarter (2026-27-Q2) or year (2026-27)")
    period_label: str
    status: str = Field(description="draft or published")
    published_at: dt.datetime | None
    pdf_sha256: str = Field(description="SHA-256 of the published PDF; empty for a draft")


class ReportOut(ReportSummaryOut):
    figures: dict[str, Any] = Field(description="Each section's figures, as published (or as today, for a draft)")
    commentary: dict[str, str] = Field(description="Each section's commentary, by section key")


def _summary(report: BoardReport) -> dict[str, Any]:
    return {"id": report.pk, "period": report.period_key, "period_label": report.period_label,
            "status": report.status, "published_at": report.published_at, "pdf_sha256": report.pdf_sha256}


def _find(report_id: str) -> BoardReport | None:
    try:
        pk = uuid.UUID(report_id)
    except ValueError:
        return None
    return BoardReport.objects.filter(pk=pk).first()


@router.get("/reports/", response={200: list[ReportSummaryOut], 403: ErrorOut}, url_name="list_board_reports",
            summary="Board reports, newest period first")
def list_reports(request: HttpRequest) -> Any:
    if not may_work_on_board_reports(request.auth):
        return _error(403, FORBIDDEN)
    return [_summary(r) for r in BoardReport.objects.defer("html", "pdf", "figures")]


@router.get("/reports/{report_id}/", response={200: ReportOut, 403: ErrorOut, 404: ErrorOut},
            url_name="get_board_report", summary="One board report with its figures and commentary")
def get_report(request: HttpRequest, report_id: str) -> Any:
    if not may_work_on_board_reports(request.auth):
        return _error(403, FORBIDDEN)
    report = _find(report_id)
    if report is None:
        return _error(404, "Not found")
    commentary = {c.section: ("" if c.nothing_to_add else c.text) for c in services.commentaries(report).values()}
    return {**_summary(report), "commentary": commentary,
            "figures": services.content(report)}


@router.get("/reports/{report_id}/pdf/", response={403: ErrorOut, 404: ErrorOut}, url_name="board_report_pdf",
            summary="The published report's PDF, byte for byte as it was published",
            openapi_extra={"responses": {"200": {"description": "The PDF", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def get_pdf(request: HttpRequest, report_id: str) -> Any:
    if not may_work_on_board_reports(request.auth):
        return _error(403, FORBIDDEN)
    report = _find(report_id)
    if report is None or not report.is_published:
        return _error(404, "Not found: only a published report has a PDF")
    return pdf_response(report)
