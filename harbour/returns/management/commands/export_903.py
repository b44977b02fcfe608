"""harbour export-903: write the SSDA903 return for a collection year as the DfE's CSV files."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from harbour.children.models import Child
from harbour.domain.ssda903 import collection_year
from harbour.returns.services import export_return


class Command(BaseCommand):
    help = (
        "Write the SSDA903 return for the collection year ending on 31 March YEAR to DIR as CSV files with "
        "the DfE's column names and dd/mm/yyyy dates, derived from the casework. Exits 2 on bad input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help="the collection year, by the year it ends on 31 March (2026 is 2025-26)")
        parser.add_argument("--out", type=Path, required=True, help="the directory to write the files to")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = collection_year(options["year"], today=timezone.localdate())
        except ValueError as error:
            raise CommandError(f"--year {options['year']}: {error}", returncode=2) from error
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: a file of that name exists; give a directory", returncode=2)
        try:
            # The return covers every child the council looked after: a service-wide read, logged per child.
            built, written = export_return(year=year, children=Child.unscoped.all(), out=out, actor=None,
                                           accessed_by="harbour export-903 (command line)")
        except OSError as error:
            raise CommandError(f"--out {out}: cannot write there ({error.strerror})", returncode=2) from error
        for path, rows in written:
            self.stdout.write(f"{path}: {rows} rows")
        self.stdout.write(f"{year.label}: {len(built.child_ids)} children looked after during the year")
