"""harbour restore: restore a backup into a new PostgreSQL database and check every table's rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.core.backup import BackupError, restore

_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Restore FILE (made by `harbour backup`) into the new database NEW_DATABASE on the server in "
        "DATABASE_URL, then count the rows of every table and compare them with FILE.json. Exits non-zero, "
        "naming the tables, if anything differs; never restores over an existing database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The dump written by `harbour backup`")
        parser.add_argument("--into", required=True, metavar="NEW_DATABASE",
                            help="A database name that does not exist yet (lower-case letters, digits, _)")

    def handle(self, *args: Any, **options: Any) -> None:
        database: str = options["into"]
        if not _DATABASE_NAME.match(database):
            raise CommandError(f"--into {database!r}: use lower-case letters, digits and _ only, "
                               "starting with a letter (e.g. harbour_restored)")
        try:
            restored = restore(options["file"], database=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored into {restored.database}: {restored.tables} tables and {restored.rows} rows, "
                          "every count the same as the backup's")
