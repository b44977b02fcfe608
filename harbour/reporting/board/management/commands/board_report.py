"""harbour board-report: the Corporate Parenting Board report for a period, as a PDF.

    harbour board-report --period 2026-27-Q2 --out board-2026-27-Q2.pdf
    harbour board-report --period 2026-27-Q2 --publish --user analyst --out board.pdf

Without --publish it writes the report as the records give it today (a draft, with whatever
commentary the period's draft holds), and changes nothing. With --publish it publishes the
period's draft (which needs commentary, or "nothing to add", on every section), with the figures
the draft holds, and writes the PDF exactly as stored. If the period is already published, the stored PDF is written as it is.
Figures are counted over every child, as `harbour export-903` does (the command runs on the
server with the operator's rights); --user names the analyst, team manager or director the
publication is recorded against (without it, the audit records it as done from the command line).
Bad input exits with status 2 and a message naming the option and the fix.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harbour.accounts.models import User
from harbour.children.models import Child
from harbour.domain.board_report import BoardPeriodError, last_quarter, parse_period
from harbour.reporting.board import services
from harbour.reporting.board.models import BoardReport
from harbour.reporting.board.permissions import may_work_on_board_reports


class Command(BaseCommand):
    help = "Write the Corporate Parenting Board report for a financial quarter or year as a PDF; optionally publish it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="",
                            help="A financial quarter like 2026-27-Q2 or a year like 2026-27 (default: the last "
                                 "quarter that has ended)")
        parser.add_argument("--publish", action="store_true",
                            help="Publish the period's draft report and write the PDF as stored")
        parser.add_argument("--user", default="",
                            help="The username of the analyst, team manager or director publishing (with --publish)")
        parser.add_argument("--out", required=True, help="The PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        try:
            period = parse_period(options["period"]) if options["period"] else last_quarter(today)
        except BoardPeriodError as error:
            raise CommandError(f"--period: {error}", returncode=2) from None
        user = self._user(options["user"]) if options["user"] else None
        published = BoardReport.objects.filter(period_key=period.key, status=BoardReport.Status.PUBLISHED).first()
        if published is not None:
            content, note = bytes(published.pdf), f"published {published.published_at:%d %B %Y}, as stored"
        elif options["publish"]:
            content, note = self._publish(period.key, user), "published now"
        else:
            content, note = self._draft(period, today), "draft, not published"
        try:
            with open(options["out"], "wb") as handle:
                handle.write(content)
        except OSError as error:
            raise CommandError(f"--out: cannot write {options['out']}: {error.strerror}", returncode=2) from None
        self.stdout.write(f"Wrote {options['out']}: the board report for {period.label} ({note}).")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None or not may_work_on_board_reports(user):
            raise CommandError(f"--user: {username!r} is not an active performance analyst, team manager or "
                               "director; give one who is", returncode=2)
        return user

    def _draft(self, period: Any, today: Any) -> bytes:
        draft = BoardReport.objects.filter(period_key=period.key, status=BoardReport.Status.DRAFT).first()
        report = draft or BoardReport(period_key=period.key, period_label=period.label, period_start=period.start,
                                      period_end=period.end)
        figures = services.build_figures(report, children=Child.unscoped.all(), today=today)
        html = services.print_html(report, figures=figures, published_at=None, published_by=None,
                                   commentary=services.commentaries(report) if draft else {})
        return services.render_pdf(html)

    def _publish(self, key: str, user: User | None) -> bytes:
        draft = BoardReport.objects.filter(period_key=key, status=BoardReport.Status.DRAFT).order_by(
            "-created_at").first()
        if draft is None:
            raise CommandError(f"--publish: there is no draft report for {key} to publish; draft it at /board/new/ "
                               "and add its commentary first", returncode=2)
        try:
            report = services.publish(user=user, report=draft, version=draft.version)
        except services.BoardReportError as error:
            raise CommandError(f"--publish: {error.message}", returncode=2) from None
        return bytes(report.pdf)
