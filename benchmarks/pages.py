"""How long the home page and a child's page take on the demo council, at two sizes.

    make benchmark                      # or: .venv/bin/python benchmarks/pages.py
    .venv/bin/python benchmarks/pages.py --sizes 120,1200,5000 --requests 50

For each size N it builds the demo council (`harbour demo --children N --seed S`) into a new
SQLite database in a temporary directory, then, in a fresh process, times pages through
Django's test client: no web server, no network, no browser. It prints the median and 95th
percentile in milliseconds and the number of SQL queries per request. It measures; it asserts
nothing about time. See benchmarks/README.md for what the numbers do and do not mean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_SIZE = 120


def _harbour() -> list[str]:
    script = Path(sys.executable).with_name("harbour")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from harbour.cli import main; main()"]


def _environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.development",
        "DATABASE_URL": f"sqlite:///{database}",
        "HARBOUR_DEMO": "1",
        "HARBOUR_DEBUG": "0",
        "HARBOUR_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "HARBOUR_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(REPO),
    })
    return env


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def _percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `fraction` of samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))  # ceil(fraction * n) without floats
    return ordered[rank - 1]


# ------------------------------------------------------------------------------------------------
# The measuring process: Django is set up against the benchmark database given in the environment.


def measure(requests: int, warm_up: int) -> list[dict[str, object]]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from harbour.accounts import access
    from harbour.accounts.models import Allocation, Role, User

    def most_allocated(role: str) -> User:
        return (User.objects.filter(role=role, is_active=True)
                .annotate(n=Count("allocations", filter=Q(allocations__end__isnull=True)))
                .order_by("-n", "username").first())

    worker = most_allocated(Role.SOCIAL_WORKER)
    manager = User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).order_by("username").first()
    if worker is None or manager is None:
        sys.exit("The demo council has no social worker or team manager to sign in as")
    caseload = access.children_visible_to(worker)
    # The child on the worker's caseload with the longest history: the slowest child page they have.
    child = (caseload.annotate(history=Count("visits", distinct=True) + Count("reviews", distinct=True)
                               + Count("chronology", distinct=True))
             .order_by("-history", "id").first())
    if child is None:
        sys.exit("The busiest social worker has no children allocated")

    pages = [
        ("home, team manager (whole service)", manager, "/", access.children_visible_to(manager).count()),
        ("home, social worker (own caseload)", worker, "/", caseload.count()),
        ("child page, social worker", worker, f"/children/{child.pk}/", caseload.count()),
    ]
    rows = []
    for name, user, path, in_view in pages:
        client = Client()
        client.force_login(user)
        for _ in range(warm_up):
            assert client.get(path).status_code == 200, (name, path)
        samples, queries = [], set()
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries.add(len(captured))
        rows.append({
            "page": name, "children_in_view": in_view, "requests": requests,
            "median_ms": statistics.median(samples), "p95_ms": _percentile(samples, 0.95),
            "min_ms": min(samples), "max_ms": max(samples), "queries": sorted(queries),
        })
    rows.append({"allocations": Allocation.objects.count()})
    return rows


# ------------------------------------------------------------------------------------------------


def benchmark(size: int, seed: int, requests: int, warm_up: int) -> tuple[float, list[dict[str, object]]]:
    with tempfile.TemporaryDirectory(prefix="harbour-benchmark-") as directory:
        database = Path(directory) / "benchmark.sqlite3"
        env = _environment(database)
        _run([*_harbour(), "migrate", "--noinput"], env)
        built = _run([*_harbour(), "demo", "--children", str(size), "--seed", str(seed)], env)
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure", "--requests", str(requests),
             "--warm-up", str(warm_up)],
            cwd=REPO, env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            sys.exit(f"measuring {size} children failed:\n{result.stdout}{result.stderr}")
        return built, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=f"{DEMO_SIZE},{DEMO_SIZE * 10}",
                        help=f"comma-separated numbers of children (default {DEMO_SIZE},{DEMO_SIZE * 10})")
    parser.add_argument("--seed", type=int, default=2026, help="demo seed (default 2026)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.warm_up)))
        return
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        sys.exit(f"--sizes must be whole numbers separated by commas, like 120,1200 (you gave {args.sizes!r})")
    if not sizes or args.requests < 1:
        sys.exit("Give at least one size and at least one request")

    print(f"Harbour page timings: Django test client, SQLite, DEBUG off, one process, "
          f"{args.requests} timed requests per page after {args.warm_up} untimed")
    print(f"Python {platform.python_version()} on {platform.machine()} {platform.system()}, "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start" if hasattr(os, "getloadavg")
          else f"Python {platform.python_version()}")
    header = f"{'children':>8}  {'page':<36} {'in view':>7} {'median ms':>9} {'p95 ms':>8} {'min':>7} {'max':>7}  queries"
    lines = []
    for size in sizes:
        built, rows = benchmark(size, args.seed, args.requests, args.warm_up)
        *pages, extra = rows
        print(f"  built the demo council with {size} children in {built:.1f} s "
              f"({extra['allocations']} allocations)", flush=True)
        for row in pages:
            queries = ",".join(str(q) for q in row["queries"])
            lines.append(f"{size:>8}  {row['page']:<36} {row['children_in_view']:>7} {row['median_ms']:>9.1f} "
                         f"{row['p95_ms']:>8.1f} {row['min_ms']:>7.1f} {row['max_ms']:>7.1f}  {queries}")
    print()
    print(header)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
