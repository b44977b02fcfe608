"""Every page keeps the same number of database queries whatever the caseload (architecture.md,
"Scale"): each page is measured with 10 children in the user's view and again with 1,000.

The council is built once for the module, inside a transaction that is rolled back at the end:
first 10 children, every page measured; then 990 more added cheaply (bulk inserts of children,
allocations, shares and a few history rows each, not through the services), every page measured
again. Each test then compares one page's two counts and, if they differ, shows the queries.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.models import (
    Allocation,
    ApiToken,
    PartnerAgency,
    PartnerGrant,
    Role,
    Team,
    User,
)
from harbour.children.models import (
    Child,
    ChildName,
    ChronologyEntry,
    DateOfBirthRecord,
    LegalStatusPeriod,
    PeriodLookedAfter,
)
from harbour.domain.names import search_key, sound_key
from harbour.placements.models import Placement
from harbour.reviews.models import Review, Visit

# The mark makes pytest-django create the test database; the module fixture below does the rest.
pytestmark = pytest.mark.django_db
SMALL, LARGE = 10, 1_000
_serial = itertools.count()


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # key into the council's users
    path: str  # may contain {child}
    api: bool = False


PAGES = [
    *(Page(f"home for {role.label.lower()}", role.value, "/") for role in Role),
    Page("child list", Role.SOCIAL_WORKER, "/children/"),
    Page("child list, service-wide", Role.TEAM_MANAGER, "/children/"),
    Page("search by name", Role.SOCIAL_WORKER, "/search/?q=Bulkfamily"),
    Page("search by sound", Role.TEAM_MANAGER, "/search/?q=Bolkfamely"),
    Page("search by date of birth", Role.TEAM_MANAGER, "/search/?q=14/03/2012"),
    Page("child detail", Role.SOCIAL_WORKER, "/children/{child}/"),
    Page("child detail for a partner", Role.PARTNER, "/children/{child}/"),
    Page("identity", Role.SOCIAL_WORKER, "/children/{child}/identity/"),
    Page("legal status", Role.SOCIAL_WORKER, "/children/{child}/legal/"),
    Page("access log", Role.TEAM_LEADER, "/children/{child}/access-log/"),
    Page("timescales", Role.SOCIAL_WORKER, "/timescales/"),
    Page("API child list", Role.SOCIAL_WORKER, "/api/v1/children", api=True),
    Page("API child list, service-wide", Role.DIRECTOR, "/api/v1/children", api=True),
    Page("API search", Role.TEAM_MANAGER, "/api/v1/children?q=Bulkfamily", api=True),
    Page("API child detail", Role.SOCIAL_WORKER, "/api/v1/children/{child}", api=True),
    Page("API child deadlines", Role.SOCIAL_WORKER, "/api/v1/children/{child}/deadlines", api=True),
    Page("API child timeline", Role.SOCIAL_WORKER, "/api/v1/children/{child}/timeline", api=True),
]


def _people() -> dict[str, User]:
    team = Team.objects.create(name="Query team")
    agency = PartnerAgency.objects.create(name="Query health", kind=PartnerAgency.Kind.HEALTH)
    return {
        role.value: User.objects.create(username=f"q-{role.value}", role=role.value, first_name="Q",
                                        team=team if role != Role.PARTNER else None,
                                        partner_agency=agency if role == Role.PARTNER else None)
        for role in Role
    }


def _add_children(count: int, people: dict[str, User]) -> list[Child]:
    """`count` children in every role's view, each with a short history, by bulk inserts."""
    today = timezone.localdate()
    children = []
    for _ in range(count):
        n = next(_serial)
        children.append(Child(given_names=f"Bulk{n}", family_name="Bulkfamily",
                              date_of_birth=dt.date(2008 + n % 8, 1 + n % 12, 1 + n % 28),
                              date_of_birth_source="claimed"))
    Child.unscoped.bulk_create(children)
    worker, iro, adviser = people[Role.SOCIAL_WORKER], people[Role.IRO], people[Role.PERSONAL_ADVISER]
    agency = people[Role.PARTNER].partner_agency
    start = today - dt.timedelta(days=200)
    Allocation.objects.bulk_create(
        Allocation(child=c, worker=w, kind=kind, start=start)
        for c in children
        for w, kind in ((worker, "social_worker"), (iro, "iro"), (adviser, "personal_adviser"))
    )
    PartnerGrant.objects.bulk_create(
        PartnerGrant(child=c, agency=agency, purpose="Health assessment", granted_by=worker,
                     expires_at=timezone.now() + dt.timedelta(days=30))
        for c in children
    )
    ChildName.objects.bulk_create(
        ChildName(child=c, kind=kind, name=value, search_key=search_key(value), sound_key=sound_key(value))
        for c in children for kind, value in (("given", c.given_names), ("family", c.family_name))
    )
    DateOfBirthRecord.objects.bulk_create(
        DateOfBirthRecord(child=c, date_of_birth=c.date_of_birth, source="claimed", recorded_by=worker,
                          in_use_from=timezone.now()) for c in children
    )
    PeriodLookedAfter.objects.bulk_create(PeriodLookedAfter(child=c, start=start) for c in children)
    LegalStatusPeriod.objects.bulk_create(LegalStatusPeriod(child=c, legal_status="C2", start=start) for c in children)
    Placement.objects.bulk_create(
        Placement(child=c, start=start, placement_type="U1", carer_or_provider="Foster carer") for c in children)
    Review.objects.bulk_create(Review(child=c, held_on=start + dt.timedelta(days=20), chair=iro) for c in children)
    Visit.objects.bulk_create(Visit(child=c, visited_on=start + dt.timedelta(days=5), visitor=worker) for c in children)
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(child=c, kind="note", occurred_at=timezone.now() - dt.timedelta(days=3), title="Note",
                        recorded_by=worker) for c in children
    )
    return children


