"""How long each performance dashboard takes to render for a large council with ten years of history.

    .venv/bin/python benchmarks/performance.py                      # 2,000 in care, 10 years
    .venv/bin/python benchmarks/performance.py --in-care 500 --requests 5

It migrates a new SQLite database in a temporary directory and writes, by bulk inserts (not the demo):

* --in-care children looked after today, who came into care at any time in the last --years years,
  and as many again who came into care and left in those years (so the older history is there);
* for every child: one to four placements with weekly costs, a review every 6 months, a social worker
  visit every 6 weeks, a yearly health assessment and a PEP every 6 months while looked after, one
  review in ten held late; allocations to 80 social workers, 12 IROs and 15 personal advisers;
* for those who left care at 18: personal adviser contacts (OC3 codes) near their 19th to 21st birthdays;
* one child in ten an unaccompanied child referred through the NTS, with an arrival and a funding claim.

Then, in the same process, it signs in with Django's test client as the director, the performance
analyst, the IRO manager and a team leader, makes 2 untimed requests to each dashboard and times
--requests more, and prints the median, minimum and maximum in milliseconds and the SQL queries per
request. With --reuse, it times a database an earlier run populated (to compare two versions of the
code on the same records). The board report is timed as drafted (the form posted): counting its figures. It
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-care", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="", help="an empty PostgreSQL database to use instead of SQLite")
    parser.add_argument("--reuse", action="store_true",
                        help="time the dashboards on a --database an earlier run populated, without writing it again "
                             "(to compare two versions of the code on the same records)")
    args = parser.parse_args()
    if args.reuse and not args.database:
        parser.error("--reuse needs the --database an earlier run populated")

    with tempfile.TemporaryDirectory(prefix="harbour-bench-performance-") as temp:
        os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "HARBOUR_DEMO": "1",
                           "DATABASE_URL": args.database or f"sqlite:///{temp}/bench.sqlite3",
                           "HARBOUR_LOG_LEVEL": "ERROR",
                           "HARBOUR_DEBUG": "0", "HARBOUR_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from harbour.children.models import Child

        if args.reuse:
            people, counts = _reused()
        elif Child.unscoped.exists():
            sys.exit("The database already has children: give an empty one (or --reuse it)")
        else:
            import time_machine

            started = time.perf_counter()
            # Written an hour ago, as a council's records are: the snapshots (ADR 0016) work out again
            # each request any child with an audit event younger than their ten-minute margin.
            with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), tick=True):
                people, counts = _populate(args.in_care, args.years, random.Random(args.seed))
            populated = time.perf_counter() - started
        from django.db import connection

        if connection.vendor == "postgresql":
            # Statistics, as autovacuum keeps them on a council's database: without them, fresh from the
            # bulk inserts, the planner scans the whole audit trail for the snapshots' recent changes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        rebuilt = _rebuild_checks()
        rebuilding = time.perf_counter() - started
        rows = _time_dashboards(people, args.requests)

    engine = "PostgreSQL" if args.database.startswith("postgres") else "SQLite"
    print(f"Performance dashboards ({engine}): {counts}; {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    written = "reused" if args.reuse else f"written in {populated:.1f} s"
    print(f"  test data {written}; measured checks snapshot of {rebuilt:,} children rebuilt in "
          f"{rebuilding:.1f} s (the first request of a day without cron)")
    print(f"  {'dashboard':<44} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8}")
    for name, times, queries in rows:
        print(f"  {name:<44} {statistics.median(times):10.0f} {min(times):8.0f} {max(times):8.0f} {queries:8d}")


def _rebuild_checks() -> int:
    from harbour.core.calendar import council_calendar
    from harbour.snapshot.checks import rebuild_checks
    from harbour.snapshot.services import today_and_now

    today, now = today_and_now()
    return rebuild_checks(today=today, now=now, calendar=council_calendar(), force=True)


def _time_dashboards(people: dict, requests: int) -> list[tuple[str, list[float], int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pages = [("director, by month", "director", "/performance/director/"),
             ("director, by quarter", "director", "/performance/director/?by=quarter"),
             ("analyst opens the director's dashboard", "analyst", "/performance/director/"),
             ("IRO manager", "iro_manager", "/performance/iro/"),
             ("leaving care (analyst)", "analyst", "/performance/leaving-care/"),
             ("team leader (one team)", "leader", "/performance/team/"),
             ("children behind a figure (analyst)", "analyst", f"/performance/reviews/{dt.date.today():%Y-%m}/"),
             # The board report (the "and report"): drafting counts its figures for 6 sections, the
             # last quarter, the one before and 8 quarters of trend; the draft page then reads them as stored.
             ("board report drafted (analyst)", "analyst", "/board/new/")]
    clients = {}
    for key, user in people.items():
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        clients[key] = client
    from harbour.domain.board_report import last_quarter

    found = []
    for name, who, path in pages:
        client = clients[who]
        if path == "/board/new/":
            def request(client: Client = client, path: str = path) -> int:
                return client.post(path, {"period": last_quarter(dt.date.today()).key}).status_code
            answers = 302  # to the draft's page
        else:
            def request(client: Client = client, path: str = path) -> int:
                return client.get(path).status_code
            answers = 200
        for _ in range(2):
            if request() != answers:
                sys.exit(f"{path} did not answer {answers} for {who}")
        times = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                request()
                times.append((time.perf_counter() - started) * 1000)
        found.append((name, times, len(queries)))
    return found


def _reused() -> tuple[dict, str]:
    """The people and the counts of a database an earlier run populated."""
    from harbour.accounts.models import User
    from harbour.children.models import Child, PeriodLookedAfter
    from harbour.leaving_care.models import AdviserContact
    from harbour.placements.models import Placement
    from harbour.referrals.models import Referral
    from harbour.reviews.models import Review, Visit

    people = {key: User.objects.get(username=name) for key, name in
              (("director", "director"), ("analyst", "analyst"), ("iro_manager", "iro-manager"), ("leader", "leader"))}
    in_care = PeriodLookedAfter.objects.filter(end__isnull=True).count()
    counts = (f"{in_care:,} children in care and {Child.unscoped.count() - in_care:,} who left (reused); "
              f"{Placement.objects.count():,} placements, {Review.objects.count():,} reviews, "
              f"{Visit.objects.count():,} visits, {AdviserContact.objects.count():,} care leaver contacts, "
              f"{Referral.objects.count():,} NTS referrals")
    return people, counts


def _populate(in_care: int, years: int, rng: random.Random) -> tuple[dict, str]:
    from harbour.accounts.models import Allocation, Role, Team, User
    from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
    from harbour.domain.ages import add_months
    from harbour.leaving_care.models import AdviserContact
    from harbour.placements.models import Placement

    today = dt.date.today()
    first_day = today - dt.timedelta(days=365 * years)
    teams = [Team.objects.create(name=f"Children in care {n}") for n in range(8)]
    workers = User.objects.bulk_create(User(username=f"sw{n}", role=Role.SOCIAL_WORKER, team=teams[n % 8])
                                       for n in range(80))
    iros = User.objects.bulk_create(User(username=f"iro{n}", role=Role.IRO) for n in range(12))
    advisers = User.objects.bulk_create(User(username=f"pa{n}", role=Role.PERSONAL_ADVISER) for n in range(15))
    people = {"director": User.objects.create(username="director", role=Role.DIRECTOR),
              "analyst": User.objects.create(username="analyst", role=Role.PERFORMANCE_ANALYST),
              "iro_manager": User.objects.create(username="iro-manager", role=Role.IRO_MANAGER),
              "leader": User.objects.create(username="leader", role=Role.TEAM_LEADER, team=teams[0])}

    children, spells = [], []
    for n in range(in_care * 2):
        still_in_care = n < in_care
        start = first_day + dt.timedelta(days=rng.randrange((today - first_day).days - 30))
        age_at_start = rng.randrange(0, 17)
        born = add_months(start, -12 * age_at_start) - dt.timedelta(days=rng.randrange(365))
        if still_in_care:
            end = None
        else:
            eighteen = add_months(born, 12 * 18)
            end = eighteen if eighteen < today and rng.random() < 0.6 else start + dt.timedelta(
                days=rng.randrange(30, max(31, (min(today, eighteen) - start).days)))
            end = min(end, today - dt.timedelta(days=1))
            if end <= start:
                end = start + dt.timedelta(days=1)
        children.append(Child(given_names=f"Child {n}", family_name="Bench", date_of_birth=born,
                              date_of_birth_source="claimed", is_uasc=n % 10 == 0))
        spells.append((start, end))
    Child.unscoped.bulk_create(children, batch_size=1000)

    periods, statuses, placements, allocations = [], [], [], []
    reviews, visits, health, peps, contacts = [], [], [], [], []
    referrals = []
    for n, (child, (start, end)) in enumerate(zip(children, spells, strict=True)):
        last = end or today
        periods.append(PeriodLookedAfter(child=child, start=start, end=end))
        statuses.append(LegalStatusPeriod(child=child, legal_status="C2", start=start, end=end))
        moves = sorted({start + dt.timedelta(days=rng.randrange(1, max(2, (last - start).days)))
                        for _ in range(rng.randrange(4))} - {start})
        starts = [start, *[m for m in moves if m < last]]
        for index, begins in enumerate(starts):
            ends = starts[index + 1] - dt.timedelta(days=1) if index + 1 < len(starts) else end
            placements.append(Placement(child=child, start=begins, end=ends, placement_type="U1",
                                        carer_or_provider=f"Carer {n}-{index}",
                                        cost_per_week=Decimal(rng.choice((450, 700, 1200, 4500)))))
        worker = workers[n % len(workers)]
        allocations.append(Allocation(child=child, worker=worker, kind="social_worker", start=start, end=end))
        allocations.append(Allocation(child=child, worker=iros[n % len(iros)], kind="iro", start=start, end=end))
        for batch, rows in zip((reviews, visits, health, peps), _checks(child, start, last, worker, rng), strict=True):
            batch.extend(rows)
        if end is not None and end == add_months(child.date_of_birth, 12 * 18):
            adviser = advisers[n % len(advisers)]
            allocations.append(Allocation(child=child, worker=adviser, kind="personal_adviser", start=end))
            for age in (19, 20, 21):
                birthday = add_months(child.date_of_birth, 12 * age) + dt.timedelta(days=rng.randrange(-20, 20))
                if birthday < today and rng.random() < 0.9:
                    contacts.append(AdviserContact(
                        child=child, contacted_on=birthday, adviser=adviser, in_touch=rng.choice(("YES",) * 9 + ("NO",)),
                        activity=rng.choice(("F1", "F2", "F5", "G5", "G6")), accommodation=rng.choice("UEDS"),
                        accommodation_suitable=rng.random() < 0.85))
        if child.is_uasc:
            referrals.append((child, start))
    for batch in (periods, statuses, placements, allocations, reviews, visits, health, peps, contacts):
        type(batch[0]).objects.bulk_create(batch, batch_size=2000)

    _nts(referrals, teams[0], people["director"], rng)
    counts = (f"{in_care:,} children in care and {in_care:,} who left, over {years} years; {len(placements):,} "
              f"placements, {len(reviews):,} reviews, {len(visits):,} visits, {len(contacts):,} care leaver contacts, "
              f"{len(referrals):,} NTS referrals")
    return people, counts


def _checks(child, start: dt.date, last: dt.date, worker, rng: random.Random) -> tuple[list, list, list, list]:
    """Reviews every 6 months (one in ten late), visits every 6 weeks, yearly health assessments and
    PEPs every 6 months, from the day care started to ``last``."""
    from harbour.reviews.models import HealthAssessment, PersonalEducationPlan, Review, Visit

    def every(first: dt.date, gaps: tuple[int, ...]) -> list[dt.date]:
        days, day = [], first
        while day <= last:
            days.append(day)
            day += dt.timedelta(days=rng.choice(gaps))
        return days

    reviews, day, step = [], start + dt.timedelta(days=rng.choice((19, 20, 25))), 91
    while day <= last:
        reviews.append(Review(child=child, held_on=day, participation=rng.choice(("PN1", "PN3", "PN7"))))
        day += dt.timedelta(days=step + (9 if rng.random() < 0.1 else 0))
        step = 182
    return (reviews,
            [Visit(child=child, visited_on=d, visitor=worker) for d in every(start + dt.timedelta(days=6), (40, 42, 45))],
            [HealthAssessment(child=child, assessed_on=d) for d in every(start + dt.timedelta(days=25), (350, 365, 380))],
            [PersonalEducationPlan(child=child, reviewed_on=d) for d in every(start + dt.timedelta(days=15),
                                                                              (170, 182, 200))])


def _nts(referrals: list, team, director, rng: random.Random) -> None:
    """An NTS referral a week before care started, the arrival (one in four two days late) and a funding claim."""
    from harbour.placements.models import Placement
    from harbour.referrals.models import Arrival, FundingClaim, Referral

    first_placements = {p.child_id: p for p in Placement.objects.order_by("-start")}
    claims = []
    for child, start in referrals:
        referral = Referral.objects.create(
            child=child, team=team, received_at=dt.datetime.combine(start - dt.timedelta(days=7), dt.time(10),
                                                                    tzinfo=dt.UTC),
            referring_authority="Kent", nts_reference=f"NTS-{child.pk.hex[:6]}", transfer_due=start,
            transfer_working_days=5, status=Referral.Status.ARRIVED, recorded_by=director)
        arrived = start + dt.timedelta(days=rng.choice((0, 0, 0, 2)))
        Arrival.objects.create(referral=referral, arrived_at=dt.datetime.combine(arrived, dt.time(15), tzinfo=dt.UTC),
                               first_placement=first_placements[child.pk], within_deadline=arrived <= start,
                               working_days_taken=3, recorded_by=director)
        claims.append(FundingClaim(child=child, referral=referral, claim_from=start, nightly_rate=Decimal("143"),
                                   basis="Benchmark"))
    FundingClaim.objects.bulk_create(claims)


if __name__ == "__main__":
    main()
