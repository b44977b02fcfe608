"""harbour backup: dump the PostgreSQL database with a manifest of every table's row count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harbour.core.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = (
        "Dump the database in DATABASE_URL (PostgreSQL) to FILE with pg_dump, and write FILE.json beside it: "
        "the SHA-256 of the dump and the row count of every table, taken from the same snapshot. Restore with "
        "`harbour restore FILE --into NEW_DATABASE`. See docs/how-to/backup-and-restore.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The dump to write, e.g. /var/backups/harbour-2026-12-02.dump")

    def handle(self, *args: Any, **options: Any) -> None:
        dump: Path = options["file"]
        try:
            manifest = backup(dump, now=timezone.now())
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Backed up {manifest['database']}: {len(manifest['tables'])} tables, {rows} rows, "
                          f"to {dump} (manifest {manifest_path(dump)})")
