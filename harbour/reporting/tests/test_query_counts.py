"""The performance dashboards, the records behind a figure and the API keep the same number of
queries with 10 children in view as with 1,000 (the core query-count test's bulk builder: a period
looked after, a placement, allocations, a review and a visit each)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.core.tests.test_query_counts import _add_children, _client, _people

pytestmark = pytest.mark.django_db
SMALL, LARGE = 10, 1_000

PAGES = [
    ("director's dashboard by month", Role.DIRECTOR, "/performance/director/", False),
    ("director's dashboard by quarter", Role.DIRECTOR, "/performance/director/?by=quarter", False),
    ("director's dashboard CSV", Role.DIRECTOR, "/performance/director/?format=csv", False),
    ("team dashboard", Role.TEAM_LEADER, "/performance/team/", False),
    ("IRO manager's dashboard", Role.IRO_MANAGER, "/performance/iro/", False),
    ("leaving care dashboard for the analyst", Role.PERFORMANCE_ANALYST, "/performance/leaving-care/", False),
    ("children behind a figure", Role.PERFORMANCE_ANALYST, "/performance/placements_3_plus/{month}/", False),
    ("API figures", Role.PERFORMANCE_ANALYST, "/api/v1/performance/figures/?period={month}", True),
]


def _measure(clients: dict, values: dict) -> dict[str, tuple[int, int, list[str]]]:
    found = {}
    for name, role, path, api in PAGES:
        client = clients[(role, api)]
        url = path.format(**values)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        found[name] = (response.status_code, len(queries), [q["sql"] for q in queries.captured_queries])
    return found


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        people = _people()
        clients = {(role, api): _client(people[role], api) for _, role, _, api in PAGES}
        _add_children(SMALL, people)
        values = {"month": timezone.localdate().strftime("%Y-%m")}
        small = _measure(clients, values)
        _add_children(LARGE - SMALL, people)
        large = _measure(clients, values)
        transaction.set_rollback(True)
    return small, large


@pytest.mark.parametrize("name", [p[0] for p in PAGES])
def test_as_many_queries_for_1000_children_as_for_10(name: str, measured) -> None:
    small, large = measured
    small_status, small_count, _ = small[name]
    large_status, large_count, large_sql = large[name]
    assert small_status == large_status == 200
    if small_count != large_count:
        pytest.fail(f"{name}: {small_count} queries with {SMALL} children, {large_count} with {LARGE}:\n"
                    + "\n".join(large_sql[:40]))
    assert small_count > 0
