"""A synthetic national-scale service in PostgreSQL: about 80,000 children looked after today,
400,000 children in need and 3,000 social workers (security checklist item 26).

    .venv/bin/python benchmarks/national_scale.py --database postgresql://postgres@127.0.0.1:5432/h_national

1. `harbour migrate`, then `harbour demo --children 40` builds the council around the records:
   teams, managers, the calendar, the demo's own staff and a few children with full histories.
2. --staff social workers are added to the demo's teams (password: the demo's).
3. Children are written with PostgreSQL COPY (psycopg `cursor.copy`), not the ORM row by row:
   - looked after today (--looked-after): names with their search and sound keys (computed by the
     app's own `harbour.domain.names` functions, so search finds them; unaccompanied children also
     have their name in its original script and other spellings), a date of birth record, an open
     period of care with a legal status, an open placement, three visits, a review, an allocated
     social worker and a timeline of case notes and events;
   - in need (--in-need): children known to the service and not looked after, which is how Harbour
     models a child without a period of care: names, a date of birth record, a category of need, an
     allocated social worker and a timeline of case notes, with no period, legal status or placement.
   Each social worker carries (looked after + in need) / staff children.
4. `ANALYZE`, then the usernames the measurements sign in as go to benchmarks/.national/users.json.

It refuses a database that already has children. For measurement on a test machine only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_council import REPO, environment, harbour  # noqa: E402 - the same migrate/demo steps

OUT = REPO / "benchmarks" / ".national"
DEMO_CHILDREN = 40
CHUNK = 20_000  # children per COPY batch: bounded memory, progress printed per batch

NOTES = (
    ("note", "Home visit", "Visited at home. Spoke with the child alone in their room about school and friends; "
     "they said things are better since the last meeting. Parent engaged well and agreed the actions."),
    ("note", "Strategy discussion", "Strategy discussion with police and health. Agreed single-agency follow-up; "
     "no further section 47 enquiries. Plan shared with the school's designated safeguarding lead."),
    ("contact", "Telephone call with school", "Attendance 91% this half term. Teacher reports the child is more "
     "settled and has joined the football club. No concerns raised about presentation."),
    ("note", "Supervision record", "Case discussed in supervision. Risks reviewed against the plan; next steps: "
     "update the assessment, arrange the core group, chase the health visitor's report."),
    ("partner_information", "Information from the health visitor", "Development checks up to date. Mother "
     "attending appointments. Health visitor will share the outcome of the next review."),
    ("significant_event", "Child in need meeting", "Meeting held with family and professionals. Plan reviewed; "
     "progress on housing and routines. Next meeting in six weeks."),
)
IN_CARE_EVENTS = (
    ("significant_event", "Came into care", "Accommodated following an emergency protection order. Placed with "
     "foster carers the same evening; siblings placed together."),
    ("note", "Placement visit", "Seen alone at the placement. Talked about contact with mum and about college. "
     "Carers report good routines and no missing episodes."),
    ("note", "Life story work", "Started the life story book with the child; photographs collected from the "
     "family. Child chose to start with their first school."),
    ("contact", "Contact with family", "Supervised contact went well; the child was happy to see their brother. "
     "Next contact arranged through the contact centre."),
)


def _latin_names(data: Any) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str, tuple[str, ...]]]]:
    """Given and family names, each with its original script and other spellings (may be empty)."""
    given: list[tuple[str, str, tuple[str, ...]]] = []
    family: list[tuple[str, str, tuple[str, ...]]] = []
    for origin in data.ORIGINS:
        given += [(n.latin, n.script, n.variants) for n in (*origin.male, *origin.female)]
        family += [(n.latin, n.script, n.variants) for n in origin.family]
    plain_given = [*data.ENGLISH_BOYS, *data.ENGLISH_GIRLS, *data.IRISH_BOYS, *data.IRISH_GIRLS,
                   *data.CARIBBEAN_BOYS, *data.CARIBBEAN_GIRLS, *data.AFRICAN_BOYS, *data.AFRICAN_GIRLS,
                   *data.POLISH_BOYS, *data.POLISH_GIRLS, *data.ROMANIAN_BOYS, *data.ROMANIAN_GIRLS]
    plain_family = [*data.ENGLISH_FAMILY, *data.IRISH_FAMILY, *data.CARIBBEAN_FAMILY, *data.AFRICAN_FAMILY,
                    *(name for pair in data.POLISH_FAMILY for name in set(pair)), *data.ROMANIAN_FAMILY, *data.CHINESE_FAMILY]
    for boys, girls, families in data.SOUTH_ASIAN.values():
        plain_given += [*boys, *girls]
        plain_family += list(families)
    return given + [(n, "", ()) for n in plain_given], family + [(n, "", ()) for n in plain_family]


class Copier:
    """Writes rows of one model with COPY. Columns not given take the field's default, computed once
    (a fresh UUID for a UUID primary key; now for auto_now fields); identity columns are left to the database."""

    def __init__(self, cursor: Any, model: Any, now: dt.datetime) -> None:
        from django.db import connection
        from django.db.models import AutoField, BigAutoField, SmallAutoField

        self.cursor = cursor
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields
                       if not isinstance(f, AutoField | BigAutoField | SmallAutoField)]
        self.defaults: dict[str, Any] = {}
        self.fresh: dict[str, Callable[[], Any]] = {}
        for f in self.fields:
            if f.primary_key and f.default is uuid.uuid4:
                self.fresh[f.attname] = uuid.uuid4
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed:
                self.defaults[f.attname] = ""
        self.rows: list[dict[str, Any]] = []

    def add(self, **values: Any) -> dict[str, Any]:
        self.rows.append(values)
        return values

    def flush(self) -> int:
        from psycopg import sql

        names = [f.attname for f in self.fields]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.model._meta.db_table), sql.SQL(", ").join(sql.Identifier(f.column) for f in self.fields))
        with self.cursor.copy(statement) as copy:
            for values in self.rows:
                row = []
                for name in names:
                    if name in values:
                        row.append(values[name])
                    elif name in self.fresh:
                        row.append(self.fresh[name]())
                    elif name in self.defaults:
                        row.append(self.defaults[name])
                    else:
                        raise KeyError(f"{self.model.__name__}.{name} has no default: give it")
                copy.write_row(row)
        written = len(self.rows)
        self.rows = []
        return written


def add_staff(count: int, *, prefix: str) -> list[Any]:
    from harbour.accounts.models import Role, Team, User

    password = User.objects.filter(username="socialworker").values_list("password", flat=True).get()
    teams = list(Team.objects.order_by("name"))
    User.objects.bulk_create(
        [User(username=f"{prefix}{n}", first_name="National", last_name=f"Worker {n}", role=Role.SOCIAL_WORKER,
              team=teams[n % len(teams)], password=password) for n in range(count)], batch_size=1000)
    return list(User.objects.filter(username__startswith=prefix).order_by("id"))


def children(count: int, *, looked_after: bool, workers: list[Any], rng: random.Random, today: dt.date,
             now: dt.datetime) -> Iterator[int]:
    """Writes `count` children in batches; yields how many are written so far."""
    from django.db import connection

    from harbour.accounts.models import Allocation
    from harbour.children.models import (
        Child,
        ChildName,
        ChronologyEntry,
        DateOfBirthRecord,
        LegalStatusPeriod,
        PeriodLookedAfter,
    )
    from harbour.core import demo_data as data
    from harbour.domain.names import clean_name, search_key, sound_key
    from harbour.placements.models import Placement
    from harbour.reviews.models import Review, Visit

    keys = functools.lru_cache(maxsize=None)(lambda name: (search_key(name), sound_key(name)))
    given_pool, family_pool = _latin_names(data)
    midday = dt.time(12, tzinfo=dt.UTC)
    made = 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor under Django's wrapper, for COPY
        tables = {model: Copier(cursor, model, now) for model in (
            Child, ChildName, DateOfBirthRecord, PeriodLookedAfter, LegalStatusPeriod, Placement, Visit, Review,
            Allocation, ChronologyEntry)}
        while made < count:
            size = min(CHUNK, count - made)
            for n in range(made, made + size):
                worker = workers[n % len(workers)]
                given, given_script, given_variants = rng.choice(given_pool)
                family, family_script, family_variants = rng.choice(family_pool)
                # Children in need are of every age; looked-after children, 0 to 17 on the same spread.
                born = today - dt.timedelta(days=rng.randint(30, 17 * 365 + 300))
                child = tables[Child].add(
                    id=uuid.uuid4(), given_names=clean_name(given), family_name=clean_name(family),
                    names_in_original_script=" ".join(p for p in (given_script, family_script) if p),
                    date_of_birth=born, date_of_birth_source="document", sex=rng.choice("MF"),
                    ethnicity=rng.choice(["WBRI", "WIRI", "BCRB", "MWBC", "APKN", "AOTH", "BAFR"]),
                    category_of_need=rng.choice(["N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]),
                    is_uasc=looked_after and bool(given_script) and rng.random() < 0.5)
                names = [("given", given), ("family", family)]
                names += [("original_script", s) for s in (given_script, family_script) if s]
                names += [("spelling", v) for v in (*given_variants[:1], *family_variants[:1])]
                for kind, name in names:
                    search, sound = keys(name)
                    tables[ChildName].add(child_id=child["id"], kind=kind, name=name, search_key=search,
                                          sound_key=sound)
                tables[DateOfBirthRecord].add(child_id=child["id"], date_of_birth=born, source="document",
                                              recorded_by_id=worker.pk, in_use_from=now)
                age_days = (today - born).days
                if looked_after:
                    start = today - dt.timedelta(days=rng.randint(1, max(2, min(age_days, 6 * 365))))
                    tables[PeriodLookedAfter].add(child_id=child["id"], start=start)
                    tables[LegalStatusPeriod].add(child_id=child["id"], legal_status=rng.choice(["C2", "C2", "V2"]),
                                                  start=start)
                    tables[Placement].add(child_id=child["id"], start=start, placement_type=rng.choice(["U4", "U6", "K2"]),
                                          carer_or_provider=f"Foster carers {family}", place_provider="PR1")
                    for weeks in (2, 8, 14):
                        if today - dt.timedelta(weeks=weeks) >= start:
                            tables[Visit].add(child_id=child["id"], visited_on=today - dt.timedelta(weeks=weeks),
                                              visitor_id=worker.pk, seen_alone=True)
                    if (today - start).days > 40:
                        tables[Review].add(child_id=child["id"], held_on=start + dt.timedelta(days=20),
                                           chair_id=worker.pk, participation="PN1", recorded_by_id=worker.pk,
                                           recorded_at=now)
                    events = [*IN_CARE_EVENTS, *rng.sample(NOTES, 4)]
                    allocated = start
                else:
                    allocated = today - dt.timedelta(days=rng.randint(1, min(age_days, 2 * 365)))
                    events = rng.sample(NOTES, 4)
                tables[Allocation].add(child_id=child["id"], worker_id=worker.pk, kind="social_worker",
                                       start=allocated)
                span = max(1, (today - allocated).days)
                for i, (kind, title, text) in enumerate(events):
                    day = allocated + dt.timedelta(days=span * i // len(events))
                    tables[ChronologyEntry].add(child_id=child["id"], kind=kind, title=title, description=text,
                                                occurred_at=dt.datetime.combine(day, midday), recorded_by_id=worker.pk)
            for table in tables.values():  # parents first: the dict is in foreign-key order
                table.flush()
            made += size
            yield made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="postgresql://… of an empty database (it is migrated)")
    parser.add_argument("--looked-after", type=int, default=80_000)
    parser.add_argument("--in-need", type=int, default=400_000)
    parser.add_argument("--staff", type=int, default=3_000, help="social workers added, who carry the caseloads")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        sys.exit("--database must be a PostgreSQL URL: COPY and the national-scale measurements are PostgreSQL's")
    if args.staff < 1 or args.looked_after < 0 or args.in_need < 0:
        sys.exit("--staff must be 1 or more, and --looked-after and --in-need 0 or more")
    env = environment(args.database)
    os.environ.update(env)
    started = time.perf_counter()
    print("migrating …", flush=True)
    harbour("migrate", "--noinput", env=env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from harbour.accounts.models import Role, User
    from harbour.children.models import Child, PeriodLookedAfter

    if Child.unscoped.exists():
        sys.exit("The database already has children: use a new, empty database")
    print(f"building the demo council around the records ({DEMO_CHILDREN} children) …", flush=True)
    harbour("demo", "--children", str(DEMO_CHILDREN), "--seed", str(args.seed), env=env)
    workers = add_staff(args.staff, prefix="natworker")
    rng = random.Random(args.seed)
    today, now = timezone.localdate(), timezone.now()
    for looked_after, count in ((True, args.looked_after), (False, args.in_need)):
        label = "looked after" if looked_after else "in need"
        for made in children(count, looked_after=looked_after, workers=workers, rng=rng, today=today, now=now):
            print(f"  {label}: {made}/{count} ({time.perf_counter() - started:.0f} s)", flush=True)
    print("ANALYZE …", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    open_periods = PeriodLookedAfter.objects.filter(end__isnull=True).values("child_id")
    in_care = Child.unscoped.filter(id__in=open_periods).count()
    total = Child.unscoped.count()
    managers = list(User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).values_list("username", flat=True))
    OUT.mkdir(exist_ok=True)
    (OUT / "users.json").write_text(json.dumps(
        {"social_workers": [w.username for w in workers], "managers": managers}, indent=1))
    print(f"done in {time.perf_counter() - started:.0f} s: {in_care} children looked after, {total - in_care} "
          f"not looked after (children in need and the demo's care leavers), {total} child records, "
          f"{len(workers)} social workers added (about {(args.looked_after + args.in_need) // len(workers)} "
          f"children each); database size {size / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
