"""harbour pitr-drill: rehearse point-in-time recovery on a scratch PostgreSQL cluster and time it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.core import pitr


class Command(BaseCommand):
    help = (
        "Make a scratch PostgreSQL cluster with WAL archiving, take a base backup, write rows, note the time, "
        "write more rows, then restore the base backup and replay the archive to the noted time. Checks that "
        "the first rows are back and the later ones are not, and reports the restore time against the RTO. "
        "Touches no Harbour database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=1000, help="Rows written before and after the target time")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 1:
            raise CommandError(f"--rows {options['rows']}: give a whole number of 1 or more")
        try:
            result = pitr.drill(rows=options["rows"])
        except pitr.DrillError as error:
            raise CommandError(str(error)) from error
        if result.rows_restored != result.rows_before_target or result.later_rows_restored:
            raise CommandError(
                f"The restore to {result.target_time.isoformat()} holds {result.rows_restored} of the "
                f"{result.rows_before_target} rows written before it and {result.later_rows_restored} written after"
            )
        self.stdout.write(
            f"Restored to {result.target_time.isoformat()}: all {result.rows_restored} rows written before it, "
            f"none of the {result.rows_after_target} written after. Base backup {result.base_backup_seconds:.1f} s; "
            f"restore and replay {result.restore_seconds:.1f} s (RTO {pitr.RTO}, "
            f"{'met' if result.within_rto else 'MISSED'}); RPO {pitr.RPO} with archive_timeout "
            f"{pitr.ARCHIVE_TIMEOUT_SECONDS} s."
        )
        if not result.within_rto:
            raise CommandError("The restore took longer than the recovery time objective")
