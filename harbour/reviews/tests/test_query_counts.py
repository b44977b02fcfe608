"""The reviews pages and API keep the same number of queries with 10 children in view as with 2,000
(the issue's bar for the compliance lists, kept for every page here).

The children come from the core query-count test's bulk builder (a period looked after, a
placement, a review and a visit each); each child here also gets an IRO action, answered for half.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.core.tests.test_query_counts import _add_children, _client, _people
from harbour.reviews.models import QualityAction

pytestmark = pytest.mark.django_db
SMALL, LARGE = 10, 2_000

PAGES = [
    ("reviews due for an IRO", Role.IRO, "/reviews/", False),
    ("reviews due for the IRO manager", Role.IRO_MANAGER, "/reviews/", False),
    ("IRO calendar", Role.IRO, "/reviews/calendar/", False),
    ("compliance for a social worker", Role.SOCIAL_WORKER, "/reviews/compliance/", False),
    ("compliance for the service", Role.TEAM_MANAGER, "/reviews/compliance/", False),
    ("compliance for a team", Role.TEAM_LEADER, "/reviews/compliance/?team={team}&kind=visit", False),
    ("measures by month", Role.IRO_MANAGER, "/reviews/measures/", False),
    ("measures by quarter", Role.IRO_MANAGER, "/reviews/measures/?by=quarter", False),
    ("records behind a figure", Role.IRO_MANAGER, "/reviews/measures/visits/{month}/", False),
    ("child's reviews and checks", Role.IRO, "/reviews/child/{child}/", False),
    ("IRO actions for a social worker", Role.SOCIAL_WORKER, "/reviews/actions/", False),
    ("IRO actions by team", Role.IRO_MANAGER, "/reviews/quality/", False),
    ("API reviews due", Role.IRO, "/api/v1/reviews/due", True),
    ("API compliance", Role.TEAM_MANAGER, "/api/v1/reviews/compliance", True),
    ("API measures", Role.IRO_MANAGER, "/api/v1/reviews/measures", True),
    ("API child's reviews", Role.IRO, "/api/v1/reviews/children/{child}", True),
    ("API IRO actions", Role.SOCIAL_WORKER, "/api/v1/reviews/actions", True),
]


def _actions(children: list, people: dict) -> None:
    today = timezone.localdate()
    QualityAction.objects.bulk_create(
        QualityAction(child=c, raised_by=people[Role.IRO], raised_on=today, description="Update the plan",
                      social_worker=people[Role.SOCIAL_WORKER], team=people[Role.SOCIAL_WORKER].team,
                      due_on=today + dt.timedelta(days=7), responded_on=today if i % 2 else None,
                      response="Done" if i % 2 else "")
        for i, c in enumerate(children)
    )


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
        children = _add_children(SMALL, people)
        _actions(children, people)
        month = (timezone.localdate() - dt.timedelta(days=30)).strftime("%Y-%m")
        values = {"child": children[0].pk, "team": people[Role.SOCIAL_WORKER].team_id, "month": month}
        small = _measure(clients, values)
        more = _add_children(LARGE - SMALL, people)
        _actions(more, people)
        large = _measure(clients, values)
        transaction.set_rollback(True)
    return small, large


@pytest.mark.parametrize("name", [p[0] for p in PAGES])
def test_as_many_queries_for_2000_children_as_for_10(name: str, measured) -> None:
    small, large = measured
    small_status, small_count, _ = small[name]
    large_status, large_count, large_sql = large[name]
    assert small_status == large_status == 200
    if small_count != large_count:
        pytest.fail(f"{name}: {small_count} queries with {SMALL} children, {large_count} with {LARGE}:\n"
                    + "\n".join(large_sql[:40]))
    assert small_count > 0
