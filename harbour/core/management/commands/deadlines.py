"""harbour deadlines: the statutory calendar for scripts and analysts (JSON in, JSON out)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from harbour.core.calendar import council_calendar
from harbour.domain.deadlines import (
    TimelineInputError,
    compute_deadlines,
    deadlines_as_json,
    parse_case_timeline,
)

EXAMPLE = """\
example input:
  {"today": "2026-11-20", "child": {"date_of_birth": "2010-02-14"},
   "events": [{"type": "nts_referral", "date": "2026-11-02"},
              {"type": "arrival", "date": "2026-11-06"},
              {"type": "looked_after", "start": "2026-11-06", "end": null},
              {"type": "placement", "start": "2026-11-06", "end": null, "long_term": false}]}
"""


class Command(BaseCommand):
    help = (
        "Read a case timeline as JSON (from FILE, or standard input when FILE is - or missing) and print "
        "every statutory deadline as JSON. Exits 2 with a message naming the event and field on bad input."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> ArgumentParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EXAMPLE
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="JSON file with the case timeline (default: standard input)")
        parser.add_argument("--nts-working-days", type=int, default=5,
                            help="The council's NTS transfer deadline in working days (default 5)")
        parser.add_argument("--snapshot", action="store_true",
                            help="Instead: rebuild the deadline snapshot the home page reads, for today (run it "
                                 "from cron just after midnight, and after a deploy or a long import)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["snapshot"]:
            self._snapshot()
            return
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror}", returncode=2) from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"Input is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}",
                               returncode=2) from error
        if not isinstance(data, dict):
            raise CommandError('Input must be a JSON object with "today", "child" and "events"', returncode=2)
        if options["nts_working_days"] < 1:
            raise CommandError("--nts-working-days must be 1 or more", returncode=2)
        try:
            today, timeline = parse_case_timeline(data)
        except TimelineInputError as error:
            raise CommandError(str(error), returncode=2) from error
        deadlines = compute_deadlines(timeline, today=today, calendar=council_calendar(),
                                      nts_working_days=options["nts_working_days"])
        self.stdout.write(json.dumps(deadlines_as_json(deadlines), indent=2))


    def _snapshot(self) -> None:
        from harbour.core.models import CouncilSettings
        from harbour.snapshot.services import rebuild, today_and_now

        today, now = today_and_now()
        count = rebuild(today=today, now=now, calendar=council_calendar(), force=True,
                        nts_working_days=CouncilSettings.current().nts_transfer_working_days)
        self.stdout.write(f"Deadline snapshot for {today:%-d %B %Y}: {count} children with something to do")
        from harbour.snapshot.checks import rebuild_checks

        measured = rebuild_checks(today=today, now=now, calendar=council_calendar(), force=True)
        self.stdout.write(f"Measured checks for {today:%-d %B %Y}: {measured} children")
