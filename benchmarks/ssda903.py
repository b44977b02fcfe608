"""How long the SSDA903 export takes for a large council, against the DfE validator's own time on
the same files.

    .venv/bin/python benchmarks/ssda903.py                 # 2,000 children in care
    .venv/bin/python benchmarks/ssda903.py --children 500

It migrates a new SQLite database in a temporary directory, writes N children looked after through
the 2025-26 year with one to three placements, two reviews, a social worker and a health assessment
each, a fifth of them missing once, and one care leaver aged 19 for every five children with the
adviser's contacts (bulk inserts, not the demo),
then times `export_return` (reading, deriving the episodes, logging each child read, writing the
CSV files) and `validate_return` (csc-validator-be-903 in its own environment) on those files. It
prints what it measured; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=903)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="harbour-bench-903-") as temp:
        os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development",
                           "DATABASE_URL": f"sqlite:///{temp}/bench.sqlite3", "HARBOUR_LOG_LEVEL": "ERROR"})
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        _populate(args.children, random.Random(args.seed))
        populated = time.perf_counter() - started

        from harbour.children.models import Child
        from harbour.domain.ssda903 import CollectionYear
        from harbour.returns.services import export_return
        from harbour.returns.validation import validate_return

        year, out = CollectionYear(2026), Path(temp) / "2026"
        started = time.perf_counter()
        built, written = export_return(year=year, children=Child.unscoped.all(), out=out, actor=None,
                                       accessed_by="benchmark")
        exported = time.perf_counter() - started
        started = time.perf_counter()
        result = validate_return(out, year=year, la_code="E08000035")
        validated = time.perf_counter() - started

    rows = ", ".join(f"{path.name} {count}" for path, count in written)
    print(f"SSDA903 2025-26 for {len(built.child_ids)} children ({rows}); {platform.python_version()}, "
          f"{os.cpu_count()} cores")
    print(f"  test data written in   {populated:6.1f} s")
    print(f"  export (Harbour)       {exported:6.1f} s")
    print(f"  validation (DfE rules) {validated:6.1f} s  ({len(result.errors)} errors, "
          f"{len(result.crashed)} rules crashed)")


def _populate(count: int, rng: random.Random) -> None:
    from harbour.accounts.models import Allocation, Role, User
    from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
    from harbour.leaving_care.models import AdviserContact
    from harbour.placements.models import Placement
    from harbour.reviews.models import HealthAssessment, Review
    from harbour.uasc.models import MissingEpisode

    worker = User.objects.create(username="bench-worker", role=Role.SOCIAL_WORKER, social_work_england_number="SW1")
    adviser = User.objects.create(username="bench-adviser", role=Role.PERSONAL_ADVISER)

    homes = [("U6", "PR1", "SC123456", "LS2 7EW"), ("K2", "PR4", "SC654321", "LS1 4AD"),
             ("U4", "PR4", "SC222222", "LS1 4AE")]
    children = [Child(given_names=f"Child {n}", sex=rng.choice("MF"), ethnicity="AOTH", upn_unknown_reason="UN2",
                      is_uasc=True, date_of_birth=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(1500)))
                for n in range(count)]
    Child.unscoped.bulk_create(children)
    # One care leaver for every five children in care, 19 in the year, with the adviser's contacts.
    leavers = [Child(given_names=f"Care leaver {n}", sex=rng.choice("MF"), ethnicity="AOTH", upn_unknown_reason="UN2",
                     date_of_birth=dt.date(2006, 4, 1) + dt.timedelta(days=rng.randrange(360)))
               for n in range(count // 5)]
    Child.unscoped.bulk_create(leavers)
    periods, statuses, placements, reviews = [], [], [], []
    allocations, health, missing, contacts = [], [], [], []
    for leaver in leavers:
        left = leaver.date_of_birth.replace(year=leaver.date_of_birth.year + 18)
        periods.append(PeriodLookedAfter(child=leaver, start=left - dt.timedelta(days=900), end=left,
                                         reason_ceased="E5"))
        for days in (-40, 5, 70):
            contacts.append(AdviserContact(child=leaver, adviser=adviser, in_touch="YES", activity="F5",
                                           accommodation="D", accommodation_suitable=True,
                                           contacted_on=left.replace(year=left.year + 1) + dt.timedelta(days=days)))
    for child in children:
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(400))
        periods.append(PeriodLookedAfter(child=child, start=start))
        statuses.append(LegalStatusPeriod(child=child, legal_status="V2", start=start))
        allocations.append(Allocation(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=start))
        health.append(HealthAssessment(child=child, assessed_on=start + dt.timedelta(days=20),
                                       dental_check_on=start + dt.timedelta(days=20), immunisations_up_to_date=True))
        if rng.random() < 0.2:
            gone = start + dt.timedelta(days=rng.randrange(10, 400))
            missing.append(MissingEpisode(child=child, kind=rng.choice("MA"), started_on=gone,
                                          ended_on=gone + dt.timedelta(days=1), recorded_by=worker))
        moves = sorted({start + dt.timedelta(days=rng.randrange(30, 500)) for _ in range(rng.randrange(3))})
        starts = [start, *moves]
        for index, begins in enumerate(starts):
            place, provider, urn, postcode = rng.choice(homes)
            ends = starts[index + 1] if index + 1 < len(starts) else None
            placements.append(Placement(child=child, start=begins, end=ends, placement_type=place,
                                        place_provider=provider, urn=urn, postcode=postcode, home_postcode="LS1 4AB",
                                        carer_or_provider=f"Carer {index}", reason_for_change="CARPL" if ends else ""))
        for months in (1, 4):
            reviews.append(Review(child=child, held_on=start + dt.timedelta(days=30 * months), participation="PN1"))
    PeriodLookedAfter.objects.bulk_create(periods)
    LegalStatusPeriod.objects.bulk_create(statuses)
    Placement.objects.bulk_create(placements)
    Review.objects.bulk_create(reviews)
    Allocation.objects.bulk_create(allocations)
    HealthAssessment.objects.bulk_create(health)
    MissingEpisode.objects.bulk_create(missing)
    AdviserContact.objects.bulk_create(contacts)


if __name__ == "__main__":
    main()
