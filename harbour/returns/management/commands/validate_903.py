"""harbour validate-903: run the DfE's SSDA903 rules on a return written by `harbour export-903`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from harbour.domain.ssda903 import COLUMNS, collection_year
from harbour.returns.validation import ValidatorUnavailable, validate_return


def _check_directory(path: Path, what: str) -> None:
    if not path.is_dir():
        raise CommandError(f"{what} {path} does not exist or is not a directory", returncode=2)
    files = sorted(path.glob("*.csv"))
    if not files:
        raise CommandError(f"{what} {path} holds no CSV files: give the directory export-903 wrote", returncode=2)
    for file in files:
        with file.open(encoding="utf-8-sig") as handle:
            header = {column.strip().upper() for column in handle.readline().strip().split(",")}
        if not any(header == set(columns) for columns in COLUMNS.values()):
            raise CommandError(
                f"{file}, row 1: the columns match no SSDA903 file (Header, Episodes, Reviews, UASC, OC2, OC3, "
                f"AD1, PlacedAdoption, PrevPerm, Missing, SWEpisodes)",
                returncode=2,
            )


class Command(BaseCommand):
    help = (
        "Validate an SSDA903 return (a directory of CSV files) against the DfE rules for its collection "
        "year with csc-validator-be-903. Prints each failed rule with its code, message, file, row and "
        "child; results the validator is known to get wrong and rules that crashed are listed apart. "
        "Exits 1 when the return has errors, 2 on bad input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="the directory of CSV files")
        parser.add_argument("--year", type=int, required=True,
                            help="the collection year, by the year it ends on 31 March (2026 is 2025-26)")
        parser.add_argument("--previous", type=Path, help="last year's return, for the rules that compare years")
        parser.add_argument("--la", default=settings.HARBOUR_LA_ONS_CODE,
                            help="the council's ONS code, for placements in or out of area (default %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = collection_year(options["year"], today=timezone.localdate())
        except ValueError as error:
            raise CommandError(f"--year {options['year']}: {error}", returncode=2) from error
        _check_directory(options["directory"], "Directory")
        if options["previous"]:
            _check_directory(options["previous"], "Previous year's directory")
        try:
            result = validate_return(options["directory"], year=year, la_code=options["la"],
                                     previous=options["previous"])
        except ValueError as error:
            raise CommandError(f"--year {year.ending}: {error}", returncode=2) from error
        except ValidatorUnavailable as error:
            raise CommandError(str(error), returncode=2) from error
        for finding in result.errors:
            self.stdout.write(finding.describe())
        if result.false_positives:
            self.stdout.write(f"\nKnown false positives of the validator ({len(result.false_positives)}), not errors:")
            for finding in result.false_positives:
                self.stdout.write(f"{finding.describe()}\n    why: {finding.false_positive_reason}")
        if result.crashed:
            self.stdout.write(f"\nRules that crashed in the validator and were not checked: {', '.join(result.crashed)}")
        summary = (f"\n{year.label}: {len(result.errors)} errors, {len(result.false_positives)} known false "
                   f"positives; {len(result.ran)} rules ran, {len(result.skipped)} skipped for tables not in the "
                   f"return, {len(result.crashed)} crashed")
        self.stdout.write(summary)
        if result.errors:
            raise CommandError(f"The {year.label} return has {len(result.errors)} errors", returncode=1)
