"""A synthetic large council in PostgreSQL: about 2,000 children in care, 20,000 closed records, 300 staff.

    .venv/bin/python benchmarks/large_council.py --database postgresql://postgres@127.0.0.1:5432/harbour_load

1. `harbour migrate`, then `harbour demo --children N --seed S` builds the open caseload with its
   histories (the demo council puts about 85% of its children in care and 15% leaving care; N is
   worked out from --in-care).
2. Closed records are added in bulk until --closed children have left care: each has names (with
   search keys, so search finds them), a date of birth record, one period looked after that ended
   with a reason, an ended allocation and two timeline entries, all dated years ago.
3. Social workers are added to the children in care teams until there are --staff active staff.
4. The usernames the load scenario signs in as are written to benchmarks/.load/users.json.

It refuses a database that already has children, so a half-built set is never topped up twice.
Every account's password is the demo's. For load testing on this machine only: see README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / ".load"
DEMO_SHARE_IN_CARE = 0.85
BATCH = 2000


def environment(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "DATABASE_URL": database,
                "HARBOUR_DEMO": "1", "HARBOUR_DEBUG": "0", "HARBOUR_LOG_LEVEL": "ERROR", "PYTHONPATH": str(REPO)})
    return env


def harbour(*args: str, env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("harbour")
    result = subprocess.run([str(script), *args], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"harbour {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def add_closed_records(count: int, *, seed: int, today: dt.date) -> None:
    from django.db import transaction
    from django.utils import timezone

    from harbour.accounts.models import Allocation, Role, User
    from harbour.children.models import (
        Child,
        ChildName,
        ChronologyEntry,
        DateOfBirthRecord,
        PeriodLookedAfter,
    )
    from harbour.core import demo_data as data
    from harbour.domain.names import search_key, sound_key

    rng = random.Random(seed)
    workers = list(User.objects.filter(role=Role.SOCIAL_WORKER))
    given = [*data.ENGLISH_BOYS, *data.ENGLISH_GIRLS, *data.IRISH_BOYS, *data.IRISH_GIRLS, *data.CARIBBEAN_BOYS,
             *data.CARIBBEAN_GIRLS]
    family = [*data.ENGLISH_FAMILY, *data.IRISH_FAMILY]
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            children = []
            for _ in range(size):
                born = today - dt.timedelta(days=rng.randint(19 * 365, 60 * 365))
                children.append(Child(given_names=rng.choice(given), family_name=rng.choice(family),
                                      date_of_birth=born, date_of_birth_source="document",
                                      sex=rng.choice("MF"), ethnicity=rng.choice(["WBRI", "WIRI", "BCRB", "MWBC"])))
            Child.unscoped.bulk_create(children)
            names, births, periods, allocations, entries = [], [], [], [], []
            for child in children:
                assert child.date_of_birth is not None
                for kind, value in (("given", child.given_names), ("family", child.family_name)):
                    names.append(ChildName(child=child, kind=kind, name=value, search_key=search_key(value),
                                           sound_key=sound_key(value)))
                worker = rng.choice(workers)
                births.append(DateOfBirthRecord(child=child, date_of_birth=child.date_of_birth, source="document",
                                                recorded_by=worker, in_use_from=timezone.now()))
                start = child.date_of_birth + dt.timedelta(days=rng.randint(2 * 365, 15 * 365))
                end = min(start + dt.timedelta(days=rng.randint(30, 4 * 365)),
                          child.date_of_birth + dt.timedelta(days=18 * 365))
                periods.append(PeriodLookedAfter(child=child, start=start, end=end, reason_ceased="E11"))
                allocations.append(Allocation(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER,
                                              start=start, end=end))
                for day, title in ((start, "Came into care"), (end, "Left care")):
                    entries.append(ChronologyEntry(child=child, kind="significant_event", title=title,
                                                   occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
                                                   recorded_by=worker))
            ChildName.objects.bulk_create(names)
            DateOfBirthRecord.objects.bulk_create(births)
            PeriodLookedAfter.objects.bulk_create(periods)
            Allocation.objects.bulk_create(allocations)
            ChronologyEntry.objects.bulk_create(entries)
        made += size
        print(f"  closed records: {made}/{count}", flush=True)


def add_staff(total: int) -> int:
    from harbour.accounts.models import Role, Team, User

    password = User.objects.filter(username="socialworker").values_list("password", flat=True).get()
    teams = list(Team.objects.filter(name__startswith="Children in care team"))
    have = User.objects.filter(is_active=True).exclude(role=Role.PARTNER).count()
    new = [User(username=f"loadworker{n}", first_name="Load", last_name=f"Worker {n}", role=Role.SOCIAL_WORKER,
                team=teams[n % len(teams)], password=password) for n in range(max(0, total - have))]
    User.objects.bulk_create(new)
    return len(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgresql://… of an empty database (it is migrated)")
    parser.add_argument("--in-care", type=int, default=2000)
    parser.add_argument("--closed", type=int, default=20000)
    parser.add_argument("--staff", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        sys.exit("--database must be a PostgreSQL URL: the load scenario measures Harbour on PostgreSQL")
    env = environment(args.database)
    os.environ.update(env)
    started = time.perf_counter()
    print("migrating …", flush=True)
    harbour("migrate", "--noinput", env=env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db.models import Q
    from django.utils import timezone

    from harbour.accounts.models import Role, User
    from harbour.children.models import Child

    if Child.unscoped.exists():
        sys.exit("The database already has children: use a new, empty database")
    demo_children = round(args.in_care / DEMO_SHARE_IN_CARE)
    print(f"building the demo council with {demo_children} children …", flush=True)
    harbour("demo", "--children", str(demo_children), "--seed", str(args.seed), env=env)
    add_closed_records(args.closed, seed=args.seed, today=timezone.localdate())
    added = add_staff(args.staff)
    in_care = Child.unscoped.filter(periods_looked_after__end__isnull=True).distinct().count()
    closed = Child.unscoped.exclude(periods_looked_after__end__isnull=True).distinct().count()
    staff = User.objects.filter(is_active=True).exclude(role=Role.PARTNER).count()
    workers = list(User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True, allocations__end__isnull=True)
                   .filter(~Q(username__startswith="loadworker")).distinct().values_list("username", flat=True))
    # Team managers see the whole service, the referral queue and the sufficiency dashboard.
    managers = list(User.objects.filter(role=Role.TEAM_MANAGER, is_active=True)
                    .values_list("username", flat=True))
    OUT.mkdir(exist_ok=True)
    (OUT / "users.json").write_text(json.dumps({"social_workers": workers, "managers": managers}, indent=1))
    print(f"done in {time.perf_counter() - started:.0f} s: {in_care} children in care, {closed} without an open "
          f"period (closed records and care leavers), {staff} staff ({added} added), "
          f"{Child.unscoped.count()} child records in all")


if __name__ == "__main__":
    main()
