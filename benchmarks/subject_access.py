"""How long a subject-access export of a child with ten years of records takes (security checklist 17).

    .venv/bin/python benchmarks/subject_access.py
    .venv/bin/python benchmarks/subject_access.py --years 15 --database postgresql://postgres@127.0.0.1:5432/sar_bench

It migrates a new SQLite database in a temporary directory (or an empty PostgreSQL one), builds the
demo council (`harbour demo --children 10`), takes its child with the longest history and adds, in
bulk, --years years more of what a looked-after child's record gathers: two case notes a week, a
visit every six weeks, a review every six months, a yearly health assessment, a PEP every six months,
a care plan a year, ten reads of the record a week (access log) and three recorded changes a week
(audit events). Then it times, once each: `harbour subject-access` (the command writes the ZIP) and
the manager's download from the child's page (the page runs the export in the request). The
checklist's example budget is two minutes. It asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--database", default="", help="an empty PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="harbour-bench-sar-") as temp:
        os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "HARBOUR_DEMO": "1",
                           "DATABASE_URL": args.database or f"sqlite:///{temp}/bench.sqlite3",
                           "HARBOUR_LOG_LEVEL": "ERROR", "HARBOUR_DEBUG": "0",
                           "HARBOUR_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo", children=10, stdout=StringIO())
        child, added = _ten_years(args.years)
        rows = _rows_of(child)
        started = time.perf_counter()
        out = Path(temp) / "export.zip"
        call_command("subject_access", str(child.pk), reference="SAR-BENCH", reason="Benchmark",
                     out=out, stdout=StringIO())
        by_command = time.perf_counter() - started
        size = out.stat().st_size
        by_page = _through_the_page(child)
    engine = "PostgreSQL" if args.database.startswith("postgres") else "SQLite"
    print(f"Subject-access export ({engine}) of one child with {args.years} more years of records "
          f"({added:,} rows added; {rows:,} rows about the child in all); {platform.python_version()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"  harbour subject-access (ZIP of {size / 1024 / 1024:.1f} MB)   {by_command:6.1f} s")
    print(f"  the manager's download from the page        {by_page:6.1f} s")


def _ten_years(years: int) -> tuple[object, int]:
    from django.db.models import Count
    from django.utils import timezone

    from harbour.accounts.models import Role, User
    from harbour.audit.models import AccessLogEntry, AuditEvent
    from harbour.children.models import Child, ChronologyEntry
    from harbour.reviews.models import (
        CarePlan,
        HealthAssessment,
        PersonalEducationPlan,
        Review,
        Visit,
    )

    child = (Child.unscoped.annotate(n=Count("chronology")).order_by("-n", "pk").first())
    worker = User.objects.filter(role=Role.SOCIAL_WORKER).order_by("username").first()
    iro = User.objects.filter(role=Role.IRO).order_by("username").first()
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * years)
    weeks = range(0, 52 * years)

    def day(week: int, offset: int = 0) -> dt.date:
        return start + dt.timedelta(weeks=week, days=offset)

    def moment(week: int, offset: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day(week, offset), dt.time(10, 30)))

    made = [
        ChronologyEntry.objects.bulk_create(
            ChronologyEntry(child=child, kind="note", occurred_at=moment(w, o), title=f"Case note {w}-{o}",
                            description="Visited at the placement; settled; talked about college and football. " * 4,
                            recorded_by=worker) for w in weeks for o in (1, 4)),
        Visit.objects.bulk_create(Visit(child=child, visited_on=day(w), visitor=worker, seen_alone=True)
                                  for w in weeks[::6]),
        Review.objects.bulk_create(Review(child=child, held_on=day(w), chair=iro, participation="PN1")
                                   for w in weeks[::26]),
        HealthAssessment.objects.bulk_create(HealthAssessment(child=child, assessed_on=day(w)) for w in weeks[::52]),
        PersonalEducationPlan.objects.bulk_create(PersonalEducationPlan(child=child, reviewed_on=day(w))
                                                  for w in weeks[::26]),
        CarePlan.objects.bulk_create(CarePlan(child=child, agreed_on=day(w)) for w in weeks[::52]),
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=worker, accessed_by=worker.username, child_id=child.pk, route="children:detail",
                           purpose="", request_id="") for _ in weeks for _ in range(10)),
        AuditEvent.objects.bulk_create(
            AuditEvent(actor=worker, action="update", record_type="children.Child", record_id=str(child.pk),
                       child_id=child.pk, changes={"preferred_name": ["", "Sam"]}) for _ in weeks for _ in range(3)),
    ]
    return child, sum(len(rows) for rows in made)


def _rows_of(child: object) -> int:
    from harbour.children import subject_access

    return sum(1 for reach in subject_access.reachable_models().values()
               for _ in subject_access._rows(reach, child))  # type: ignore[arg-type]


def _through_the_page(child: object) -> float:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from harbour.accounts.models import Role, User

    manager = User.objects.filter(role=Role.TEAM_MANAGER).order_by("username").first()
    client = Client()
    client.force_login(manager)
    device, _ = TOTPDevice.objects.get_or_create(user=manager, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    started = time.perf_counter()
    response = client.post(f"/children/{child.pk}/subject-access/",  # type: ignore[attr-defined]
                           {"reference": "SAR-BENCH-PAGE", "reason": "Benchmark"})
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or response["Content-Type"] != "application/zip":
        sys.exit(f"the page answered {response.status_code}")
    return elapsed


if __name__ == "__main__":
    main()
