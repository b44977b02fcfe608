"""The rota pages: what a team leader or manager does, what goes wrong, who may not, and queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Allocation, Role
from harbour.allocation.models import Leave, PracticeLead, RotaMember, RotaState, RotaTurn
from harbour.audit.models import AccessLogEntry

from .support import give_caseload, new_child, on_leave, practice_lead, referral_for, rota_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.TEAM_MANAGER, first_name="Mina", last_name="Manager")


@pytest.fixture
def leader(make_team, make_user):
    return make_user(Role.TEAM_LEADER, team=make_team(), first_name="Lena", last_name="Leader")


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


# --- The rota page --------------------------------------------------------------------------------


def test_the_rota_page_shows_each_worker_their_standing_and_the_practice_leads(manager, signed_in, make_user):
    today = timezone.localdate()
    a, b, c = rota_of(3, limit=18)
    on_leave(a, today, today + dt.timedelta(days=3))
    give_caseload(b, 4)
    practice_lead(make_user(Role.TEAM_MANAGER, first_name="Priya", last_name="Lead"), "Age assessment")
    page = signed_in(manager).get("/allocation/").content.decode()
    assert "Social workers on the rota (3)" in page
    assert a.display_name in page and "On leave until" in page
    assert "4 of 18" in page
    assert f"<strong>Next on the rota:</strong> {b.display_name}" in page
    assert "Priya Lead" in page and "Age assessment" in page


def test_the_nav_shows_the_rota_to_team_leaders_and_managers_only(manager, leader, signed_in, make_user):
    assert 'href="/allocation/"' in signed_in(manager).get("/").content.decode()
    assert 'href="/allocation/"' in signed_in(leader).get("/").content.decode()
    assert 'href="/allocation/"' not in signed_in(make_user(Role.SOCIAL_WORKER)).get("/").content.decode()


PATHS = ["/allocation/", "/allocation/fairness/", "/allocation/workers/new/", "/allocation/leave/new/",
         "/allocation/practice-leads/new/", "/allocation/children/{child}/", "/allocation/children/{child}/someone-else/"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.PARTNER, Role.ADMINISTRATOR, Role.IRO])
@pytest.mark.parametrize("path", PATHS)
def test_other_roles_get_404(role, path, make_user, signed_in, make_team):
    worker, = rota_of(1)
    child = new_child()
    response = signed_in(make_user(role, team=make_team())).get(path.format(child=child.pk))
    assert response.status_code == 404


def test_adding_a_worker_through_the_page(manager, signed_in, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    client = signed_in(manager)
    assert worker.display_name in client.get("/allocation/workers/new/").content.decode()
    response = client.post("/allocation/workers/new/", {"user": str(worker.pk),
                                                        **date_fields("uasc_trained_on", dt.date(2026, 2, 3))})
    assert response.status_code == 302 and response["Location"] == "/allocation/"
    member = RotaMember.objects.get(user=worker)
    assert member.uasc_trained_on == dt.date(2026, 2, 3)


def test_adding_nobody_is_refused_with_an_error_summary(manager, signed_in):
    response = signed_in(manager).post("/allocation/workers/new/", {})
    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page and "Select the social worker to add to the rota" in page
    assert 'href="#id_user"' in page


def test_recording_leave_through_the_page_and_its_errors(manager, signed_in):
    worker, = rota_of(1)
    client = signed_in(manager)
    assert f'value="{worker.pk}" selected' in client.get(f"/allocation/leave/new/?user={worker.pk}").content.decode()
    bad = client.post("/allocation/leave/new/", {"user": str(worker.pk), **date_fields("start", dt.date(2026, 12, 4)),
                                                 **date_fields("end", dt.date(2026, 12, 1))})
    assert bad.status_code == 422 and "End date must be the same as or after the start date" in bad.content.decode()
    assert not Leave.objects.exists()
    good = client.post("/allocation/leave/new/", {"user": str(worker.pk), "reason": "Annual leave",
                                                  **date_fields("start", dt.date(2026, 12, 1)),
                                                  **date_fields("end", dt.date(2026, 12, 4))})
    assert good.status_code == 302
    assert Leave.objects.get().end == dt.date(2026, 12, 4)


def test_recording_training_moving_and_taking_off(manager, signed_in):
    a, b = rota_of(2, trained=False)
    client = signed_in(manager)
    member_b = RotaMember.objects.get(user=b)
    assert client.post(f"/allocation/workers/{member_b.pk}/training/", {}).status_code == 422
    assert client.post(f"/allocation/workers/{member_b.pk}/training/",
                       date_fields("trained_on", dt.date(2026, 5, 1))).status_code == 302
    assert RotaMember.objects.get(user=b).uasc_trained
    assert client.post(f"/allocation/workers/{member_b.pk}/move/", {"direction": "up"}).status_code == 302
    assert [m.user for m in RotaMember.objects.order_by("position")] == [b, a]
    assert client.post(f"/allocation/workers/{member_b.pk}/active/", {"active": "no"}).status_code == 302
    assert not RotaMember.objects.get(user=b).active
    assert client.get(f"/allocation/workers/{member_b.pk}/move/").status_code == 405


def test_naming_and_standing_down_a_practice_lead(manager, signed_in, make_user):
    person = make_user(Role.TEAM_MANAGER, first_name="Priya")
    client = signed_in(manager)
    assert client.post("/allocation/practice-leads/new/", {"user": str(person.pk), "specialism": "Trafficking"}
                       ).status_code == 302
    lead = PracticeLead.objects.get(user=person)
    assert client.post(f"/allocation/practice-leads/{lead.pk}/stand-down/").status_code == 302
    assert not PracticeLead.objects.get(pk=lead.pk).active


# --- Allocating a child ---------------------------------------------------------------------------


def test_the_child_page_shows_the_proposal_and_allocating_records_the_referral(leader, signed_in):
    a, b = rota_of(2)
    on_leave(a, timezone.localdate(), timezone.localdate())
    child = new_child(given_names="Dawit", family_name="Tesfay")
    referral = referral_for(child, team=leader.team, recorded_by=leader, nts_reference="NTS-777")
    client = signed_in(leader)  # a team leader sees the child referred to their team
    url = f"/allocation/children/{child.pk}/?referral={referral.pk}&next=/children/{child.pk}/legal/"
    page = client.get(url).content.decode()
    assert "NTS referral NTS-777" in page and f"Allocate {b.display_name}" in page
    assert a.display_name in page and "On leave until" in page
    assert AccessLogEntry.objects.filter(child_id=child.pk, user=leader).exists()
    response = client.post(url, {"worker": str(b.pk), "next": f"/children/{child.pk}/legal/"})
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/legal/"
    turn = RotaTurn.objects.get()
    assert (turn.allocated, turn.referral, turn.decided_by) == (b, referral, leader)
    # Once allocated the page says so, with no button.
    page = client.get(url).content.decode()
    assert f"social worker is {b.display_name}" in page and "Allocate " + b.display_name not in page


@pytest.mark.parametrize(("next_url", "expected"), [
    ("https://evil.example.com/", "/children/{child}/"),
    ("//evil.example.com/", "/children/{child}/"),
    ("", "/children/{child}/"),
    ("/referrals/", "/referrals/"),
], ids=["other host", "scheme-relative", "none", "local path"])
def test_after_allocating_only_a_safe_local_next_is_followed(next_url, expected, manager, signed_in):
    worker, = rota_of(1)
    child = new_child()
    response = signed_in(manager).post(f"/allocation/children/{child.pk}/?next={next_url}",
                                       {"worker": str(worker.pk), "next": next_url})
    assert response.status_code == 302 and response["Location"] == expected.format(child=child.pk)


def test_a_rota_that_moved_on_is_caught_and_the_page_shows_the_new_proposal(manager, signed_in):
    a, b = rota_of(2)
    child = new_child()
    client = signed_in(manager)
    # Someone else allocated a's turn after this page was opened showing a.
    from harbour.allocation import services
    services.allocate_from_rota(actor=manager, child=new_child(), today=timezone.localdate(), now=timezone.now())
    response = client.post(f"/allocation/children/{child.pk}/", {"worker": str(a.pk)})
    page = response.content.decode()
    assert response.status_code == 422
    assert "The rota has moved on since you opened this page" in page and f"Allocate {b.display_name}" in page
    assert not Allocation.objects.filter(child=child).exists()


def test_nobody_available_offers_only_someone_else(manager, signed_in):
    a, = rota_of(1)
    on_leave(a, timezone.localdate(), timezone.localdate())
    child = new_child()
    page = signed_in(manager).get(f"/allocation/children/{child.pk}/").content.decode()
    assert "Nobody on the rota can take a child today" in page and "Allocate someone else" in page


def test_the_override_form_needs_a_reason_and_then_allocates(manager, signed_in, make_user):
    a, = rota_of(1)
    chosen = make_user(Role.SOCIAL_WORKER, first_name="Tigist", last_name="Haile")
    child = new_child()
    client = signed_in(manager)
    url = f"/allocation/children/{child.pk}/someone-else/"
    page = client.get(url).content.decode()
    assert f"The rota proposes {a.display_name}" in page and "Tigist Haile" in page
    bad = client.post(url, {"worker": str(chosen.pk), "reason": "  "})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "Enter why you are allocating someone other than the next worker on the rota" in body
    assert 'href="#id_reason"' in body
    assert not Allocation.objects.filter(child=child).exists()
    good = client.post(url, {"worker": str(chosen.pk), "reason": "Speaks Tigrinya"})
    assert good.status_code == 302 and good["Location"] == f"/children/{child.pk}/"
    turn = RotaTurn.objects.get()
    assert turn.overridden and turn.allocated == chosen and turn.proposed == a
    assert RotaState.objects.get().turns_taken == 0


def test_the_override_refuses_someone_not_a_social_worker(manager, signed_in, make_user):
    rota_of(1)
    child = new_child()
    iro = make_user(Role.IRO)
    response = signed_in(manager).post(f"/allocation/children/{child.pk}/someone-else/",
                                       {"worker": str(iro.pk), "reason": "Because"})
    assert response.status_code == 422 and "Select an active social worker" in response.content.decode()


def test_a_team_leader_cannot_allocate_a_child_outside_their_team(leader, signed_in, make_team, make_user):
    rota_of(1)
    child = new_child()
    referral_for(child, team=make_team(), recorded_by=make_user(Role.TEAM_LEADER))
    client = signed_in(leader)
    assert client.get(f"/allocation/children/{child.pk}/").status_code == 404
    assert client.post(f"/allocation/children/{child.pk}/", {}).status_code == 404
    assert not RotaTurn.objects.exists()


def test_a_referral_of_another_child_is_404(manager, signed_in):
    rota_of(1)
    child, other = new_child(), new_child()
    referral = referral_for(other, team=manager.team or _team(), recorded_by=manager)
    client = signed_in(manager)
    assert client.get(f"/allocation/children/{child.pk}/?referral={referral.pk}").status_code == 404
    assert client.get(f"/allocation/children/{child.pk}/?referral=not-a-uuid").status_code == 404


def _team():
    from harbour.accounts.models import Team
    return Team.objects.create(name="Intake")


# --- Fairness -------------------------------------------------------------------------------------


def test_the_fairness_page_shows_twelve_months_per_worker(manager, signed_in):
    a, b = rota_of(2)
    from harbour.allocation import services
    services.allocate_from_rota(actor=manager, child=new_child(), today=timezone.localdate(), now=timezone.now())
    page = signed_in(manager).get("/allocation/fairness/").content.decode()
    assert "Children allocated per worker per month" in page
    assert page.count('<th scope="col" class="govuk-table__header govuk-table__header--numeric">') == 12 + 2
    assert a.display_name in page and b.display_name in page


# --- Queries --------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    client.get(path)  # warm: the first request may make the council's settings row
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _council(size: int, manager) -> dict[str, str]:
    today = timezone.localdate()
    workers = rota_of(size)
    for i, w in enumerate(workers):
        give_caseload(w, 2)
        if i % 3 == 0:
            on_leave(w, today, today + dt.timedelta(days=2))
        if i % 3 == 1:
            on_leave(w, today + dt.timedelta(days=7), today + dt.timedelta(days=9))
    for w in workers[:3]:
        practice_lead(w)
    from harbour.allocation import services
    for w in workers:
        services.allocate_from_rota(actor=manager, child=new_child(), today=today, now=timezone.now(),
                                    override_worker=w, override_reason="Fill the fairness table")
    child = new_child()
    referral = referral_for(child, team=_team_named(f"T{size}"), recorded_by=manager)
    return {
        "rota": "/allocation/",
        "fairness": "/allocation/fairness/",
        "child": f"/allocation/children/{child.pk}/?referral={referral.pk}",
        "override": f"/allocation/children/{child.pk}/someone-else/",
        "leave": "/allocation/leave/new/",
    }


def _team_named(name: str):
    from harbour.accounts.models import Team
    return Team.objects.create(name=name)


def test_every_page_takes_as_many_queries_for_30_workers_as_for_3(manager, signed_in):
    client = signed_in(manager)
    small = {name: _queries(client, path) for name, path in _council(3, manager).items()}
    RotaTurn.objects.all().delete()
    Allocation.objects.all().delete()
    Leave.objects.all().delete()
    PracticeLead.objects.all().delete()
    RotaMember.objects.all().delete()
    large = {name: _queries(client, path) for name, path in _council(30, manager).items()}
    assert small == large
