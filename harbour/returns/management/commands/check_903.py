"""harbour check-903: the nightly check of the SSDA903 return to date (run it from cron)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from harbour.domain.ssda903 import VALIDATOR_YEARS, collection_year
from harbour.returns.models import ReturnRun
from harbour.returns.services import run_return


def year_to_date(today: Any) -> int:
    return today.year + 1 if (today.month, today.day) >= (4, 1) else today.year


class Command(BaseCommand):
    help = (
        "Write the SSDA903 return to date and check it against the DfE's rules, keeping the errors so that "
        "each child's page and the team's home page show them. Run it nightly from cron. Exits 1 when the "
        "run fails, 2 on bad input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="the collection year (default: the year in progress)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        ending = options["year"] or year_to_date(today)
        try:
            year = collection_year(ending, today=today)
        except ValueError as error:
            raise CommandError(f"--year {ending}: {error}", returncode=2) from error
        if year.ending not in VALIDATOR_YEARS:
            raise CommandError(f"--year {ending}: the validator has rules for the years {VALIDATOR_YEARS.start} "
                               f"to {VALIDATOR_YEARS.stop - 1} only", returncode=2)
        run = run_return(ReturnRun.objects.create(year=year.ending), la_code=settings.HARBOUR_LA_ONS_CODE)
        if run.state != ReturnRun.State.DONE:
            raise CommandError(f"The {year.label} check failed: {run.failure}", returncode=1)
        self.stdout.write(f"{year.label}: {run.children} children, {run.errors} errors, "
                          f"{run.false_positives} known false positives")
