"""harbour retention --due: list the records that have reached their retention review date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harbour.retention.selectors import due_records


class Command(BaseCommand):
    help = (
        "List the children's records that have reached their retention review date, with their record class, "
        "review date, any legal hold and any destruction proposal. Destroys nothing: destruction is proposed and "
        "approved on the Retention page by two administrators."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--due", action="store_true", help="List the records due for review.")
        parser.add_argument("--on", help="Count as if today were this date (YYYY-MM-DD); default today.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["due"]:
            raise CommandError("Say what to do: harbour retention --due lists the records due for review")
        today = timezone.localdate()
        if options["on"]:
            try:
                today = dt.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"--on: enter a real date as YYYY-MM-DD, not {options['on']!r}") from None
        records = due_records(today)
        self.stdout.write("child_id\trecord_class\treview_date\tstatus")
        for record in records:
            status = ("legal hold" if record.on_hold else
                      "destruction proposed" if record.proposal else "due for review")
            self.stdout.write(f"{record.child_id}\t{record.record_class.value}\t{record.review_date.isoformat()}\t{status}")
        self.stdout.write(f"{len(records)} {'record' if len(records) == 1 else 'records'} due on {today.isoformat()}.")
