"""The load scenario: Gunicorn and PostgreSQL on 127.0.0.1, Locust headless, in steps of users.

    .venv/bin/python benchmarks/load.py --database postgresql://postgres@127.0.0.1:5432/harbour_load

If the database is empty it first builds the large council into it (benchmarks/large_council.py,
about six minutes); createdb it beforehand. It runs the nightly snapshot job (`harbour deadlines
--snapshot`), then, for each step (by default 10, 20 and 40 users, 60 seconds each after the last
has arrived; users arrive 2 a second and sign in), it starts Locust against a fresh Gunicorn
(config/gunicorn.conf.py: Harbour preloaded and warmed up before the workers fork; `--workers`
processes, development settings without DEBUG, the second factor off as in the demo, 127.0.0.1
only), then prints the 95th percentile and the failures of each page, and
at the end the largest step whose every page had a p95 under 500 ms with no failures. It measures;
it asserts nothing. Everything it starts is stopped when it ends. See README.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from large_council import environment

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
P95_LIMIT_MS = 500.0


def has_children(database: str) -> bool:
    import psycopg

    with psycopg.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.children_child') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM children_child)")
        return bool(cursor.fetchone()[0])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own 127.0.0.1 server)
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"Gunicorn did not answer at {url}")


def run_step(users: int, *, seconds: int, port: int, workers: int, spawn_rate: float, env: dict[str, str],
             out: Path) -> list[dict[str, str]]:
    log = (out / f"gunicorn-{users}.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--config=config/gunicorn.conf.py", "config.wsgi:application",
         f"--bind=127.0.0.1:{port}", f"--workers={workers}", "--log-level=warning", "--graceful-timeout=5"],
        cwd=REPO, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/sign-in/")
        prefix = out / f"step-{users}"
        # Users arrive and sign in at `spawn_rate` a second (staff start work over the morning, not in
        # the same second); the run time counts from the first arrival.
        run_time = seconds + int(users / spawn_rate) + 5
        subprocess.run(  # noqa: S603
            [str(BIN / "locust"), "-f", str(REPO / "benchmarks" / "locustfile.py"), "--headless",
             f"--host=http://127.0.0.1:{port}", f"--users={users}", f"--spawn-rate={spawn_rate}",
             f"--run-time={run_time}s", f"--csv={prefix}", "--only-summary", "--loglevel=ERROR"],
            cwd=REPO / "benchmarks", env=env, check=False, capture_output=True, text=True)
        with open(f"{prefix}_failures.csv", newline="") as file:
            for failure in csv.DictReader(file):
                print(f"  failed {failure['Occurrences']}x: {failure['Method']} {failure['Name']}: {failure['Error']}")
        with open(f"{prefix}_stats.csv", newline="") as file:
            return list(csv.DictReader(file))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(15)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--steps", default="10,20,40", help="Users in each step, comma-separated")
    parser.add_argument("--seconds", type=int, default=60, help="How long each step runs (after spawning)")
    parser.add_argument("--workers", type=int, default=3, help="Gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="Users arriving (and signing in) a second")
    args = parser.parse_args()
    if not has_children(args.database) or not (REPO / "benchmarks" / ".load" / "users.json").exists():
        print("building the large council first (benchmarks/large_council.py) …", flush=True)
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "large_council.py"),  # noqa: S603
                        f"--database={args.database}"], check=True)
    env = environment(args.database)
    env["HARBOUR_REQUIRE_TWO_FACTOR"] = "0"
    env["HARBOUR_ALLOWED_HOSTS"] = "127.0.0.1"
    steps = [int(s) for s in args.steps.split(",")]
    # As the nightly cron does (docs/how-to/deadlines.md): the day's deadline and measured-checks snapshots.
    subprocess.run([str(BIN / "harbour"), "deadlines", "--snapshot"], cwd=REPO, env=env, check=True)  # noqa: S603
    print(f"{platform.node()}: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; Gunicorn "
          f"{args.workers} workers; {args.seconds} s per step")
    held = 0
    with tempfile.TemporaryDirectory() as tmp:
        for users in steps:
            rows = run_step(users, seconds=args.seconds, port=args.port, workers=args.workers,
                            spawn_rate=args.spawn_rate, env=env, out=Path(tmp))
            pages = [r for r in rows if r["Name"] != "Aggregated"]
            total = next(r for r in rows if r["Name"] == "Aggregated")
            print(f"\n{users} users: {total['Request Count']} requests, {total['Failure Count']} failures, "
                  f"{float(total['Requests/s']):.1f} requests/s, p95 of all {total['95%']} ms")
            print(f"  {'page':40} {'requests':>8} {'failures':>8} {'median':>7} {'p95 ms':>7}")
            for r in sorted(pages, key=lambda r: r["Name"]):
                print(f"  {r['Name']:40} {r['Request Count']:>8} {r['Failure Count']:>8} {r['50%']:>7} {r['95%']:>7}")
            ok = all(float(r["95%"]) < P95_LIMIT_MS and r["Failure Count"] == "0" for r in pages)
            if ok:
                held = users
            else:
                print(f"  not held: a page's p95 is {P95_LIMIT_MS:.0f} ms or more, or a request failed")
                break
    print(f"\nUsers held with every page's p95 under {P95_LIMIT_MS:.0f} ms and no failures: {held or 'none'} "
          f"(steps tried: {args.steps})")


if __name__ == "__main__":
    main()
