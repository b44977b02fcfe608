"""The national-scale scenario under load: Gunicorn and PostgreSQL on 127.0.0.1, Locust headless.

    .venv/bin/python benchmarks/national_load.py --database postgresql://postgres@127.0.0.1:5432/h_national --users 20

Runs benchmarks/national_locustfile.py against a fresh Gunicorn on a set built by
benchmarks/national_scale.py, for --users users for --seconds after they are spawned, then prints
each page's median, p95 and failures, the machine's load average before and after, and how many
lines of the PostgreSQL log under /var/log/postgresql mention a deadlock before and after. It
measures; it asserts nothing. Gunicorn is stopped when it ends.
"""

from __future__ import annotations

import argparse
import csv
import glob
import os
import platform
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from large_council import environment
from load import BIN, REPO, wait_for


def deadlock_lines() -> int | None:
    """Lines mentioning a deadlock in the PostgreSQL logs, or None if they cannot be read."""
    count = 0
    files = glob.glob("/var/log/postgresql/*.log")
    if not files:
        return None
    for name in files:
        try:
            with open(name, errors="replace") as log:
                count += sum("deadlock" in line.lower() for line in log)
        except OSError:
            return None
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--workers", type=int, default=3, help="Gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not (REPO / "benchmarks" / ".national" / "users.json").exists():
        sys.exit("Build the set first: benchmarks/national_scale.py writes benchmarks/.national/users.json")
    env = environment(args.database)
    env["HARBOUR_REQUIRE_TWO_FACTOR"] = "0"
    env["HARBOUR_ALLOWED_HOSTS"] = "127.0.0.1"
    deadlocks_before = deadlock_lines()
    print(f"{platform.node()}: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; Gunicorn "
          f"{args.workers} workers; {args.users} users for {args.seconds} s", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = (Path(tmp) / "gunicorn.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "config.wsgi:application", f"--bind=127.0.0.1:{args.port}",
             f"--workers={args.workers}", "--log-level=warning", "--timeout=60", "--graceful-timeout=5"],
            cwd=REPO, env=env, stdout=log, stderr=log, start_new_session=True)
        try:
            wait_for(f"http://127.0.0.1:{args.port}/accounts/sign-in/")
            prefix = Path(tmp) / "national"
            spawn_rate = min(args.users, 5)
            subprocess.run(  # noqa: S603
                [str(BIN / "locust"), "-f", str(REPO / "benchmarks" / "national_locustfile.py"), "--headless",
                 f"--host=http://127.0.0.1:{args.port}", f"--users={args.users}", f"--spawn-rate={spawn_rate}",
                 f"--run-time={args.seconds + args.users // spawn_rate + 5}s", f"--csv={prefix}", "--only-summary",
                 "--loglevel=ERROR"],
                cwd=REPO / "benchmarks", env=env, check=False, capture_output=True, text=True)
            load_after = os.getloadavg()[0]
            with open(f"{prefix}_failures.csv", newline="") as file:
                for failure in csv.DictReader(file):
                    print(f"  failed {failure['Occurrences']}x: {failure['Method']} {failure['Name']}: "
                          f"{failure['Error']}")
            with open(f"{prefix}_stats.csv", newline="") as file:
                rows = list(csv.DictReader(file))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(15)
            log.close()
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    requests = int(total["Request Count"])
    print(f"{requests} requests, {failures} failures ({100 * failures / max(requests, 1):.2f}%), "
          f"{float(total['Requests/s']):.1f} requests/s, p95 of all {total['95%']} ms; "
          f"load average at the end {load_after:.1f}")
    print(f"  {'page':40} {'requests':>8} {'failures':>8} {'median':>7} {'p95 ms':>7}")
    for r in sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"]):
        print(f"  {r['Name']:40} {r['Request Count']:>8} {r['Failure Count']:>8} {r['50%']:>7} {r['95%']:>7}")
    after = deadlock_lines()
    print("PostgreSQL log lines mentioning a deadlock: " + (
        "log not readable" if after is None or deadlocks_before is None else f"{deadlocks_before} before, {after} after"))


if __name__ == "__main__":
    main()
