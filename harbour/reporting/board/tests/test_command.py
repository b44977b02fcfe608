"""harbour board-report: the PDF for a period, a draft or published, and clear refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from harbour.domain.board_report import parse_period
from harbour.reporting.board import services
from harbour.reporting.board.models import BoardReport, Section

from .support import PERIOD, Council, build_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(make_user: Any, make_team: Any) -> Council:
    return build_council(make_user, make_team)


def _ready_draft(council: Council) -> BoardReport:
    report = services.draft_report(user=council.analyst, period=parse_period(PERIOD), today=timezone.localdate())
    for section in Section.values:
        services.save_commentary(user=council.analyst, report=report, section=section, text="Noted.",
                                 nothing_to_add=False, version=report.version)
    return report


@pytest.mark.parametrize(("case", "options", "message"), [
    ("a calendar quarter", {"period": "Q2 2026"}, "--period: Enter a financial quarter like 2026-27-Q2"),
    ("years that do not follow", {"period": "2026-28"}, "--period: Enter a financial quarter"),
    ("an unknown user", {"period": PERIOD, "user": "nobody"}, "--user: 'nobody' is not an active performance"),
    ("publishing with no draft", {"period": PERIOD, "publish": True}, "--publish: there is no draft report"),
])
def test_bad_input_exits_2_naming_the_option(council: Council, tmp_path: Path, case: str, options: dict[str, Any],
                                             message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("board_report", out=str(tmp_path / "out.pdf"), **options)
    assert raised.value.returncode == 2, case
    assert not (tmp_path / "out.pdf").exists()


def test_publishing_needs_commentary(council: Council, tmp_path: Path) -> None:
    services.draft_report(user=council.analyst, period=parse_period(PERIOD), today=timezone.localdate())
    with pytest.raises(CommandError, match="--publish: Add commentary") as raised:
        call_command("board_report", period=PERIOD, publish=True, out=str(tmp_path / "out.pdf"))
    assert raised.value.returncode == 2


def test_a_draft_pdf_changes_nothing(council: Council, tmp_path: Path) -> None:
    out = tmp_path / "draft.pdf"
    call_command("board_report", period=PERIOD, out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert not BoardReport.objects.exists()


def test_publish_writes_the_stored_pdf_and_later_runs_write_it_again(council: Council, tmp_path: Path) -> None:
    _ready_draft(council)
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    call_command("board_report", period=PERIOD, publish=True, user="analyst", out=str(first))
    report = BoardReport.objects.get(status=BoardReport.Status.PUBLISHED)
    assert report.published_by == council.analyst
    call_command("board_report", period=PERIOD, out=str(second))
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest() \
        == report.pdf_sha256
