"""Times the whole service's "What to do next" alone, on a database already built (for instance the
large council of `large_council.py`), in one process with Django's test client: no web server.

    .venv/bin/python benchmarks/home_page.py --database postgresql://postgres@127.0.0.1:5432/harbour_load

Signs in (force_login) as the first team manager by username, makes --warm-up untimed requests to
"/", then times --requests more and prints the median, minimum and maximum in milliseconds and the
number of SQL queries. It measures; it asserts nothing but that the page answers 200.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--warm-up", type=int, default=1)
    args = parser.parse_args()
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "DATABASE_URL": args.database,
                       "HARBOUR_DEMO": "1", "HARBOUR_DEBUG": "0", "HARBOUR_LOG_LEVEL": "ERROR",
                       "HARBOUR_ALLOWED_HOSTS": "testserver"})
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from harbour.accounts import access
    from harbour.accounts.models import Role, User

    manager = User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).order_by("username").first()
    if manager is None:
        sys.exit("The database has no team manager to sign in as")
    client = Client()
    client.force_login(manager)
    for _ in range(args.warm_up):
        assert client.get("/").status_code == 200
    samples, queries = [], set()
    for _ in range(args.requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/")
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(captured))
    print(f"home, team manager ({manager.username}), {access.children_visible_to(manager).count()} children in view, "
          f"load average {os.getloadavg()[0]:.1f}: median {statistics.median(samples):.0f} ms, "
          f"min {min(samples):.0f}, max {max(samples):.0f} over {args.requests} requests; "
          f"queries {sorted(queries)}")


if __name__ == "__main__":
    main()
