"""How long the Corporate Parenting Board report takes for a large council with ten years of history.

    .venv/bin/python benchmarks/board.py                      # 2,000 in care, 10 years
    .venv/bin/python benchmarks/board.py --in-care 500 --requests 3

It builds the same council as benchmarks/performance.py (its `_populate`: bulk inserts into a new SQLite
database in a temporary directory, not the demo), then, as the performance analyst with Django's test
client: times drafting the last quarter's report (counting its figures, with the charts), the draft
page, publishing (commentary, HTML and the WeasyPrint PDF, stored), the published page and the PDF
download, and the deep dives. It prints the median, minimum and maximum in milliseconds and the SQL queries per
request. It asserts nothing about time.
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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-care", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="harbour-bench-board-") as temp:
        os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings.development", "HARBOUR_DEMO": "1",
                           "DATABASE_URL": f"sqlite:///{temp}/bench.sqlite3", "HARBOUR_LOG_LEVEL": "ERROR",
                           "HARBOUR_DEBUG": "0", "HARBOUR_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
        sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]
        import django

        django.setup()
        from django.core.management import call_command
        from performance import _populate  # the dashboards' council, so the two benchmarks agree

        call_command("migrate", verbosity=0)
        import time_machine
        from performance import _rebuild_checks

        started = time.perf_counter()
        # Written an hour ago, as a council's records are (see performance.py).
        with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), tick=True):
            people, counts = _populate(args.in_care, args.years, random.Random(args.seed))
        populated = time.perf_counter() - started
        started = time.perf_counter()
        rebuilt = _rebuild_checks()
        rebuilding = time.perf_counter() - started
        rows = _time_report(people["analyst"], args.requests)

    print(f"Board report: {counts}; {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"  test data written in {populated:.1f} s; measured checks snapshot of {rebuilt:,} children rebuilt in "
          f"{rebuilding:.1f} s")
    print(f"  {'step':<44} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8}")
    for name, times, queries in rows:
        print(f"  {name:<44} {statistics.median(times):10.0f} {min(times):8.0f} {max(times):8.0f} {queries:8d}")


def _timed(requests: int, call: object) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()  # type: ignore[operator]
            times.append((time.perf_counter() - started) * 1000)
    return times, len(queries)


def _time_report(analyst: object, requests: int) -> list[tuple[str, list[float], int]]:
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from harbour.domain.board_report import last_quarter
    from harbour.reporting.board import services
    from harbour.reporting.board.models import BoardReport, Section

    client = Client()
    client.force_login(analyst)
    device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def get(path: str) -> None:
        if client.get(path).status_code != 200:
            sys.exit(f"{path} did not answer 200")

    today = timezone.localdate()
    found = []
    drafts = []

    found.append(("draft: figures counted for 6 sections", *_timed(requests, lambda: drafts.append(
        services.draft_report(user=analyst, period=last_quarter(today), today=today)))))
    get(f"/board/{drafts[-1].pk}/")  # untimed: warms the templates
    found.append(("draft report page", *_timed(requests, lambda: get(f"/board/{drafts[-1].pk}/"))))
    published = []

    def publish() -> None:
        report = drafts.pop()
        for section in Section.values:
            report.refresh_from_db()
            services.save_commentary(user=analyst, report=report, section=section, text="", nothing_to_add=True,
                                     version=report.version)
        report.refresh_from_db()
        services.publish(user=analyst, report=report, version=report.version)
        published.append(report.pk)
        # One published report per period: let the next round publish again.
        BoardReport.objects.filter(pk=report.pk).update(status=BoardReport.Status.DRAFT)

    found.append(("publish: commentary, HTML and PDF", *_timed(requests, publish)))
    BoardReport.objects.filter(pk=published[-1]).update(status=BoardReport.Status.PUBLISHED)
    found.append(("published report page", *_timed(requests, lambda: get(f"/board/{published[-1]}/"))))
    found.append(("PDF download", *_timed(requests, lambda: get(f"/board/{published[-1]}/pdf/"))))
    get("/board/deep-dives/")
    found.append(("deep dives", *_timed(requests, lambda: get("/board/deep-dives/"))))
    return found


if __name__ == "__main__":
    main()
