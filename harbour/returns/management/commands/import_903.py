"""harbour import-903: load a council's past SSDA903 returns, one directory per collection year."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from harbour.returns.importer import import_year, year_of


class Command(BaseCommand):
    help = (
        "Load past SSDA903 returns into Harbour: children, periods of care, legal statuses, placements and "
        "reviews. Give one directory per collection year, named by the year (for example returns/2019). "
        "Each year is checked whole first: every rejected row is printed with its file, row, column and "
        "reason, and a year with a rejected row is not loaded. Loading the same year again changes "
        "nothing. Exits 1 when a year was rejected, 2 on bad input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directories", nargs="+", type=Path, help="one directory per year, named by the year")

    def handle(self, *args: Any, **options: Any) -> None:
        years = []
        for directory in options["directories"]:
            if not directory.is_dir():
                raise CommandError(f"{directory} does not exist or is not a directory", returncode=2)
            try:
                years.append((year_of(directory), directory))
            except ValueError as error:
                raise CommandError(str(error), returncode=2) from error
        rejected_years = []
        # Oldest first, so that a later year's row for the same episode (with its end) wins.
        for year, directory in sorted(years):
            result = import_year(directory, year=year, today=timezone.localdate())
            if result.ok:
                loaded = ", ".join(f"{table} {count}" for table, count in result.loaded.items())
                skipped = f"; not loaded yet: {', '.join(result.not_loaded)}" if result.not_loaded else ""
                self.stdout.write(f"{year} ({directory}): loaded {loaded} rows{skipped}")
            else:
                rejected_years.append(year)
                self.stdout.write(f"{year} ({directory}): not loaded, {len(result.rejected)} rows rejected:")
                for rejected in result.rejected:
                    self.stdout.write(f"  {rejected.describe()}")
        if rejected_years:
            raise CommandError(f"Not loaded: {', '.join(map(str, rejected_years))}. Fix the rows named above and "
                               f"import those years again.", returncode=1)
