"""Who may see which child (security checklist items 1, 2, 3 and 5).

A child outside a user's scope answers exactly as a child that does not exist: 404, with the
same body, on every page and every API route that takes a child's identifier.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.accounts import access
from harbour.accounts.models import (
    ROLE_SCOPE,
    Allocation,
    ApiToken,
    PartnerAgency,
    PartnerGrant,
    Role,
    Scope,
    Team,
    User,
)
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children.models import Child, UnscopedChildQuery

# --------------------------------------------------------------------------------------------
# Every URL pattern that takes a child's identifier, found by walking the URLconf, so that a
# page or API route added later without scoping fails these tests without anyone listing it.


@dataclass(frozen=True)
class ChildRoute:
    route: str  # e.g. "children/<str:child_id>/legal/"
    name: str  # e.g. "children:legal"

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def url(self, child_id: object) -> str:
        path = re.sub(r"<(?:\w+:)?child_id>", str(child_id), self.route)
        return "/" + path


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[ChildRoute]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if re.search(r"<(?:\w+:)?child_id>", route):
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                yield ChildRoute(route, name)


def child_routes() -> list[ChildRoute]:
    seen: dict[str, ChildRoute] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault(route.route, route)  # django-ninja registers one pattern per path
    return sorted(seen.values(), key=lambda r: r.route)


def test_the_url_walk_finds_every_child_page_and_api_route():
    names = {r.name for r in child_routes()}
    # A floor, not the full list: the walk itself must not silently find nothing.
    assert {"children:detail", "children:identity", "children:legal", "children:access_log",
            "children:edit_identity", "api:get_child", "api:child_deadlines", "api:child_timeline"} <= names
    assert len(names) >= 13


_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=|name="csrf-token" content=)"[^"]*"')


def normalised(body: bytes) -> bytes:
    """The response body without its per-response CSRF token, which is random by design."""
    return _CSRF.sub(rb'\1"-"', body)


# --------------------------------------------------------------------------------------------
# People in every role who must not see the child: the child is allocated to a worker in team A.


@pytest.fixture
def world(make_team, make_user, make_agency, make_child, share_with):
    team_a, team_b = make_team("Team A"), make_team("Team B")
    worker_a = make_user(Role.SOCIAL_WORKER, team=team_a)
    child = make_child(social_worker=worker_a, given_names="Sentinelname", family_name="Zzyzx")
    other_child = make_child(social_worker=worker_a, given_names="Otherchild")
    health, police, provider, revoked = (
        make_agency(PartnerAgency.Kind.HEALTH), make_agency(PartnerAgency.Kind.POLICE),
        make_agency(PartnerAgency.Kind.PROVIDER), make_agency(PartnerAgency.Kind.MASH),
    )
    share_with(other_child, police, by=worker_a)  # shared, but another child
    share_with(child, provider, by=worker_a, days=-1)  # expired yesterday
    grant = share_with(child, revoked, by=worker_a)
    grant.revoked_at = timezone.now()
    grant.save()
    former = make_user(Role.SOCIAL_WORKER, team=team_a)
    Allocation.objects.create(child=child, worker=former, kind=Allocation.Kind.SOCIAL_WORKER,
                              start=dt.date(2024, 1, 1), end=timezone.localdate() - dt.timedelta(days=1))
    outsiders = {
        "social worker in team B": make_user(Role.SOCIAL_WORKER, team=team_b),
        "social worker whose allocation ended": former,
        "team leader of team B": make_user(Role.TEAM_LEADER, team=team_b),
        "team leader with no team": make_user(Role.TEAM_LEADER),
        "IRO not allocated": make_user(Role.IRO, team=team_a),
        "personal adviser not allocated": make_user(Role.PERSONAL_ADVISER, team=team_a),
        "health partner with nothing shared": make_user(Role.PARTNER, agency=health),
        "police partner with another child shared": make_user(Role.PARTNER, agency=police),
        "provider whose share expired": make_user(Role.PARTNER, agency=provider),
        "partner whose share was revoked": make_user(Role.PARTNER, agency=revoked),
        "partner with no agency": make_user(Role.PARTNER),
        "administrator (superuser)": make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    }
    return {"child": child, "worker_a": worker_a, "team_a": team_a, "outsiders": outsiders,
            "provider": provider}


OUTSIDER_KINDS = [
    "social worker in team B", "social worker whose allocation ended", "team leader of team B",
    "team leader with no team", "IRO not allocated", "personal adviser not allocated",
    "health partner with nothing shared", "police partner with another child shared",
    "provider whose share expired", "partner whose share was revoked", "partner with no agency",
    "administrator (superuser)",
]


def clients_for(user: User, signed_in) -> tuple[Client, Client]:
    _, raw = ApiToken.issue(user=user, name="test")
    return signed_in(user), Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_every_role_scope_is_covered_by_an_outsider():
    """If a role is added to ROLE_SCOPE with a narrow scope, add an outsider fixture for it."""
    narrow = {role for role, scope in ROLE_SCOPE.items() if scope != Scope.SERVICE}
    assert narrow == {Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.IRO, Role.TEAM_LEADER, Role.PARTNER,
                      Role.ADMINISTRATOR}


@pytest.mark.parametrize("kind", OUTSIDER_KINDS)
def test_a_child_outside_scope_answers_404_like_a_missing_child_on_every_route(kind, world, signed_in):
    user = world["outsiders"][kind]
    child = world["child"]
    page_client, api_client = clients_for(user, signed_in)
    events_before = AuditEvent.objects.filter(child_id=child.pk).count()
    failures = []
    for route in child_routes():
        client = api_client if route.is_api else page_client
        out_of_scope = client.get(route.url(child.pk))
        missing = client.get(route.url(uuid.uuid4()))
        malformed = client.get(route.url("not-a-uuid"))
        for label, response in (("out of scope", out_of_scope), ("missing", missing), ("malformed", malformed)):
            if response.status_code != 404:
                failures.append(f"{route.name} {label}: {response.status_code}")
        if normalised(out_of_scope.content) != normalised(missing.content):
            failures.append(f"{route.name}: the out-of-scope body differs from the missing-child body")
        if normalised(malformed.content) != normalised(missing.content):
            failures.append(f"{route.name}: the malformed-id body differs from the missing-child body")
        if b"Sentinelname" in out_of_scope.content:
            failures.append(f"{route.name}: the child's name is in the response")
        if not route.is_api:  # the forms must refuse a write as they refuse a read
            posted = client.post(route.url(child.pk), {"given_names": "Changed", "name": "Alias", "kind": "alias"})
            if posted.status_code != 404:
                failures.append(f"POST {route.name}: {posted.status_code}")
    assert not failures, "\n".join(failures)
    assert not AccessLogEntry.objects.filter(child_id=child.pk, user=user).exists()
    assert AuditEvent.objects.filter(child_id=child.pk).count() == events_before
    child.refresh_from_db()
    assert child.given_names == "Sentinelname"


@pytest.mark.parametrize("role", sorted(r for r, s in ROLE_SCOPE.items() if s == Scope.SERVICE))
def test_service_wide_roles_get_the_same_404_for_missing_and_malformed_ids(role, make_user, signed_in):
    user = make_user(role)
    page_client, api_client = clients_for(user, signed_in)
    for route in child_routes():
        client = api_client if route.is_api else page_client
        missing, malformed = client.get(route.url(uuid.uuid4())), client.get(route.url("1"))
        assert missing.status_code == malformed.status_code == 404, route.name
        assert normalised(missing.content) == normalised(malformed.content), route.name


def test_the_child_list_search_home_and_api_list_leave_out_children_outside_scope(world, signed_in):
    child_id = str(world["child"].pk).encode()
    for kind in OUTSIDER_KINDS:
        page_client, api_client = clients_for(world["outsiders"][kind], signed_in)
        for path in ("/", "/children/", "/search/?q=Sentinelname", "/search/?q=Zzyzx", "/search/?q=14/03/2010"):
            response = page_client.get(path)
            assert response.status_code == 200, (kind, path)
            assert child_id not in response.content, (kind, path)
            assert b"Sentinelname Zzyzx" not in response.content, (kind, path)
        for path in ("/api/v1/children", "/api/v1/children?q=Sentinelname", "/api/v1/children?q=14/03/2010"):
            response = api_client.get(path)
            assert response.status_code == 200, (kind, path)
            assert str(world["child"].pk) not in {c["id"] for c in response.json()}, (kind, path)
    # ...while the same searches do find the child for the allocated worker.
    page_client, api_client = clients_for(world["worker_a"], signed_in)
    assert child_id in page_client.get("/search/?q=Sentinelname").content
    assert api_client.get("/api/v1/children?q=Zzyzx").json()[0]["id"] == str(world["child"].pk)


def test_someone_in_scope_gets_every_child_route(world, signed_in):
    """The other side of the 404s: the same routes answer for someone in scope (the team leader
    is in scope too, and is one of the roles that may read the access log)."""
    leader = User.objects.create(username="leader-a", role=Role.TEAM_LEADER, team=world["team_a"])
    page_client, api_client = clients_for(leader, signed_in)
    for route in child_routes():
        client = api_client if route.is_api else page_client
        response = client.get(route.url(world["child"].pk))
        assert response.status_code == 200, (route.name, response.status_code)


def test_the_default_manager_refuses_to_read_children_without_a_scope(world):
    with pytest.raises(UnscopedChildQuery):
        Child.objects.all()
    with pytest.raises(UnscopedChildQuery):
        Child.objects.filter(given_names="Sentinelname")
    with pytest.raises(UnscopedChildQuery):
        Child.objects.count()
    with pytest.raises(UnscopedChildQuery):
        Child.objects.get(pk=world["child"].pk)


def test_no_user_or_an_anonymous_or_inactive_user_sees_no_children(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.children_visible_to(None).exists()
    assert not access.children_visible_to(AnonymousUser()).exists()
    worker = world["worker_a"]
    assert access.children_visible_to(worker).filter(pk=world["child"].pk).exists()
    worker.is_active = False
    worker.save()
    assert not access.children_visible_to(worker).exists()
    with pytest.raises(Http404):
        access.access_child(worker, world["child"].pk, route="test")


# --------------------------------------------------------------------------------------------
# 2. The object check and the list scope agree, and both agree with the rules as written.

TODAY_OFFSETS = [None, -1, 0, 1]  # allocation end: open, yesterday, today, tomorrow


@dataclass(frozen=True)
class UserSpec:
    role: str
    team: int | None
    agency: int | None
    active: bool


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    n_teams = draw(st.integers(1, 3))
    n_agencies = draw(st.integers(1, 2))
    n_children = draw(st.integers(1, 4))
    users = draw(st.lists(
        st.builds(
            UserSpec,
            role=st.sampled_from(list(Role.values)),
            team=st.none() | st.integers(0, n_teams - 1),
            agency=st.none() | st.integers(0, n_agencies - 1),
            active=st.booleans() | st.just(True),
        ),
        min_size=1, max_size=6,
    ))
    allocations = draw(st.lists(
        st.tuples(st.integers(0, n_children - 1), st.integers(0, len(users) - 1),
                  st.sampled_from(Allocation.Kind.values), st.sampled_from(TODAY_OFFSETS)),
        max_size=8,
    ))
    grants = draw(st.lists(
        # child, agency, expires (hours from now), revoked
        st.tuples(st.integers(0, n_children - 1), st.integers(0, n_agencies - 1),
                  st.sampled_from([-24, -1, 1, 24 * 30]), st.booleans()),
        max_size=5,
    ))
    return {"teams": n_teams, "agencies": n_agencies, "children": n_children, "users": users,
            "allocations": allocations, "grants": grants}


def rules_say_visible(user: User, child: Child, allocations: list[Allocation], grants: list[PartnerGrant],
                      today: dt.date, now: dt.datetime) -> bool:
    """The scope rules written out independently of the access module (accounts.models.ROLE_SCOPE)."""
    if not user.is_active:
        return False
    live = [a for a in allocations if a.child_id == child.pk and (a.end is None or a.end >= today)]
    if user.role in {Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.IRO}:
        return any(a.worker_id == user.pk for a in live)
    if user.role == Role.TEAM_LEADER:
        return user.team_id is not None and any(
            a.worker.team_id == user.team_id and a.worker.is_active for a in live)
    if user.role in {Role.TEAM_MANAGER, Role.IRO_MANAGER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST,
                     Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER}:
        return True
    if user.role == Role.PARTNER:
        return user.partner_agency_id is not None and any(
            g.child_id == child.pk and g.agency_id == user.partner_agency_id and g.revoked_at is None
            and g.expires_at > now for g in grants)
    return False  # administrator, or any role not listed


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=worlds())
def test_object_checks_and_list_scoping_agree_with_the_rules(spec, db):
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        teams = [Team.objects.create(name=f"T{i}") for i in range(spec["teams"])]
        agencies = [PartnerAgency.objects.create(name=f"A{i}", kind="health") for i in range(spec["agencies"])]
        users = [
            User.objects.create(
                username=f"u{i}", role=u.role, is_active=u.active,
                team=teams[u.team] if u.team is not None else None,
                partner_agency=agencies[u.agency] if u.agency is not None else None,
            )
            for i, u in enumerate(spec["users"])
        ]
        children = [Child.unscoped.create(given_names=f"C{i}") for i in range(spec["children"])]
        allocations, open_kinds = [], set()
        for c, w, kind, end in spec["allocations"]:
            if end is None and (c, kind) in open_kinds:
                continue  # one open allocation of each kind per child (a database constraint)
            if end is None:
                open_kinds.add((c, kind))
            allocations.append(Allocation.objects.create(
                child=children[c], worker=users[w], kind=kind, start=today - dt.timedelta(days=30),
                end=None if end is None else today + dt.timedelta(days=end),
            ))
        grants = [
            PartnerGrant.objects.create(
                child=children[c], agency=agencies[a], purpose="p", granted_by=users[0],
                expires_at=now + dt.timedelta(hours=hours), revoked_at=now if revoked else None,
            )
            for c, a, hours, revoked in spec["grants"]
        ]
        for user in users:
            listed = set(access.children_visible_to(user).values_list("pk", flat=True))
            for child in children:
                expected = rules_say_visible(user, child, allocations, grants, today, now)
                try:
                    access.access_child(user, child.pk, route="test")
                    opened = True
                except Http404:
                    opened = False
                assert (child.pk in listed) == access.can_view_child(user, child) == opened == expected, (
                    user.role, user.is_active, child.given_names)
        transaction.set_rollback(True)


# --------------------------------------------------------------------------------------------
# 3. Identifiers are random and guessing them learns nothing.


def test_record_identifiers_are_random_uuids(world, make_child):
    children = [world["child"], *(make_child(social_worker=world["worker_a"]) for _ in range(5))]
    for record in [*children, world["worker_a"], world["team_a"], *Allocation.objects.all()[:3]]:
        assert isinstance(record.pk, uuid.UUID) and record.pk.version == 4, record
    # Not sequential: consecutive records share no long prefix.
    ids = sorted(c.pk.int for c in children)
    assert all(b - a > 2**64 for a, b in zip(ids, ids[1:], strict=False))


def test_a_thousand_guessed_ids_all_answer_404_with_one_body_whether_or_not_the_child_exists(
        world, make_child, signed_in):
    """A low-privilege user probes 1,000 identifiers, 50 of them real children out of their scope."""
    worker = world["outsiders"]["social worker in team B"]
    real = [world["child"].pk, *(make_child(social_worker=world["worker_a"]).pk for _ in range(49))]
    guesses = real + [uuid.uuid4() for _ in range(950 - 20)] + [f"{n:08d}" for n in range(20)]
    assert len(guesses) == 1000
    page_client, api_client = clients_for(worker, signed_in)
    page_bodies, api_bodies, statuses = set(), set(), set()
    for n, guess in enumerate(guesses):
        # Every guess on the API (cheap), and every fourth on the HTML page as well.
        response = api_client.get(f"/api/v1/children/{guess}")
        statuses.add(response.status_code)
        api_bodies.add(response.content)
        if n % 4 == 0 or n < 50:
            response = page_client.get(f"/children/{guess}/")
            statuses.add(response.status_code)
            page_bodies.add(normalised(response.content))
    assert statuses == {404}
    assert len(api_bodies) == 1 and len(page_bodies) == 1
    assert not AccessLogEntry.objects.filter(user=worker).exists()


# --------------------------------------------------------------------------------------------
# 5. Taking access away works on the very next request, in the same session.


def test_ending_an_allocation_takes_effect_on_the_next_request(world, signed_in):
    client = signed_in(world["worker_a"])
    url = f"/children/{world['child'].pk}/"
    assert client.get(url).status_code == 200
    Allocation.objects.filter(child=world["child"], worker=world["worker_a"]).update(
        end=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(url).status_code == 404


def test_moving_a_worker_out_of_the_team_takes_effect_for_the_team_leader_on_the_next_request(
        world, make_user, make_team, signed_in):
    leader = make_user(Role.TEAM_LEADER, team=world["team_a"])
    client = signed_in(leader)
    url = f"/children/{world['child'].pk}/"
    assert client.get(url).status_code == 200
    worker = world["worker_a"]
    worker.team = make_team("Team C")
    worker.save()
    assert client.get(url).status_code == 404
    assert b"Sentinelname" not in client.get("/children/").content


@pytest.mark.parametrize("how", ["expire", "revoke"])
def test_ending_a_partner_share_takes_effect_on_the_next_request(how, world, make_agency, make_user, share_with,
                                                                 signed_in):
    agency = make_agency(PartnerAgency.Kind.HEALTH)
    partner = make_user(Role.PARTNER, agency=agency)
    grant = share_with(world["child"], agency, by=world["worker_a"])
    client = signed_in(partner)
    _, raw = ApiToken.issue(user=partner, name="system")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/children/{world['child'].pk}/"
    assert client.get(url).status_code == 200
    assert api.get(f"/api/v1/children/{world['child'].pk}").status_code == 200
    if how == "expire":
        grant.expires_at = timezone.now() - dt.timedelta(seconds=1)
    else:
        grant.revoked_at = timezone.now()
    grant.save()
    assert client.get(url).status_code == 404
    assert api.get(f"/api/v1/children/{world['child'].pk}").status_code == 404
    assert b"Sentinelname" not in client.get("/").content


def test_deactivating_a_user_or_revoking_their_token_takes_effect_on_the_next_request(world, signed_in):
    worker = world["worker_a"]
    client = signed_in(worker)
    token, raw = ApiToken.issue(user=worker, name="system")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/children/{world['child'].pk}/"
    assert client.get(url).status_code == 200
    assert api.get(f"/api/v1/children/{world['child'].pk}").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert api.get(f"/api/v1/children/{world['child'].pk}").status_code == 401
    worker.is_active = False
    worker.save()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
