"""Times the child's page, search, the caseload list and "What to do next" on the national-scale set
(benchmarks/national_scale.py), in one process with Django's test client: no web server.

    .venv/bin/python benchmarks/national_pages.py --database postgresql://postgres@127.0.0.1:5432/h_national

Signs in (force_login) as a social worker who carries a caseload and as a team manager, who sees the
whole service. For each: the child's page for --children children they may see, every search in
SEARCHES --repeat times, the caseload list and the home page (the first request of a day rebuilds the
deadline snapshot, so it is timed apart as the warm-up). Prints p50 and p95 in milliseconds, the SQL
query counts and the load average. It measures; it asserts only that each page answers 200.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# Names as people type them: transliterations (Mohammed/Muhammad/Mohamad, Hussein/Hosseini, Yusuf/Yousef),
# a name in Arabic script, common English and Irish surnames, two-word queries, a short name.
SEARCHES = ("Mohammed", "Muhammad", "Mohamad", "محمد", "Hussein", "Hosseini", "Yousef", "Smith", "Murphy",
            "Ahmadzai", "Tesfay", "Nguyen", "Ali", "Yusuf Khan", "Ahmad Noori", "O'Brien")


_CHILD = re.compile(r'href="/children/([0-9a-f-]{36})/"')


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client: Any, path: str) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(captured), response


def report(label: str, samples: list[float], queries: set[int]) -> None:
    print(f"  {label}: p50 {statistics.median(samples):.0f} ms, p95 {percentile(samples, 0.95):.0f} ms, "
          f"max {max(samples):.0f} ms over {len(samples)} requests; queries {sorted(queries)}", flush=True)


def measure(user: Any, *, children: int, repeat: int, seed: int) -> None:
    import random

    from django.test import Client

    from harbour.accounts import access

    client = Client()
    client.force_login(user)
    visible = access.children_visible_to(user)
    started = time.perf_counter()
    in_view = visible.count()
    print(f"{user.username} ({user.get_role_display()}): {in_view} children in view "
          f"(counted in {(time.perf_counter() - started) * 1000:.0f} ms); load average {os.getloadavg()[0]:.1f}",
          flush=True)
    ids = list(visible.order_by("id").values_list("id", flat=True)[:5000])
    picked = random.Random(seed).sample(ids, min(children, len(ids)))
    warm_up, _, _ = timed(client, f"/children/{ids[-1]}/")  # the first request compiles the templates
    print(f"  warm-up (first child's page): {warm_up:.0f} ms", flush=True)
    samples, queries = [], set()
    for child_id in picked:
        elapsed, count, _ = timed(client, f"/children/{child_id}/")
        samples.append(elapsed)
        queries.add(count)
    report("child's page", samples, queries)
    samples, queries = [], set()
    slowest: dict[str, float] = {}
    found: dict[str, int] = {}
    for _ in range(repeat):
        for query in SEARCHES:
            elapsed, count, response = timed(client, f"/search/?q={query}")
            samples.append(elapsed)
            queries.add(count)
            slowest[query] = max(slowest.get(query, 0.0), elapsed)
            found[query] = len(set(_CHILD.findall(response.content.decode())))
    report("search", samples, queries)
    print("    slowest per query (ms, results shown): " + ", ".join(
        f"{q} {slowest[q]:.0f} ({found[q]})" for q in SEARCHES), flush=True)
    for label, path, times in (("caseload list", "/children/", 3), ("home page", "/", 3)):
        first, count, _ = timed(client, path)
        samples, queries = [], {count}
        for _ in range(times):
            elapsed, count, _ = timed(client, path)
            samples.append(elapsed)
            queries.add(count)
        report(f"{label} (first request {first:.0f} ms)", samples, queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--children", type=int, default=40, help="children's pages opened per user")
    parser.add_argument("--repeat", type=int, default=3, help="times each search is made per user")
    parser.add_argument("--worker", default="natworker7", help="the social worker to sign in as")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-manager", action="store_true")
    args = parser.parse_args()
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "DATABASE_URL": args.database,
                       "HARBOUR_DEMO": "1", "HARBOUR_DEBUG": "0", "HARBOUR_LOG_LEVEL": "ERROR",
                       "HARBOUR_ALLOWED_HOSTS": "testserver"})
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from harbour.accounts.models import Role, User

    worker = User.objects.filter(username=args.worker, is_active=True).first()
    if worker is None:
        sys.exit(f"No active user {args.worker}: build the set with benchmarks/national_scale.py")
    measure(worker, children=args.children, repeat=args.repeat, seed=args.seed)
    if not args.skip_manager:
        manager = User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).order_by("username").first()
        if manager is None:
            sys.exit("The database has no team manager to sign in as")
        measure(manager, children=args.children, repeat=args.repeat, seed=args.seed)


if __name__ == "__main__":
    main()