def _client(user: User, api: bool) -> Client:
    if api:
        _, raw = ApiToken.issue(user=user, name="queries")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="q", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _measure(clients: dict[tuple[str, bool], Client], child: Child) -> dict[str, tuple[int, int, list[str]]]:
    results = {}
    for page in PAGES:
        client = clients[(page.user, page.api)]
        path = page.path.format(child=child.pk)
        client.get(path)  # warm: the first request may create the council's settings row, etc.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        results[page.name] = (response.status_code, len(queries), [q["sql"] for q in queries.captured_queries])
    return results


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert "test" in str(connection.settings_dict["NAME"]) or "memory" in str(connection.settings_dict["NAME"])
        people = _people()
        clients = {(user, api): _client(people[user], api) for user, api in {(p.user, p.api) for p in PAGES}}
        child = _add_children(SMALL, people)[0]
        small = _measure(clients, child)
        _add_children(LARGE - SMALL, people)
        assert Child.unscoped.filter(family_name="Bulkfamily").count() == LARGE
        large = _measure(clients, child)
        transaction.set_rollback(True)
    return small, large


# (Not called `page`: pytest-playwright owns a fixture of that name.)
@pytest.mark.parametrize("screen", PAGES, ids=[p.name for p in PAGES])
def test_the_page_makes_as_many_queries_for_1000_children_as_for_10(screen, measured):
    page = screen
    small, large = measured
    small_status, small_count, small_sql = small[page.name]
    large_status, large_count, large_sql = large[page.name]
    assert small_status == large_status == 200
    if small_count != large_count:
        extra = "\n".join(large_sql[:40])
        pytest.fail(f"{page.name}: {small_count} queries with {SMALL} children, {large_count} with {LARGE}:\n{extra}")


def test_the_counts_are_real_every_page_touches_the_database(measured):
    small, _ = measured
    assert all(count > 0 for _, count, _ in small.values())
